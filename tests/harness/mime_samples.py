"""Small but real files of many formats, built in code, with the type PocketBase 0.40.6 detects.

Each `Sample` carries the content type PocketBase stores for it (`user.content_type` in the
`.attrs` sidecar), the extension it gives a name without one, and a type its file field's
`mimeTypes` must refuse (a parent in the type tree: detection never matches a parent).
Images come from Pillow, archives from the standard library, everything else is laid out by
hand from the formats' specifications (headers, boxes, chunks, pages) with no network.
"""

from __future__ import annotations

import bz2
import gzip
import io
import lzma
import sqlite3
import struct
import tarfile
import tempfile
import wave
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

__all__ = ["Sample", "SAMPLES", "OCTET"]

OCTET = "application/octet-stream"
UTF8_TEXT = "text/plain; charset=utf-8"


@dataclass(frozen=True)
class Sample:
    """One file: a slug `name`, its bytes, what PocketBase detects, and a type it must refuse."""

    name: str
    content: bytes
    content_type: str
    extension: str
    refused_by: str = OCTET


# --- images ----------------------------------------------------------------------------------


def _pillow(fmt: str, mode: str = "RGB", size: tuple[int, int] = (4, 3), **params: object) -> bytes:
    image = Image.new(mode, size, (200, 30, 40) if mode == "RGB" else 128)
    out = io.BytesIO()
    image.save(out, format=fmt, **params)
    return out.getvalue()


def _apng() -> bytes:
    frames = [Image.new("RGB", (4, 4), color) for color in ((255, 0, 0), (0, 0, 255))]
    out = io.BytesIO()
    frames[0].save(out, format="PNG", save_all=True, append_images=frames[1:], duration=100, loop=0)
    return out.getvalue()


def _box(kind: bytes, payload: bytes) -> bytes:
    """An ISO base media box: 32-bit size, type, payload."""
    return struct.pack(">I", 8 + len(payload)) + kind + payload


def _iso_media(major: bytes, *compatible: bytes) -> bytes:
    """An `ftyp` box naming the brands, then an empty `free` box and a small `mdat`."""
    ftyp = _box(b"ftyp", major + b"\x00\x00\x02\x00" + b"".join(compatible))
    return ftyp + _box(b"free", b"") + _box(b"mdat", bytes(range(32)))


def _psd() -> bytes:
    # Signature, version 1, 6 reserved bytes, 3 channels, 2x2, depth 8, RGB; empty sections.
    header = b"8BPS" + struct.pack(">H6xHIIHH", 1, 3, 2, 2, 8, 3)
    return header + struct.pack(">III", 0, 0, 0) + struct.pack(">H", 0) + bytes(12)


# --- audio and video -------------------------------------------------------------------------


def _wav() -> bytes:
    out = io.BytesIO()
    with wave.open(out, "wb") as writer:
        writer.setnchannels(1)
        writer.setsampwidth(2)
        writer.setframerate(8000)
        writer.writeframes(bytes(400))
    return out.getvalue()


def _aiff() -> bytes:
    # COMM: 1 channel, 100 frames, 16 bits, 8000 Hz as an 80-bit extended float.
    comm = struct.pack(">hIh", 1, 100, 16) + b"\x40\x0b\xfa\x00\x00\x00\x00\x00\x00\x00"
    ssnd = struct.pack(">II", 0, 0) + bytes(200)
    body = b"AIFF" + _chunk_be(b"COMM", comm) + _chunk_be(b"SSND", ssnd)
    return b"FORM" + struct.pack(">I", len(body)) + body


def _chunk_be(kind: bytes, payload: bytes) -> bytes:
    return kind + struct.pack(">I", len(payload)) + payload


def _chunk_le(kind: bytes, payload: bytes) -> bytes:
    return kind + struct.pack("<I", len(payload)) + payload + (b"\x00" if len(payload) % 2 else b"")


def _riff(form: bytes, *chunks: bytes) -> bytes:
    body = form + b"".join(chunks)
    return b"RIFF" + struct.pack("<I", len(body)) + body


def _avi() -> bytes:
    avih = _chunk_le(b"avih", struct.pack("<14I", 40000, 0, 0, 0, 1, 0, 1, 0, 4, 4, 0, 0, 0, 0))
    hdrl = _chunk_le(b"LIST", b"hdrl" + avih)
    movi = _chunk_le(b"LIST", b"movi")
    return _riff(b"AVI ", hdrl, movi)


