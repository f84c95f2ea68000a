"""Record field paths of the filter language, resolved into SQL over joined aliases.

One runner (`_Run`) walks an identifier: plain fields, relations and back-relations,
`@collection.*`, JSON paths, modifiers, and the `@request.*` values (static values are bound
parameters; `@request.auth.<other>` joins the auth record's table, `@request.body.rel.x` the
submitted relation ids).

The naming of aliases follows PocketBase (`posts_author`, `__je_...`, `__collection_users`,
`__auth_users`, `__mm_...` for the "all must match" subqueries), because two mentions of
the same path must share one join: `likers.name ?= 'a' && likers.name ?= 'b'` needs a
single liker named both, exactly as in PocketBase.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from palapy.rules.record_scope import RecordScope
from palapy.rules.request_info import RequestInfo
from palapy.rules.request_values import MissingValue, as_list, extract, request_values, to_param_value
from palapy.schema.fields import Field, RelationField
from palapy.schema.model import Collection
from palapy.search.compiler import compile_text
from palapy.search.operand import Join, MultiMatch, NullFallback, Operand, ResolveError
from palapy.search.sql import (
    Param,
    Sql,
    col,
    columnify,
    ident,
    json_array_length,
    json_each,
    json_extract,
)
from palapy.tools.gocast import go_json, go_quote, go_string, parse_go_float, parse_go_int, unique_strings

__all__ = ["Resolver", "split_modifier", "MULTI_VALUER_TYPES", "MAX_NESTED_RELS", "PLAIN_AUTH_FIELDS"]

MAX_NESTED_RELS = 6
MULTI_VALUER_TYPES = frozenset({"select", "relation", "file"})
MODIFIERS = frozenset({"each", "isset", "length", "lower", "changed"})

_ALLOWED = tuple(
    re.compile(p, re.ASCII)
    for p in (
        r"\w+[\w.:]*",
        r"@request\.context",
        r"@request\.method",
        r"@request\.auth\.[\w.:]*\w+",
        r"@request\.body\.[\w.:]*\w+",
        r"@request\.query\.[\w.:]*\w+",
        r"@request\.headers\.[\w.:]*\w+",
        r"@collection\.\w+(:\w+)?\.[\w.:]*\w+",
    )
)
_VIA = re.compile(r"(\w+)_via_(\w+)", re.ASCII)
_UNIQUE_INDEX = re.compile(
    r"^\s*create\s+unique\s+index\s.*?\son\s+\S+?\s*\((.*)\)", re.IGNORECASE | re.DOTALL
)


def split_modifier(combined: str) -> tuple[str, str]:
    """`name:modifier` into its parts; a single `:` with an unknown modifier is an error."""
    parts = combined.split(":")
    if len(parts) != 2:
        return combined, ""
    if parts[1] in MODIFIERS:
        return parts[0], parts[1]
    raise ResolveError(f"unknown modifier in {go_quote(combined)}")


def has_single_column_unique_index(indexes: list[str], column: str) -> bool:
    """True when one UNIQUE index covers exactly `column` (WHERE clauses ignored)."""
    for idx in indexes:
        m = _UNIQUE_INDEX.match(idx)
        if not m:
            continue
        cols = [c.strip() for c in m.group(1).split(",") if c.strip()]
        if len(cols) != 1:
            continue
        name = re.split(r"\s+collate\s+|\s+(?:asc|desc)\s*$", cols[0], flags=re.IGNORECASE)[0].strip()
        if name.strip("`\"[]'").lower() == column.lower():
            return True
    return False


class Resolver:
    """Resolves identifiers for one filter text against a base collection aliased `base_alias`.

    `allow_hidden` is True for API rules and superusers; otherwise hidden fields are refused
    and every joined collection needs a non-null listRule (which the scope then applies).
    `suffix` makes the aliases of a joined collection's own listRule unique.
    """

    def __init__(
        self,
        scope: RecordScope,
        base: Collection,
        base_alias: str,
        *,
        allow_hidden: bool,
        suffix: str = "",
    ) -> None:
        self.scope = scope
        self.base = base
        self.base_alias = base_alias
        self.allow_hidden = allow_hidden
        self.suffix = suffix
        self._static: dict[str, Any] | None = None

    def load_collection(self, name_or_id: str) -> Collection | None:
        if name_or_id in (self.base.name, self.base.id):
            return self.base
        return self.scope.registry.find(name_or_id)

    def register_join(self, table: Sql, alias: str, on: Sql | None = None) -> None:
        self.scope.add_join(Join(table, alias, on), check_rules=not self.allow_hidden)

    def static_info(self) -> dict[str, Any]:
        """The `@request.*` values as a nested mapping."""
        if self._static is None:
            self._static = request_values(self.scope.request)
        return self._static

    def resolve(self, name: str) -> Operand:
        """Resolve one identifier; raises ResolveError with PocketBase's raw message."""
        return _Run(self, name).run()


