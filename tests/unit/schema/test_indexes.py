"""Index parsing and the stored form, against what PocketBase 0.40.6 was observed to store."""

from __future__ import annotations

import pytest

from palapy.schema.indexes import (
    find_single_column_unique_index,
    index_ddl,
    index_sql,
    normalize_index,
    parse_index,
    unique_index_columns,
)
from palapy.schema.model import Collection
from palapy.schema.tables import normalize_index as reexported


@pytest.mark.parametrize(
    ("raw", "stored"),
    [
        ("create unique index idx_a on anything (title)", "CREATE UNIQUE INDEX `idx_a` ON `coll` (`title`)"),
        (
            'CREATE UNIQUE INDEX "idx_s5" ON [x] (`title` ASC, "num" desc)',
            "CREATE UNIQUE INDEX `idx_s5` ON `coll` (\n  `title` ASC,\n  `num` DESC\n)",
        ),
        (
            "CREATE INDEX idx_s4 ON x (title) WHERE title != ''",
            "CREATE INDEX `idx_s4` ON `coll` (`title`) WHERE title != ''",
        ),
        (
            "CREATE INDEX idx_s2 ON x (title) WHERE num IN (1,2)",
            "CREATE INDEX `idx_s2` ON `coll` (`title`) WHERE num IN (1,2)",
        ),
        (
            "CREATE INDEX idx_s3 ON x (json_extract(title, '$.a'), num)",
            "CREATE INDEX `idx_s3` ON `coll` (\n  json_extract(title, '$.a'),\n  `num`\n)",
        ),
        ("CREATE INDEX idx_s4 ON x(title)", "CREATE INDEX `idx_s4` ON `coll` (`title`)"),
        (
            "CREATE INDEX idx_s5 ON x (title) where num > 2",
            "CREATE INDEX `idx_s5` ON `coll` (`title`) WHERE num > 2",
        ),
        ("CREATE INDEX idx_s6 ON x (title)\n", "CREATE INDEX `idx_s6` ON `coll` (`title`)"),
        (
            "CREATE INDEX idx_s9 ON x ( title  collate  nocase  asc )",
            "CREATE INDEX `idx_s9` ON `coll` (`title` COLLATE nocase ASC)",
        ),
        ("xx CREATE INDEX idx_s10 ON x (title)", "CREATE INDEX `idx_s10` ON `coll` (`title`)"),
        (
            "CREATE INDEX IF NOT EXISTS idx_s13 ON x (title)",
            "CREATE INDEX IF NOT EXISTS `idx_s13` ON `coll` (`title`)",
        ),
        ("CREATE INDEX idx_s14 ON x.y (title)", "CREATE INDEX `idx_s14` ON `coll` (`title`)"),
        ("CREATE INDEX main.idx_s7 ON x (title)", "CREATE INDEX `main`.`idx_s7` ON `coll` (`title`)"),
        (
            "CREATE INDEX idx_s8 ON x (title, 'a,b')",
            "CREATE INDEX `idx_s8` ON `coll` (\n  `title`,\n  `a,b`\n)",
        ),
        # Already naming the collection's table: stored exactly as written.
        ("CREATE INDEX idx_s10 ON coll (title)", "CREATE INDEX idx_s10 ON coll (title)"),
        ("CREATE INDEX idx_s11 ON `coll` (title)", "CREATE INDEX idx_s11 ON `coll` (title)"),
        (
            'CREATE INDEX IF NOT EXISTS `idx_b` ON "coll" (views DESC)',
            'CREATE INDEX IF NOT EXISTS `idx_b` ON "coll" (views DESC)',
        ),
    ],
)
def test_normalize_index_stores_what_pocketbase_stores(raw: str, stored: str) -> None:
    assert normalize_index(raw, "coll") == stored
    assert reexported is normalize_index


@pytest.mark.parametrize(
    "raw",
    [
        "CREATE INDEX idx_s1 ON x (title);",
        "CREATE INDEX idx_s1 ON x (title) ;",
        "CREATE INDEX ON x (title)",
        "create index idx_s3 on x ()",
        "blah",
        "CREATE INDEX idx_s7 ON x (title) garbage",
        "CREATE INDEX a.b.c ON x (title)",
        "CREATE INDEX idx ON x (title",
        "",
    ],
)
def test_invalid_statements_raise_value_error(raw: str) -> None:
    with pytest.raises(ValueError, match="Invalid CREATE INDEX expression"):
        normalize_index(raw, "coll")
    with pytest.raises(ValueError):
        index_ddl(raw, "coll")


def test_ddl_is_always_rebuilt_for_the_table() -> None:
    assert (
        index_ddl("CREATE INDEX idx_s10 ON coll (title)", "coll")
        == "CREATE INDEX `idx_s10` ON `coll` (`title`)"
    )


def test_parse_keeps_quoted_parentheses_and_commas() -> None:
    parsed = parse_index("CREATE UNIQUE INDEX i ON t (a, lower(b)) WHERE c IN ('x)', 'y,z')")
    assert parsed.unique and parsed.index_name == "i" and parsed.table_name == "t"
    assert [c.name for c in parsed.columns] == ["a", "lower(b)"]
    assert parsed.where == "c IN ('x)', 'y,z')"


def test_index_sql_has_pocketbase_add_index_shape() -> None:
    assert index_sql("i", "t", "a, b") == "CREATE INDEX `i` ON `t` (a, b)"
    assert (
        index_sql("i", "t", "a", unique=True, where="a != ''")
        == "CREATE UNIQUE INDEX `i` ON `t` (a) WHERE a != ''"
    )


def test_single_column_unique_lookup_and_unique_columns() -> None:
    c = Collection(
        id="c",
        name="t",
        indexes=[
            "CREATE INDEX i1 ON t (slug)",
            "CREATE UNIQUE INDEX i2 ON t (Slug COLLATE NOCASE) WHERE slug != ''",
            "CREATE UNIQUE INDEX i3 ON t (a, b)",
        ],
    )
    found = find_single_column_unique_index(c.indexes, "slug")
    assert found is not None and found.index_name == "i2"
    assert find_single_column_unique_index(c.indexes, "a") is None
    assert unique_index_columns(c) == [["Slug"], ["a", "b"]]
