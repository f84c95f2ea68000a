"""View queries: PocketBase's loose SELECT reading, field inference and the dry run."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import apsw
import pytest

from palapy.app import Palapy
from palapy.collections.scaffolds import new_collection
from palapy.collections.view_fields import (
    MSG_MISSING_ID,
    ViewQueryError,
    create_view_fields,
    dry_run_view,
    parse_identifiers,
    view_query_with_text_id,
)
from palapy.db.connection import quote_ident
from palapy.schema.fields import NumberField, RelationField, TextField
from palapy.schema.registry import load_collections
from palapy.schema.tables import sync_schema
from tests.unit.collections.collections_support import new_app


@pytest.mark.parametrize(
    ("query", "columns", "tables"),
    [
        (
            "select id, title, author as a, posts.views, 1+1 as two from posts",
            [("id", "id"), ("title", "title"), ("author", "a"), ("posts.views", "views"), ("1+1", "two")],
            [("posts", "posts")],
        ),
        (
            "SELECT p.id, u.email FROM posts p LEFT JOIN users u ON u.id = p.author WHERE p.x = 1 ORDER BY 1",
            [("p.id", "id"), ("u.email", "email")],
            [("posts", "p"), ("users", "u")],
        ),
        (
            "select distinct count(id) c, cast(views as int) as vi, `q`.`x` from posts /* c */ group by id;",
            [("count(id)", "c"), ("cast(views as int)", "vi"), ("q.x", "x")],
            [("posts", "posts")],
        ),
    ],
)
def test_select_lists_are_read_like_pocketbase(
    query: str, columns: list[tuple[str, str]], tables: list[tuple[str, str]]
) -> None:
    got_columns, got_tables = parse_identifiers(query)
    assert [(c.original, c.alias) for c in got_columns] == columns
    assert [(t.original, t.alias) for t in got_tables] == tables


def test_a_malformed_column_is_an_error() -> None:
    with pytest.raises(ValueError, match='expected "as"'):
        parse_identifiers("select a b c from posts")


@pytest.fixture
def app(tmp_path: Path) -> Iterator[Palapy]:
    core = new_app(tmp_path)
    posts = new_collection("base", "posts")
    posts.fields += [
        TextField(name="title", max=20),
        NumberField(name="views"),
        RelationField(name="author", collectionId="_pb_users_auth_", maxSelect=1),
    ]

    def write(conn: apsw.Connection) -> None:
        row = posts.to_row()
        cols = ", ".join(quote_ident(c) for c in row)
        conn.execute(
            f"INSERT INTO `_collections` ({cols}) VALUES ({', '.join('?' * len(row))})", list(row.values())
        )
        sync_schema(conn, None, posts)
        conn.execute("INSERT INTO posts (id, title, views, author) VALUES ('p1', 'Hello', 3, '')")
        conn.execute("INSERT INTO posts (id, title, views, author) VALUES ('p2', 'World', 5, '')")

    core.db.write_sync(write)
    yield core
    core.close()


def infer(app: Palapy, query: str) -> tuple[list[tuple[str, str]], str | None]:
    def fn(conn: apsw.Connection) -> tuple[list[tuple[str, str]], str | None]:
        fields, problem = create_view_fields(conn, load_collections(conn), query)
        return [(f.name, f.type) for f in fields], problem

    return app.db.write_sync(fn)


def test_fields_are_inferred_from_sources_aggregates_and_casts(app: Palapy) -> None:
    fields, problem = infer(
        app,
        "select p.id, p.title, p.author, u.id as uid, count(p.id) n, total(p.views) t, "
        "cast(p.views as text) s, cast(1 as bool) b, (p.views * 2) as x "
        "from posts p left join users u on u.id = p.author group by p.id",
    )
    assert problem is None
    assert fields == [
        ("id", "text"),
        ("title", "text"),
        ("author", "relation"),
        ("uid", "relation"),
        ("n", "number"),
        ("t", "number"),
        ("s", "text"),
        ("b", "bool"),
        ("x", "json"),
    ]


def test_queries_without_id_with_wildcards_or_broken_sql_are_reported(app: Palapy) -> None:
    assert infer(app, "select title from posts") == ([("title", "text")], MSG_MISSING_ID)
    assert infer(app, "select * from posts")[1] == (
        "wildcard columns (*) are not supported - manually type the collection field names you want the view query to have"
    )
    assert infer(app, "select id from nope") == ([], "SQL logic error: no such table: main.nope (1)")
    assert infer(app, "select id from posts; select 1")[1] == "multiple statements are not supported"
    # Expressions need parentheses: the SELECT list is split on spaces, as in PocketBase.
    assert (
        infer(app, "select id, views * 2 as x from posts")[1] == "invalid identifier parts [views * 2 as x]"
    )


def test_a_non_text_id_is_cast_to_text(app: Palapy) -> None:
    query = "select (ROW_NUMBER() OVER()) as id, title from posts"
    wrapped = app.db.write_sync(lambda conn: view_query_with_text_id(conn, query))
    assert wrapped == f"SELECT CAST(`id` as TEXT) `id`,`title` FROM ({query})"
    assert (
        app.db.write_sync(lambda conn: view_query_with_text_id(conn, "select id from posts"))
        == "select id from posts"
    )


def test_the_dry_run_returns_fields_and_a_sample_and_leaves_no_view_behind(app: Palapy) -> None:
    result = app.db.write_sync(
        lambda conn: dry_run_view(conn, load_collections(conn), "select id, title, views from posts", 10)
    )
    assert [f.name for f in result.fields] == ["id", "title", "views"]
    assert [(r["id"], r["title"], r["views"]) for r in result.rows] == [
        ("p1", "Hello", 3),
        ("p2", "World", 5),
    ]
    assert result.collection.name.startswith("temp_view_")
    assert result.collection.fields == result.fields
    views = app.db.read_sync(lambda c: list(c.execute("SELECT name FROM sqlite_master WHERE type = 'view'")))
    assert views == []
    with pytest.raises(ViewQueryError, match="non-unique ids"):
        app.db.write_sync(
            lambda conn: dry_run_view(conn, load_collections(conn), "select 1 as id from posts", 10)
        )
