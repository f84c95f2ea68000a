"""`topic?options=<JSON {"query": {...}, "headers": {...}}>`: what a subscription carries.

Read as PocketBase 0.40 reads it: the topic is parsed as a URL (Go's `url.Parse`; a topic it
rejects has no options), the first `options` query value is decoded as JSON into
`{query, headers map[string]any}` with Go's encoding/json/v2 rules, its values become strings
(`cast.ToString`: numbers the Go way, anything structured as "") and its header names are
snake-cased. Go's decoder stops at its first error but keeps what it had stored by then.
"""

from __future__ import annotations

import ipaddress
import math
import re
import string
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote, unquote_to_bytes

from palapy.tools.gocast import go_string, sanitize_text
from palapy.tools.inflector import snakecase

__all__ = ["SubscriptionOptions", "parse_options", "EMPTY_OPTIONS"]


@dataclass(frozen=True)
class SubscriptionOptions:
    """A subscription's `query` (e.g. `fields`, `expand`, `filter`) and `headers` (snake_case)."""

    query: dict[str, str] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)


EMPTY_OPTIONS = SubscriptionOptions()


def parse_options(subscription: str) -> SubscriptionOptions:
    """The options of `subscription` (empty when it has none or they cannot be read)."""
    if "?" not in subscription:
        return EMPTY_OPTIONS
    raw_query = _raw_query(sanitize_text(subscription))
    raw = None if raw_query is None else _query_value(raw_query, "options")
    if not raw:
        return EMPTY_OPTIONS
    query, headers = _decode(raw)
    return SubscriptionOptions(
        query={k: go_string(v) for k, v in (query or {}).items()},
        headers={snakecase(k): go_string(v) for k, v in (headers or {}).items()},
    )


# --- the query of Go's url.Parse --------------------------------------------------------------

_BAD_ESCAPE = re.compile(r"%(?![0-9A-Fa-f]{2})")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")
_PORT = re.compile(r"(?::[0-9]*)?")
_USERINFO = re.compile(r"[A-Za-z0-9\-._:~!$&'()*+,;=%@]*")
_HOST_ASCII = frozenset(string.ascii_letters + string.digits + "-_.~!$&'()*+,;=:[]<>\"")


def _raw_query(url: str) -> str | None:
    """The raw query of `url` as Go's `url.Parse` splits it off, or None where Parse fails."""
    url, hash_sign, fragment = url.partition("#")
    # Control characters are refused before the fragment only; the fragment needs good escapes.
    if _CONTROL.search(url) or (hash_sign and _BAD_ESCAPE.search(fragment)):
        return None
    scheme = _SCHEME.match(url)
    if scheme is None and url.startswith(":"):
        return None  # "missing protocol scheme"
    rest, _, query = url[scheme.end() if scheme else 0 :].partition("?")
    if not rest.startswith("/"):
        if scheme:
            return query  # `scheme:opaque` is taken as it is
        if ":" in rest.split("/", 1)[0]:
            return None  # "first path segment in URL cannot contain colon"
    if rest.startswith("//") and (scheme or not rest.startswith("///")):
        authority, slash, path = rest[2:].partition("/")
        if not _valid_authority(authority):
            return None
        rest = slash + path
    return None if _BAD_ESCAPE.search(rest) else query


def _valid_authority(authority: str) -> bool:
    """Go's `parseAuthority` accepts `[userinfo@]host[:port]`."""
    userinfo, at_sign, host = authority.rpartition("@")
    if at_sign and (not _USERINFO.fullmatch(userinfo) or _BAD_ESCAPE.search(userinfo)):
        return False
    if "[" not in host:
        colon = host.rfind(":")
        return (colon < 0 or _PORT.fullmatch(host[colon:]) is not None) and _unescapes(host)
    close = host.rfind("]")
    if host.rfind("[") != 0 or close < 0 or not _PORT.fullmatch(host[close + 1 :]):
        return False
    address, zone_sign, zone = host[1:close].partition("%25")
    if not _unescapes(address) or (zone_sign and not _unescapes(zone_sign + zone, zone=True)):
        return False
    if zone_sign and not zone:
        return False  # netip: "zone must be a non-empty string"
    try:
        ipaddress.IPv6Address(address)  # only an IPv6 address may stand in brackets
    except ValueError:
        return False
    return True


