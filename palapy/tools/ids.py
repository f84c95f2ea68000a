"""Identifiers as PocketBase derives them: record ids, collection ids, field ids."""

from __future__ import annotations

import functools
import secrets
import string
import zlib
from collections.abc import Container

__all__ = ["random_string", "random_id", "collection_id", "field_id", "ID_ALPHABET", "ALNUM"]

ID_ALPHABET = string.ascii_lowercase + string.digits
ALNUM = string.ascii_letters + string.digits


@functools.lru_cache(maxsize=16)
def _byte_map(alphabet: str) -> tuple[bytes, bytes]:
    """A translation table sending each usable random byte to a character of `alphabet`, and
    the bytes to drop: those at or above the largest multiple of its size (so each character
    stays uniform)."""
    size = len(alphabet)
    limit = 256 - 256 % size
    table = bytes(ord(alphabet[b % size]) if b < limit else 0 for b in range(256))
    return table, bytes(range(limit, 256))


def random_string(length: int, alphabet: str = ALNUM) -> str:
    """A cryptographically random string drawn uniformly from `alphabet`.

    One read of the OS random source per string, mapped onto the alphabet by rejection sampling
    in C (`bytes.translate`): a record create draws several of these (figures:
    docs/performance.md).
    """
    size = len(alphabet)
    if not 0 < size <= 256 or not alphabet.isascii():
        return "".join(secrets.choice(alphabet) for _ in range(length))
    table, drop = _byte_map(alphabet)
    out = b""
    while len(out) < length:
        # Enough bytes for the whole string in one read on average, a few more for rejects.
        out += secrets.token_bytes(length - len(out) + 8).translate(table, drop)
    return out[:length].decode("ascii")


def random_id() -> str:
    """A new record id: 15 characters of [a-z0-9]."""
    return random_string(15, ID_ALPHABET)


def _crc32(text: str) -> int:
    return zlib.crc32(text.encode()) & 0xFFFFFFFF


def collection_id(collection_type: str, name: str, taken: Container[str] = ()) -> str:
    """`pbc_` + crc32(type + name); on collision PocketBase appends 2, 3, ..."""
    base = f"pbc_{_crc32(collection_type + name)}"
    return _with_suffix(base, taken)


def field_id(field_type: str, name: str, taken: Container[str] = ()) -> str:
    """`type` + crc32(name), e.g. `text3208210256` for `id`; collisions get a numeric suffix."""
    return _with_suffix(f"{field_type}{_crc32(name)}", taken)


def _with_suffix(base: str, taken: Container[str]) -> str:
    candidate, n = base, 2
    while candidate in taken:
        candidate = f"{base}{n}"
        n += 1
    return candidate
