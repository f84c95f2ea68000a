"""Row decoders and record serialisers written out as Python source, one function per
collection shape (and column list, or visibility and expansion).

Turning a result row into a record is the main Python cost of a list (30 rows a page). A loop
over (key, column, decoder) steps pays for the loop, the tuple unpacking and a call per value;
the same work written as one dict display, with each field type's common case inline, does
none of that (figures: docs/performance.md); the same holds for
turning a canonical record into its API form, which expansion does for every node. The source is
built only from column indexes and `repr()` of keys; decoders and constants are passed in as
names of the function's globals, never as text.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from palapy.tools.dates import CANONICAL_SEEN

__all__ = [
    "Column",
    "Factory",
    "Constant",
    "Source",
    "compile_decoder",
    "TEXT",
    "DATE",
    "BOOL",
    "NUMBER",
    "OTHER",
]

# How a column's value is decoded: the inline fast path of each kind, or a call.
TEXT, DATE, BOOL, NUMBER, OTHER = "text", "date", "bool", "number", "other"

_EXACT_INT = 2**53

_INLINE = {
    # text stored as text is the value
    TEXT: "{v} if type({v}) is str else {g}({v})",
    # a date text already known to be canonical is the value (see tools.dates)
    DATE: "{v} if {v} in _dates else {g}({v})",
    # 0/1 stored as integers: only 1 is true
    BOOL: "{v} == 1 if type({v}) is int else {g}({v})",
    # an integer a float64 holds exactly comes back unchanged
    NUMBER: "{v} if type({v}) is int and -_exact <= {v} <= _exact else {g}({v})",
    OTHER: "{g}({v})",
}


@dataclass(frozen=True)
class Column:
    """The value of result column `index`, decoded by `decode` (`kind` says its common case)."""

    index: int
    kind: str
    decode: Callable[[Any], Any]


@dataclass(frozen=True)
class Factory:
    """A fresh value from `make()` (the empty value of a field the query did not select)."""

    make: Callable[[], Any]


@dataclass(frozen=True)
class Constant:
    value: Any


@dataclass(frozen=True)
class RecordValue:
    """A canonical record's value of `name`, or a fresh `empty()` when the record lacks it."""

    name: str
    empty: Callable[[], Any]


@dataclass(frozen=True)
class Expand:
    """The serialiser's `expand` argument."""


Source = Column | Factory | Constant
RecordSource = RecordValue | Constant | Expand


def compile_decoder(
    entries: list[tuple[str, Source]], width: int
) -> Callable[[tuple[Any, ...]], dict[str, Any]]:
    """A function of a `width`-column row returning {key: value} in `entries`' order."""
    names: dict[str, Any] = {"_dates": CANONICAL_SEEN, "_exact": _EXACT_INT}
    items: list[str] = []
    for n, (key, source) in enumerate(entries):
        if isinstance(source, Column):
            if not 0 <= source.index < width:
                raise ValueError(f"column {source.index} outside a row of {width}")
            names[f"_g{n}"] = source.decode
            expr = _INLINE[source.kind].format(v=f"c{source.index}", g=f"_g{n}")
        elif isinstance(source, Factory):
            names[f"_f{n}"] = source.make
            expr = f"_f{n}()"
        else:
            names[f"_k{n}"] = source.value
            expr = f"_k{n}"
        items.append(f"{key!r}: {expr}")
    unpack = ", ".join(f"c{i}" for i in range(width))
    source_text = "def decode(row):\n"
    if width:
        source_text += f"    {unpack}, = row\n"
    source_text += "    return {" + ", ".join(items) + "}\n"
    exec(compile(source_text, "<palapy row decoder>", "exec"), names)  # noqa: S102 - see module doc
    decode: Callable[[tuple[Any, ...]], dict[str, Any]] = names["decode"]
    return decode


def compile_serializer(
    entries: list[tuple[str, RecordSource]],
) -> Callable[[dict[str, Any], Any], dict[str, Any]]:
    """A function of (canonical record, expand) returning {key: value} in `entries`' order."""
    names: dict[str, Any] = {}
    items: list[str] = []
    for n, (key, source) in enumerate(entries):
        if isinstance(source, RecordValue):
            names[f"_e{n}"] = source.empty
            expr = f"r[{source.name!r}] if {source.name!r} in r else _e{n}()"
        elif isinstance(source, Constant):
            names[f"_k{n}"] = source.value
            expr = f"_k{n}"
        else:
            expr = "expand"
        items.append(f"{key!r}: {expr}")
    source_text = "def serialize(r, expand):\n    return {" + ", ".join(items) + "}\n"
    exec(compile(source_text, "<palapy record serialiser>", "exec"), names)  # noqa: S102 - see module doc
    serialize: Callable[[dict[str, Any], Any], dict[str, Any]] = names["serialize"]
    return serialize