def _unescapes(text: str, zone: bool = False) -> bool:
    """Go's `unescape(text, encodeHost)` (or `encodeZone`) succeeds."""
    i = 0
    while i < len(text):
        if text[i] == "%":
            digits = text[i + 1 : i + 3]
            if len(digits) < 2 or not all(c in string.hexdigits for c in digits):
                return False
            byte = int(digits, 16)
            # A host may escape only non-ASCII bytes; a zone only a space or what a host holds.
            allowed = (chr(byte) in _HOST_ASCII or byte == 0x20) if zone else byte >= 0x80
            if digits != "25" and not allowed:
                return False
            i += 3
        elif text[i] < "\x80" and text[i] not in _HOST_ASCII:
            return False
        else:
            i += 1
    return True


def _query_value(raw_query: str, key: str) -> bytes | None:
    """The first value of `key` in a query string, as Go's `url.ParseQuery(...).Get` reads it:
    pairs with a `;` or a bad escape are skipped, `+` is a space."""
    for pair in raw_query.split("&"):
        if not pair or ";" in pair:
            continue
        name, _, value = pair.partition("=")
        if _BAD_ESCAPE.search(name) or _BAD_ESCAPE.search(value):
            continue
        if unquote(name.replace("+", " ")) == key:
            return unquote_to_bytes(value.replace("+", " "))
    return None


# --- the JSON, as Go's encoding/json/v2 decodes it into the options struct --------------------
# Hand-written: Go's decoder keeps what it stored before an error, which no JSON library here does.

_STRING = re.compile(rb'[ \t\r\n]*"((?:[^"\\\x00-\x1f]|\\["\\/bfnrt]|\\u[0-9a-fA-F]{4})*)"')
_NUMBER = re.compile(rb"-?(?:0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?")
_ESCAPE = re.compile(r"\\(?:u([0-9a-fA-F]{4})|(.))")
_ESCAPED = {"b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t"}
_LITERALS = ((b"true", True), (b"false", False), (b"null", None))


class _Stop(Exception):
    """Go's decoder met an error: it stops there. `stored` is what it put in the entry it was on."""

    def __init__(self, stored: Any = None) -> None:
        super().__init__()
        self.stored = stored


def _decode(data: bytes) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
    """The `query` and `headers` maps Go's `json.Unmarshal` fills from `data`, errors and all."""
    fields: dict[str, dict[str, Any] | None] = {}
    try:
        _Reader(data).read_options(fields)
    except _Stop:
        pass  # what was stored before the error stays, as in Go
    return fields.get("query"), fields.get("headers")


