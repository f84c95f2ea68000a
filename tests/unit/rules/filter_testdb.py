"""An in-memory APSW database built from Collection/field structs, for evaluating filters.

Tables use each field's own `column_definition()`, rows go through `Field.to_db`, so the
stored shapes (JSON arrays for multi values, 0/1 booleans, JSON text) are palapy's.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import apsw

from palapy.rules import filters as rules
from palapy.rules.request_info import RequestInfo
from palapy.schema.fields import (
    BoolField,
    DateField,
    EmailField,
    GeoPointField,
    JSONField,
    NumberField,
    RelationField,
    SelectField,
    TextField,
)
from palapy.schema.model import Collection
from palapy.schema.registry import CollectionRegistry

__all__ = ["World", "make_world", "id_field"]

USERS_ID = "_pb_users_auth_"


def id_field() -> TextField:
    return TextField(id="text3208210256", name="id", primaryKey=True, system=True, required=True)


def _create_table(conn: apsw.Connection, coll: Collection) -> None:
    cols = ", ".join(f"`{f.name}` {f.column_definition()}" for f in coll.fields)
    conn.execute(f"CREATE TABLE `{coll.name}` ({cols})")
    for idx in coll.indexes:
        conn.execute(idx)


@dataclass
class World:
    conn: apsw.Connection
    registry: CollectionRegistry
    ids: dict[str, str] = field(default_factory=dict)

    def coll(self, name: str) -> Collection:
        found = self.registry.find(name)
        assert found is not None, name
        return found

    def insert(self, coll_name: str, key: str, **values: Any) -> str:
        coll = self.coll(coll_name)
        record_id = values.pop("id", f"{key.lower():0>15}"[-15:])
        row = {"id": record_id}
        for f in coll.fields:
            if f.name == "id":
                continue
            value = values.pop(f.name, f.empty_value())
            row[f.name] = f.to_db(f.normalize(value))
        assert not values, f"unknown fields {values}"
        names = ", ".join(f"`{k}`" for k in row)
        marks = ", ".join("?" for _ in row)
        self.conn.execute(f"INSERT INTO `{coll_name}` ({names}) VALUES ({marks})", list(row.values()))
        self.ids[key] = record_id
        return record_id

    def auth(self, key: str) -> RequestInfo:
        """A request authenticated as the user `key` (canonical values, hidden ones included)."""
        users = self.coll("users")
        cur = self.conn.execute("SELECT * FROM `users` WHERE id = ?", [self.ids[key]])
        names = [d[0] for d in cur.getdescription()]
        raw = dict(zip(names, cur.fetchone(), strict=True))
        record = {f.name: f.from_db(raw[f.name]) for f in users.fields}
        return RequestInfo(auth=record, auth_collection=users)

    def select(
        self,
        coll_name: str,
        flt: str,
        request: RequestInfo | None = None,
        *,
        client: bool = False,
        sort: str = "",
    ) -> list[str]:
        """Keys of the records of `coll_name` matching `flt` (in `sort` order, else sorted)."""
        coll = self.coll(coll_name)
        req = request or RequestInfo()
        where = rules.compile_filter(flt, coll, self.registry, req, alias="r", client=client)
        order = rules.compile_sort(sort, coll, self.registry, req, alias="r", client=client)
        sql = f"SELECT r.id FROM `{coll_name}` AS r WHERE {where.sql}"
        if order.sql:
            sql += f" ORDER BY {order.sql}"
        names = {v: k for k, v in self.ids.items()}
        got = [names[r[0]] for r in self.conn.execute(sql, [*where.params, *order.params])]
        return got if sort else sorted(got)


def make_world() -> World:
    """users, posts (every interesting field type), comments (back relation), profiles
    (unique back relation) and a few rows."""
    users = Collection(
        id=USERS_ID,
        name="users",
        type="auth",
        listRule="id = @request.auth.id",
        fields=[
            id_field(),
            EmailField(name="email"),
            BoolField(name="emailVisibility"),
            BoolField(name="verified"),
            TextField(name="name"),
            SelectField(name="role", values=["admin", "member"], maxSelect=1),
            NumberField(name="age"),
            TextField(name="bio", hidden=True),
            RelationField(name="friends", collectionId=USERS_ID, maxSelect=9),
        ],
    )
    posts = Collection(
        id="pbc_posts",
        name="posts",
        listRule="",
        fields=[
            id_field(),
            TextField(name="title"),
            NumberField(name="views"),
            BoolField(name="published"),
            SelectField(name="tags", values=["a", "b", "c", "%"], maxSelect=4),
            SelectField(name="status", values=["draft", "done"], maxSelect=1),
            RelationField(name="author", collectionId=USERS_ID, maxSelect=1),
            RelationField(name="likers", collectionId=USERS_ID, maxSelect=9),
            JSONField(name="meta"),
            GeoPointField(name="loc"),
            DateField(name="due"),
            TextField(name="secret", hidden=True),
        ],
    )
    comments = Collection(
        id="pbc_comments",
        name="comments",
        listRule="",
        fields=[
            id_field(),
            TextField(name="text"),
            RelationField(name="post", collectionId="pbc_posts", maxSelect=1),
        ],
    )
    profiles = Collection(
        id="pbc_profiles",
        name="profiles",
        listRule=None,
        indexes=["CREATE UNIQUE INDEX `idx_profiles_user` ON `profiles` (`user`)"],
        fields=[
            id_field(),
            RelationField(name="user", collectionId=USERS_ID, maxSelect=1),
            TextField(name="headline"),
        ],
    )
    conn = apsw.Connection(":memory:")
    registry = CollectionRegistry()
    registry.replace([users, posts, comments, profiles])
    for coll in registry.all():
        _create_table(conn, coll)
    w = World(conn, registry)
    w.insert(
        "users", "u1", name="User One", email="u1@x.co", emailVisibility=True, role="admin", age=30, bio="b1"
    )
    w.insert("users", "u2", name="User Two", email="u2@x.co", role="member", age=20, friends=[w.ids["u1"]])
    w.insert("users", "u3", name="", email="u3@x.co", age=0)
    u1, u2, u3 = w.ids["u1"], w.ids["u2"], w.ids["u3"]
    w.insert(
        "posts",
        "P0",
        title="Hello",
        views=5,
        published=True,
        tags=["a", "b"],
        status="draft",
        author=u1,
        likers=[u1],
        meta={"k": [1, 2], "a": {"b": "deep"}},
        loc={"lon": 23.3, "lat": 42.7},
        due="2025-01-02 10:00:00.000Z",
        secret="s0",
    )
    w.insert(
        "posts",
        "P1",
        title="100% real_deal",
        views=10,
        tags=["c"],
        status="done",
        author=u2,
        likers=[u1, u2],
        meta=5,
        loc={"lon": -0.12, "lat": 51.5},
        due="2024-06-30 23:59:59.999Z",
    )
    w.insert("posts", "P2", title="", views=0, author="", likers=[], meta=None)
    w.insert("posts", "P3", title="a\\b", views=20, tags=["%"], author=u3, likers=[u2, u3], meta="str")
    w.insert("comments", "C1", text="c1", post=w.ids["P0"])
    w.insert("comments", "C2", text="c2", post=w.ids["P0"])
    w.insert("comments", "C3", text="c2", post=w.ids["P1"])
    w.insert("profiles", "PR1", user=u1, headline="Admin")
    return w
