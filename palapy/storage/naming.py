"""Stored file names as PocketBase makes them: `snake_base_<10 random [a-z0-9]>.Ext`."""

from __future__ import annotations

import re

from palapy.storage.mime import extension_for
from palapy.tools.ids import ID_ALPHABET, random_string
from palapy.tools.inflector import snakecase

__all__ = ["generate_filename", "extract_extension"]

# Go's `\w` and `\W` are ASCII-only; spell the classes out so Python's Unicode rules do not apply.
_EXT_INVALID = re.compile(r"[^A-Za-z0-9_.*\-+=#]+")


def extract_extension(name: str) -> str:
    """The extension with its dot, double extensions included (`a.tar.gz` -> `.tar.gz`)."""
    primary = name.rfind(".")
    if primary == -1:
        return ""
    secondary = name.rfind(".", 0, primary)
    return name[secondary:] if secondary >= 0 else name[primary:]


def generate_filename(original: str, content: bytes = b"") -> str:
    """A new storage name for an upload called `original`.

    The extension keeps its case (invalid characters removed, last 20 characters kept, guessed
    from the content when missing); the base is snake-cased, cut to 100 characters and padded
    with 10 random characters when shorter than 3; a random part is always appended.
    """
    name = original[-300:] if len(original.encode()) > 300 else original
    original_ext = extract_extension(name)
    clean_ext = "." + _EXT_INVALID.sub("", original_ext).strip(".")
    if clean_ext == ".":
        clean_ext = extension_for(content)
    if len(clean_ext) > 20:
        clean_ext = "." + clean_ext[-20:].strip(".")

    base = name[: len(name) - len(original_ext)] if original_ext else name
    clean_name = snakecase(base.strip("."))
    if len(clean_name) < 3:
        clean_name += random_string(10, ID_ALPHABET)
    elif len(clean_name) > 100:
        clean_name = clean_name[:100]
    return f"{clean_name}_{random_string(10, ID_ALPHABET)}{clean_ext}"