class _Reader:
    """A JSON reader with the checks of Go's jsontext: strict syntax, valid UTF-8, paired
    surrogate escapes and no duplicate names in an object."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.pos = 0

    def read_options(self, fields: dict[str, dict[str, Any] | None]) -> None:
        """The options struct: `query` and `headers` (matched case-sensitively), unknown names skipped."""
        if self.peek() != b"{":
            raise _Stop  # `null` leaves the struct empty too
        self.pos += 1
        unknown: set[str] = set()
        first = True
        while self.more(b"}", first):
            first = False
            name = self.string()
            seen = fields if name in ("query", "headers") else unknown
            if name in seen:
                raise _Stop  # a duplicate name is an error
            self.expect(b":")
            if seen is unknown:
                unknown.add(name)
                self.skip(decoded=False)
            elif self.peek() == b"{":
                target: dict[str, Any] = {}
                fields[name] = target
                self.read_map(target)
            elif self.data.startswith(b"null", self.pos):
                self.pos += 4
                fields[name] = None
            else:
                raise _Stop  # a map field takes no other JSON value

    def read_map(self, target: dict[str, Any]) -> None:
        """A `map[string]any`, filled in place: an error keeps the entries before it."""
        self.pos += 1
        first = True
        while self.more(b"}", first):
            first = False
            key = self.string()
            if key in target:
                raise _Stop
            try:
                self.expect(b":")
                target[key] = self.value()
            except _Stop as stop:
                target[key] = stop.stored  # Go stores the entry even when its value fails
                raise

    def peek(self) -> bytes:
        """The next byte after whitespace (b"" at the end)."""
        head = self.data[self.pos : self.pos + 1]
        while head and head in b" \t\r\n":
            self.pos += 1
            head = self.data[self.pos : self.pos + 1]
        return head

    def expect(self, token: bytes) -> None:
        if self.peek() != token:
            raise _Stop
        self.pos += 1

    def more(self, close: bytes, first: bool) -> bool:
        """Whether another member follows in the open object or array (its `,` read), or it closes."""
        if self.peek() == close:
            self.pos += 1
            return False
        if not first:
            self.expect(b",")
        return True

    def value(self, decoded: bool = True) -> Any:
        """A value as Go's `any` holds it; objects and arrays (checked, then dropped) as None,
        which `cast.ToString` prints as "" like them. Only a `decoded` number must fit a float64
        (an unknown member is skipped, never decoded)."""
        head = self.peek()
        if head == b'"':
            return self.string()
        if head in (b"{", b"["):
            try:
                self.skip(decoded)
            except _Stop:
                raise _Stop from None  # a part-read object or array still prints as ""
            return None
        if head == b"-" or head.isdigit():
            return self.number(decoded)
        for literal, value in _LITERALS:
            if self.data.startswith(literal, self.pos):
                self.pos += len(literal)
                return value
        raise _Stop

    def string(self) -> str:
        match = _STRING.match(self.data, self.pos)
        if match is None:
            raise _Stop
        self.pos = match.end()
        try:
            text = match.group(1).decode()
            if "\\" in text:
                text = _ESCAPE.sub(_unescape, text)
                # \uD83D\uDE00 pairs join; an unpaired surrogate escape is an error.
                text = text.encode("utf-16-le", "surrogatepass").decode("utf-16-le")
        except UnicodeDecodeError:
            raise _Stop from None
        return text

    def number(self, decoded: bool) -> float:
        match = _NUMBER.match(self.data, self.pos)
        after = self.data[match.end() : match.end() + 1] if match else b""
        # Go reads on past a `.` or an exponent sign and needs digits there: `1.` and `1e` fail.
        if match is None or (
            (after == b"." and match.lastindex is None) or (after in (b"e", b"E") and not match.group(2))
        ):
            raise _Stop
        self.pos = match.end()
        value = float(match.group())
        if decoded and math.isinf(value):
            raise _Stop(0.0)  # out of float64 range: Go stores 0 and fails
        return value

    def skip(self, decoded: bool) -> None:
        """Read past one value, checked like any other (a loop: nesting may be deep)."""
        open_names: list[set[str] | None] = []  # per open container: an object's names, or None
        first = False
        while True:
            if open_names and not self.more(b"]" if open_names[-1] is None else b"}", first):
                open_names.pop()
                first = False
                if not open_names:
                    return
                continue
            names = open_names[-1] if open_names else None
            if names is not None:
                name = self.string()
                if name in names:
                    raise _Stop
                names.add(name)
                self.expect(b":")
            head = self.peek()
            if head in (b"{", b"["):
                self.pos += 1
                open_names.append(set() if head == b"{" else None)
                first = True
                continue
            self.value(decoded)
            first = False
            if not open_names:
                return


def _unescape(match: re.Match[str]) -> str:
    code, char = match.groups()
    return chr(int(code, 16)) if code else _ESCAPED.get(char, char)