class _Run:
    """The state of resolving one identifier (PocketBase's "runner")."""

    def __init__(self, res: Resolver, name: str) -> None:
        self.res = res
        self.name = name
        self.props = name.split(".")
        self.collection = res.base
        self.alias = res.base_alias
        # Missing fields inside @request.* paths resolve to NULL instead of failing.
        self.nullify = self.props[0] == "@request"
        self.multi = MultiMatch(
            target_alias=self.alias, from_table=res.base.name, from_alias="__mm_" + self.alias
        )
        self.mm_alias = self.multi.from_alias
        self.with_multi = False

    def null_or(self, message: str) -> Operand:
        if self.nullify:
            return Operand.raw("NULL")
        raise ResolveError(message)

    def run(self) -> Operand:
        if not any(p.fullmatch(self.name) for p in _ALLOWED):
            raise ResolveError(f"failed to resolve field {go_quote(self.name)}")
        if self.props[0] == "@collection":
            return self.process_collection_field()
        if self.props[0] == "@request":
            return _resolve_request_field(self)
        return self.process_active_props()

    def process_collection_field(self) -> Operand:
        if len(self.props) < 3:
            raise ResolveError(f"invalid @collection field path in {go_quote(self.name)}")
        parts = self.props[1].split(":", 1)
        coll = self.res.load_collection(parts[0])
        if coll is None:
            raise ResolveError(
                f"failed to load collection {go_quote(self.props[1])} from field path {go_quote(self.name)}"
            )
        self.collection = coll
        if len(parts) == 2 and parts[1]:
            self.alias = columnify("__collection_alias_" + parts[1]) + self.res.suffix
        else:
            self.alias = columnify("__collection_" + coll.name) + self.res.suffix
        self.with_multi = True
        self.res.register_join(Sql(ident(coll.name)), self.alias)
        self.mm_alias = "__mm_" + self.alias
        self.multi.joins.append(Join(Sql(ident(coll.name)), self.mm_alias))
        self.props = self.props[2:]
        return self.process_active_props()

    def process_active_props(self) -> Operand:
        total = len(self.props)
        for i, prop in enumerate(self.props):
            coll = self.collection
            if i == total - 1:
                return self.finalize(coll, prop)
            fld = coll.field(prop)
            if fld is not None and fld.hidden and not self.res.allow_hidden:
                raise ResolveError(f"non-filterable field {go_quote(prop)}")
            if fld is not None and fld.type in ("json", "geoPoint"):
                return self._json_path(fld.name, self.props[i + 1 :])
            if i >= MAX_NESTED_RELS:
                raise ResolveError(f"max nested relations reached for field {go_quote(prop)}")
            if fld is None:
                back = self._back_relation(coll, prop)
                if back is not None:
                    return back
                continue
            if not isinstance(fld, RelationField):
                raise ResolveError(f"field {go_quote(prop)} is not a valid relation")
            rel_coll = self.res.load_collection(fld.collectionId)
            if rel_coll is None:
                raise ResolveError(f"failed to load field {go_quote(prop)} collection")
            # `singleRel.id` is the relation column itself (no join).
            if not fld.is_multiple() and i == total - 2 and self.props[i + 1] == "id":
                return self.finalize(coll, fld.name)
            self._join_relation(fld, rel_coll)
        raise ResolveError(f"failed to resolve field {go_quote(self.name)}")

    def _json_path(self, field_name: str, rest: list[str]) -> Operand:
        # An empty segment (`meta..0`) adds nothing, as in PocketBase; a path SQLite rejects
        # (`meta.a..b`) fails when the query runs (a 400 for lists).
        path: list[str] = []
        for j, p in enumerate(rest):
            clean = columnify(p)
            if parse_go_int(p) is not None:  # strconv.Atoi succeeds: an array index
                path.append(f"[{clean}]")
            else:
                path.append(("." if j > 0 else "") + clean)
        text = "".join(path)
        result = Operand(json_extract(col(self.alias, field_name), text), NullFallback.DISABLED)
        if self.with_multi:
            self.multi.value = json_extract(col(self.mm_alias, field_name), text)
            result.multi = self.multi
        return result

    def _join_relation(self, fld: RelationField, rel_coll: Collection) -> None:
        name = columnify(fld.name)
        multiple = fld.is_multiple()
        new_alias = f"{self.alias}_{name}{self.res.suffix}"
        if not multiple:
            self.res.register_join(
                Sql(ident(rel_coll.name)), new_alias, Sql(col(new_alias, "id"), " = ", col(self.alias, name))
            )
        else:
            je = "__je_" + new_alias
            self.res.register_join(json_each(col(self.alias, name)), je)
            self.res.register_join(
                Sql(ident(rel_coll.name)), new_alias, Sql(col(new_alias, "id"), " = ", col(je, "value"))
            )
        self.collection = rel_coll
        self.alias = new_alias
        if multiple:
            self.with_multi = True
        mm_new = f"{self.mm_alias}_{name}"
        if not multiple:
            on = Sql(col(mm_new, "id"), " = ", col(self.mm_alias, name))
            self.multi.joins.append(Join(Sql(ident(rel_coll.name)), mm_new, on))
        else:
            je2 = f"{self.mm_alias}_{name}_je"
            self.multi.joins.append(Join(json_each(col(self.mm_alias, name)), je2))
            self.multi.joins.append(
                Join(Sql(ident(rel_coll.name)), mm_new, Sql(col(mm_new, "id"), " = ", col(je2, "value")))
            )
        self.mm_alias = mm_new

    def _back_relation(self, coll: Collection, prop: str) -> Operand | None:
        """Join `coll_via_field`; returns an Operand only for the NULL fallbacks."""
        m = _VIA.fullmatch(prop)
        if not m:
            return self.null_or(f"failed to resolve field {go_quote(prop)}")
        back_coll = self.res.load_collection(m.group(1))
        if back_coll is None:
            return self.null_or(f"failed to load back relation field {go_quote(prop)} collection")
        back_field = back_coll.field(m.group(2))
        if back_field is None:
            return self.null_or(f"missing back relation field {go_quote(m.group(2))}")
        if not isinstance(back_field, RelationField):
            return self.null_or(f"invalid back relation field {go_quote(m.group(2))}")
        if back_field.hidden and not self.res.allow_hidden:
            raise ResolveError(f"non-filterable back relation field {go_quote(back_field.name)}")
        if back_field.collectionId != coll.id:
            return self.null_or(
                f"invalid collection reference of a back relation field {go_quote(back_field.name)}"
            )
        clean_prop = columnify(prop)
        fname = columnify(back_field.name)
        multiple = back_field.is_multiple()
        new_alias = f"{self.alias}_{clean_prop}{self.res.suffix}"
        table = Sql(ident(back_coll.name))
        self.res.register_join(table, new_alias, self._back_on(new_alias, fname, self.alias, multiple))
        self.collection = back_coll
        self.alias = new_alias
        if multiple:
            self.with_multi = True
        elif not self.with_multi:
            self.with_multi = not has_single_column_unique_index(back_coll.indexes, back_field.name)
        mm_new = f"{self.mm_alias}_{clean_prop}{self.res.suffix}"
        self.multi.joins.append(Join(table, mm_new, self._back_on(mm_new, fname, self.mm_alias, multiple)))
        self.mm_alias = mm_new
        return None

    @staticmethod
    def _back_on(new_alias: str, fname: str, cur_alias: str, multiple: bool) -> Sql:
        if not multiple:
            return Sql(col(new_alias, fname), " = ", col(cur_alias, "id"))
        je = "__je_" + new_alias
        return Sql(
            col(cur_alias, "id"),
            " IN (SELECT ",
            col(je, "value"),
            " FROM ",
            json_each(col(new_alias, fname)),
            " ",
            ident(je),
            ")",
        )

    def finalize(self, coll: Collection, prop: str) -> Operand:
        name, modifier = split_modifier(prop)
        fld = coll.field(name)
        if fld is None:
            return self.null_or(f"unknown field {go_quote(name)}")
        if fld.hidden and not self.res.allow_hidden:
            raise ResolveError(f"non-filterable field {go_quote(name)}")
        multivaluer = fld.type in MULTI_VALUER_TYPES
        cname = columnify(fld.name)
        column = col(self.alias, cname)
        if modifier == "length" and multivaluer:
            result = Operand(json_array_length(column))
            if self.with_multi:
                self.multi.value = json_array_length(col(self.mm_alias, cname))
                result.multi = self.multi
            return result
        if modifier == "each" and multivaluer:
            return self._each(cname, fld.is_multiple())
        result = Operand(column)
        if self.with_multi:
            self.multi.value = col(self.mm_alias, cname)
            result.multi = self.multi
        if fld.name == "email" and not self.res.allow_hidden and coll.is_auth:
            result.after = _email_visible(self.alias)
        if fld.type == "json":
            result.null_fallback = NullFallback.DISABLED
            result.sql = json_extract(column, "")
            if self.with_multi:
                self.multi.value = json_extract(col(self.mm_alias, cname), "")
        if modifier == "lower":
            result.sql = Sql("LOWER(", result.sql, ")")
            if self.with_multi:
                self.multi.value = Sql("LOWER(", self.multi.value, ")")
        return result

    def _each(self, cname: str, multiple: bool) -> Operand:
        je = f"__je_{self.alias}_{cname}{self.res.suffix}"
        self.res.register_join(json_each(col(self.alias, cname)), je)
        result = Operand(col(je, "value"))
        if multiple:
            self.with_multi = True
        if self.with_multi:
            je2 = f"__je_{self.mm_alias}_{cname}{self.res.suffix}"
            self.multi.joins.append(Join(json_each(col(self.mm_alias, cname)), je2))
            self.multi.value = col(je2, "value")
            result.multi = self.multi
        return result


