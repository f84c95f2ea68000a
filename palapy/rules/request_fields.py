"""`@request.*` identifiers: static request values, body modifiers and auth/body joins.

Static values (`@request.method`, `@request.query.x`, `@request.body.x`, the plain auth
fields...) are always bound parameters. `@request.auth.<other>` joins the auth record's
table; `@request.body.rel.x` joins the submitted relation ids.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from palapy.rules.resolver import MULTI_VALUER_TYPES, columnify, split_modifier
from palapy.schema.fields import Field, RelationField
from palapy.search.operand import Join, NullFallback, Operand, ResolveError
from palapy.search.scope import go_json, to_param_value
from palapy.search.sql import Param, Sql, col, ident
from palapy.tools.gocast import go_quote, go_string, parse_go_float, unique_strings

if TYPE_CHECKING:
    from palapy.rules.request_info import RequestInfo
    from palapy.rules.resolver import _Run

__all__ = ["resolve_request_field", "build_static_info"]

# Read from the request itself; every other @request.auth.* field joins the auth table.
PLAIN_AUTH_FIELDS = frozenset(
    "@request.auth." + f
    for f in ("id", "collectionId", "collectionName", "email", "emailVisibility", "verified")
)


class _Missing(LookupError):
    pass


def build_static_info(request: RequestInfo | None) -> dict[str, Any]:
    """The nested mapping `@request.<path>` reads (auth: every field, hidden ones included)."""
    if request is None:
        return {}
    auth: dict[str, Any] | None = None
    if request.auth is not None:
        auth = dict(request.auth)
        if request.auth_collection is not None:
            auth.setdefault("collectionId", request.auth_collection.id)
            auth.setdefault("collectionName", request.auth_collection.name)
    return {
        "context": request.context,
        "method": request.method,
        "query": dict(request.query),
        "headers": dict(request.headers),
        "body": request.body,
        "auth": auth,
    }


def _extract(data: Any, keys: list[str]) -> Any:
    """Walk maps by key and lists by index; anything else (or a missing key) is _Missing."""
    cur = data
    for key in keys:
        if isinstance(cur, dict):
            if key not in cur:
                raise _Missing(key)
            cur = cur[key]
        elif isinstance(cur, (list, tuple)):
            idx = int(key) if key.isascii() and key.isdigit() else -1
            if idx < 0 or idx >= len(cur):
                raise _Missing(key)
            cur = cur[idx]
        else:
            raise _Missing(key)
    return cur


def _to_slice(value: Any) -> list[Any]:
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        return list(value)
    return [value]


def resolve_static(run: _Run, path: list[str]) -> Operand:
    """A value read from the request (`path` without the leading "@request")."""
    last, modifier = split_modifier(path[-1])
    path = [*path[:-1], last]
    try:
        value: Any = _extract(run.res.static_info(), path)
        missing = False
    except _Missing:
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


def resolve_request_field(run: _Run) -> Operand:
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
            return resolve_static(run, props[1:])
        if isinstance(fld, RelationField) and len(props) > 3:
            return _body_relation(run, fld, request)
        if len(props) == 3:
            body = request.body or {}
            if modifier == "each":
                return _body_each(run, fld, body)
            if modifier == "length":
                _require_multi(fld)
                return Operand.raw(str(len(_to_slice(body.get(fld.name)))))
            if modifier == "lower":
                return Operand(Sql("LOWER(", Param(go_string(body.get(fld.name))), ")"))
            if modifier == "changed":
                return _body_changed(run, fld)
    return resolve_static(run, props[1:])


def _require_multi(fld: Field) -> None:
    if fld.type not in MULTI_VALUER_TYPES:
        raise ResolveError(f"field {go_quote(fld.name)} doesn't support multivalue operations")


def _auth_field(run: _Run, request: RequestInfo) -> Operand:
    if request.auth is None or request.auth_collection is None:
        return Operand.raw("NULL")
    if run.name in PLAIN_AUTH_FIELDS:
        return resolve_static(run, run.props[1:])
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
    raw = go_json(_to_slice(body.get(fld.name)))
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
    from palapy.search.compiler import compile_text

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
