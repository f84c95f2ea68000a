"""The filter compiler: AST + resolver into one parameterised SQLite boolean expression.

Semantics follow PocketBase's search package: the null/'' rules of `=`/`!=`, LIKE wrapping
and escaping for `~`, and for plain (non-`?`) operators on multi-valued paths an extra
`NOT EXISTS (... WHERE NOT cond)` so that every value must match.
"""

from __future__ import annotations

from typing import Any

from palapy.search.functions import call_function
from palapy.search.lexer import Token, TokenType
from palapy.search.macros import macro_value
from palapy.search.operand import MULTI_VALUE, NullFallback, Operand, ResolveError
from palapy.search.parser import ERR_EMPTY, Expr, Group, parse
from palapy.search.scope import FieldResolver, Scope
from palapy.search.sql import Param, Sql, col, ident
from palapy.tools.gocast import go_quote, go_string

__all__ = [
    "compile_text",
    "build_comparison",
    "wrap_joins",
    "DEFAULT_EXPR_LIMIT",
    "wrap_like",
]

DEFAULT_EXPR_LIMIT = 200

_NORMALIZED = {"null": "NULL", "true": "1", "false": "0"}


# -- tokens ------------------------------------------------------------------------
def resolve_token(tok: Token, res: FieldResolver) -> Operand:
    """One operand: identifier (macro, field path, null/true/false), text, number or function."""
    if tok.type is TokenType.IDENTIFIER:
        is_macro, value = macro_value(tok.literal)
        if is_macro:
            return Operand(Sql(Param(value)))
        try:
            return res.resolve(tok.literal)
        except ResolveError:
            normalized = _NORMALIZED.get(tok.literal.lower())
            if normalized is not None:
                return Operand.raw(normalized)
            raise
    if tok.type is TokenType.TEXT:
        return Operand(Sql(Param(tok.literal)))
    if tok.type is TokenType.NUMBER:
        return Operand(Sql(Param(float(tok.literal))))
    if tok.type is TokenType.FUNCTION:
        return call_function(tok.literal, tok.args, lambda t: resolve_token(t, res))
    raise ResolveError(f"unsupported token type {go_quote(tok.type.value)}")


# -- equality and null handling ------------------------------------------------------
def _is_empty_ident(o: Operand) -> bool:
    return o.sql.text().lower() in ("", "null", "''", '""', "``")


def _has_empty_param(o: Operand) -> bool:
    return any(v is None or (isinstance(v, str) and v == "") for v in o.param_values())


def _known_non_empty(o: Operand) -> bool:
    if o.null_fallback is NullFallback.ENFORCED:
        return False
    if o.sql.text().lower() in ("1", "0", "false", "true"):
        return True
    return o.nparams > 0 and not _has_empty_param(o) and not _is_empty_ident(o)


def _is_empty(o: Operand) -> bool:
    return _is_empty_ident(o) or (
        o.null_fallback is NullFallback.AUTO and o.nparams == 1 and _has_empty_param(o)
    )


def _equal(equal: bool, left: Operand, right: Operand) -> Sql:
    op, null_op, concat, null_expr = (
        ("=", "IS", "OR", "IS NULL") if equal else ("IS NOT", "IS NOT", "AND", "IS NOT NULL")
    )
    if NullFallback.DISABLED in (left.null_fallback, right.null_fallback):
        return Sql(left.sql, f" {null_op} ", right.sql)
    left_empty, right_empty = _is_empty(left), _is_empty(right)
    if left_empty and right_empty:
        return Sql(f"'' {op} ''")
    if _known_non_empty(left) or _known_non_empty(right):
        lsql = Sql("''") if left_empty else left.sql
        rsql = Sql("''") if right_empty else right.sql
        return Sql(lsql, f" {op} ", rsql)
    if left_empty:
        return Sql(f"('' {op} ", right.sql, f" {concat} ", right.sql, f" {null_expr})")
    if right_empty:
        return Sql("(", left.sql, f" {op} '' {concat} ", left.sql, f" {null_expr})")
    return Sql("COALESCE(", left.sql, f", '') {op} COALESCE(", right.sql, ", '')")


# -- LIKE ----------------------------------------------------------------------------
def _contains_unescaped(text: str, ch: str) -> bool:
    prev = ""
    for c in text:
        if c == ch and prev != "\\":
            return True
        prev = "\0" if (c == "\\" and prev == "\\") else c
    return False


def _escape_unescaped(text: str, chars: str) -> str:
    """Backslash-escape `chars` not already escaped (PocketBase's exact right-to-left walk)."""
    out: list[str] = []
    match = False
    for i in range(len(text) - 1, -1, -1):
        c = text[i]
        if match:
            if c != "\\":
                out.append("\\")
            match = False
        elif c in chars:
            match = True
        out.append(c)
        if i == 0 and match:
            out.append("\\")
    return "".join(reversed(out))


