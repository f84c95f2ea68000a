"""Domain and URL format checks with the results PocketBase's validators give (the email
check is `palapy.tools.emails.is_email_format`).

The grammars are written out here as small linear-time checks (RE2 for the regular parts), so a
long hostile value costs linear time.
"""

from __future__ import annotations

from dataclasses import dataclass

import re2

__all__ = ["is_domain", "is_url", "GoURL", "parse_go_url"]

_OPT = re2.Options()
_OPT.log_errors = False

_DOMAIN = re2.compile(
    r"^(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?\.)+(?:[a-zA-Z]{1,63}| xn--[a-z0-9]{1,59})$", _OPT
)


def is_domain(value: str) -> bool:
    """A DNS domain name for the onlyDomains/exceptDomains options (`example.com`, `X.CO`)."""
    if len(value.encode()) > 255:
        return False
    return bool(_DOMAIN.search(value))


# -- URLs ------------------------------------------------------------------------------------


@dataclass
class GoURL:
    """The parts of a URL as Go's `net/url.Parse` splits them."""

    scheme: str = ""
    host: str = ""  # host with port, as Go's URL.Host
    path: str = ""


class _URLError(Exception):
    pass


_HEX = "0123456789abcdefABCDEF"
_USERINFO_EXTRA = set("-._:~!$&'()*+,;=%@")
_HOST_OK = set("-_.~!$&'()*+,;=:[]<>\"")


def _unescape(text: str, mode: str) -> None:
    """Validate percent-escapes and, in hosts and zones, the allowed characters (Go's unescape).
    `mode` is "host", "zone" or "other"."""
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == "%":
            if i + 2 >= len(text) or text[i + 1] not in _HEX or text[i + 2] not in _HEX:
                raise _URLError("invalid URL escape")
            # Hosts may only escape non-ASCII bytes (and "%25").
            if mode == "host" and int(text[i + 1], 16) < 8 and text[i : i + 3] != "%25":
                raise _URLError("invalid URL escape in host")
            i += 3
            continue
        if mode != "other" and ord(ch) < 0x80 and not (ch.isalnum() or ch in _HOST_OK):
            raise _URLError("invalid character in host name")
        i += 1


def _valid_port(port: str) -> bool:
    if port == "":
        return True
    return port[0] == ":" and all("0" <= c <= "9" for c in port[1:])


def _parse_host(host: str) -> str:
    if host.startswith("["):
        end = host.rfind("]")
        if end < 0:
            raise _URLError("missing ']' in host")
        if not _valid_port(host[end + 1 :]):
            raise _URLError("invalid port")
        zone = host.find("%25", 0, end)
        if zone >= 0:
            _unescape(host[:zone], "host")
            _unescape(host[zone:end], "zone")
            _unescape(host[end:], "host")
            return host
    elif (colon := host.rfind(":")) >= 0 and not _valid_port(host[colon:]):
        raise _URLError("invalid port")
    _unescape(host, "host")
    return host


def _valid_userinfo(text: str) -> bool:
    return all((c.isascii() and c.isalnum()) or c in _USERINFO_EXTRA for c in text)


def parse_go_url(raw: str) -> GoURL | None:
    """Go's `url.Parse`: None where it returns an error."""
    try:
        return _parse_url(raw)
    except _URLError:
        return None


def _parse_url(raw: str) -> GoURL:
    if any(ord(c) < 0x20 or ord(c) == 0x7F for c in raw):
        raise _URLError("invalid control character in URL")
    rest, _, fragment = raw.partition("#")
    _unescape(fragment, "other")
    url = GoURL()
    for i, c in enumerate(rest):
        if c.isascii() and c.isalpha():
            continue
        if c.isascii() and (c.isdigit() or c in "+-.") and i > 0:
            continue
        if c == ":":
            if i == 0:
                raise _URLError("missing protocol scheme")
            url.scheme, rest = rest[:i].lower(), rest[i + 1 :]
        break
    if rest.endswith("?") and rest.count("?") == 1:
        rest = rest[:-1]
    else:
        rest = rest.partition("?")[0]
    if not rest.startswith("/"):
        if url.scheme:
            return url  # opaque, e.g. "mailto:a@b.co"
        if ":" in rest.partition("/")[0]:
            raise _URLError("first path segment in URL cannot contain colon")
    if (url.scheme or not rest.startswith("///")) and rest.startswith("//"):
        authority, slash, path = rest[2:].partition("/")
        rest = slash + path
        user, at, host = authority.rpartition("@")
        url.host = _parse_host(host if at else authority)
        if at:
            if not _valid_userinfo(user):
                raise _URLError("invalid userinfo")
            _unescape(user, "other")
    _unescape(rest, "other")
    url.path = rest
    return url


