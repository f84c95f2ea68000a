"""Two-way `pb_data` compatibility with the real PocketBase 0.40.6 binary.

- a data dir made by PocketBase opens in palapy with nothing rewritten;
- a data dir made by palapy is served by PocketBase with nothing left to migrate;
- a new dir, and the DDL of collection changes, come out the same in both programs.

PocketBase runs on 127.0.0.1 on a free port, in a temp dir, and is stopped by its pid
(tests/harness/servers.py). A missing binary or a server that does not start fails the test.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import apsw
import bcrypt
import httpx
import pytest
from argon2 import PasswordHasher

from palapy.app import Palapy
from palapy.migrations import SYSTEM_MIGRATIONS
from palapy.migrations._store import insert_collection
from palapy.schema.fields import BoolField, NumberField, TextField, convert_fields
from palapy.schema.model import AUTH_OPTION_KEYS, Collection
from palapy.schema.system import base_system_fields, with_default_id
from palapy.schema.tables import sync_schema
from palapy.tools import dates
from palapy.tools.ids import random_id, random_string
from palapy.tools.security import passwords
from tests.harness.servers import (
    SUPERUSER_EMAIL,
    SUPERUSER_PASSWORD,
    ServerProcess,
    pocketbase_binary,
    start_server,
    upsert_superuser,
)
from tests.unit.auth.auth_support import Client, insert_auth_record

# -- helpers -------------------------------------------------------------------


@contextmanager
def pocketbase(root: Path) -> Iterator[tuple[ServerProcess, httpx.Client]]:
    """Serve `root/pb_data` with PocketBase; yield it and a client logged in as the superuser."""
    server = start_server("pocketbase", root)
    try:
        with httpx.Client(base_url=server.base_url, timeout=10.0) as client:
            resp = client.post(
                "/api/collections/_superusers/auth-with-password",
                json={"identity": SUPERUSER_EMAIL, "password": SUPERUSER_PASSWORD},
            )
            assert resp.status_code == 200, resp.text
            client.headers["Authorization"] = resp.json()["token"]
            yield server, client
    finally:
        server.stop()


def call(client: httpx.Client, method: str, url: str, body: Any = None) -> Any:
    resp = client.request(method, url, json=body)
    assert resp.status_code < 300, f"{method} {url}: {resp.status_code} {resp.text}"
    return resp.json() if resp.content else None


def query(db: Path, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    conn = apsw.Connection(str(db), flags=apsw.SQLITE_OPEN_READONLY)
    try:
        return [tuple(r) for r in conn.execute(sql, params)]
    finally:
        conn.close()


def schema(db: Path) -> list[tuple[Any, ...]]:
    """sqlite_master without the statistics tables that `PRAGMA optimize` may add."""
    return query(
        db,
        "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_stat%' ORDER BY rowid",
    )


def snapshot(data_dir: Path, tables: list[str]) -> dict[str, Any]:
    db = data_dir / "data.db"
    snap: dict[str, Any] = {
        "schema": schema(db),
        "collections": query(db, "SELECT * FROM _collections ORDER BY rowid"),
        "migrations": query(db, "SELECT * FROM _migrations ORDER BY rowid"),
        "params": query(db, "SELECT * FROM _params ORDER BY rowid"),
        "aux": schema(data_dir / "auxiliary.db"),
    }
    for table in tables:
        snap[table] = query(db, f"SELECT * FROM `{table}` ORDER BY id")
    return snap


def collection_from_api(data: dict[str, Any]) -> Collection:
    """A palapy Collection from PocketBase's collection JSON."""
    options: dict[str, Any] = {}
    if data["type"] == "view":
        options = {"viewQuery": data["viewQuery"]}
    elif data["type"] == "auth":
        options = {k: data[k] for k in AUTH_OPTION_KEYS}
    return Collection(
        id=data["id"],
        name=data["name"],
        type=data["type"],
        system=data["system"],
        fields=convert_fields(data["fields"]),
        indexes=list(data["indexes"]),
        options=options,
    )


def open_palapy(data_dir: Path) -> Palapy:
    app = Palapy(data_dir)
    app.bootstrap()
    return app


# -- the SQLite palapy ships -----------------------------------------------------


def test_bundled_sqlite_has_the_wal_reset_fix() -> None:
    assert tuple(int(p) for p in apsw.sqlite_lib_version().split(".")) >= (3, 51, 3)


def test_reference_binary_is_pocketbase_0_40_6() -> None:
    import subprocess

    out = subprocess.run([pocketbase_binary(), "--version"], capture_output=True, text=True, timeout=30)
    assert "0.40.6" in out.stdout


