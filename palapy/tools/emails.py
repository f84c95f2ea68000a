"""The email *shape* check PocketBase applies (`is.EmailFormat`): syntax only, no DNS.

Accepted: a dot-atom local part (ASCII letters, digits, the RFC 5322 specials, and the BMP
ranges U+00A0-U+D7FF, U+F900-U+FDCF, U+FDF0-U+FFEF); then `@` and at least two dot-separated
labels, the last one starting and ending with a letter; an optional final dot. Quoted local
parts (`"a b"@x.co`) are rejected, as PocketBase 0.40.6 was observed to reject them.
"""

from __future__ import annotations

import re

__all__ = ["is_email_format"]

_UCS = "\u00a0-\ud7ff\uf900-\ufdcf\ufdf0-\uffef"
_ATEXT = f"A-Za-z0-9!#$%&'*+\\-/=?^_`{{|}}~{_UCS}"
_DOT_ATOM = f"[{_ATEXT}]+(?:\\.[{_ATEXT}]+)*"
_ALNUM = f"A-Za-z0-9{_UCS}"
_ALPHA = f"A-Za-z{_UCS}"
_INNER = f"A-Za-z0-9\\-._~{_UCS}"
_LABEL = f"[{_ALNUM}](?:[{_INNER}]*[{_ALNUM}])?"
_TLD = f"[{_ALPHA}](?:[{_INNER}]*[{_ALPHA}])?"
_EMAIL = re.compile(f"{_DOT_ATOM}@(?:{_LABEL}\\.)+{_TLD}\\.?")


def is_email_format(value: str) -> bool:
    """True when `value` is shaped like an email address (the whole string must match)."""
    return bool(value) and _EMAIL.fullmatch(value) is not None