# The URL grammar, matched against the whole original text (scheme and user info optional).
_IPV4 = (
    r"(?:[1-9]\d?|1\d\d|2[01]\d|22[0-3]|24\d|25[0-5])"
    r"(?:\.(?:\d{1,2}|1\d\d|2[0-4]\d|25[0-5])){2}"
    r"\.(?:[0-9]\d?|1\d\d|2[0-4]\d|25[0-5])"
)
_H16 = r"[0-9a-fA-F]{1,4}"
_V4 = r"(?:(?:25[0-5]|(?:2[0-4]|1?[0-9])?[0-9])\.){3}(?:25[0-5]|(?:2[0-4]|1?[0-9])?[0-9])"


def _ipv6_pattern() -> str:
    forms = [rf"(?:{_H16}:){{7}}{_H16}", rf"(?:{_H16}:){{1,7}}:"]
    for left in range(1, 7):
        forms.append(rf"(?:{_H16}:){{1,{left}}}(?::{_H16}){{1,{7 - left}}}")
    forms += [
        rf":(?:(?::{_H16}){{1,7}}|:)",
        r"fe80:(?::[0-9a-fA-F]{0,4}){0,4}%[0-9a-zA-Z]+",
        rf"::(?:ffff(?::0{{1,4}})?:)?{_V4}",
        rf"(?:{_H16}:){{1,4}}:{_V4}",
    ]
    return "(?:" + "|".join(forms) + ")"


_WORD = r"[a-zA-Z\x{00a1}-\x{ffff}0-9]"
_HOST_NAME = (
    r"(?:"
    r"(?:[a-zA-Z0-9](?:[a-zA-Z0-9\-_]+)?[a-zA-Z0-9](?:[\-.][a-zA-Z0-9]+)*)"
    r"|(?:www\.|[a-zA-Z0-9]+(?:[\-_.]?[a-zA-Z0-9])*[a-zA-Z0-9]\.[a-zA-Z0-9]+)?"
    r")?"
    rf"(?:{_WORD}+-?-?)*{_WORD}+"
    r"(?:\.[a-zA-Z\x{00a1}-\x{ffff}]+)?"
)
_URL_GRAMMAR = re2.compile(
    r"^(?:(?:ftp|tcp|udp|wss?|https?)://)?"
    r"(?:\S+(?::\S*)?@)?"
    rf"(?:{_IPV4}|\[{_ipv6_pattern()}\]|{_HOST_NAME})"
    r"\.?(?::\d{1,5})?"
    r"(?:[/?#]\S*)?$",
    _OPT,
)


def is_url(value: str) -> bool:
    """A web address as PocketBase's url field accepts it: an optional ftp/tcp/udp/ws(s)/http(s)
    scheme, optional user info, a host name or IP, optional port and path (`example.com`,
    `https://x.co:8080/a?b#c`, `mailto:a@b.co`), 4 to 2082 characters, parseable by Go."""
    if not value or len(value) >= 2083 or len(value.encode()) <= 3 or value.startswith("."):
        return False
    candidate = value
    if ":" in value and "://" not in value:
        candidate = "http://" + value  # a colon for a port only
    parsed = parse_go_url(candidate)
    if parsed is None or parsed.host.startswith("."):
        return False
    if parsed.host == "" and parsed.path != "" and "." not in parsed.path:
        return False
    return bool(_URL_GRAMMAR.search(value))
