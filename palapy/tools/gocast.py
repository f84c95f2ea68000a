"""Loose casts with the results PocketBase's Go code gives (its `cast` helpers and JSON decoding).

Every function here accepts any decoded JSON value (or an already type-inferred form value) and
never raises: odd input falls back to the zero value of the target type, like PocketBase does.
"""

from __future__ import annotations

import json
import math
import re
from decimal import Decimal
from typing import Any

import msgspec

__all__ = [
    "sanitize_text",
    "go_string",
    "unique_strings_of_text",
    "go_float",
    "go_bool",
    "go_int",
    "parse_go_float",
    "parse_go_int",
    "parse_go_bool",
    "format_float_f",
    "format_float_v",
    "json_number",
    "unique_strings",
    "decode_string_array_prefix",
    "go_quote",
    "go_quote_rune",
    "JSON_DECODER",
    "strict_json_decoder",
    "sqlite_text",
    "go_json",
]

_SURROGATES = re.compile("[\ud800-\udfff]")

# Go's strconv.ParseFloat syntax: ASCII digits, underscores only between digits, optional
# exponent; hexadecimal mantissas need a `p` exponent.
_DEC_FLOAT = re.compile(
    r"[+-]?(?:[0-9](?:_?[0-9])*(?:\.(?:[0-9](?:_?[0-9])*)?)?|\.[0-9](?:_?[0-9])*)"
    r"(?:[eE][+-]?[0-9](?:_?[0-9])*)?"
)
_HEX_FLOAT = re.compile(
    r"([+-]?)0[xX](_?[0-9a-fA-F](?:_?[0-9a-fA-F])*(?:\.[0-9a-fA-F]*)?|\.[0-9a-fA-F]+)"
    r"[pP]([+-]?[0-9](?:_?[0-9])*)"
)
_GO_TRUE = frozenset({"1", "t", "T", "TRUE", "true", "True"})
_GO_FALSE = frozenset({"0", "f", "F", "FALSE", "false", "False"})
_DEC_INT = re.compile(r"[+-]?[0-9]+")
_DECIMAL = re.compile(r"([-+]?[0-9]*)(\.[0-9]*)?", re.ASCII)

_MAX_INT64 = 2**63 - 1


def _reject_constant(name: str) -> Any:
    raise ValueError(f"invalid JSON constant {name}")


def _strict_float(text: str) -> float:
    value = float(text)
    if math.isinf(value):
        raise ValueError("number out of range")
    return value


def _strict_int(text: str) -> int | float:
    value = int(text)
    # Go decodes every JSON number as float64; an integer too large for it is an error.
    if abs(value) > 1.7976931348623157e308:
        raise ValueError("number out of range")
    return value


def strict_json_decoder(object_pairs_hook: Any = None) -> json.JSONDecoder:
    """A decoder for strict JSON: no NaN/Infinity, no numbers that overflow a float64."""
    return json.JSONDecoder(
        parse_constant=_reject_constant,
        parse_float=_strict_float,
        parse_int=_strict_int,
        object_pairs_hook=object_pairs_hook,
    )


JSON_DECODER = strict_json_decoder()


def sanitize_text(value: str) -> str:
    """Replace unpaired UTF-16 surrogates (which Go never keeps) with U+FFFD."""
    if value.isascii() or _SURROGATES.search(value) is None:  # isascii is O(1) on str
        return value
    return value.encode("utf-16", "surrogatepass").decode("utf-16", "replace")


def format_float_f(value: float) -> str:
    """`strconv.FormatFloat(v, 'f', -1, 64)`: the shortest digits, never an exponent."""
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "+Inf" if value > 0 else "-Inf"
    return format(Decimal(repr(value)).normalize(), "f")