def _email_visible(alias: str) -> Callable[[Sql], Sql]:
    """Non-superusers match an auth record's email only when it is public."""

    def wrap(expr: Sql) -> Sql:
        return Sql("((", expr, ") AND (", col(alias, "emailVisibility"), " = TRUE))")

    return wrap


# -- @request.* identifiers ------------------------------------------------------------
# Read from the request itself; every other @request.auth.* field joins the auth table.
PLAIN_AUTH_FIELDS = frozenset(
    "@request.auth." + f
    for f in ("id", "collectionId", "collectionName", "email", "emailVisibility", "verified")
)


def _resolve_static(run: _Run, path: list[str]) -> Operand:
    """A value read from the request (`path` without the leading "@request")."""
    last, modifier = split_modifier(path[-1])
    path = [*path[:-1], last]
    try:
        value: Any = extract(run.res.static_info(), path)
        missing = False
    except MissingValue:
        value, missing = None, True
    if modifier == "isset":
        return Operand.raw("FALSE" if missing else "TRUE")
    if isinstance(value, str):
        # Multipart bodies send numbers as text: cast for number fields of the base collection.
        fld = run.res.base.field(path[-1])
        if fld is not None and fld.type == "number":
            parsed = parse_go_float(value)
            if parsed is not None:
                value = parsed
    elif value is not None and not isinstance(value, (bool, int, float)):
        value = go_json(value) if isinstance(value, (dict, list, tuple)) else go_string(value)
    if modifier and modifier != "lower":
        raise ResolveError(f"invalid modifier sequence {last}:{modifier}")
    if value is None:
        return Operand.raw("NULL")
    if modifier == "lower":
        return Operand(Sql("LOWER(", Param(to_param_value(value)), ")"))
    return Operand(Sql(Param(to_param_value(value))))


