"""`CREATE INDEX` statements as PocketBase parses, rebuilds and stores them.

A collection keeps its indexes as raw SQL strings. PocketBase parses each one loosely (the
statement may name any table: the collection's own name always replaces it), rebuilds it in a
canonical shape (backtick-quoted identifiers, one column per line when there are several) and
executes the rebuilt form. The stored string stays the user's text when it already names the
collection's table, and becomes the rebuilt form otherwise (observed with PocketBase 0.40.6).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from palapy.schema.model import Collection

__all__ = [
    "IndexColumn",
    "ParsedIndex",
    "parse_index",
    "normalize_index",
    "index_ddl",
    "find_single_column_unique_index",
    "unique_index_columns",
    "split_top_level",
    "index_sql",
]

# Up to the opening parenthesis of the columns list; the rest is scanned by hand so that
# parentheses inside expressions or the WHERE clause are balanced correctly.
_HEAD_RE = re.compile(
    r"create\s+(unique\s+)?\s*index\s*(if\s+not\s+exists\s+)?(\S*)\s+on\s+(\S*?)\s*\(",
    re.IGNORECASE,
)
_COLUMN_RE = re.compile(
    r"(.+?)(?:\s+collate\s+([A-Za-z0-9_]+))?(?:\s+(asc|desc))?",
    re.IGNORECASE | re.DOTALL,
)
_TRIM = "`\"'[]\r\n\t\f\v "
_QUOTES = "'\"`"


@dataclass
class IndexColumn:
    """One indexed column: an identifier or an expression, with optional collation and order."""

    name: str
    collate: str = ""
    sort: str = ""

    @property
    def is_expression(self) -> bool:
        return "(" in self.name or " " in self.name


@dataclass
class ParsedIndex:
    """The parts of a `CREATE INDEX` statement."""

    index_name: str = ""
    table_name: str = ""
    schema_name: str = ""
    columns: list[IndexColumn] = field(default_factory=list)
    where: str = ""
    unique: bool = False
    optional: bool = False

    def is_valid(self) -> bool:
        """An index needs at least a name, a table and one column."""
        return bool(self.index_name and self.table_name and self.columns)

    def build(self) -> str:
        """The canonical statement PocketBase executes (`""` when the index is not valid)."""
        if not self.is_valid():
            return ""
        out = ["CREATE "]
        if self.unique:
            out.append("UNIQUE ")
        out.append("INDEX ")
        if self.optional:
            out.append("IF NOT EXISTS ")
        if self.schema_name:
            out.append(f"`{self.schema_name}`.")
        out.append(f"`{self.index_name}` ON `{self.table_name}` (")
        multi = len(self.columns) > 1
        parts: list[str] = []
        for col in self.columns:
            name = col.name.strip()
            if not name:
                continue
            text = name if col.is_expression else f"`{name}`"
            if col.collate:
                text += f" COLLATE {col.collate}"
            if col.sort:
                text += f" {col.sort.upper()}"
            parts.append(text)
        if multi:
            out.append("\n  " + ",\n  ".join(parts) + ("\n" if parts else ""))
        else:
            out.append("".join(parts))
        out.append(")")
        if self.where:
            out.append(f" WHERE {self.where}")
        return "".join(out)

    def with_table(self, table: str) -> ParsedIndex:
        return replace(self, table_name=table, columns=list(self.columns))


def index_sql(name: str, table: str, columns: str, *, unique: bool = False, where: str = "") -> str:
    """A new index statement in the shape PocketBase's `AddIndex` writes (columns kept as given)."""
    sql = f"CREATE {'UNIQUE ' if unique else ''}INDEX `{name}` ON `{table}` ({columns})"
    return f"{sql} WHERE {where}" if where else sql


def split_top_level(text: str, sep: str) -> list[str]:
    """Split on `sep` outside quotes and parentheses; parts are trimmed, empty ones dropped."""
    parts: list[str] = []
    depth, quote, start = 0, "", 0
    for i, ch in enumerate(text):
        if quote:
            if ch == quote:
                quote = ""
        elif ch in _QUOTES:
            quote = ch
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == sep and depth == 0:
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return [p.strip() for p in parts if p.strip()]


def _columns_and_where(text: str) -> tuple[str, str] | None:
    """`text` starts at the columns' "(": the columns list and the WHERE text, or None if malformed."""
    depth, quote = 0, ""
    for i, ch in enumerate(text):
        if quote:
            if ch == quote:
                quote = ""
            continue
        if ch in _QUOTES:
            quote = ch
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth == 0:
                rest = text[i + 1 :].strip()
                if not rest:
                    return text[1:i], ""
                if rest[:5].lower() == "where":
                    return text[1:i], rest[5:].strip()
                return None  # trailing text such as ";" makes the statement invalid (as in PocketBase 0.40)
    return None


def parse_index(sql: str) -> ParsedIndex:
    """Parse loosely; the result's `is_valid()` is False when the statement is not usable."""
    result = ParsedIndex()
    m = _HEAD_RE.search(sql)
    if not m:
        return result
    split = _columns_and_where(sql[m.end() - 1 :])
    if split is None:
        return result
    columns_sql, where = split
    result.unique = bool((m.group(1) or "").strip())
    result.optional = bool((m.group(2) or "").strip())
    name_parts = split_top_level(m.group(3), ".")
    if len(name_parts) == 1:
        result.index_name = name_parts[0].strip(_TRIM)
    elif len(name_parts) == 2:
        result.schema_name = name_parts[0].strip(_TRIM)
        result.index_name = name_parts[1].strip(_TRIM)
    result.table_name = m.group(4).strip(_TRIM)
    for raw in split_top_level(columns_sql, ","):
        cm = _COLUMN_RE.fullmatch(raw)
        if not cm:
            continue
        name = cm.group(1).strip(_TRIM)
        if name:
            result.columns.append(IndexColumn(name, (cm.group(2) or "").strip(), (cm.group(3) or "").upper()))
    result.where = where
    return result


def normalize_index(sql: str, table: str) -> str:
    """The index string as PocketBase stores it for a collection named `table`.

    Unchanged when it already names `table`; otherwise rebuilt for `table`. Raises ValueError
    ("Invalid CREATE INDEX expression.") when the statement cannot be parsed.
    """
    parsed = parse_index(sql)
    if not parsed.with_table("x").is_valid():
        raise ValueError("Invalid CREATE INDEX expression.")
    if parsed.table_name == table:
        return sql
    return parsed.with_table(table).build()


def index_ddl(sql: str, table: str) -> str:
    """The statement to execute: always rebuilt, always on `table`. Raises ValueError when invalid."""
    built = parse_index(sql).with_table(table).build()
    if not built:
        raise ValueError("Invalid CREATE INDEX expression.")
    return built


def find_single_column_unique_index(indexes: list[str], column: str) -> ParsedIndex | None:
    """The first UNIQUE index on exactly `column` (case-insensitive; WHERE ignored), or None."""
    for sql in indexes:
        parsed = parse_index(sql)
        if parsed.unique and len(parsed.columns) == 1 and parsed.columns[0].name.lower() == column.lower():
            return parsed
    return None


def unique_index_columns(collection: Collection) -> list[list[str]]:
    """The column lists of the collection's UNIQUE indexes (expressions as written).

    Helps turn `UNIQUE constraint failed: posts.a, posts.b` into per-field errors.
    """
    out: list[list[str]] = []
    for sql in collection.indexes:
        parsed = parse_index(sql)
        if parsed.unique and parsed.columns:
            out.append([c.name for c in parsed.columns])
    return out
