"""View collections: the fields PocketBase infers from a view query, and the dry run.

PocketBase reads the SELECT list loosely (no real SQL parser): each column is `expr`,
`expr alias` or `expr AS alias`; `table.column` and bare `column` are looked up in the FROM/JOIN
collections. The column types come from SQLite (`PRAGMA table_info` of a temporary view), so the
field list follows the view's real columns:

- `id` is a text primary key; a source `... .id` column becomes a single relation to its collection;
- a column of a known collection field is a clone of that field (id `_clone_` + 4 random chars);
- `count(...)` is an integer number, `total(...)` a number, `cast(x as int|real|text|bool)` the cast type;
- anything else is a `json` field with `maxSize` 1.

All functions take a connection inside a write transaction: they create and drop temporary views.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from typing import Any

import apsw

from palapy.collections.scaffolds import DEFAULT_ID_PATTERN, add_field
from palapy.db.connection import query_all, quote_ident
from palapy.schema.fields import (
    BoolField,
    Field,
    JSONField,
    NumberField,
    RelationField,
    SettingsContext,
    TextField,
)
from palapy.schema.model import Collection
from palapy.schema.tables import ViewQueryError, normalize_view_query, sqlite_error_text
from palapy.tools.ids import collection_id, random_string
from palapy.tools.tokenizer import tokenize

__all__ = [
    "ViewQueryError",
    "parse_identifiers",
    "create_view_fields",
    "dry_run_view",
    "ViewDryRun",
    "view_query_with_text_id",
    "MSG_MISSING_ID",
]

MSG_MISSING_ID = (
    "missing required id column (you can use `(ROW_NUMBER() OVER()) as id` if you don't have one)"
)
MSG_WILDCARD = "wildcard columns (*) are not supported - manually type the collection field names you want the view query to have"

_JOIN_RE = re.compile(
    r"\s+(full\s+outer\s+join|left\s+outer\s+join|right\s+outer\s+join|full\s+join|cross\s+join|inner\s+join"
    r"|outer\s+join|left\s+join|right\s+join|join)\s+?",
    re.IGNORECASE | re.MULTILINE,
)
_DISCARD_RE = re.compile(r"\s+(where|group\s+by|having|order|limit|with)\s+?", re.IGNORECASE | re.MULTILINE)
_COMMENTS_RE = re.compile(r"(/\*[\s\S]*?\*/)|(--.+$)", re.MULTILINE)
_CAST_RE = re.compile(r"^cast\s*\(.*\s+as\s+(\w+)\s*\)$", re.IGNORECASE | re.DOTALL)


@dataclass
class Identifier:
    """A column or table reference: what was written and the name it is known by."""

    original: str
    alias: str


def _trim_identifier(raw: str, extra: str = "") -> str:
    chars = '`"[];' + extra
    return ".".join(part.strip(chars) for part in raw.split("."))


def _identifier(parts: list[str]) -> Identifier:
    if len(parts) == 3:
        if parts[1].lower() != "as":
            raise ValueError(f'invalid identifier part - expected "as", got {parts[1]}')
        original, alias = parts[0], parts[2]
    elif len(parts) == 2:
        original, alias = parts
    elif len(parts) == 1:
        original, alias = parts[0], parts[0].split(".")[-1]
    else:
        raise ValueError(f"invalid identifier parts [{' '.join(parts)}]")
    return Identifier(_trim_identifier(original), _trim_identifier(alias, "'"))


def _extract(raw: str) -> list[Identifier]:
    return [_identifier(tokenize(item, " \n\t")) for item in tokenize(raw, ",")]


def parse_identifiers(query: str) -> tuple[list[Identifier], list[Identifier]]:
    """The (columns, tables) of a SELECT, read the loose way PocketBase reads them."""
    text = query.strip().strip(";")
    text = _COMMENTS_RE.sub(" ", text)
    text = _JOIN_RE.sub(" __pb_join__ ", text)
    text = _DISCARD_RE.sub(" __pb_discard__ ", text)
    parts: dict[str, list[str]] = {"select": [], "from": [], "join": []}
    active: list[str] | None = None
    part_type, skip = "", False
    for token in tokenize(text, ", \n\t", keep_separator=True):
        word = token.strip().lower()
        if word in ("select", "from"):
            skip, part_type, active = False, word, parts[word]
        elif word == "distinct":
            continue
        elif word == "__pb_join__":
            skip = False
            if part_type == "join":
                parts["join"].append(",")
            part_type, active = "join", parts["join"]
        elif word == "__pb_discard__":
            skip = True
        else:
            if part_type == "join" and word == "on":
                skip = True
            if not skip and active is not None:
                active.append(" " + token)
    columns = _extract("".join(parts["select"]))
    tables = _extract("".join(parts["from"])) + _extract("".join(parts["join"]))
    return columns, tables


# -- inference -------------------------------------------------------------------------------


def _default_id_field() -> TextField:
    return TextField(
        name="id",
        system=True,
        required=True,
        primaryKey=True,
        pattern=DEFAULT_ID_PATTERN,
        autogeneratePattern="",
        min=0,
        max=0,
    )


def _default_field(name: str) -> Field:
    if name == "id":
        return _default_id_field()
    return JSONField(name=name, maxSize=1)


def _cast_field(expression: str, name: str) -> Field | None:
    lower = expression.lower()
    if lower.startswith("count("):
        return NumberField(name=name, onlyInt=True)
    if lower.startswith("total("):
        return NumberField(name=name)
    m = _CAST_RE.match(lower)
    if not m:
        return None
    kind = m.group(1)
    if kind in ("real", "decimal", "numeric"):
        return NumberField(name=name)
    if kind in ("int", "integer"):
        return NumberField(name=name, onlyInt=True)
    if kind == "text":
        return TextField(name=name)
    if kind in ("boolean", "bool"):
        return BoolField(name=name)
    return None


def _suggested_fields(query: str, collections: list[Collection]) -> dict[str, Field]:
    """Column alias -> the field PocketBase suggests for it (before SQLite confirms the columns)."""
    columns, tables = parse_identifiers(query)
    by_alias: dict[str, Collection] = {}
    for table in tables:
        if "(" in table.alias:
            continue
        for c in collections:
            if c.name == table.original:  # exact case, like SQL `name IN (...)`
                by_alias[table.alias] = c
    main_alias = tables[0].alias if tables else ""
    out: dict[str, Field] = {}
    for col in columns:
        if col.alias == "*":
            raise ViewQueryError(MSG_WILDCARD)
        if col.alias == "id":
            out[col.alias] = _default_id_field()
            continue
        cast = _cast_field(col.original, col.alias)
        if cast is not None:
            out[col.alias] = cast
            continue
        segments = col.original.split(".")
        if len(segments) == 2:
            field_name, collection = segments[1], by_alias.get(segments[0])
        else:
            field_name, collection = segments[0], by_alias.get(main_alias)
        source = None
        if collection is not None:
            source = next((f for f in collection.fields if f.name.lower() == field_name.lower()), None)
        if collection is None or source is None:
            out[col.alias] = _default_field(col.alias)
        elif field_name.lower() == "id":
            out[col.alias] = RelationField(name=col.alias, maxSelect=1, collectionId=collection.id)
        else:
            clone = copy.deepcopy(source)
            clone.id = "_clone_" + random_string(4)
            clone.name = col.alias
            out[col.alias] = clone
    return out


def _query_columns(conn: apsw.Connection, query: str) -> list[dict[str, Any]]:
    """`PRAGMA table_info` of the query, through a temporary view (SQL errors -> ViewQueryError)."""
    query = normalize_view_query(query)
    temp = quote_ident("_temp_" + random_string(6))
    try:
        conn.execute(f"CREATE VIEW {temp} AS SELECT * FROM ({query})")
        return query_all(conn, f"PRAGMA table_info({temp})")
    except apsw.Error as exc:
        raise ViewQueryError(sqlite_error_text(exc)) from exc
    finally:
        conn.execute(f"DROP VIEW IF EXISTS {temp}")


def create_view_fields(
    conn: apsw.Connection, collections: list[Collection], query: str
) -> tuple[list[Field], str | None]:
    """The fields of a view query, and the error text when the query is unusable.

    Like PocketBase, a query without an `id` column still returns its other fields.
    """
    fields: list[Field] = []
    try:
        suggested = _suggested_fields(query, collections)
        info = _query_columns(conn, query)
    except (ViewQueryError, ValueError) as exc:
        return [], str(exc)
    has_id = False
    for row in info:
        name = str(row["name"])
        has_id = has_id or name == "id"
        field = suggested.get(name)
        add_field(fields, copy.deepcopy(field) if field is not None else _default_field(name))
    return fields, None if has_id else MSG_MISSING_ID


def view_query_with_text_id(conn: apsw.Connection, query: str) -> str:
    """Wrap the query so that its `id` column is TEXT (record ids are strings), if needed."""
    query = query.strip().strip(";")
    for row in _query_columns(conn, query):
        if str(row["name"]).lower() == "id" and str(row["type"]).upper() == "TEXT":
            return query
    columns, _ = parse_identifiers(query)
    selected = [
        f"CAST({quote_ident(c.alias)} as TEXT) {quote_ident(c.alias)}"
        if c.alias == "id"
        else quote_ident(c.alias)
        for c in columns
    ]
    return f"SELECT {','.join(selected)} FROM ({query})"


def _settings_error_text(errors: dict[str, Any]) -> str:
    return "; ".join(
        f"{k}: {v.get('message', v) if isinstance(v, dict) else v}" for k, v in sorted(errors.items())
    )


@dataclass(frozen=True)
class ViewDryRun:
    """What a view query gives without saving it: its fields, a stand-in view collection with
    those fields, and up to `sample_size` of its rows as SQLite returned them."""

    fields: list[Field]
    collection: Collection
    rows: list[dict[str, Any]]


def dry_run_view(
    conn: apsw.Connection, collections: list[Collection], query: str, sample_size: int = 10
) -> ViewDryRun:
    """Check a view query as a save would (fields, their settings, unique non-empty ids) and
    read a sample of its rows; raises ViewQueryError."""
    query = normalize_view_query(query)
    fields, error = create_view_fields(conn, collections, query)
    if error:
        raise ViewQueryError(error)
    temp_name = "temp_view_" + random_string(5)
    temp = Collection(id=collection_id("view", temp_name), name=temp_name, type="view", fields=fields)
    temp.options = {"viewQuery": query}
    by_key = {c.id: c for c in collections}
    by_key.update({c.name.lower(): c for c in collections})

    def find(key: str) -> Collection | None:
        return by_key.get(key) or by_key.get(key.lower())

    for i, f in enumerate(fields):
        problems = f.validate_settings(SettingsContext(collection=temp, original=None, find_collection=find))
        if problems:
            raise ViewQueryError(f"invalid field {f.name!r} ({i}): {_settings_error_text(problems)}")
    wrapped = view_query_with_text_id(conn, query)
    try:
        rows = query_all(
            conn,
            f"SELECT * FROM (SELECT * FROM ({wrapped})) as {quote_ident(temp_name)} LIMIT ?",
            (sample_size,),
        )
    except apsw.Error as exc:
        raise ViewQueryError(f"failed to retrieve query records: {sqlite_error_text(exc)}") from exc
    seen: set[str] = set()
    for row in rows:
        record_id = row.get("id")
        if not record_id:
            raise ViewQueryError("the query could return records with empty or invalid ids")
        if record_id in seen:
            raise ViewQueryError("the query could return records with non-unique ids")
        seen.add(str(record_id))
    return ViewDryRun(fields, temp, rows)