def _resolve_request_field(run: _Run) -> Operand:
    """Any `@request.*` identifier."""
    request = run.res.scope.request
    if request is None:
        return Operand.raw("NULL")
    if run.name.startswith("@request.auth."):
        return _auth_field(run, request)
    props = run.props
    if run.name.startswith("@request.body.") and len(props) > 2:
        name, modifier = split_modifier(props[2])
        fld = run.res.base.field(name)
        if fld is None:
            return _resolve_static(run, props[1:])
        if isinstance(fld, RelationField) and len(props) > 3:
            return _body_relation(run, fld, request)
        if len(props) == 3:
            body = request.body or {}
            if modifier == "each":
                return _body_each(run, fld, body)
            if modifier == "length":
                _require_multi(fld)
                return Operand.raw(str(len(as_list(body.get(fld.name)))))
            if modifier == "lower":
                return Operand(Sql("LOWER(", Param(go_string(body.get(fld.name))), ")"))
            if modifier == "changed":
                return _body_changed(run, fld)
    return _resolve_static(run, props[1:])


def _require_multi(fld: Field) -> None:
    if fld.type not in MULTI_VALUER_TYPES:
        raise ResolveError(f"field {go_quote(fld.name)} doesn't support multivalue operations")


def _auth_field(run: _Run, request: RequestInfo) -> Operand:
    if request.auth is None or request.auth_collection is None:
        return Operand.raw("NULL")
    if run.name in PLAIN_AUTH_FIELDS:
        return _resolve_static(run, run.props[1:])
    coll = request.auth_collection
    auth_id = request.auth.get("id", "")
    run.collection = coll
    run.alias = "__auth_" + columnify(coll.name) + run.res.suffix
    run.res.register_join(Sql(ident(coll.name)), run.alias, Sql(col(run.alias, "id"), " = ", Param(auth_id)))
    run.mm_alias = "__mm_" + run.alias
    run.multi.joins.append(
        Join(Sql(ident(coll.name)), run.mm_alias, Sql(col(run.mm_alias, "id"), " = ", Param(auth_id)))
    )
    run.props = run.props[2:]
    return run.process_active_props()