# One MPEG-1 layer III frame header: 128 kbit/s, 44.1 kHz, no padding, stereo (417 bytes a frame).
_MP3_FRAME = b"\xff\xfb\x90\x00" + bytes(413)


def _mp3_with_id3() -> bytes:
    tag_frame = b"TIT2" + struct.pack(">I", 6) + b"\x00\x00" + b"\x00title"
    return b"ID3\x03\x00\x00" + bytes([0, 0, 0, len(tag_frame)]) + tag_frame + _MP3_FRAME * 3


def _mp3_after_junk() -> bytes:
    # Leading zero bytes hide the first header; mimetype finds the frames by scanning.
    return bytes(8) + _MP3_FRAME * 5


def _flac() -> bytes:
    streaminfo = struct.pack(">HH", 4096, 4096) + bytes(6) + b"\x0a\xc4\x40\xf0" + bytes(4) + bytes(16)
    padding = bytes(8)
    return (
        b"fLaC"
        + b"\x00"
        + len(streaminfo).to_bytes(3, "big")
        + streaminfo
        + b"\x81"
        + len(padding).to_bytes(3, "big")
        + padding
    )


def _ogg_crc(page: bytes) -> int:
    crc = 0
    for byte in page:
        crc ^= byte << 24
        for _ in range(8):
            crc = ((crc << 1) ^ 0x04C11DB7) if crc & 0x80000000 else crc << 1
            crc &= 0xFFFFFFFF
    return crc


def _ogg_page(packet: bytes) -> bytes:
    """A first (beginning-of-stream) Ogg page holding one packet of under 255 bytes."""
    header = b"OggS\x00\x02" + bytes(8) + struct.pack("<II", 0x1234, 0) + b"\x00\x00\x00\x00"
    page = header + bytes([1, len(packet)]) + packet
    return page[:22] + struct.pack("<I", _ogg_crc(page)) + page[26:]


def _vorbis_id() -> bytes:
    return b"\x01vorbis" + struct.pack("<IBIiii", 0, 1, 44100, 0, 128000, 0) + b"\xb8\x01"


def _opus_head() -> bytes:
    return b"OpusHead" + struct.pack("<BBHIhB", 1, 2, 312, 48000, 0, 0)


def _theora_id() -> bytes:
    return b"\x80theora" + bytes([3, 2, 1]) + struct.pack(">HH", 1, 1) + bytes(35)


def _midi() -> bytes:
    track = b"\x00\x90\x3c\x40\x60\x80\x3c\x40\x00\xff\x2f\x00"
    return b"MThd" + struct.pack(">IHHH", 6, 0, 1, 96) + b"MTrk" + struct.pack(">I", len(track)) + track


def _ebml(doc_type: bytes) -> bytes:
    """An EBML header naming the DocType, then an empty Segment of unknown size."""
    elements = (
        b"\x42\x86\x81\x01"  # EBMLVersion 1
        + b"\x42\xf7\x81\x01"  # EBMLReadVersion 1
        + b"\x42\xf2\x81\x04"  # EBMLMaxIDLength 4
        + b"\x42\xf3\x81\x08"  # EBMLMaxSizeLength 8
        + b"\x42\x82"
        + bytes([0x80 | len(doc_type)])
        + doc_type
        + b"\x42\x87\x81\x04"  # DocTypeVersion 4
        + b"\x42\x85\x81\x02"  # DocTypeReadVersion 2
    )
    return (
        b"\x1a\x45\xdf\xa3" + bytes([0x80 | len(elements)]) + elements + b"\x18\x53\x80\x67\x01" + b"\xff" * 7
    )


def _flv() -> bytes:
    return b"FLV\x01\x05" + struct.pack(">I", 9) + struct.pack(">I", 0)


# --- archives and documents ------------------------------------------------------------------


def _zip(entries: list[tuple[str, bytes]], stored_first: bool = False) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for index, (name, data) in enumerate(entries):
            method = zipfile.ZIP_STORED if stored_first and index == 0 else zipfile.ZIP_DEFLATED
            archive.writestr(
                zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0)), data, compress_type=method
            )
    return out.getvalue()


_RELS = b'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"/>'


def _ooxml(folder: str, part: str) -> bytes:
    return _zip(
        [
            (
                "[Content_Types].xml",
                b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
            ),
            ("_rels/.rels", _RELS),
            (f"{folder}/{part}", b'<?xml version="1.0"?><root/>'),
        ]
    )


def _opendocument(mime: str) -> bytes:
    return _zip(
        [("mimetype", mime.encode()), ("content.xml", b'<?xml version="1.0"?><office:document-content/>')],
        stored_first=True,
    )


