"""Content sniffing exactly as PocketBase 0.40.6 does it (Go mimetype v1.4.15).

PocketBase detects an upload's type from its first 4096 bytes, never from the file name or the
client's header: the detected type (with a charset parameter for plain text, HTML and XML) goes
to the stored `user.content_type`, its extension names a file uploaded without one, and a file
field's `mimeTypes` accepts the detected type or one of its aliases (`content_type_is`).

The type tree is data (`_mime_tree.ROOT`); this module compiles each node's signature into a
matcher and walks the tree: from the root, descend into the first child whose signature
matches, and stop at the deepest node none of whose children match. The matchers `Check`
names live with their family, each module listing its own (`MATCHERS`): text formats
(`_mime_text`), JSON (`_mime_json`), archives (`_mime_archive`), OLE compound files
(`_mime_ole`), media (`_mime_media`) and other binary formats (`_mime_binary`). Charsets come
from `_mime_charset`, media type strings are read and written by `_mime_params`, and all of
them read bytes through `_mime_scan`.
"""

from __future__ import annotations

from collections.abc import Iterator

from palapy.storage import _mime_archive, _mime_binary, _mime_json, _mime_media, _mime_ole, _mime_text
from palapy.storage._mime_charset import CHARSETS
from palapy.storage._mime_json import json_like
from palapy.storage._mime_params import format_media_type, parse_media_type
from palapy.storage._mime_scan import Matcher
from palapy.storage._mime_text import ci_prefix, markup, shebang, xml_root
from palapy.storage._mime_tree import (
    ROOT,
    Check,
    Chunk,
    CiPrefix,
    Ftyp,
    JsonQuery,
    Kind,
    Markup,
    Prefix,
    Shebang,
    Signature,
    XmlRoot,
)

__all__ = [
    "SNIFF_LIMIT",
    "sniff_content_type",
    "extension_for",
    "content_type_is",
    "blob_content_type",
    "detect",
]

# How many leading bytes detection reads (mimetype v1.4.15's default read limit).
SNIFF_LIMIT = 4096


# Every name a `Check` may use; each family module owns a disjoint part (checked by the tests).
_MATCHERS: dict[str, Matcher] = {
    "anything": lambda _raw, _limit: True,
    **_mime_text.MATCHERS,
    **_mime_json.MATCHERS,
    **_mime_archive.MATCHERS,
    **_mime_ole.MATCHERS,
    **_mime_media.MATCHERS,
    **_mime_binary.MATCHERS,
}


def _compile(signature: Signature) -> Matcher:
    """The matcher function for one node's signature."""
    match signature:
        case Prefix(sigs, 0):
            return lambda raw, _limit: raw.startswith(sigs)
        case Prefix(sigs, offset):
            return lambda raw, _limit: raw.startswith(sigs, offset)
        case Chunk(head, form):
            return lambda raw, _limit: (
                len(raw) > 8 + len(form) and raw.startswith(head) and raw.startswith(form, 8)
            )
        case Ftyp(brands):
            return lambda raw, _limit: len(raw) >= 12 and raw[8:12] in brands
        case Markup(tags):
            return lambda raw, _limit: markup(raw, tags)
        case XmlRoot(pairs):
            return lambda raw, _limit: xml_root(raw, pairs)
        case Shebang(interpreters):
            return lambda raw, _limit: shebang(raw, interpreters)
        case CiPrefix(sigs):
            return lambda raw, _limit: ci_prefix(raw, sigs)
        case JsonQuery(query, arrays):
            return lambda raw, limit: json_like(raw, limit, query, arrays)
        case Check(name):
            return _MATCHERS[name]
    raise TypeError(f"unknown signature {signature!r}")


class _Node:
    """A tree node with its compiled matcher."""

    __slots__ = ("kind", "matches", "children")

    def __init__(self, kind: Kind) -> None:
        self.kind = kind
        self.matches = _compile(kind.signature)
        self.children = tuple(_Node(child) for child in kind.children)


_TREE = _Node(ROOT)


def _walk(kind: Kind) -> Iterator[Kind]:
    yield kind
    for child in kind.children:
        yield from _walk(child)


# Aliases by MIME type: every node of one type carries the same aliases (checked by the tests).
_ALIASES: dict[str, tuple[str, ...]] = {k.mime: k.aliases for k in _walk(ROOT)}


def detect(head: bytes) -> tuple[Kind, str]:
    """The deepest matching node for the first `SNIFF_LIMIT` bytes of `head`, and its charset
    ("" unless the node is plain text, HTML or XML and one was found)."""
    raw = bytes(head[:SNIFF_LIMIT])
    node = _TREE
    while True:
        for child in node.children:
            if child.matches(raw, SNIFF_LIMIT):
                node = child
                break
        else:
            break
    kind = node.kind
    if not kind.charset:
        return kind, ""
    return kind, CHARSETS[kind.charset](raw[:1024])


def sniff_content_type(head: bytes, filename: str = "") -> str:
    """The MIME type PocketBase stores for content starting with `head`, e.g. `image/png` or
    `text/plain; charset=utf-8`. `filename` is accepted for callers and ignored, as PocketBase
    ignores it."""
    kind, charset = detect(head)
    return f"{kind.mime}; charset={charset}" if charset else kind.mime


def extension_for(head: bytes) -> str:
    """The extension (with its dot) PocketBase gives a name without one, or "" when none."""
    return detect(head)[0].extension


def blob_content_type(content_type: str) -> str:
    """The content type PocketBase's blob writer stores for `content_type` (Go's parse and
    format round trip). Raises ValueError where that writer refuses it, which fails the upload."""
    media, params, failed = parse_media_type(content_type)
    if failed:
        raise ValueError(f"mime: invalid media type or parameter in {content_type!r}")
    return format_media_type(media, params)


def content_type_is(content_type: str, expected: str) -> bool:
    """Whether a detected `content_type` satisfies `expected` from a field's `mimeTypes`: the
    same media type (parameters and case ignored) or one of the detected type's aliases."""
    wanted = parse_media_type(expected)[0]
    found = parse_media_type(content_type)[0]
    return (wanted == found and found != "") or wanted in _ALIASES.get(found, ())
