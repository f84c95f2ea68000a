"""The `?fields=` response picker: keep only the listed (dotted) keys of a JSON answer.

Semantics as PocketBase's picker: the list is split by the quote- and parenthesis-aware
tokenizer (unbalanced input is a 400); each entry is `path[:modifier(args)]`, split at its
first `:`, and every modifier is validated up front (a 400 even when the path matches
nothing); a later entry for the same path replaces an earlier one. A key named exactly by an
entry is kept whole (its modifier applied); otherwise the entries under it are picked inside
it: in objects, and in arrays whose first element is an object. `*` keeps every key that no
other entry names, with `*`'s own modifier. Like PocketBase, which round-trips the answer
through Go's JSON decoder first, integers beyond float64 precision come out rounded.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from palapy.tools.errors import bad_request
from palapy.tools.excerpt import make_excerpt
from palapy.tools.gocast import json_number
from palapy.tools.tokenizer import TokenizerError, tokenize

__all__ = ["pick_fields", "parse_fields", "parse_modifier", "Modifier"]

_LIST_KEYS = ("page", "perPage", "totalItems", "totalPages")
# Go's unicode.IsSpace (strings.TrimSpace).
_GO_SPACE = "\t\n\v\f\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"

Modifier = Callable[[Any], Any]
Fields = dict[str, "Modifier | None"]


def parse_modifier(raw: str) -> Modifier:
    """`excerpt(200, true)` (also `excerpt 200 true`) into its function; 400 when invalid."""

    try:
        parts = tokenize(raw, "(), ", ignore_parenthesis=True)
    except TokenizerError as exc:
        raise bad_request() from exc
    factories: dict[str, Callable[[list[str]], Modifier]] = {"excerpt": make_excerpt}
    if not parts or parts[0] not in factories:
        raise bad_request()
    return factories[parts[0]](parts[1:])


def parse_fields(text: str) -> Fields:
    """`a,b.c,d:excerpt(5)` -> {path: modifier or None}; raises a 400 ApiError when invalid."""
    try:
        tokens = tokenize(text, ",")
    except TokenizerError as exc:
        raise bad_request() from exc
    fields: Fields = {}
    for token in tokens:
        path, sep, raw_modifier = token.strip(_GO_SPACE).partition(":")
        fields.pop(path, None)  # a repeated path counts once, with its last modifier
        fields[path] = parse_modifier(raw_modifier) if sep else None
    return fields


def _under(path: str, key: str) -> bool:
    return (path + ".").startswith(key + ".")


def _pick_value(value: Any, fields: Fields) -> Any:
    if isinstance(value, dict):
        return _pick_map(value, fields)
    if isinstance(value, list) and value and isinstance(value[0], dict):
        return [_pick_map(v, fields) if isinstance(v, dict) else v for v in value]
    return value


def _pick_map(data: dict[str, Any], fields: Fields) -> dict[str, Any]:
    if not fields:
        return data
    if "*" in fields:
        star = fields["*"]
        fields = dict(fields)
        for key in data:
            if not any(_under(f, key) for f in fields):
                fields[key] = star
    out: dict[str, Any] = {}
    for key, value in data.items():
        matching = {f: m for f, m in fields.items() if _under(f, key)}
        if not matching:
            continue
        if key in matching:
            modifier = matching[key]
            out[key] = modifier(value) if modifier is not None else value
            continue
        out[key] = _pick_value(value, {f[len(key) + 1 :]: m for f, m in matching.items()})
    return out


def _as_float64(value: Any) -> Any:
    """Integers as Go holds decoded JSON numbers (float64), the rest unchanged."""
    if isinstance(value, dict):
        return {k: _as_float64(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_as_float64(v) for v in value]
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > 2**53:
        try:
            return json_number(value)
        except OverflowError:
            return value
    return value


def pick_fields(data: Any, fields: str) -> Any:
    """Apply a `fields` expression. List results keep their paging keys and pick inside items."""
    parsed = parse_fields(fields)
    if not parsed:
        return data
    data = _as_float64(data)
    if isinstance(data, dict) and "items" in data and all(k in data for k in _LIST_KEYS):
        picked = dict(data)
        picked["items"] = _pick_value(data["items"], parsed)
        return picked
    return _pick_value(data, parsed)
