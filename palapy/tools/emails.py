"""The email *shape* check PocketBase applies (`is.EmailFormat`): syntax only, no DNS.

Accepted: a dot-atom local part (ASCII letters, digits, the RFC 5322 specials, and the BMP
ranges U+00A0-U+D7FF, U+F900-U+FDCF, U+FDF0-U+FFEF); then `@` and at least two dot-separated
labels, the last one starting and ending with a letter; an optional final dot. Quoted local
parts (`"a b"@x.co`) are rejected, as PocketBase 0.40.6 was observed to reject them.

The grammar is checked in linear time (RE2 for the regular parts and one pass over the
domain): the email field, identity lookups and the CLI all take hostile input through here.
"""

from __future__ import annotations

import re2

__all__ = ["is_email_format"]

_OPT = re2.Options()
_OPT.log_errors = False

# Characters outside ASCII that the grammar accepts as letters.
_UNI = r"\x{00A0}-\x{D7FF}\x{F900}-\x{FDCF}\x{FDF0}-\x{FFEF}"
_ATEXT = r"a-zA-Z0-9!#$%&'*+\-/=?^_`{|}~" + _UNI
_LOCAL = re2.compile(rf"^[{_ATEXT}]+(?:\.[{_ATEXT}]+)*$", _OPT)
_DOMAIN_CHARS = re2.compile(rf"^[a-zA-Z0-9\-._~{_UNI}]+$", _OPT)
_ALNUM = re2.compile(rf"^[a-zA-Z0-9{_UNI}]$", _OPT)
_ALPHA = re2.compile(rf"^[a-zA-Z{_UNI}]$", _OPT)


def _domain_ok(domain: str) -> bool:
    """The host part: labels of letters/digits (inner `-._~` allowed) then a top-level label that
    starts and ends with a letter; one trailing dot is allowed."""
    if domain.endswith("."):
        domain = domain[:-1]
    if len(domain) < 3 or not _DOMAIN_CHARS.search(domain):
        return False
    if not _ALNUM.search(domain[0]) or not _ALPHA.search(domain[-1]):
        return False
    # Some dot must split "<alnum ... alnum>" from "<letter ... letter>".
    return any(
        domain[i] == "." and _ALNUM.search(domain[i - 1]) and _ALPHA.search(domain[i + 1])
        for i in range(1, len(domain) - 1)
    )


def is_email_format(value: str) -> bool:
    """True when `value` is shaped like an email address `local@domain`, e.g. `a@b.co` but not
    `a@b`, `a..b@c.co` or `a@1.2.3.4`."""
    local, sep, domain = value.rpartition("@")
    if not sep or not local or "@" in local:
        return False
    return bool(_LOCAL.search(local)) and _domain_ok(domain)