def wrap_like(value: Any) -> str:
    """`%value%` with `\\ % _` escaped, unless the value holds an unescaped `%` (a raw pattern)."""
    text = go_string(value)
    if not _contains_unescaped(text, "%"):
        text = "%" + _escape_unescaped(text, "\\%_") + "%"
    return text


# -- one comparison ------------------------------------------------------------------
def _not(expr: Sql) -> Sql:
    return Sql("NOT (", expr, ")")


def build_comparison(left: Operand, op: str, right: Operand, scope: Scope) -> Sql:
    """`left op right`, plus the "all must match" subquery for plain operators."""
    base_op = op.lstrip("?")
    if base_op in ("=", "!="):
        expr = _equal(base_op == "=", left, right)
    elif base_op in ("~", "!~"):
        like = " NOT LIKE " if base_op == "!~" else " LIKE "
        if right.nparams == 0:
            expr = Sql(left.sql, like, "('%' || ", right.sql, " || '%') ESCAPE '\\'")
        else:
            expr = Sql(left.sql, like, right.sql.map_params(wrap_like), " ESCAPE '\\'")
    elif base_op in ("<", "<=", ">", ">="):
        expr = Sql(left.sql, f" {base_op} ", right.sql)
    else:
        raise ResolveError(f"unknown expression operator {go_quote(op)}")

    if not op.startswith("?"):
        if left.multi is not None and right.multi is not None:
            la, ra = scope.next_name("__ml"), scope.next_name("__mr")
            inner = build_comparison(
                Operand(col(la, MULTI_VALUE), left.null_fallback),
                base_op,
                Operand(col(ra, MULTI_VALUE), right.null_fallback, after=_not),
                scope,
            )
            mm = Sql(
                "NOT EXISTS (SELECT 1 FROM (",
                left.multi.render(),
                ") ",
                ident(la),
                " LEFT JOIN (",
                right.multi.render(),
                ") ",
                ident(ra),
                " WHERE ",
                inner,
                ")",
            )
            expr = Sql("((", expr, ") AND (", mm, "))")
        elif left.multi is not None or right.multi is not None:
            many = left.multi if left.multi is not None else right.multi
            assert many is not None
            many_op, other = (left, right) if left.multi is not None else (right, left)
            alias = scope.next_name("__sm")
            values = Operand(col(alias, MULTI_VALUE), many_op.null_fallback, after=_not)
            plain = Operand(other.sql, phantom=other.phantom)
            if left.multi is not None:
                inner = build_comparison(values, base_op, plain, scope)
            else:
                inner = build_comparison(plain, base_op, values, scope)
            mm = Sql("NOT EXISTS (SELECT 1 FROM (", many.render(), ") ", ident(alias), " WHERE ", inner, ")")
            expr = Sql("((", expr, ") AND (", mm, "))")

    if left.after is not None:
        expr = left.after(expr)
    if right.after is not None:
        expr = right.after(expr)
    return expr


# -- groups --------------------------------------------------------------------------
def _build_expr(item: Expr, res: FieldResolver) -> Sql:
    try:
        left = resolve_token(item.left, res)
    except ResolveError as err:
        raise ResolveError(f"invalid left operand {go_quote(item.left.literal)} - {err}") from None
    try:
        right = resolve_token(item.right, res)
    except ResolveError as err:
        raise ResolveError(f"invalid right operand {go_quote(item.right.literal)} - {err}") from None
    return build_comparison(left, item.op, right, res.scope)


def _build_group(group: Group, res: FieldResolver, budget: list[int]) -> Sql:
    if not group:
        raise ResolveError(ERR_EMPTY)
    parts: list[Sql | str] = []
    for join, item in group:
        if isinstance(item, Expr):
            if budget[0] <= 0:
                raise ResolveError("max filter expressions limit reached")
            budget[0] -= 1
            sql = _build_expr(item, res)
        else:
            sql = _build_group(item, res, budget)
        if parts:
            parts.append(" OR " if join == "||" else " AND ")
        parts.append(sql)
    return Sql("(", *parts, ")")


def compile_text(text: str, res: FieldResolver, limit: int = DEFAULT_EXPR_LIMIT) -> Sql:
    """Parse and compile one filter text (joins go into `res.scope`)."""
    return _build_group(parse(text), res, [limit])


def wrap_joins(scope: Scope, where: Sql) -> Sql:
    """`where` as is, or inside `EXISTS (SELECT 1 FROM <joins> WHERE ...)` when joins exist."""
    if not scope.joins:
        return where
    return Sql("EXISTS (SELECT 1 FROM ", scope.render_from(), " WHERE ", where, ")")