# -- a new dir is the same in both programs -----------------------------------------


def _normalised_collections(db: Path) -> list[list[Any]]:
    """`_collections` rows without timestamps, with the random token secrets blanked."""
    out = []
    for row in query(
        db,
        "SELECT id, system, type, name, fields, indexes, listRule, viewRule, createRule, updateRule, deleteRule, options FROM _collections ORDER BY rowid",
    ):  # noqa: E501
        options = json.loads(row[-1])
        for value in options.values():
            if isinstance(value, dict) and "secret" in value:
                assert len(value["secret"]) == 50
                value["secret"] = "<secret>"
        out.append([*row[:-1], json.dumps(options)])
    return out


def test_new_dir_matches_pocketbase(tmp_path: Path) -> None:
    pb_root, py_root = tmp_path / "pb", tmp_path / "py"
    upsert_superuser("pocketbase", pb_root)  # initialises the dir like `serve` would
    open_palapy(py_root / "pb_data").close()
    pb, py = pb_root / "pb_data", py_root / "pb_data"
    assert schema(py / "data.db") == schema(pb / "data.db")
    assert schema(py / "auxiliary.db") == schema(pb / "auxiliary.db")
    assert _normalised_collections(py / "data.db") == _normalised_collections(pb / "data.db")
    assert query(py / "data.db", "SELECT file FROM _migrations ORDER BY rowid") == query(
        pb / "data.db", "SELECT file FROM _migrations ORDER BY rowid"
    )
    assert query(py / "data.db", "SELECT id, value, typeof(value) FROM _params") == query(
        pb / "data.db", "SELECT id, value, typeof(value) FROM _params"
    )
    assert [f.file for f in SYSTEM_MIGRATIONS] == [
        r[0] for r in query(pb / "data.db", "SELECT file FROM _migrations ORDER BY rowid")
    ]


# -- PocketBase -> palapy -----------------------------------------------------------

POSTS_FIELDS = [
    {"name": "title", "type": "text", "required": True},
    {"name": "views", "type": "number", "onlyInt": True},
    {"name": "published", "type": "bool"},
    {"name": "tags", "type": "select", "values": ["a", "b", "c"], "maxSelect": 3},
    {"name": "status", "type": "select", "values": ["draft", "live"]},
    {"name": "author", "type": "relation", "collectionId": "_pb_users_auth_", "maxSelect": 1},
    {"name": "meta", "type": "json"},
    {"name": "due", "type": "date"},
    {"name": "loc", "type": "geoPoint"},
    {"name": "created", "type": "autodate", "onCreate": True},
    {"name": "updated", "type": "autodate", "onCreate": True, "onUpdate": True},
]


def _seed_pocketbase(client: httpx.Client) -> None:
    user = call(
        client,
        "POST",
        "/api/collections/users/records",
        {"email": "u1@example.com", "password": "pass123456", "passwordConfirm": "pass123456", "name": "U1"},
    )
    call(
        client,
        "POST",
        "/api/collections",
        {
            "name": "posts",
            "fields": POSTS_FIELDS,
            "listRule": "",
            "indexes": ["CREATE UNIQUE INDEX idx_posts_title ON anything (title)"],
        },
    )
    call(
        client,
        "POST",
        "/api/collections",
        {
            "name": "members",
            "type": "auth",
            "fields": [{"name": "nick", "type": "text"}],
            "manageRule": "id != ''",
        },
    )
    call(
        client,
        "POST",
        "/api/collections",
        {"name": "post_stats", "type": "view", "viewQuery": "SELECT id, title, views FROM posts"},
    )
    for i, tags in enumerate((["a", "b"], [], ["c"])):
        body = {
            "title": f"post {i}",
            "views": i * 10,
            "published": i % 2 == 0,
            "tags": tags,
            "status": "live",
        }
        body |= {"author": user["id"], "meta": {"n": i, "list": [1, "x"]}, "due": "2025-01-02 03:04:05.678Z"}
        body |= {"loc": {"lon": 1.5, "lat": -2.25}}
        call(client, "POST", "/api/collections/posts/records", body)
    call(
        client,
        "POST",
        "/api/collections/members/records",
        {"email": "m@example.com", "password": "pass123456", "passwordConfirm": "pass123456", "nick": "m"},
    )  # noqa: E501


