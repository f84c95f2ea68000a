"""Hand-laid `CREATE TABLE` text for PocketBase's internal tables.

SQLite keeps a table's SQL exactly as it was written. PocketBase writes its internal tables as
indented multi-line statements with the column names padded into one column; palapy lays them out
the same way so that `sqlite_master` is identical in palapy-made and PocketBase-made data dirs.
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = ["aligned_create_table", "TIMESTAMP_DEFAULT", "RANDOM_ID_PK"]

TIMESTAMP_DEFAULT = "TEXT DEFAULT (strftime('%Y-%m-%d %H:%M:%fZ')) NOT NULL"
RANDOM_ID_PK = "TEXT PRIMARY KEY DEFAULT ('r'||lower(hex(randomblob(7)))) NOT NULL"


def aligned_create_table(table: str, columns: Sequence[tuple[str, str]], depth: int) -> str:
    """`CREATE TABLE` with one column per line at `depth` tabs, names padded to a common width."""
    width = max(len(name) for name, _ in columns) + 3  # two backticks and one space
    indent = "\t" * depth
    lines = [f"{indent}{('`' + name + '`').ljust(width)}{definition}" for name, definition in columns]
    return f"CREATE TABLE `{table}` (\n" + ",\n".join(lines) + "\n" + "\t" * (depth - 1) + ")"
