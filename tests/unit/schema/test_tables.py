"""DDL of collection create/update/delete, checked on a real SQLite database."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import apsw
import pytest

from palapy.schema.fields import (
    BoolField,
    Field,
    JSONField,
    NumberField,
    RelationField,
    SelectField,
    TextField,
)
from palapy.schema.model import Collection
from palapy.schema.system import base_system_fields, with_default_id
from palapy.schema.tables import (
    IndexesError,
    ViewQueryError,
    create_table_sql,
    has_table,
    normalize_view_query,
    sync_schema,
)


@pytest.fixture
def conn() -> Iterator[apsw.Connection]:
    c = apsw.Connection(":memory:")
    yield c
    c.close()


def _fields(*fields: Field) -> list[Field]:
    return [*base_system_fields(), *(with_default_id(f) for f in fields)]


def posts(**kw: Any) -> Collection:
    kw.setdefault(
        "fields",
        _fields(
            TextField(name="title"),
            NumberField(name="views"),
            SelectField(name="tags", values=["a", "b", "c"], maxSelect=3),
            SelectField(name="status", values=["x", "y"]),
            JSONField(name="meta"),
            BoolField(name="Alpha"),
        ),
    )
    kw.setdefault("id", "pbc_1")
    kw.setdefault("name", "posts")
    return Collection(**kw)


def table_sql(conn: apsw.Connection, name: str) -> str:
    rows = conn.execute("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", (name,)).fetchall()
    assert rows, f"no table {name}"
    return str(rows[0][0])


def index_sqls(conn: apsw.Connection, table: str) -> list[str]:
    sql = "SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL ORDER BY name"
    return [str(r[0]) for r in conn.execute(sql, (table,))]


def columns(conn: apsw.Connection, table: str) -> list[str]:
    return [str(r[1]) for r in conn.execute(f"PRAGMA table_info(`{table}`)")]


def rename(c: Collection, old: str, new: str) -> Collection:
    out = c.clone()
    field = out.field(old)
    assert field is not None
    field.name = new
    return out


# -- create --------------------------------------------------------------------


def test_create_table_sorts_columns_by_name_like_pocketbase() -> None:
    sql = create_table_sql(posts())
    assert sql == (
        "CREATE TABLE `posts` (`Alpha` BOOLEAN DEFAULT FALSE NOT NULL, "
        "`id` TEXT PRIMARY KEY DEFAULT ('r'||lower(hex(randomblob(7)))) NOT NULL, "
        "`meta` JSON DEFAULT NULL, `status` TEXT DEFAULT '' NOT NULL, `tags` JSON DEFAULT '[]' NOT NULL, "
        "`title` TEXT DEFAULT '' NOT NULL, `views` NUMERIC DEFAULT 0 NOT NULL)"
    )


def test_create_makes_the_table_and_rebuilt_indexes(conn: apsw.Connection) -> None:
    c = posts(
        indexes=[
            "create unique index idx_a on anything (title)",
            "CREATE INDEX idx_b ON posts (title, views DESC)",
        ]
    )
    sync_schema(conn, None, c)
    assert table_sql(conn, "posts") == create_table_sql(c)
    assert index_sqls(conn, "posts") == [
        "CREATE UNIQUE INDEX `idx_a` ON `posts` (`title`)",
        "CREATE INDEX `idx_b` ON `posts` (\n  `title`,\n  `views` DESC\n)",
    ]
    conn.execute("INSERT INTO posts (id) VALUES ('r1')")
    row = conn.execute("SELECT title, views, tags, status, meta, Alpha FROM posts").fetchall()[0]
    assert row == ("", 0, "[]", "", None, 0)


def test_create_reports_every_broken_index_with_pocketbase_messages(conn: apsw.Connection) -> None:
    c = posts(
        indexes=["CREATE INDEX idx_ok ON posts (title)", "CREATE INDEX idx_x ON posts (nosuch)", "nonsense"]
    )
    with pytest.raises(IndexesError) as info:
        sync_schema(conn, None, c)
    assert info.value.errors == {
        "1": "Failed to create index idx_x - SQL logic error: no such column: nosuch (1).",
        "2": "Invalid CREATE INDEX expression.",
    }
    assert info.value.validation_errors()["indexes"]["2"]["code"] == "validation_invalid_index_expression"


def test_unique_index_over_duplicates_reports_the_constraint(conn: apsw.Connection) -> None:
    c = posts()
    sync_schema(conn, None, c)
    conn.execute("INSERT INTO posts (id, title) VALUES ('a', 'same'), ('b', 'same')")
    new = c.clone()
    new.indexes = ["CREATE UNIQUE INDEX idx_dup ON posts (title)"]
    with pytest.raises(IndexesError) as info:
        sync_schema(conn, c, new)
    assert info.value.errors == {
        "0": "Failed to create index idx_dup - constraint failed: UNIQUE constraint failed: posts.title (2067)."
    }


# -- update --------------------------------------------------------------------


def test_update_renames_adds_drops_and_keeps_data(conn: apsw.Connection) -> None:
    old = posts(indexes=["CREATE INDEX idx_t ON posts (title)"])
    sync_schema(conn, None, old)
    conn.execute("INSERT INTO posts (id, title, views) VALUES ('r1', 'hello', 3)")
    new = rename(old, "title", "heading")
    new.name = "articles"
    new.fields = [f for f in new.fields if f.name != "meta"] + [with_default_id(TextField(name="extra"))]
    new.indexes = ["CREATE INDEX idx_t ON posts (heading)"]
    sync_schema(conn, old, new)
    assert not has_table(conn, "posts")
    assert columns(conn, "articles") == ["Alpha", "id", "status", "tags", "heading", "views", "extra"]
    # SQLite rewrites renamed identifiers with double quotes: PocketBase's tables look the same.
    assert table_sql(conn, "articles").startswith('CREATE TABLE "articles" (`Alpha` BOOLEAN')
    assert '"heading" TEXT' in table_sql(conn, "articles")
    assert '"extra" TEXT DEFAULT' in table_sql(conn, "articles")
    assert index_sqls(conn, "articles") == ["CREATE INDEX `idx_t` ON `articles` (`heading`)"]
    assert conn.execute("SELECT heading, views, extra FROM articles").fetchall() == [("hello", 3, "")]


def test_swapping_two_field_names_swaps_the_columns(conn: apsw.Connection) -> None:
    old = posts()
    sync_schema(conn, None, old)
    conn.execute("INSERT INTO posts (id, title, status) VALUES ('r1', 'T', 'x')")
    new = rename(rename(old, "title", "tmp"), "status", "title")
    new = rename(new, "tmp", "status")
    sync_schema(conn, old, new)
    assert conn.execute("SELECT title, status FROM posts").fetchall() == [("x", "T")]


def test_same_fields_and_indexes_leave_indexes_alone(conn: apsw.Connection) -> None:
    old = posts(indexes=["CREATE INDEX idx_t ON posts (title)"])
    sync_schema(conn, None, old)
    # Drop the index behind the collection's back: an unchanged save must not recreate it.
    conn.execute("DROP INDEX idx_t")
    sync_schema(conn, old, old.clone())
    assert index_sqls(conn, "posts") == []
    changed = old.clone()
    changed.listRule = ""
    sync_schema(conn, old, changed)
    assert index_sqls(conn, "posts") == []


def test_case_only_rename_keeps_the_table(conn: apsw.Connection) -> None:
    old = posts()
    sync_schema(conn, None, old)
    new = old.clone()
    new.name = "Posts"
    sync_schema(conn, old, new)
    assert table_sql(conn, "posts").startswith("CREATE TABLE `posts`")


def _set_max(c: Collection, name: str, value: int) -> Collection:
    out = c.clone()
    field = out.field(name)
    assert isinstance(field, SelectField | RelationField)
    field.maxSelect = value
    return out


def test_single_to_multiple_wraps_values_and_multiple_to_single_keeps_the_last(conn: apsw.Connection) -> None:
    old = posts()
    sync_schema(conn, None, old)
    conn.executemany(
        "INSERT INTO posts (id, status, tags) VALUES (?, ?, ?)",
        [("r1", "x", '["a","b"]'), ("r2", "", "[]"), ("r3", '["y"]', "not json")],
    )
    new = _set_max(_set_max(old, "status", 2), "tags", 1)
    sync_schema(conn, old, new)
    rows = conn.execute("SELECT id, status, tags FROM posts ORDER BY id").fetchall()
    assert rows == [("r1", '["x"]', "b"), ("r2", "[]", ""), ("r3", '["y"]', "not json")]
    assert "`status` JSON DEFAULT '[]' NOT NULL" in table_sql(conn, "posts")
    assert "`tags` TEXT DEFAULT '' NOT NULL" in table_sql(conn, "posts")


def test_single_multiple_rewrite_keeps_dependent_views(conn: apsw.Connection) -> None:
    old = posts()
    sync_schema(conn, None, old)
    view = Collection(
        id="v", name="v_status", type="view", options={"viewQuery": "SELECT id, status FROM posts"}
    )
    sync_schema(conn, None, view)
    sync_schema(conn, old, _set_max(old, "status", 2))
    assert has_table(conn, "v_status")
    conn.execute("INSERT INTO posts (id, status) VALUES ('r1', '[\"x\"]')")
    assert conn.execute("SELECT id, status FROM v_status").fetchall() == [("r1", '["x"]')]


def test_added_multiple_field_over_existing_rows_gets_empty_arrays(conn: apsw.Connection) -> None:
    old = posts()
    sync_schema(conn, None, old)
    conn.execute("INSERT INTO posts (id) VALUES ('r1')")
    new = old.clone()
    new.fields.append(with_default_id(RelationField(name="refs", collectionId="x", maxSelect=5)))
    sync_schema(conn, old, new)
    assert conn.execute("SELECT refs FROM posts").fetchall() == [("[]",)]


# -- views and delete ----------------------------------------------------------


def test_view_with_text_id_is_not_wrapped(conn: apsw.Connection) -> None:
    sync_schema(conn, None, posts())
    view = Collection(
        id="v", name="v1", type="view", options={"viewQuery": "  SELECT id, title FROM posts;  "}
    )
    sync_schema(conn, None, view)
    sql = conn.execute("SELECT sql FROM sqlite_master WHERE name = 'v1'").fetchall()[0][0]
    assert sql == "CREATE VIEW `v1` AS SELECT * FROM (SELECT id, title FROM posts)"


def test_view_without_text_id_casts_it(conn: apsw.Connection) -> None:
    sync_schema(conn, None, posts())
    conn.execute("INSERT INTO posts (id) VALUES ('a'), ('b')")
    q = "SELECT (ROW_NUMBER() OVER()) as id, count(*) as total FROM posts"
    sync_schema(conn, None, Collection(id="v", name="v2", type="view", options={"viewQuery": q}))
    sql = conn.execute("SELECT sql FROM sqlite_master WHERE name = 'v2'").fetchall()[0][0]
    assert sql == f"CREATE VIEW `v2` AS SELECT * FROM (SELECT CAST(`id` as TEXT) `id`,`total` FROM ({q}))"
    assert conn.execute("SELECT id, total FROM v2").fetchall() == [("1", 2)]
    assert not conn.execute("SELECT name FROM sqlite_master WHERE name LIKE '_temp_%'").fetchall()


def test_view_rename_drops_the_old_view(conn: apsw.Connection) -> None:
    sync_schema(conn, None, posts())
    old = Collection(id="v", name="v1", type="view", options={"viewQuery": "SELECT id FROM posts"})
    sync_schema(conn, None, old)
    new = old.clone()
    new.name = "v9"
    sync_schema(conn, old, new)
    assert not has_table(conn, "v1") and has_table(conn, "v9")


@pytest.mark.parametrize(
    "query",
    ["SELECT id FROM nosuch", "SELECT id, nosuch FROM posts", "SELECT id FROM posts; DROP TABLE posts"],
)
def test_bad_view_queries_raise_and_leave_nothing(conn: apsw.Connection, query: str) -> None:
    sync_schema(conn, None, posts())
    with pytest.raises(ViewQueryError):
        sync_schema(conn, None, Collection(id="v", name="vbad", type="view", options={"viewQuery": query}))
    assert not has_table(conn, "vbad")
    assert has_table(conn, "posts")


def test_normalize_view_query_trims_semicolons_but_keeps_quoted_ones() -> None:
    assert normalize_view_query(" SELECT 1 as id; ") == "SELECT 1 as id"
    assert normalize_view_query("SELECT ';' as id") == "SELECT ';' as id"
    with pytest.raises(ViewQueryError):
        normalize_view_query("SELECT 1; SELECT 2")


def test_delete_drops_tables_and_views(conn: apsw.Connection) -> None:
    c = posts(indexes=["CREATE INDEX idx_t ON posts (title)"])
    sync_schema(conn, None, c)
    view = Collection(id="v", name="v1", type="view", options={"viewQuery": "SELECT id FROM posts"})
    sync_schema(conn, None, view)
    sync_schema(conn, view, None)
    sync_schema(conn, c, None)
    assert conn.execute("SELECT name FROM sqlite_master").fetchall() == []


def test_update_of_a_missing_table_creates_it(conn: apsw.Connection) -> None:
    c = posts()
    sync_schema(conn, c, c.clone())
    assert table_sql(conn, "posts") == create_table_sql(c)


def test_stored_field_json_is_unchanged_by_sync(conn: apsw.Connection) -> None:
    c = posts()
    before = json.dumps([f.to_json() for f in c.fields])
    sync_schema(conn, None, c)
    assert json.dumps([f.to_json() for f in c.fields]) == before
