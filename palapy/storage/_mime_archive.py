"""Matchers of archives and compressed data: zip and the formats inside a zip (OOXML, JAR,
APK, KMZ, CRX), read from the local file headers in the head; tar by its header checksum;
Zstandard frames, cpio, zlib and InstallShield cabinets.
"""

from __future__ import annotations

from collections.abc import Iterator

from palapy.storage._mime_scan import Cursor, Matcher, u16le, u32le
from palapy.storage._mime_text import is_text

__all__ = ["MATCHERS"]


def _zip(raw: bytes, _limit: int = 0) -> bool:
    return len(raw) > 3 and raw[:2] == b"PK" and raw[2] in (3, 5, 7) and raw[3] in (4, 6, 8)


def _zip_names(raw: bytes) -> Iterator[bytes]:
    """Names of the local file headers found by scanning forward (names may be empty)."""
    s = Cursor(raw)
    while True:
        at = s.data.find(b"PK\x03\x04", s.pos)
        if at == -1:
            return
        s.pos = at
        if not s.advance(0x1A):
            return
        size = s.uint16()
        if size is None or not s.advance(2) or len(s) < size:
            return
        yield s.data[s.pos : s.pos + size]


def _zip_has(raw: bytes, names: tuple[bytes, ...], prefixes: tuple[bytes, ...], stop_after: int) -> bool:
    for index, name in enumerate(_zip_names(raw)):
        if index >= stop_after or not name:
            return False
        if name in names or name.startswith(prefixes):
            return True
    return False


_OOXML_FIRST = (b"_rels/", b"docProps/", b"customXml/", b"[trash]/")


def _ooxml(folder: bytes) -> Matcher:
    def match(raw: bytes, _limit: int) -> bool:
        for index, name in enumerate(_zip_names(raw)):
            if index >= 100 or not name:
                return False
            if name.startswith(folder):
                return True
            if index == 0 and name != b"[Content_Types].xml" and not name.startswith(_OOXML_FIRST):
                return False
        return False

    return match


def _jar(raw: bytes, _limit: int) -> bool:
    s = Cursor(raw)
    s.advance(0x1A)  # a failed step leaves the cursor where it was, as in mimetype
    offset = s.uint16()
    if offset is not None:
        s.advance(offset + 2)
        if s.uint16() == 0xCAFE:
            return True
    return _zip_has(raw, (b"META-INF/", b"META-INF/MANIFEST.MF"), (), 1)


def _zipflinger_end(raw: bytes) -> int:
    """Where the data continues after an Android zipflinger virtual entry at the start, or -1."""
    if raw.find(b"PK\x03\x04") == -1:
        return -1
    s = Cursor(raw, 8)
    if len(raw) < 8 or s.uint16() != 0 or not s.advance(4):
        return -1
    if s.uint32() != 0 or s.uint32() != 0 or s.uint32() != 0 or s.uint16() != 0:
        return -1
    extra = s.uint16()
    if extra is None or not s.advance(extra):
        return -1
    return s.pos


_APK_ENTRIES = (
    b"AndroidManifest.xml",
    b"META-INF/com/android/build/gradle/app-metadata.properties",
    b"classes.dex",
    b"resources.arsc",
    b"res/drawable",
)


def _apk(raw: bytes, _limit: int) -> bool:
    if _zipflinger_end(raw) != -1:
        return True
    return _zip_has(raw, _APK_ENTRIES, (), 100)


def _kmz(raw: bytes, _limit: int) -> bool:
    return _zip_has(raw, (b"doc.kml",), (), 100)


def _crx(raw: bytes, _limit: int) -> bool:
    if len(raw) < 16 or not raw.startswith(b"Cr24"):
        return False
    start = 16 + u32le(raw, 8) + u32le(raw, 12)
    return start <= len(raw) and _zip(raw[start:])


def _tar_octal(b: bytes) -> int:
    b = b.strip(b" \x00")
    if not b:
        return -1
    value = 0
    for c in b:
        if c == 0:
            break
        if not 48 <= c <= 55:
            return -1
        value = (value << 3) | (c - 48)
    return value


def _tar(raw: bytes, _limit: int) -> bool:
    if len(raw) < 512:
        return False
    header = raw[:512]
    if b"/gpkg-1\x00" in header[:100]:
        return False
    recorded = _tar_octal(header[148:156])
    if recorded == -1:
        return False
    blanked = header[:148] + b" " * 8 + header[156:]
    unsigned = sum(blanked)
    signed = sum(c - 256 if c > 127 else c for c in blanked)
    return recorded in (unsigned, signed)


def _zstd(raw: bytes, _limit: int) -> bool:
    if len(raw) < 4:
        return False
    magic = u32le(raw)
    return 0xFD2FB522 <= magic <= 0xFD2FB528 or 0x184D2A50 <= magic <= 0x184D2A5F


def _cpio(raw: bytes, _limit: int) -> bool:
    return len(raw) >= 6 and (u16le(raw) == 0o70707 or raw.startswith((b"070707", b"070701", b"070702")))


def _zlib(raw: bytes, _limit: int) -> bool:
    return len(raw) > 1 and raw[0] == 0x78 and int.from_bytes(raw[:2], "big") % 31 == 0 and not is_text(raw)


def _installshield_cab(raw: bytes, _limit: int) -> bool:
    return len(raw) > 7 and raw[:4] == b"ISc(" and raw[6] == 0 and raw[7] in (1, 2, 4)


MATCHERS: dict[str, Matcher] = {
    "zip": _zip,
    "docx": _ooxml(b"word/"),
    "pptx": _ooxml(b"ppt/"),
    "xlsx": _ooxml(b"xl/"),
    "visio": _ooxml(b"visio/"),
    "apk": _apk,
    "jar": _jar,
    "kmz": _kmz,
    "crx": _crx,
    "tar": _tar,
    "zstd": _zstd,
    "cpio": _cpio,
    "zlib": _zlib,
    "installshield_cab": _installshield_cab,
}
