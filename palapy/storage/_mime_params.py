"""Media type strings as Go's mime package reads and writes them (ParseMediaType and
FormatMediaType), byte for byte: tokens and quoted strings, RFC 2231 continuations and
encodings, the lower-casing, the sorted parameters and the quoting on output. PocketBase's blob
writer round-trips a detected type through both; `mimeTypes` matching compares parsed types.
"""

from __future__ import annotations

from palapy.storage._mime_scan import HEX

__all__ = ["format_media_type", "parse_media_type"]

_TSPECIALS = frozenset('()<>@,;:\\"/[]?=')
# Go's unicode.IsSpace (Python's str.isspace also counts the \x1c-\x1f separators).
_GO_SPACES = frozenset("\t\n\v\f\r \x85\xa0\u1680\u2028\u2029\u202f\u205f\u3000") | frozenset(
    map(chr, range(0x2000, 0x200B))
)


def _is_token_char(c: str) -> bool:
    return " " < c < "\x7f" and c not in _TSPECIALS


def _is_token(value: str) -> bool:
    return bool(value) and all(_is_token_char(c) for c in value)


def _go_lstrip(value: str) -> str:
    i = 0
    while i < len(value) and value[i] in _GO_SPACES:
        i += 1
    return value[i:]


def _go_strip(value: str) -> str:
    value = _go_lstrip(value)
    end = len(value)
    while end and value[end - 1] in _GO_SPACES:
        end -= 1
    return value[:end]


def _consume_token(value: str) -> tuple[str, str]:
    i = 0
    while i < len(value) and _is_token_char(value[i]):
        i += 1
    return value[:i], value[i:]


def _consume_value(value: str) -> tuple[str, str]:
    if not value:
        return "", ""
    if value[0] != '"':
        return _consume_token(value)
    out: list[str] = []
    i = 1
    while i < len(value):
        c = value[i]
        if c == '"':
            return "".join(out), value[i + 1 :]
        # A backslash before a special character escapes it; any other backslash is literal.
        if c == "\\" and i + 1 < len(value) and value[i + 1] in _TSPECIALS:
            out.append(value[i + 1])
            i += 2
            continue
        if c in "\r\n":
            return "", value
        out.append(c)
        i += 1
    return "", value


def _consume_param(value: str) -> tuple[str, str, str]:
    rest = _go_lstrip(value)
    if not rest.startswith(";"):
        return "", "", value
    name, rest = _consume_token(_go_lstrip(rest[1:]))
    name = name.lower()
    if not name:
        return "", "", value
    rest = _go_lstrip(rest)
    if not rest.startswith("="):
        return "", "", value
    rest = _go_lstrip(rest[1:])
    param_value, after = _consume_value(rest)
    if not param_value and after == rest:
        return "", "", value
    return name, param_value, after


def _percent_unescape(value: str) -> str | None:
    raw = value.encode("utf-8", "surrogateescape")
    out = bytearray()
    i = 0
    while i < len(raw):
        if raw[i] == 0x25:
            pair = raw[i + 1 : i + 3]
            if len(pair) < 2 or any(c not in HEX for c in pair):
                return None
            out.append(int(pair, 16))
            i += 3
        else:
            out.append(raw[i])
            i += 1
    return out.decode("utf-8", "surrogateescape")


def _decode_2231(value: str) -> str | None:
    parts = value.split("'", 2)
    if len(parts) != 3 or parts[0].lower() not in ("us-ascii", "utf-8"):
        return None
    return _percent_unescape(parts[2])


def parse_media_type(value: str) -> tuple[str, dict[str, str], bool]:
    """Go's mime.ParseMediaType: (lower-cased media type, parameters, whether it failed). A bad
    type or a repeated parameter gives no media type; other bad parameters keep the type."""
    base = value.split(";", 1)[0]
    media = _go_strip(base.lower())
    major, slash, minor = media.partition("/")
    if not _is_token(major) or (slash and not _is_token(minor)):
        return "", {}, True
    params: dict[str, str] = {}
    pieces: dict[str, dict[str, str]] = {}
    rest = value[len(base) :]
    while rest:
        rest = _go_lstrip(rest)
        if not rest:
            break
        name, param_value, after = _consume_param(rest)
        if not name:
            if _go_strip(after) == ";":
                break
            return media, {}, True
        target = pieces.setdefault(name.split("*", 1)[0], {}) if "*" in name else params
        if name in target and target[name] != param_value:
            return "", {}, True
        target[name] = param_value
        rest = after
    for name, parts in pieces.items():
        if name + "*" in parts:
            decoded = _decode_2231(parts[name + "*"])
            if decoded is not None:
                params[name] = decoded
            continue
        joined, found, n = "", False, 0
        while True:
            if f"{name}*{n}" in parts:
                joined += parts[f"{name}*{n}"]
            elif f"{name}*{n}*" in parts:
                piece = parts[f"{name}*{n}*"]
                joined += (_decode_2231(piece) or "") if n == 0 else (_percent_unescape(piece) or "")
            else:
                break
            found, n = True, n + 1
        if found:
            params[name] = joined
    return media, params, False


def format_media_type(media: str, params: dict[str, str]) -> str:
    """Go's mime.FormatMediaType for a type and parameters that parsed."""
    out = [media.lower()]
    for name in sorted(params):
        value = params[name]
        if any((c < " " or c > "~") and c != "\t" for c in value):
            encoded = "".join(
                f"%{b:02X}" if b <= 0x20 or b >= 0x7F or chr(b) in "*'%" or chr(b) in _TSPECIALS else chr(b)
                for b in value.encode("utf-8", "surrogateescape")
            )
            out.append(f"; {name.lower()}*=utf-8''{encoded}")
        elif _is_token(value):
            out.append(f"; {name.lower()}={value}")
        else:
            escaped = value.replace("\\", "\\\\").replace('"', '\\"')
            out.append(f'; {name.lower()}="{escaped}"')
    return "".join(out)
