"""The per-collection plan (`records._plan`) gives exactly what the field-by-field code gives, and
follows a collection that changes shape."""

from __future__ import annotations

from typing import Any

import apsw
import pytest

from palapy.records._plan import plan_for
from palapy.records.rows import query_records, query_rows, row_to_record
from palapy.records.serialize import record_to_api
from palapy.schema.fields import (
    FIELD_TYPES,
    BoolField,
    EmailField,
    Field,
    JSONField,
    NumberField,
    PasswordField,
    SelectField,
    TextField,
)
from palapy.schema.model import Collection

ALWAYS_HIDDEN = ("password", "tokenKey")


def reference_to_api(
    collection: Collection,
    record: dict[str, Any],
    *,
    show_hidden: bool = False,
    show_email: bool = False,
    expand: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The plain field-by-field serialisation the plan replaces (the oracle)."""
    out: dict[str, Any] = {}
    for f in collection.fields:
        if f.hidden and not show_hidden:
            continue
        value = record.get(f.name, f.empty_value())
        out[f.name] = "" if isinstance(f, PasswordField) else value
    if collection.is_auth:
        for name in ALWAYS_HIDDEN:
            out.pop(name, None)
        if not show_email and not record.get("emailVisibility"):
            out.pop("email", None)
    out["collectionId"] = collection.id
    out["collectionName"] = collection.name
    if expand is not None:
        out["expand"] = expand
    return dict(sorted(out.items()))


def reference_row_to_record(collection: Collection, row: dict[str, Any]) -> dict[str, Any]:
    record: dict[str, Any] = {}
    for f in collection.fields:
        if f.name not in row:
            record[f.name] = f.empty_value()
        elif isinstance(f, PasswordField):
            raw = row[f.name]
            record[f.name] = raw if isinstance(raw, str) else ""
        else:
            record[f.name] = f.from_db(row[f.name])
    return record


def _base() -> Collection:
    return Collection(
        id="pbc_base0000001",
        name="things",
        fields=[
            TextField(name="id", primaryKey=True, system=True),
            TextField(name="zeta"),
            NumberField(name="alpha"),
            BoolField(name="flag"),
            SelectField(name="tags", maxSelect=3, values=["a", "b"]),
            JSONField(name="data"),
            TextField(name="secret", hidden=True),
            TextField(name="collectionName"),  # overridden by the collection's own name
        ],
    )


def _auth() -> Collection:
    return Collection(
        id="pbc_auth0000001",
        name="members",
        type="auth",
        fields=[
            TextField(name="id", primaryKey=True, system=True),
            PasswordField(name="password", hidden=True, system=True),
            TextField(name="tokenKey", hidden=True, system=True),
            EmailField(name="email", system=True),
            BoolField(name="emailVisibility", system=True),
            BoolField(name="verified", system=True),
            PasswordField(name="pin"),
            TextField(name="note", hidden=True),
        ],
    )


RECORDS: list[dict[str, Any]] = [
    {"id": "r1", "zeta": "z", "alpha": 3, "flag": True, "tags": ["a"], "data": {"k": 1}, "secret": "s"},
    {"id": "r2"},  # missing keys take the empty values
    {
        "id": "u1",
        "password": "$2a$hash",
        "tokenKey": "tk",
        "email": "a@b.co",
        "emailVisibility": False,
        "verified": True,
        "pin": "$2a$pinhash",
        "note": "n",
    },
    {"id": "u2", "email": "c@d.co", "emailVisibility": True},
]


@pytest.mark.parametrize("make", [_base, _auth])
@pytest.mark.parametrize("show_hidden", [False, True])
@pytest.mark.parametrize("show_email", [False, True])
@pytest.mark.parametrize("expand", [None, {}, {"rel": {"id": "x"}}])
def test_to_api_matches_the_field_by_field_serialisation(
    make: Any, show_hidden: bool, show_email: bool, expand: dict[str, Any] | None
) -> None:
    collection = make()
    for record in RECORDS:
        got = record_to_api(collection, record, show_hidden=show_hidden, show_email=show_email, expand=expand)
        want = reference_to_api(
            collection, record, show_hidden=show_hidden, show_email=show_email, expand=expand
        )
        assert got == want
        assert list(got) == list(want)  # same key order in the JSON


ROWS: list[dict[str, Any]] = [
    {
        "id": "r1",
        "zeta": 5,
        "alpha": "12",
        "flag": 1,
        "tags": '["a","b","a"]',
        "data": '{"k": 1}',
        "secret": None,
        "collectionName": "",
    },
    {"id": "r2", "zeta": b"bytes", "alpha": 1.5, "flag": "t", "tags": "b", "data": None},
    {"id": "r3"},
    {"id": "u1", "password": "$2a$hash", "pin": 7, "email": "a@b.co", "emailVisibility": 0},
]


@pytest.mark.parametrize("make", [_base, _auth])
def test_row_decoding_matches_the_field_by_field_decoding(make: Any) -> None:
    collection = make()
    for row in ROWS:
        assert row_to_record(collection, row) == reference_row_to_record(collection, row)


@pytest.mark.parametrize("make", [_base, _auth])
def test_query_records_decodes_tuples_like_row_dicts(make: Any) -> None:
    collection = make()
    conn = apsw.Connection(":memory:")
    names = [f.name for f in collection.fields][:5]  # some columns missing from the result
    conn.execute(f"CREATE TABLE t ({', '.join(f'`{n}`' for n in names)})")
    for row in ROWS:
        values = [row.get(n) for n in names]
        conn.execute(f"INSERT INTO t VALUES ({', '.join('?' * len(names))})", values)
    got = query_records(conn, collection, "SELECT * FROM t ORDER BY rowid")
    rows = [dict(zip(names, r, strict=True)) for r in conn.execute("SELECT * FROM t ORDER BY rowid")]
    assert got == [reference_row_to_record(collection, r) for r in rows]
    assert query_records(conn, collection, "SELECT * FROM t WHERE 0") == []


def test_a_collection_changed_in_place_gets_a_new_plan() -> None:
    collection = _base()
    record = {"id": "r1", "secret": "s", "extra": "e"}
    first = plan_for(collection)
    assert plan_for(collection) is first
    assert "secret" not in record_to_api(collection, record)

    collection.fields[6].hidden = False
    assert record_to_api(collection, record)["secret"] == "s"

    extra: Field = TextField(name="extra")
    collection.fields.append(extra)
    assert record_to_api(collection, record)["extra"] == "e"
    assert row_to_record(collection, {"extra": "x"})["extra"] == "x"

    collection.name = "renamed"
    assert record_to_api(collection, record)["collectionName"] == "renamed"
    assert plan_for(collection) is not first


def test_field_options_are_read_when_decoding() -> None:
    collection = _base()
    tags = collection.fields[4]
    assert isinstance(tags, SelectField)
    assert row_to_record(collection, {"tags": '["a","b"]'})["tags"] == ["a", "b"]
    tags.maxSelect = 1  # not part of the shape: the field's own from_db reads it
    assert row_to_record(collection, {"tags": '["a","b"]'})["tags"] == "b"


RAW_VALUES: list[Any] = [
    None,
    "",
    "abc",
    "1",
    "true",
    0,
    1,
    2,
    -5,
    2**53,
    -(2**53),
    2**53 + 1,
    2**63 - 1,
    1.0,
    1.5,
    1e21,
    float("inf"),
    b"bytes",
    "2024-01-01 00:00:00.000Z",
    "2024-02-30 00:00:00.000Z",
    "2024-01-01",
    '["a","b","a"]',
    "[1,2]",
    '{"k": 1}',
]


@pytest.mark.parametrize("field_type", sorted(FIELD_TYPES))
def test_every_field_type_decodes_like_its_from_db(field_type: str) -> None:
    f = FIELD_TYPES[field_type](name="x")
    collection = Collection(id="pbc_types0000001", name="types", fields=[f])
    for raw in RAW_VALUES:
        got = row_to_record(collection, {"x": raw})["x"]
        want = reference_row_to_record(collection, {"x": raw})["x"]
        assert got == want and type(got) is type(want), (field_type, raw, got, want)


@pytest.mark.parametrize("show_hidden", [False, True])
@pytest.mark.parametrize("drop", [0, 4])
def test_rows_straight_to_api_records_match_decode_then_serialise(show_hidden: bool, drop: int) -> None:
    collection = _base()
    conn = apsw.Connection(":memory:")
    names = [f.name for f in collection.fields]
    names = names[: len(names) - drop]  # the last columns missing from the result
    conn.execute(f"CREATE TABLE t ({', '.join(f'`{n}`' for n in names)})")
    for row in ROWS:
        conn.execute(f"INSERT INTO t VALUES ({', '.join('?' * len(names))})", [row.get(n) for n in names])
    rows = query_rows(conn, collection, "SELECT * FROM t ORDER BY rowid")
    got = rows.api_records(show_hidden)
    want = [record_to_api(collection, r, show_hidden=show_hidden) for r in rows.records()]
    assert got == want
    assert got is not None and [list(r) for r in got] == [list(r) for r in want]
    # Each missing column gets its own empty value (a list must not be shared between records).
    if drop and got and isinstance(got[0].get("tags"), list):
        assert got[0]["tags"] is not got[1]["tags"]


def test_auth_rows_are_not_decoded_straight_to_api_records() -> None:
    collection = _auth()
    conn = apsw.Connection(":memory:")
    conn.execute("CREATE TABLE t (id, email, emailVisibility)")
    conn.execute("INSERT INTO t VALUES ('u1', 'a@b.co', 0)")
    assert query_rows(conn, collection, "SELECT * FROM t").api_records(False) is None


@pytest.mark.parametrize("field_type", sorted(FIELD_TYPES))
def test_every_field_type_decodes_from_result_tuples_like_its_from_db(field_type: str) -> None:
    # The generated decoders (records._rowcode) write each type's common case inline.
    f = FIELD_TYPES[field_type](name="x")
    collection = Collection(id="pbc_types0000001", name="types", fields=[TextField(name="id"), f])
    conn = apsw.Connection(":memory:")
    conn.execute("CREATE TABLE t (id, x)")
    for raw in RAW_VALUES:
        conn.execute("INSERT INTO t VALUES ('r', ?)", [raw])
    rows = query_rows(conn, collection, "SELECT * FROM t ORDER BY rowid")
    stored = [r[0] for r in conn.execute("SELECT x FROM t ORDER BY rowid")]
    want = [reference_row_to_record(collection, {"id": "r", "x": raw})["x"] for raw in stored]
    for _ in range(2):  # the second time, with the caches of dates and string lists filled
        got = [r["x"] for r in rows.records()]
        assert got == want and [type(g) for g in got] == [type(w) for w in want], field_type
        api = rows.api_records(True)
        assert api is not None
        assert api == [record_to_api(collection, r, show_hidden=True) for r in rows.records()]


def test_decoded_lists_are_never_shared_between_records() -> None:
    collection = _base()
    conn = apsw.Connection(":memory:")
    conn.execute("CREATE TABLE t (id, tags)")
    conn.execute("""INSERT INTO t VALUES ('r1', '["a","b"]'), ('r2', '["a","b"]')""")
    first, second = query_rows(conn, collection, "SELECT * FROM t").records()
    first["tags"].append("c")
    assert second["tags"] == ["a", "b"]
    assert query_rows(conn, collection, "SELECT * FROM t").records()[0]["tags"] == ["a", "b"]


def test_generated_decoders_take_any_key() -> None:
    from palapy.records._rowcode import Column, Constant, Factory, compile_decoder

    decode = compile_decoder(
        [("a'b\"\\", Column(1, "text", str)), ("n", Factory(list)), ("k", Constant({"x": 1}))], width=2
    )
    assert decode((0, "v")) == {"a'b\"\\": "v", "n": [], "k": {"x": 1}}
    with pytest.raises(ValueError):
        compile_decoder([("a", Column(2, "text", str))], width=2)