def _body_each(run: _Run, fld: Field, body: dict[str, Any]) -> Operand:
    _require_multi(fld)
    raw = go_json(as_list(body.get(fld.name)))
    je = "__dataEach_je_" + columnify(fld.name) + run.res.suffix
    run.res.register_join(Sql("json_each(", Param(raw), ")"), je)
    # PocketBase attaches the JSON to the operand itself: it counts as a (non-empty) param.
    result = Operand(col(je, "value"), phantom=(raw,))
    if fld.is_multiple():
        run.with_multi = True
    if run.with_multi:
        je2 = "__mm_" + je
        run.multi.joins.append(Join(Sql("json_each(", Param(raw), ")"), je2))
        run.multi.value = col(je2, "value")
        result.multi = run.multi
    return result


def _body_changed(run: _Run, fld: Field) -> Operand:
    """`@request.body.f:changed` = `(@request.body.f:isset = true && @request.body.f != f)`."""
    n = fld.name
    expr = compile_text(f"@request.body.{n}:isset = true && @request.body.{n} != {n}", run.res)
    return Operand(expr, NullFallback.DISABLED)


def _body_relation(run: _Run, fld: RelationField, request: RequestInfo) -> Operand:
    rel_coll = run.res.load_collection(fld.collectionId)
    if rel_coll is None:
        raise ResolveError(
            f"failed to load collection {go_quote(fld.collectionId)} from data field {go_quote(fld.name)}"
        )
    ids = unique_strings((request.body or {}).get(fld.name)) if request.body else []
    if not ids:
        return Operand.raw("NULL")
    run.collection = rel_coll
    run.alias = columnify(f"__data_{rel_coll.name}_{fld.name}") + run.res.suffix
    id_list = Sql.join(", ", [Param(i) for i in ids])
    run.res.register_join(
        Sql(ident(rel_coll.name)), run.alias, Sql(col(run.alias, "id"), " IN (", id_list, ")")
    )
    if fld.is_multiple():
        run.with_multi = True
    run.mm_alias = "__mm_" + run.alias
    run.multi.joins.append(
        Join(Sql(ident(rel_coll.name)), run.mm_alias, Sql(col(run.mm_alias, "id"), " IN (", id_list, ")"))
    )
    run.props = run.props[3:]
    return run.process_active_props()