def format_float_v(value: float | int) -> str:
    """Go's `%v` for a float64 (as in validation messages): shortest digits, with an exponent
    when the decimal exponent is < -4 or >= 6, e.g. `123456`, `1e+06`, `1.2345675e+06`, `1e-05`."""
    value = float(value)
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "+Inf" if value > 0 else "-Inf"
    if value == 0:
        return "-0" if math.copysign(1, value) < 0 else "0"
    sign, digits, exponent = Decimal(repr(value)).normalize().as_tuple()
    text = "".join(map(str, digits))
    exp10 = len(text) + int(exponent) - 1  # exponent of the leading digit
    prefix = "-" if sign else ""
    if exp10 < -4 or exp10 >= 6:
        mantissa = text[0] + ("." + text[1:] if len(text) > 1 else "")
        return f"{prefix}{mantissa}e{'-' if exp10 < 0 else '+'}{abs(exp10):02d}"
    return prefix + format_float_f(abs(value))


def json_number(value: float | int) -> float | int:
    """A number as Go's JSON encoder would print it: integral values (below 1e21) as ints whose
    digits are the float's shortest representation (not its exact binary value)."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int):
        if abs(value) <= 2**53:
            return value
        value = float(value)  # Go holds every JSON number as a float64
    if math.isfinite(value) and value.is_integer() and abs(value) < 1e21:
        if abs(value) <= 2**53:
            return int(value)
        return int(Decimal(repr(value)))
    return value


def parse_go_float(text: str) -> float | None:
    """`strconv.ParseFloat(text, 64)`; None where Go returns an error (including overflow)."""
    lowered = text.lower()
    if lowered in ("inf", "+inf", "infinity", "+infinity"):
        return math.inf
    if lowered in ("-inf", "-infinity"):
        return -math.inf
    if lowered == "nan":
        return math.nan
    try:
        if _DEC_FLOAT.fullmatch(text):
            value = float(text.replace("_", ""))
        else:
            m = _HEX_FLOAT.fullmatch(text)
            if m is None:
                return None
            sign, mantissa, exp = m.groups()
            value = float.fromhex(f"{sign}0x{mantissa.replace('_', '')}p{exp.replace('_', '')}")
    except (ValueError, OverflowError):
        return None
    if math.isinf(value):
        return None  # out of range: Go returns ±Inf with an error, cast turns it into 0
    return value


def parse_go_int(text: str) -> int | None:
    """`strconv.Atoi` (`ParseInt(text, 10, 64)`): an optional sign and ASCII digits within
    int64; None where Go returns an error."""
    if not _DEC_INT.fullmatch(text):
        return None
    value = int(text)
    return value if -_MAX_INT64 - 1 <= value <= _MAX_INT64 else None


def parse_go_bool(text: str) -> bool | None:
    """`strconv.ParseBool`: `1 t T TRUE true True` / `0 f F FALSE false False`; None otherwise."""
    if text in _GO_TRUE:
        return True
    if text in _GO_FALSE:
        return False
    return None


def go_string(value: Any) -> str:
    """`cast.ToString`: strings as-is, numbers as Go prints float64s, bools as true/false, null and
    anything structured (arrays, objects) as `""`."""
    if isinstance(value, str):
        return sanitize_text(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        # JSON numbers reach Go as float64: huge integers lose their low digits.
        return str(value) if abs(value) <= 2**53 else format_float_f(float(value))
    if isinstance(value, float):
        return format_float_f(value)
    if isinstance(value, bytes | bytearray):
        return sanitize_text(bytes(value).decode("utf-8", "replace"))
    return ""


def sqlite_text(raw: Any) -> str:
    """A stored value as SQLite renders it as text (PocketBase reads every column as text):
    integers as digits, reals with at least one decimal (`100000.0`, `1.0e+21`), NULL as `""`."""
    if raw is None:
        return ""
    if isinstance(raw, str):
        return raw
    if isinstance(raw, bytes | bytearray):
        return sanitize_text(bytes(raw).decode("utf-8", "replace"))
    if isinstance(raw, bool):
        return "1" if raw else "0"
    if isinstance(raw, int):
        return str(raw)
    if isinstance(raw, float):
        if math.isinf(raw):
            return "Inf" if raw > 0 else "-Inf"
        text = repr(raw)
        mantissa, e, exponent = text.partition("e")
        if e and "." not in mantissa:
            text = f"{mantissa}.0e{exponent}"
        return text
    return go_string(raw)


def go_float(value: Any) -> float:
    """`cast.ToFloat64`: numbers, bools (1/0) and Go-parseable strings; everything else is 0."""
    if isinstance(value, bool):
        return 1.0 if value else 0.0
    if isinstance(value, int):
        try:
            return float(value)
        except OverflowError:
            return 0.0
    if isinstance(value, float):
        return value
    if isinstance(value, str):
        parsed = parse_go_float(value) if value else 0.0
        return 0.0 if parsed is None else parsed
    return 0.0


def go_int(text: str) -> int:
    """`cast.ToInt` of a string: `strconv.ParseInt(s, 0, 64)` after dropping a decimal part;
    0 on any error (so `"5.9"` is 5, `"010"` is 8, `"0x5"` is 5, `"1e3"` is 0)."""
    m = _DECIMAL.fullmatch(text) if "." in text else None
    if m is not None:
        text = {"-": "-0", "+": "+0", "": "0"}.get(m.group(1), m.group(1))
    sign, digits = 1, text
    if digits[:1] in ("+", "-"):
        sign, digits = (-1 if digits[0] == "-" else 1), digits[1:]
    if not digits:
        return 0
    base, body = 10, digits
    if digits[0] == "0":
        prefix = digits[1:2].lower()
        if len(digits) >= 3 and prefix in ("b", "o", "x"):
            base, body = {"b": 2, "o": 8, "x": 16}[prefix], digits[2:]
        else:
            base, body = 8, digits[1:]
    if "_" in digits and not _underscores_ok(digits):
        return 0
    body = body.replace("_", "")
    value = 0
    for ch in body:
        d = "0123456789abcdef".find(ch.lower()) if ch.isascii() else -1
        if d < 0 or d >= base:
            return 0
        value = value * base + d
    value *= sign
    return value if -_MAX_INT64 - 1 <= value <= _MAX_INT64 else 0


def _underscores_ok(digits: str) -> bool:
    """Go's rule: underscores only between digits (a base prefix counts as a digit)."""
    saw, i, hexa = "^", 0, False
    if len(digits) >= 2 and digits[0] == "0" and digits[1].lower() in ("b", "o", "x"):
        hexa = digits[1].lower() == "x"
        saw, i = "0", 2
    for ch in digits[i:]:
        if ch.isdigit() and ch.isascii() or (hexa and ch.lower() in "abcdef"):
            saw = "0"
        elif ch == "_":
            if saw != "0":
                return False
            saw = "_"
        else:
            if saw == "_":
                return False
            saw = "!"
    return saw != "_"