def _tar() -> bytes:
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w", format=tarfile.USTAR_FORMAT) as archive:
        data = b"tar member\n"
        info = tarfile.TarInfo("member.txt")
        info.size = len(data)
        info.mtime = 1_700_000_000
        archive.addfile(info, io.BytesIO(data))
    return out.getvalue()


def _sqlite() -> bytes:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "sample.db"
        conn = sqlite3.connect(path)
        conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
        conn.execute("INSERT INTO notes (body) VALUES ('hello')")
        conn.commit()
        conn.close()
        return path.read_bytes()


def _pdf() -> bytes:
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 72 72] >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def _compound_file(stream_name: str) -> bytes:
    """A version 3 compound (OLE2) file: header, one FAT sector, one directory sector, and a
    4096-byte stream called `stream_name` in sectors 2..9."""
    free, end, fat_sector = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD
    header = (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
        + bytes(16)
        + struct.pack("<HHHHH6xIIIIIIIII", 0x3E, 3, 0xFFFE, 9, 6, 0, 1, 1, 0, 4096, end, 0, end, 0)
        + struct.pack("<I", 0)
        + struct.pack("<I", free) * 108
    )
    fat = [fat_sector, end, *range(3, 10), end]
    fat_bytes = struct.pack(f"<{len(fat)}I", *fat) + struct.pack("<I", free) * (128 - len(fat))

    def entry(name: str, kind: int, child: int, start: int, size: int) -> bytes:
        encoded = name.encode("utf-16-le") + b"\x00\x00"
        return (
            encoded.ljust(64, b"\x00")
            + struct.pack("<HBB", len(encoded), kind, 1)
            + struct.pack("<III", free, free, child)
            + bytes(16 + 4 + 16)
            + struct.pack("<IQ", start, size)
        )

    directory = entry("Root Entry", 5, 1, end, 0) + entry(stream_name, 2, free, 2, 4096) + bytes(128) * 2
    return header + fat_bytes + directory + bytes(range(256)) * 16


# --- fonts and executables -------------------------------------------------------------------


def _sfnt(version: bytes, tag: bytes) -> bytes:
    """An SFNT font with one table (`tag`) of 16 bytes."""
    table = bytes(range(16))
    return (
        version
        + struct.pack(">HHHH", 1, 16, 0, 0)
        + tag
        + struct.pack(">III", 0, 28, len(table))
        + table
        + bytes(24)
    )


def _woff(signature: bytes, header_size: int) -> bytes:
    font = _sfnt(b"\x00\x01\x00\x00", b"cmap")
    header = signature + b"\x00\x01\x00\x00" + struct.pack(">I", header_size + len(font))
    return header + bytes(header_size - len(header)) + font


def _elf(kind: int) -> bytes:
    ident = b"\x7fELF\x02\x01\x01" + bytes(9)
    rest = struct.pack("<HHIQQQIHHHHHH", kind, 0x3E, 1, 0x401000, 64, 0, 0, 64, 56, 0, 64, 0, 0)
    return ident + rest + bytes(64)


def _exe() -> bytes:
    dos = b"MZ" + struct.pack("<13H", 0x90, 3, 0, 4, 0, 0xFFFF, 0, 0xB8, 0, 0, 0, 0x40, 0) + bytes(32)
    dos += struct.pack("<I", 64)
    return dos + b"PE\x00\x00" + struct.pack("<HHIIIHH", 0x8664, 0, 0, 0, 0, 0xF0, 0x22) + bytes(64)


def _java_class() -> bytes:
    return (
        b"\xca\xfe\xba\xbe"
        + struct.pack(">HH", 0, 52)
        + struct.pack(">H", 1)
        + struct.pack(">HHHHHH", 0x21, 0, 0, 0, 0, 0)
        + bytes(6)
    )


# --- text ------------------------------------------------------------------------------------

_SVG = b'<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"><rect width="4" height="4"/></svg>\n'


def _text_with_binary_byte_at(position: int) -> bytes:
    return b"a" * position + b"\x00" + b"b" * 200


def _table(rows: int, sep: str) -> bytes:
    lines = [sep.join(("id", "name", "score"))] + [
        sep.join((str(i), f"row{i}", str(i * 3))) for i in range(rows)
    ]
    return ("\n".join(lines) + "\n").encode()