def test_pocketbase_dir_opens_in_palapy_unchanged(tmp_path: Path) -> None:
    root = tmp_path / "pb"
    upsert_superuser("pocketbase", root)
    with pocketbase(root) as (_server, client):
        _seed_pocketbase(client)
        listed = call(client, "GET", "/api/collections?perPage=500")["items"]
    data_dir = root / "pb_data"
    tables = ["posts", "users", "members", "_superusers", "post_stats"]
    before = snapshot(data_dir, tables)
    assert len(before["posts"]) == 3

    app = open_palapy(data_dir)
    try:
        loaded = app.collections.all()
        assert [(c.id, c.name, c.type) for c in loaded] == [(c["id"], c["name"], c["type"]) for c in listed]
        rows = {r[0]: r for r in before["collections"]}
        for collection in loaded:
            # The model round-trips PocketBase's rows byte for byte.
            row = collection.to_row()
            stored = rows[collection.id]
            assert row["fields"] == stored[4], collection.name
            assert row["indexes"] == stored[5], collection.name
            assert row["options"] == stored[11], collection.name
            assert (
                row["listRule"],
                row["viewRule"],
                row["createRule"],
                row["updateRule"],
                row["deleteRule"],
            ) == stored[6:11]
        posts = app.collections.find("posts")
        assert posts is not None and [f.name for f in posts.fields][:3] == ["id", "title", "views"]
    finally:
        app.close()
    # Nothing was rewritten: no migration rows, no schema change, records untouched.
    assert snapshot(data_dir, tables) == before


# -- palapy -> PocketBase -----------------------------------------------------------


def _insert_superuser(conn: apsw.Connection) -> None:
    now = dates.now()
    password = bcrypt.hashpw(SUPERUSER_PASSWORD.encode(), bcrypt.gensalt(10)).decode()
    conn.execute(
        "INSERT INTO _superusers (id, email, emailVisibility, verified, password, tokenKey, created, updated) "
        "VALUES (?, ?, 0, 1, ?, ?, ?, ?)",
        (random_id(), SUPERUSER_EMAIL, password, random_string(50), now, now),
    )


def _notes_collection() -> Collection:
    fields = [
        *base_system_fields(),
        with_default_id(TextField(name="body", max=500)),
        with_default_id(NumberField(name="rank")),
        with_default_id(BoolField(name="done")),
    ]
    return Collection(
        id="pbc_notes0001",
        name="notes",
        fields=fields,
        listRule="",
        viewRule="",
        indexes=["CREATE INDEX `idx_notes_rank` ON `notes` (`rank`)"],
    )


def test_palapy_dir_is_served_by_pocketbase(tmp_path: Path) -> None:
    root = tmp_path / "py"
    data_dir = root / "pb_data"
    app = open_palapy(data_dir)
    try:

        def seed(conn: apsw.Connection) -> None:
            _insert_superuser(conn)
            insert_collection(conn, _notes_collection())
            conn.execute("INSERT INTO notes (id, body, rank, done) VALUES ('note00000000001', 'hello', 2, 1)")

        app.db.write_sync(seed)
        app.reload_collections_sync()
        ours = [c.to_json() for c in app.collections.all()]
    finally:
        app.close()
    migrations_before = query(data_dir / "data.db", "SELECT * FROM _migrations ORDER BY rowid")

    with pocketbase(root) as (server, client):
        listed = call(client, "GET", "/api/collections?perPage=500")["items"]
        assert [(c["id"], c["name"]) for c in listed] == [(c["id"], c["name"]) for c in ours]
        by_id = {c["id"]: c for c in listed}
        for mine in ours:
            theirs = by_id[mine["id"]]
            for key in (
                "fields",
                "indexes",
                "listRule",
                "viewRule",
                "createRule",
                "updateRule",
                "deleteRule",
                "system",
                "type",
            ):  # noqa: E501
                assert theirs[key] == mine[key], (mine["name"], key)
            if mine["type"] == "auth":
                assert {k: theirs[k] for k in AUTH_OPTION_KEYS} == {k: mine[k] for k in AUTH_OPTION_KEYS}
        notes = call(client, "GET", "/api/collections/notes/records")["items"]
        assert [(n["id"], n["body"], n["rank"], n["done"]) for n in notes] == [
            ("note00000000001", "hello", 2, True)
        ]
        # PocketBase can write into palapy-made tables and authenticate against them.
        call(
            client,
            "POST",
            "/api/collections/users/records",
            {"email": "new@example.com", "password": "pass123456", "passwordConfirm": "pass123456"},
        )  # noqa: E501
        login = client.post(
            "/api/collections/users/auth-with-password",
            json={"identity": "new@example.com", "password": "pass123456"},
        )
        assert login.status_code == 200, login.text
        assert client.get("/api/health").json()["code"] == 200
        log = server.log_tail()
    assert "error" not in log.lower(), log
    # PocketBase found nothing to migrate.
    assert query(data_dir / "data.db", "SELECT * FROM _migrations ORDER BY rowid") == migrations_before


