"""SQL fragments with their bound values kept inline, so composition never misorders params.

A `Sql` is a sequence of text pieces and `Param`s. Rendering emits `?` for each Param in
textual order, so a fragment repeated twice (e.g. `(a = '' OR a IS NULL)`) binds twice.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any, NamedTuple, Union

from palapy.db.connection import quote_ident

__all__ = [
    "Param",
    "Sql",
    "ident",
    "col",
    "json_each",
    "json_array_length",
    "json_extract",
    "columnify",
    "SqlExpr",
    "render",
]

_NON_COLUMN = re.compile(r"[^\w.*\-@#]+", re.ASCII)


class Param:
    """One bound value."""

    __slots__ = ("value",)

    def __init__(self, value: Any) -> None:
        self.value = value

    def __repr__(self) -> str:
        return f"Param({self.value!r})"


Part = Union[str, Param, "Sql"]


class Sql:
    """An immutable SQL fragment: text pieces and Params."""

    __slots__ = ("parts",)

    def __init__(self, *parts: Part) -> None:
        flat: list[str | Param] = []
        for p in parts:
            if isinstance(p, Sql):
                flat.extend(p.parts)
            elif isinstance(p, Param):
                flat.append(p)
            elif p:
                if flat and isinstance(flat[-1], str):
                    flat[-1] = flat[-1] + p
                else:
                    flat.append(p)
        self.parts: tuple[str | Param, ...] = tuple(flat)

    @staticmethod
    def join(sep: str, items: Iterable[Part]) -> Sql:
        out: list[Part] = []
        for i, item in enumerate(items):
            if i:
                out.append(sep)
            out.append(item)
        return Sql(*out)

    def params(self) -> list[Any]:
        return [p.value for p in self.parts if isinstance(p, Param)]

    def param_count(self) -> int:
        return sum(1 for p in self.parts if isinstance(p, Param))

    def text(self) -> str:
        """The SQL with `?` placeholders."""
        return "".join("?" if isinstance(p, Param) else p for p in self.parts)

    def map_params(self, fn: Callable[[Any], Any]) -> Sql:
        """A copy with every bound value replaced by `fn(value)`."""
        return Sql(*(Param(fn(p.value)) if isinstance(p, Param) else p for p in self.parts))

    def __add__(self, other: Part) -> Sql:
        return Sql(self, other)

    def __radd__(self, other: Part) -> Sql:
        return Sql(other, self)

    def __bool__(self) -> bool:
        return bool(self.parts)

    def __repr__(self) -> str:
        return f"Sql({self.text()!r}, {self.params()!r})"


class SqlExpr(NamedTuple):
    """A rendered SQL fragment and its positional (`?`) parameters."""

    sql: str
    params: list[Any]


def render(sql: Sql) -> SqlExpr:
    """`sql` as text with `?` placeholders and its parameters in order."""
    return SqlExpr(sql.text(), sql.params())


def columnify(name: str) -> str:
    """Drop characters that may not appear in a column or alias name."""
    return _NON_COLUMN.sub("", name)


def ident(name: str) -> str:
    """A quoted identifier."""
    return quote_ident(name)


def col(alias: str, name: str) -> Sql:
    """`alias`.`name`."""
    return Sql(quote_ident(alias), ".", quote_ident(name))


def _is_array(c: Sql) -> Sql:
    return Sql("iif(json_valid(", c, "), json_type(", c, ")='array', FALSE)")


def json_each(c: Sql) -> Sql:
    """`json_each` over a column that may hold a JSON array or a plain scalar."""
    return Sql("json_each(CASE WHEN ", _is_array(c), " THEN ", c, " ELSE json_array(", c, ") END)")


def json_array_length(c: Sql) -> Sql:
    """Element count of an array column; a plain non-empty value counts 1, ''/NULL count 0."""
    return Sql(
        "json_array_length(CASE WHEN ",
        _is_array(c),
        " THEN ",
        c,
        " ELSE (CASE WHEN ",
        c,
        " = '' OR ",
        c,
        " IS NULL THEN json_array() ELSE json_array(",
        c,
        ") END) END)",
    )


def json_extract(c: Sql, path: str) -> Sql:
    """`JSON_EXTRACT` that also works on non-JSON values (wrapped as `{"pb": value}`).

    `path` is made of `\\w` characters, dots and `[n]` indexes only (validated by the caller),
    so it is safe inside the SQL string literal.
    """
    if path and not path.startswith("["):
        path = "." + path
    return Sql(
        "(CASE WHEN json_valid(",
        c,
        ") THEN JSON_EXTRACT(",
        c,
        f", '${path}') ELSE JSON_EXTRACT(json_object('pb', ",
        c,
        f"), '$.pb{path}') END)",
    )