_BUILDERS: list[tuple[str, Callable[[], bytes], str, str, str]] = [
    # (name, builder, content type, extension, a type that must refuse it)
    ("png", lambda: _pillow("PNG"), "image/png", ".png", OCTET),
    ("apng", _apng, "image/apng", ".apng", "image/png"),
    ("jpeg", lambda: _pillow("JPEG"), "image/jpeg", ".jpg", OCTET),
    ("gif", lambda: _pillow("GIF"), "image/gif", ".gif", OCTET),
    ("webp", lambda: _pillow("WEBP"), "image/webp", ".webp", OCTET),
    ("bmp", lambda: _pillow("BMP"), "image/bmp", ".bmp", OCTET),
    ("tiff", lambda: _pillow("TIFF"), "image/tiff", ".tiff", OCTET),
    ("ico", lambda: _pillow("ICO", size=(16, 16)), "image/x-icon", ".ico", OCTET),
    ("avif", lambda: _pillow("AVIF"), "image/avif", ".avif", "video/mp4"),
    ("heic", lambda: _iso_media(b"heic", b"mif1", b"heic"), "image/heic", ".heic", "video/mp4"),
    ("heif", lambda: _iso_media(b"mif1", b"mif1"), "image/heif", ".heif", "video/mp4"),
    ("psd", _psd, "image/vnd.adobe.photoshop", ".psd", OCTET),
    ("ppm_ascii", lambda: b"P3\n2 1\n255\n255 0 0 0 0 255\n", "image/x-portable-pixmap", ".ppm", "text/plain"),
    # Netpbm sits under text in the tree: a binary P6 (as Pillow writes it) is not recognised.
    ("ppm_binary", lambda: _pillow("PPM"), OCTET, "", "image/x-portable-pixmap"),
    ("svg", lambda: _SVG, "image/svg+xml", ".svg", "text/plain"),
    ("svg_declared", lambda: b'<?xml version="1.0" encoding="UTF-8"?>\n' + _SVG, "image/svg+xml", ".svg", "text/xml"),
    ("wav", _wav, "audio/wav", ".wav", OCTET),
    ("aiff", _aiff, "audio/aiff", ".aiff", OCTET),
    ("mp3_id3", _mp3_with_id3, "audio/mpeg", ".mp3", OCTET),
    ("mp3_frames", _mp3_after_junk, "audio/mpeg", ".mp3", OCTET),
    ("flac", _flac, "audio/flac", ".flac", OCTET),
    ("ogg_vorbis", lambda: _ogg_page(_vorbis_id()), "audio/ogg", ".oga", "application/ogg"),
    ("ogg_opus", lambda: _ogg_page(_opus_head()), "audio/ogg", ".oga", "application/ogg"),
    ("ogg_theora", lambda: _ogg_page(_theora_id()), "video/ogg", ".ogv", "application/ogg"),
    ("midi", _midi, "audio/midi", ".midi", OCTET),
    ("mp4", lambda: _iso_media(b"isom", b"isom", b"mp41"), "video/mp4", ".mp4", OCTET),
    ("m4a", lambda: _iso_media(b"M4A ", b"M4A ", b"mp42"), "audio/x-m4a", ".m4a", "video/mp4"),
    ("mov", lambda: _iso_media(b"qt  ", b"qt  "), "video/quicktime", ".mov", "video/mp4"),
    ("3gp", lambda: _iso_media(b"3gp4", b"3gp4", b"isom"), "video/3gpp", ".3gp", "video/mp4"),
    ("webm", lambda: _ebml(b"webm"), "video/webm", ".webm", OCTET),
    ("mkv", lambda: _ebml(b"matroska"), "video/matroska", ".mkv", OCTET),
    ("avi", _avi, "video/x-msvideo", ".avi", OCTET),
    ("flv", _flv, "video/x-flv", ".flv", OCTET),
    ("zip", lambda: _zip([("a.txt", b"hello"), ("b.txt", b"world")]), "application/zip", ".zip", OCTET),
    ("docx", lambda: _ooxml("word", "document.xml"),
     "application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".docx", "application/zip"),
    ("xlsx", lambda: _ooxml("xl", "workbook.xml"),
     "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx", "application/zip"),
    ("pptx", lambda: _ooxml("ppt", "presentation.xml"),
     "application/vnd.openxmlformats-officedocument.presentationml.presentation", ".pptx", "application/zip"),
    ("odt", lambda: _opendocument("application/vnd.oasis.opendocument.text"),
     "application/vnd.oasis.opendocument.text", ".odt", "application/zip"),
    ("ods", lambda: _opendocument("application/vnd.oasis.opendocument.spreadsheet"),
     "application/vnd.oasis.opendocument.spreadsheet", ".ods", "application/zip"),
    ("epub", lambda: _opendocument("application/epub+zip"), "application/epub+zip", ".epub", "application/zip"),
    ("jar", lambda: _zip([("META-INF/MANIFEST.MF", b"Manifest-Version: 1.0\r\n\r\n"), ("A.class", _java_class())]),
     "application/java-archive", ".jar", "application/zip"),
    ("apk", lambda: _zip([("AndroidManifest.xml", bytes(64)), ("classes.dex", b"dex\n035\x00" + bytes(104))]),
     "application/vnd.android.package-archive", ".apk", "application/java-archive"),
    ("doc", lambda: _compound_file("WordDocument"), "application/msword", ".doc", "application/x-ole-storage"),
    ("xls", lambda: _compound_file("Workbook"), "application/vnd.ms-excel", ".xls", "application/x-ole-storage"),
    ("ppt", lambda: _compound_file("PowerPoint Document"), "application/vnd.ms-powerpoint", ".ppt",
     "application/x-ole-storage"),
    ("ole", lambda: _compound_file("Contents"), "application/x-ole-storage", "", OCTET),
    ("gzip", lambda: gzip.compress(b"hello gzip\n" * 20, mtime=0), "application/gzip", ".gz", OCTET),
    ("bzip2", lambda: bz2.compress(b"hello bzip2\n" * 20), "application/x-bzip2", ".bz2", OCTET),
    ("xz", lambda: lzma.compress(b"hello xz\n" * 20), "application/x-xz", ".xz", OCTET),
    ("zstd", lambda: b"\x28\xb5\x2f\xfd\x20\x00\x01\x00\x00", "application/zstd", ".zst", OCTET),
    ("7z", lambda: b"7z\xbc\xaf\x27\x1c\x00\x04" + bytes(24), "application/x-7z-compressed", ".7z", OCTET),
    ("rar", lambda: b"Rar!\x1a\x07\x01\x00" + bytes(24), "application/vnd.rar", ".rar", OCTET),
    ("tar", _tar, "application/x-tar", ".tar", OCTET),
    ("pdf", _pdf, "application/pdf", ".pdf", OCTET),
    ("postscript", lambda: b"%!PS-Adobe-3.0\n%%BoundingBox: 0 0 10 10\nshowpage\n%%EOF\n",
     "application/postscript", ".ps", OCTET),
    ("rtf", lambda: b"{\\rtf1\\ansi{\\fonttbl\\f0 Arial;}\\f0 Hello.}\n", "text/rtf", ".rtf", "text/plain"),
    ("sqlite", _sqlite, "application/vnd.sqlite3", ".sqlite", OCTET),
    ("wasm", lambda: b"\x00asm\x01\x00\x00\x00\x01\x04\x01\x60\x00\x00", "application/wasm", ".wasm", OCTET),
    ("elf_executable", lambda: _elf(2), "application/x-executable", "", "application/x-elf"),
    ("elf_library", lambda: _elf(3), "application/x-sharedlib", ".so", "application/x-elf"),
    ("exe", _exe, "application/vnd.microsoft.portable-executable", ".exe", OCTET),
    ("java_class", _java_class, "application/x-java-applet", ".class", OCTET),
    ("woff", lambda: _woff(b"wOFF", 44), "font/woff", ".woff", OCTET),
    ("woff2", lambda: _woff(b"wOF2", 48), "font/woff2", ".woff2", OCTET),
    ("ttf", lambda: _sfnt(b"\x00\x01\x00\x00", b"cmap"), "font/ttf", ".ttf", OCTET),
    ("otf", lambda: _sfnt(b"OTTO", b"CFF "), "font/otf", ".otf", OCTET),
    ("plain_text", lambda: b"Just some words.\nAnd a second line.\n", UTF8_TEXT, ".txt", OCTET),
    ("utf8_bom", lambda: "\ufeffcaf\u00e9 au lait\n".encode(), UTF8_TEXT, ".txt", OCTET),
    ("utf16le_bom", lambda: "\ufeffhello, world\n".encode("utf-16-le"), "text/plain; charset=utf-16le", ".txt", OCTET),
    ("utf16be_bom", lambda: "\ufeffhello\n".encode("utf-16-be"), "text/plain; charset=utf-16be", ".txt", OCTET),
    ("latin1", lambda: "na\u00efve caf\u00e9\n".encode("latin-1"), "text/plain; charset=iso-8859-1", ".txt", OCTET),
    # 0x85 is NEL, the one C1 byte libmagic's table counts as text: PocketBase calls it windows-1252.
    ("windows1252", lambda: b"wait\x85 what\n", "text/plain; charset=windows-1252", ".txt", OCTET),
    # Other C1 bytes (here smart quotes) are not text to that table: no charset at all.
    ("c1_quotes", lambda: b"\x93quoted\x94 words\n", "text/plain", ".txt", OCTET),
    ("html", lambda: b"<!DOCTYPE html>\n<html><head><title>t</title></head><body><p>hi</p></body></html>\n",
     "text/html; charset=utf-8", ".html", "text/plain"),
    # The charset named by the meta tag is kept as written (upper case).
    ("html_meta_charset", lambda: b'<html><head><meta charset="ISO-8859-1"><title>x</title></head></html>',
     "text/html; charset=ISO-8859-1", ".html", "text/plain"),
    ("xml", lambda: b'<?xml version="1.0" encoding="UTF-8"?>\n<note><to>you</to></note>\n',
     "text/xml; charset=UTF-8", ".xml", "text/plain"),
    ("xhtml", lambda: b'<?xml version="1.0"?>\n<html xmlns="http://www.w3.org/1999/xhtml"><body/></html>\n',
     "application/xhtml+xml", ".html", "text/xml"),
    ("rss", lambda: b'<?xml version="1.0"?>\n<rss version="2.0"><channel><title>t</title></channel></rss>\n',
     "application/rss+xml", ".rss", "text/xml"),
    ("json_object", lambda: b'{"name": "palapy", "tags": ["a", "b"], "n": 1.5e3, "ok": true}\n',
     "application/json", ".json", "text/plain"),
    ("json_array", lambda: b"[1, 2, [3, {\"a\": null}]]", "application/json", ".json", "text/plain"),
    # A lone bracket counts as (cut-off) JSON for mimetype's tolerant parser.
    ("json_lone_bracket", lambda: b"[", "application/json", ".json", "text/plain"),
    ("geojson", lambda: b'{"type": "Feature", "geometry": {"type": "Point", "coordinates": [1, 2]}}',
     "application/geo+json", ".geojson", "application/json"),
    ("ndjson", lambda: b'{"a": 1}\n{"a": 2}\n{"a": 3}\n', "application/x-ndjson", ".ndjson", "text/plain"),
    ("csv", lambda: _table(4, ","), "text/csv", ".csv", "text/plain"),
    ("tsv", lambda: _table(4, "\t"), "text/tab-separated-values", ".tsv", "text/plain"),
    ("shell", lambda: b"#!/bin/sh\necho hello\n", "text/x-shellscript", ".sh", "text/plain"),
    ("python", lambda: b"#!/usr/bin/env python3\nprint('hi')\n", "text/x-python", ".py", "text/plain"),
    ("vcard", lambda: b"BEGIN:VCARD\nVERSION:3.0\nFN:Ada\nEND:VCARD\n", "text/vcard", ".vcf", "text/plain"),
    ("icalendar", lambda: b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n", "text/calendar", ".ics", "text/plain"),
    ("srt", lambda: b"1\n00:00:01,000 --> 00:00:02,500\nHello there.\n\n", "application/x-subrip", ".srt", "text/plain"),
    ("vtt", lambda: b"WEBVTT\n\n00:01.000 --> 00:02.000\nHello.\n", "text/vtt", ".vtt", "text/plain"),
    ("email", lambda: b"From: a@example.com\nTo: b@example.com\nSubject: hi\n\nbody\n", "message/rfc822", ".eml",
     "text/plain"),
    # Detection ignores the name: a PNG called notes.txt is still a PNG (see the test's names).
    ("random_bytes", lambda: bytes((i * 37 + 11) % 256 for i in range(300)), OCTET, "", "text/plain"),
    # Only the first 4096 bytes are read: a NUL at 4000 makes it binary, one at 5000 does not.
    ("nul_at_4000", lambda: _text_with_binary_byte_at(4000), OCTET, "", "text/plain"),
    ("nul_at_5000", lambda: _text_with_binary_byte_at(5000), UTF8_TEXT, ".txt", OCTET),
    # An empty file is text with no charset to find.
    ("empty", lambda: b"", "text/plain", ".txt", OCTET),
]  # fmt: skip

SAMPLES: tuple[Sample, ...] = tuple(
    Sample(name, build(), content_type, extension, refused_by)
    for name, build, content_type, extension, refused_by in _BUILDERS
)