# -- schema changes produce PocketBase's DDL ------------------------------------------


def test_collection_changes_produce_pocketbase_ddl(tmp_path: Path) -> None:
    pb_root = tmp_path / "pb"
    upsert_superuser("pocketbase", pb_root)
    with pocketbase(pb_root) as (_server, client):
        created = call(
            client,
            "POST",
            "/api/collections",
            {
                "name": "posts",
                "fields": [
                    {"name": "title", "type": "text"},
                    {"name": "views", "type": "number"},
                    {"name": "tags", "type": "select", "values": ["a", "b", "c"], "maxSelect": 3},
                    {"name": "status", "type": "select", "values": ["x", "y"]},
                    {"name": "meta", "type": "json"},
                    {"name": "Alpha", "type": "bool"},
                ],
                "indexes": [
                    "create unique index idx_a on anything (title)",
                    "CREATE INDEX idx_d on posts(title,views)",
                ],
            },
        )
        call(
            client,
            "POST",
            "/api/collections/posts/records",
            {"id": "rec000000000001", "title": "t1", "tags": ["a", "b"], "status": "x"},
        )  # noqa: E501
        fields = [dict(f) for f in created["fields"] if f["name"] != "meta"]
        for f in fields:
            if f["name"] == "title":
                f["name"] = "heading"
            elif f["name"] == "status":
                f["maxSelect"] = 2
            elif f["name"] == "tags":
                f["maxSelect"] = 1
        fields.append({"name": "extra", "type": "text"})
        indexes = [i.replace("title", "heading") for i in created["indexes"]]
        updated = call(
            client,
            "PATCH",
            "/api/collections/posts",
            {"name": "articles", "fields": fields, "indexes": indexes},
        )  # noqa: E501
        view = call(
            client,
            "POST",
            "/api/collections",
            {
                "name": "counts",
                "type": "view",
                "viewQuery": "SELECT (ROW_NUMBER() OVER()) as id, count(*) as total FROM articles",
            },  # noqa: E501
        )
    pb_db = pb_root / "pb_data" / "data.db"

    conn = apsw.Connection(":memory:")
    conn.execute("BEGIN")
    sync_schema(conn, None, collection_from_api(created))
    conn.execute(
        "INSERT INTO posts (id, title, tags, status) VALUES ('rec000000000001', 't1', '[\"a\",\"b\"]', 'x')"
    )
    sync_schema(conn, collection_from_api(created), collection_from_api(updated))
    sync_schema(conn, None, collection_from_api(view))
    conn.execute("COMMIT")
    ours = [tuple(r) for r in conn.execute("SELECT type, name, sql FROM sqlite_master ORDER BY rowid")]
    theirs = query(
        pb_db,
        "SELECT type, name, sql FROM sqlite_master WHERE tbl_name IN ('articles', 'counts') ORDER BY rowid",
    )
    assert ours == theirs
    select = "SELECT id, heading, tags, status, extra FROM articles"
    assert [tuple(r) for r in conn.execute(select)] == query(pb_db, select)


# -- keeping PocketBase's password hashes ------------------------------------------------


def test_bcrypt_mode_keeps_logins_working_in_pocketbase(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With PALAPY_PASSWORD_HASH=bcrypt, passwords palapy writes, and argon2 hashes it meets at a
    login, end up as bcrypt that real PocketBase checks."""
    monkeypatch.setenv(passwords.HASH_SCHEME_ENV, "bcrypt")
    root = tmp_path / "py"
    app = open_palapy(root / "pb_data")
    client = Client(app)
    try:
        app.db.write_sync(_insert_superuser)
        created = client.request(
            "POST",
            "/api/collections/users/records",
            json={"email": "new@example.com", "password": "pass123456", "passwordConfirm": "pass123456"},
        )
        assert created.status_code == 200, created.text
        argon2_hash = PasswordHasher().hash("pass654321")
        insert_auth_record(app, "users", "old@example.com", stored_hash=argon2_hash)
        login = client.login("users", {"identity": "old@example.com", "password": "pass654321"})
        assert login.status_code == 200, login.text
        stored = [row[0] for row in app.db.read_sync(lambda c: list(c.execute("SELECT password FROM users")))]
        assert all(h.startswith("$2a$10$") for h in stored), stored
    finally:
        client.close()
        app.close()
    with pocketbase(root) as (_, pb):
        for email, password in (("new@example.com", "pass123456"), ("old@example.com", "pass654321")):
            resp = pb.post(
                "/api/collections/users/auth-with-password", json={"identity": email, "password": password}
            )
            assert resp.status_code == 200, (email, resp.text)
