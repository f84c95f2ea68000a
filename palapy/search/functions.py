"""Filter functions: `geoDistance(lonA, latA, lonB, latB)` and `strftime(format, [time, mods...])`."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

from palapy.search.lexer import Token, TokenType
from palapy.search.operand import NullFallback, Operand, ResolveError
from palapy.search.sql import Sql
from palapy.tools.gocast import go_quote

__all__ = ["call_function", "FUNCTIONS"]

ArgResolver = Callable[[Token], Operand]


def _geo_distance(resolve: ArgResolver, args: tuple[Token, ...]) -> Operand:
    """Haversine distance in km; plain values only, so multi-valued args mean "any"."""
    if len(args) != 4:
        raise ResolveError(f"[geoDistance] expected 4 arguments, got {len(args)}")
    ops: list[Operand] = []
    for i, arg in enumerate(args):
        if arg.type not in (TokenType.IDENTIFIER, TokenType.NUMBER):
            raise ResolveError(f"[geoDistance] argument {i} must be an identifier or number")
        try:
            ops.append(resolve(arg))
        except ResolveError as err:
            raise ResolveError(f"[geoDistance] failed to resolve argument {i}: {err}") from None
    lon_a, lat_a, lon_b, lat_b = (o.sql for o in ops)
    sql = Sql(
        "(6371 * acos(cos(radians(",
        lat_a,
        ")) * cos(radians(",
        lat_b,
        ")) * cos(radians(",
        lon_b,
        ") - radians(",
        lon_a,
        ")) + sin(radians(",
        lat_a,
        ")) * sin(radians(",
        lat_b,
        "))))",
    )
    return Operand(sql, NullFallback.DISABLED)


def _strftime(resolve: ArgResolver, args: tuple[Token, ...]) -> Operand:
    """SQLite strftime whose NULL result compares like ''; a multi-valued time means "all"."""
    total = len(args)
    if total < 1:
        raise ResolveError(f"[strftime] expected at least 1 arguments, got {total}")
    if total > 10:
        raise ResolveError(f"[strftime] too many arguments (max allowed 10, got {total})")
    if args[0].type is not TokenType.TEXT:
        raise ResolveError("[strftime] expects the first argument to be a format string")
    fmt = resolve(args[0])
    if total == 1:
        return Operand(Sql("strftime(", fmt.sql, ")"), NullFallback.ENFORCED)
    if args[1].type not in (TokenType.TEXT, TokenType.IDENTIFIER, TokenType.NUMBER):
        raise ResolveError("[strftime] expects the second argument to be of a valid time-value type")
    try:
        time_value = resolve(args[1])
    except ResolveError as err:
        raise ResolveError(f"[strftime] failed to resolve time-value argument: {err}") from None
    modifiers: list[Sql] = []
    for i, arg in enumerate(args[2:]):
        if arg.type is not TokenType.TEXT:
            raise ResolveError(f"[strftime] invalid modifier argument {i} - can be only string")
        modifiers.append(resolve(arg).sql)

    def build(value: Sql) -> Sql:
        return Sql("strftime(", Sql.join(",", [fmt.sql, value, *modifiers]), ")")

    result = Operand(build(time_value.sql), NullFallback.ENFORCED)
    if time_value.multi is not None:
        multi = dataclasses.replace(time_value.multi, joins=list(time_value.multi.joins))
        multi.value = build(multi.value)
        result.multi = multi
    return result


FUNCTIONS: dict[str, Callable[[ArgResolver, tuple[Token, ...]], Operand]] = {
    "geoDistance": _geo_distance,
    "strftime": _strftime,
}


def call_function(name: str, args: tuple[Token, ...], resolve: ArgResolver) -> Operand:
    """Resolve a function token; unknown names are an error."""
    fn = FUNCTIONS.get(name)
    if fn is None:
        raise ResolveError(f"unknown function {go_quote(name)}")
    return fn(resolve, args)