def go_bool(value: Any) -> bool:
    """`cast.ToBool`: numbers are true when non-zero; strings follow `strconv.ParseBool` (so
    `"yes"` is false); anything else is false."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return value != 0
    if isinstance(value, str):
        return value in _GO_TRUE
    return False


def _skip_ws(text: str, i: int) -> int:
    while i < len(text) and text[i] in " \t\n\r":
        i += 1
    return i


# A whole, valid JSON array of strings (every stored multi-value column) decodes in one call;
# anything else (nulls, other types, malformed text, lone surrogates) takes the slow path below.
_STRING_LIST = msgspec.json.Decoder(list[str])


def decode_string_array_prefix(text: str) -> tuple[list[str], bool]:
    """Decode a JSON array of strings the way Go's streaming decoder fills a `[]string`: elements
    decoded before the first error are kept. Returns (elements, complete). `null` elements
    become `""`; any other non-string element stops the decoding."""
    try:
        whole = _STRING_LIST.decode(text)
    except (msgspec.DecodeError, UnicodeEncodeError):  # the latter: lone surrogates in `text`
        pass
    else:
        # It refuses lone surrogates, escaped or not, so there is nothing to sanitize.
        return whole, True
    items: list[str] = []
    i = _skip_ws(text, 0)
    if i >= len(text) or text[i] != "[":
        return items, False
    i = _skip_ws(text, i + 1)
    if i < len(text) and text[i] == "]":
        return items, _skip_ws(text, i + 1) == len(text)
    while True:
        try:
            element, i = JSON_DECODER.raw_decode(text, i)
        except (ValueError, RecursionError):
            return items, False
        if element is None:
            element = ""
        if not isinstance(element, str):
            return items, False
        items.append(sanitize_text(element))
        i = _skip_ws(text, i)
        if i < len(text) and text[i] == ",":
            i = _skip_ws(text, i + 1)
            continue
        if i < len(text) and text[i] == "]":
            return items, _skip_ws(text, i + 1) == len(text)
        return items, False


def _nonzero_uniques(values: list[str]) -> list[str]:
    seen: set[str] = set()
    result: list[str] = []
    for v in values:
        if v and v not in seen:
            seen.add(v)
            result.append(v)
    return result


# Stored select and relation columns repeat a few texts over many rows; the answer for a text
# never changes. Short texts only, cleared when full (at most a few MiB).
_UNIQUE_OF_TEXT: dict[str, tuple[str, ...]] = {}
_UNIQUE_MAX = 16384
_UNIQUE_TEXT_MAX = 256


def unique_strings_of_text(value: str) -> tuple[str, ...]:
    """`unique_strings` of a text, as a tuple (remembered for short texts; do not rebuild it)."""
    known = _UNIQUE_OF_TEXT.get(value)
    return known if known is not None else _unique_of_text(value)


def _unique_of_text(value: str) -> tuple[str, ...]:
    if value == "":
        values: list[str] = []
    elif "[" in value:
        values, complete = decode_string_array_prefix(value)
        if not complete:
            values.append(sanitize_text(value))
    else:
        values = [sanitize_text(value)]
    found = tuple(_nonzero_uniques(values))
    if len(value) <= _UNIQUE_TEXT_MAX:
        if len(_UNIQUE_OF_TEXT) >= _UNIQUE_MAX:
            _UNIQUE_OF_TEXT.clear()
        _UNIQUE_OF_TEXT[value] = found
    return found


def unique_strings(value: Any) -> list[str]:
    """PocketBase's `list.ToUniqueStringSlice`: a string is one value, unless it contains `[` and
    decodes as a JSON array of strings (a partially decoded array keeps what was decoded and
    adds the raw text); list items are cast to strings (objects and arrays become empty); empty
    strings and duplicates are dropped, keeping the first occurrence."""
    result: list[str]
    if value is None:
        result = []
    elif isinstance(value, str):
        return list(unique_strings_of_text(value))
    elif isinstance(value, list | tuple):
        result = [go_string(v) for v in value]
    elif isinstance(value, dict):
        result = []
    else:
        result = [go_string(value)]
    return _nonzero_uniques(result)


_GO_ESCAPES = {"\a": "\\a", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\v": "\\v"}


def _go_quoted_char(ch: str, quote: str) -> str:
    if ch == quote or ch == "\\":
        return "\\" + ch
    if ch in _GO_ESCAPES:
        return _GO_ESCAPES[ch]
    code = ord(ch)
    if code < 0x20 or code == 0x7F:
        return f"\\x{code:02x}"
    if not ch.isprintable():
        return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"
    return ch


def go_quote(value: str) -> str:
    """Go's `%q` for a string: double-quoted with Go escapes for quotes and unprintables."""
    return '"' + "".join(_go_quoted_char(ch, '"') for ch in value) + '"'


def go_quote_rune(ch: str) -> str:
    """Go's `%q` for a single rune: single-quoted, escaped like `go_quote`."""
    return "'" + _go_quoted_char(ch, "'") + "'"


def go_json(value: Any) -> str:
    """JSON text as Go's json.Marshal writes it: compact, map keys sorted, numbers as float64,
    `<`, `>`, `&`, U+2028 and U+2029 escaped."""

    def norm(v: Any) -> Any:
        if isinstance(v, dict):
            return {str(k): norm(v[k]) for k in sorted(v, key=str)}
        if isinstance(v, (list, tuple)):
            return [norm(x) for x in v]
        if isinstance(v, (int, float)) and not isinstance(v, bool):
            return json_number(v)  # Go holds JSON numbers as float64
        if isinstance(v, str):
            return str(v)
        if isinstance(v, bool) or v is None:
            return v
        return str(v)

    text = msgspec.json.encode(norm(value)).decode()
    return (
        text.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )
