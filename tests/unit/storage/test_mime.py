"""Content sniffing as mimetype v1.4.15 (PocketBase 0.40.6) does it: the type tree, the matchers,
charsets, `mimeTypes` matching and the content type the blob writer stores.

The sample files are the ones `tests/api/test_file_mime.py` proves against the real binary.
"""

from __future__ import annotations

import pytest

from palapy.storage import (
    _mime_archive,
    _mime_binary,
    _mime_json,
    _mime_media,
    _mime_ole,
    _mime_text,
    _mime_tree,
    mime,
)
from palapy.storage.mime import (
    SNIFF_LIMIT,
    blob_content_type,
    content_type_is,
    detect,
    extension_for,
    sniff_content_type,
)
from tests.harness.mime_samples import SAMPLES, Sample


def _kinds(kind: _mime_tree.Kind) -> list[_mime_tree.Kind]:
    return [kind, *(k for child in kind.children for k in _kinds(child))]


ALL_KINDS = _kinds(_mime_tree.ROOT)


@pytest.mark.parametrize("sample", SAMPLES, ids=[s.name for s in SAMPLES])
def test_samples(sample: Sample) -> None:
    assert sniff_content_type(sample.content) == sample.content_type
    assert extension_for(sample.content) == sample.extension


@pytest.mark.parametrize(
    ("head", "content_type", "extension"),
    [
        # Magic numbers at the start.
        (b"\x89PNG\r\n\x1a\n" + bytes(16), "image/png", ".png"),
        (b"\xff\xd8\xff\xe0" + bytes(16), "image/jpeg", ".jpg"),
        (b"GIF87a" + bytes(8), "image/gif", ".gif"),
        (b"%PDF-1.7\n", "application/pdf", ".pdf"),
        (b"junk then %PDF-1.4\n", "application/pdf", ".pdf"),
        (b"PK\x03\x04\x14\x00" + bytes(20) + b"\x05\x00\x00\x00a.txt", "application/zip", ".zip"),
        # A first entry with no name, method, sizes or CRC is an Android zipflinger entry.
        (b"PK\x03\x04" + bytes(26), "application/vnd.android.package-archive", ".apk"),
        (b"PK\x05\x06" + bytes(18), "application/zip", ".zip"),
        (b"\x1f\x8b\x08\x00", "application/gzip", ".gz"),
        (b"BZh91AY", "application/x-bzip2", ".bz2"),
        (b"\xfd7zXZ\x00\x00", "application/x-xz", ".xz"),
        (b"\x28\xb5\x2f\xfd\x00", "application/zstd", ".zst"),
        (b"Rar!\x1a\x07\x00", "application/vnd.rar", ".rar"),
        (b"7z\xbc\xaf\x27\x1c", "application/x-7z-compressed", ".7z"),
        (b"\x00asm\x01\x00\x00\x00", "application/wasm", ".wasm"),
        (b"SQLite format 3\x00", "application/vnd.sqlite3", ".sqlite"),
        (b"wOFF\x00\x01\x00\x00", "font/woff", ".woff"),
        (b"wOF2\x00\x01\x00\x00", "font/woff2", ".woff2"),
        (b"MThd\x00\x00\x00\x06", "audio/midi", ".midi"),
        (b"fLaC\x00\x00\x00\x22", "audio/flac", ".flac"),
        (b"fLaC\x80\x00\x00\x22", "application/octet-stream", ""),
        (b"OggS\x00\x02" + bytes(40), "application/ogg", ".ogg"),
        (b"FLV\x01\x05", "video/x-flv", ".flv"),
        (b"MZ\x90\x00", "application/vnd.microsoft.portable-executable", ".exe"),
        (b"\x7fELF\x02\x01\x01" + bytes(9) + b"\x01\x00", "application/x-object", ""),
        (b"\x7fELF\x02\x01\x01" + bytes(9) + b"\x04\x00", "application/x-coredump", ""),
        (b"\x7fELF", "application/x-elf", ""),
        (b"\xca\xfe\xba\xbe\x00\x00\x00\x34", "application/x-java-applet", ".class"),
        (b"\xca\xfe\xba\xbe\x00\x00\x00\x02", "application/x-mach-binary", ".macho"),
        (b"\xcf\xfa\xed\xfe\x07\x00\x00\x01", "application/x-mach-binary", ".macho"),
        (b"!<arch>\ndebian-binary   ", "application/vnd.debian.binary-package", ".deb"),
        (b"!<arch>\nfoo.o/          ", "application/x-archive", ".a"),
        (b"{\\rtf1 hi}", "text/rtf", ".rtf"),
        (b"%!PS-Adobe-3.0\n", "application/postscript", ".ps"),
        # RIFF forms need a byte past the form name.
        (b"RIFF\x10\x10\x10\x10WEBPVP8 ", "image/webp", ".webp"),
        (b"RIFF\x10\x10\x10\x10WEBP", "application/octet-stream", ""),
        (b"RIFF\x10\x10\x10\x10AVI LIST", "application/octet-stream", ""),
        (b"RIFF\x10\x10\x10\x10AVI LISTx", "video/x-msvideo", ".avi"),
        # ftyp brands under video/mp4; `qt  ` is QuickTime, checked before MP4.
        (b"\x00\x00\x00\x18ftypavis\x00\x00\x00\x00", "image/avif", ".avif"),
        (b"\x00\x00\x00\x18ftypheix\x00\x00\x00\x00", "image/heic", ".heic"),
        (b"\x00\x00\x00\x18ftyphevc\x00\x00\x00\x00", "image/heic-sequence", ".heic"),
        (b"\x00\x00\x00\x18ftypmsf1\x00\x00\x00\x00", "image/heif-sequence", ".heif"),
        (b"\x00\x00\x00\x18ftypM4V \x00\x00\x00\x00", "video/x-m4v", ".m4v"),
        (b"\x00\x00\x00\x18ftypM4B \x00\x00\x00\x00", "audio/mp4", ".mp4"),
        (b"\x00\x00\x00\x18ftyp3g2a\x00\x00\x00\x00", "video/3gpp2", ".3g2"),
        (b"\x00\x00\x00\x18ftypmqt \x00\x00\x00\x00", "video/quicktime", ".mqv"),
        (b"\x00\x00\x00\x14ftypqt  \x00\x00\x00\x00", "video/quicktime", ".mov"),
        (b"\x00\x00\x00\x08wide\x00\x00\x00\x00mdat", "video/quicktime", ".mov"),
        (b"\x00\x00\x00\x18ftypdash\x00\x00\x00\x00", "video/mp4", ".mp4"),
        # A text file that happens to hold `ftyp` at 4 is not MP4 (the size's first byte is 0).
        (b"abcdftypisom and more", "text/plain; charset=utf-8", ".txt"),
        # MPEG audio: a frame sync at the start, or an ADTS header.
        (b"\xff\xfb\x90\x00", "audio/mpeg", ".mp3"),
        (b"\xff\xf1\x50\x80", "audio/aac", ".aac"),
        # ICO type 2 with a non-zero byte 6 passes the Lotus check, which runs first.
        (b"\x00\x00\x02\x00\x01\x00\x10\x00" + bytes(14), "application/vnd.lotus-1-2-3", ".123"),
        (b"\x00\x00\x02\x00\x01\x00\x00\x00" + bytes(14), "image/x-icon", ".ico"),
        (b"\x00\x00\x01\x00\x01\x00\x10\x10", "image/x-icon", ".ico"),
        # zlib only when the bytes are not text.
        (b"x\x9c\x03\x00\x00\x00\x00\x01", "application/zlib", ""),
        (b"x^ plain", "text/plain; charset=utf-8", ".txt"),
    ],
)
def test_signatures(head: bytes, content_type: str, extension: str) -> None:
    assert sniff_content_type(head) == content_type
    assert extension_for(head) == extension


@pytest.mark.parametrize(
    ("head", "content_type"),
    [
        (b"", "text/plain"),
        (b"hello", "text/plain; charset=utf-8"),
        (b"abc\xe9", "text/plain; charset=utf-8"),  # a cut-off last rune is forgiven
        (b"\xe9abc", "text/plain; charset=iso-8859-1"),
        (b"\x85abc", "text/plain; charset=windows-1252"),
        (b"\x80abc", "text/plain"),
        (b"\xef\xbb\xbfhi", "text/plain; charset=utf-8"),
        (b"\xff\xfeh\x00", "text/plain; charset=utf-16le"),
        (b"\xfe\xff\x00h", "text/plain; charset=utf-16be"),
        (b"\xff\xfe\x00\x00h\x00\x00\x00", "text/plain; charset=utf-32le"),
        (b"\x00\x00\xfe\xff\x00\x00\x00h", "text/plain; charset=utf-32be"),
        (b"hello\x1bworld", "text/plain; charset=utf-8"),  # ESC is text
        (b"hello\x7fworld", "text/plain; charset=utf-8"),  # DEL is valid UTF-8
        (b"hello\x01world", "application/octet-stream"),
        # Only the first 1024 bytes decide the charset.
        (b"a" * 1024 + b"\xe9", "text/plain; charset=utf-8"),
        (b"<html><body>x</body></html>", "text/html; charset=utf-8"),
        (b"\xef\xbb\xbf <P>para", "text/html; charset=utf-8"),
        (b"<htmlx>", "text/plain; charset=utf-8"),
        (
            b'<html><meta http-equiv="Content-Type" content="text/html; charset=Shift_JIS">',
            "text/html; charset=Shift_JIS",
        ),
        (b'<p><meta content="text/html; charset=koi8-r">', "text/html; charset=utf-8"),  # no http-equiv
        (b"<meta charset=utf-8>", "text/plain; charset=utf-8"),  # not an opening tag HTML is known by
        (b"<!-- c --><meta charset=latin1><body>", "text/html; charset=latin1"),
        (b'<?xml version="1.0"?><r/>', "text/xml; charset=utf-8"),
        (b"<?xml version='1.0' encoding='ISO-8859-15'?><r/>", "text/xml; charset=ISO-8859-15"),
        (b'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"/>', "application/atom+xml"),
        (
            b'<?xml version="1.0"?><kml xmlns="http://www.opengis.net/kml/2.2"/>',
            "application/vnd.google-earth.kml+xml",
        ),
        (b'<?xml version="1.0"?><gpx xmlns="http://www.topografix.com/GPX/1/1"/>', "application/gpx+xml"),
    ],
)
def test_text_and_charsets(head: bytes, content_type: str) -> None:
    assert sniff_content_type(head) == content_type


@pytest.mark.parametrize(
    ("head", "content_type"),
    [
        (b'{"a": 1}', "application/json"),
        (b" \n {}", "application/json"),
        (b"{", "application/json"),  # cut off: everything looked at was valid
        (b'{"a": 1', "text/plain; charset=utf-8"),  # whole input, not complete
        (b'"just a string"', "text/plain; charset=utf-8"),
        (b"[1,]", "application/json"),  # mimetype's reader lets a trailing comma pass
        (b"[1 2]", "text/plain; charset=utf-8"),
        (b'{"a": 1e}', "text/plain; charset=utf-8"),
        (b'{"a": "\\u00e9\\n"}', "application/json"),
        (b'{"a": "x\\qy"}', "text/plain; charset=utf-8"),  # an unknown escape
        (b'{"a\\"b": 1}', "application/json"),
        (b'{"a": 01}', "application/json"),  # leading zeros and a bare `1.` pass the tolerant reader
        (b'{"a": 1.}', "application/json"),
        (b'{"type": 1, "type": "Feature"}', "application/geo+json"),  # any matching pair will do
        (b'{"x": {"type": "Point"}}', "application/json"),  # the key must be at the top
        (b'{"a":1}\n{"b":\n2}\n', "text/plain; charset=utf-8"),  # NDJSON lines are whole documents
        (b'{"log": {"version": "1.2", "entries": []}}', "application/json"),  # HAR: same type, .har
        (b'{"asset": {"version": "2.0"}}', "model/gltf+json"),
        (b'{"bomFormat": "CycloneDX"}', "application/vnd.cyclonedx+json"),
        (b'{"type": "Polygon", "coordinates": []}', "application/geo+json"),
        (b'{"type": "Other"}', "application/json"),
        (b'{"a": 1}\n{"b": 2}', "application/x-ndjson"),
        (b"1\n2\n", "text/plain; charset=utf-8"),  # NDJSON needs an object or an array
        (b"[" * 4000 + b"]" * 4000, "application/json"),  # deep nesting does not recurse
        (b"[" * 5000, "application/json"),  # cut at the read limit, valid so far
    ],
)
def test_json(head: bytes, content_type: str) -> None:
    assert sniff_content_type(head) == content_type


def test_har_has_its_own_extension() -> None:
    assert extension_for(b'{"log": {"version": "1.2"}}') == ".har"


@pytest.mark.parametrize(
    ("head", "content_type"),
    [
        (b"a,b,c\n1,2,3\n", "text/csv"),
        (b"a,b\n1\n", "text/plain; charset=utf-8"),  # a short record
        (b"a,b\n", "text/plain; charset=utf-8"),  # a header alone
        (b'a,b\n"1,x",2\n"q""q",3\n', "text/csv"),
        (b'a,b\n"multi\nline",2\n', "text/csv"),
        (b"# comment\na,b\n1,2\n", "text/csv"),
        (b"a\tb\n1\t2\n", "text/tab-separated-values"),
        (b"a;b\n1;2\n", "text/plain; charset=utf-8"),
        # Cut at the read limit: a short last record is forgiven.
        (b"a,b,c\n" + b"1,2,3\n" * 681 + b"1,2", "text/csv"),
    ],
)
def test_separated_values(head: bytes, content_type: str) -> None:
    assert sniff_content_type(head) == content_type


@pytest.mark.parametrize(
    ("head", "content_type"),
    [
        (b"#!/bin/bash\necho\n", "text/x-shellscript"),
        (b"#!/bin/bashful\necho\n", "text/plain; charset=utf-8"),  # a full word is needed
        (b"#!/usr/bin/env   bash\n", "text/x-shellscript"),
        (b"#! /usr/bin/perl -w\n", "text/x-perl"),
        (b"#!/usr/bin/env node\n", "text/javascript"),
        (b"#!/usr/bin/python3\n", "text/x-python"),
        (b"#!/usr/bin/env ruby\n", "text/x-ruby"),
        (b"#!/usr/bin/tclsh\n", "text/x-tcl"),
        (b"#!/usr/local/bin/lua\n", "text/x-lua"),
        (b"<?php echo 1; ?>", "text/x-php"),
        (b"<?PHP", "text/plain; charset=utf-8"),  # the signature needs a byte after it
        (b"BEGIN:VCARD\n", "text/plain; charset=utf-8"),
        (b"begin:vcard\nx\n", "text/vcard"),
        (b"1\n00:00:01,000 --> 00:00:00,500\nx\n", "text/plain; charset=utf-8"),  # ends before it starts
        (b"1\n00:00:01.000 --> 00:00:02.000\nx\n", "text/plain; charset=utf-8"),  # dots, not commas
        (b"1\n00:00:01,000 --> 00:00:02,000\n\n", "text/plain; charset=utf-8"),  # no subtitle text
        (b"WEBVTT", "text/vtt"),
        (b"WEBVTTX", "text/plain; charset=utf-8"),
        (b"P1\n# c\n2 2\n0 1 1 0\n", "image/x-portable-bitmap"),
        (b"P2\n0 2\n", "text/plain; charset=utf-8"),
        (b"P7\nWIDTH 1\nHEIGHT 1\nDEPTH 1\nMAXVAL 255\nENDHDR\n", "image/x-portable-arbitrarymap"),
        (b"0 HEAD\n1 GEDC\n", "text/vnd.familysearch.gedcom"),
        (b"Received: from x\nFrom: y\n\nbody", "message/rfc822"),
        (b"Subject: only one hint\n\nbody", "text/plain; charset=utf-8"),
        (b"WARC/1.1\r\n", "application/warc"),
    ],
)
def test_scripts_and_small_text_formats(head: bytes, content_type: str) -> None:
    assert sniff_content_type(head) == content_type


def test_only_the_first_4096_bytes_count() -> None:
    assert SNIFF_LIMIT == 4096
    assert sniff_content_type(b"a" * 4095 + b"\x00") == "application/octet-stream"
    assert sniff_content_type(b"a" * 4096 + b"\x00") == "text/plain; charset=utf-8"


def test_the_file_name_plays_no_part() -> None:
    png = b"\x89PNG\r\n\x1a\n" + bytes(16)
    assert sniff_content_type(png, "notes.txt") == "image/png"
    assert sniff_content_type(b'{"a": 1}', "data.txt") == "application/json"
    assert sniff_content_type(b"plain", "data.json") == "text/plain; charset=utf-8"


def test_detect_names_the_node_and_its_charset() -> None:
    kind, charset = detect(b"<html><body></body></html>")
    assert (kind.mime, kind.extension, charset) == ("text/html", ".html", "utf-8")
    kind, charset = detect(b"PK\x03\x04\x14\x00" + bytes(20) + b"\x05\x00\x00\x00a.txt")
    assert (kind.mime, kind.aliases, charset) == (
        "application/zip",
        ("application/x-zip", "application/x-zip-compressed"),
        "",
    )


@pytest.mark.parametrize(
    ("content_type", "expected", "accepted"),
    [
        ("image/png", "image/png", True),
        ("image/png", "IMAGE/PNG ", True),
        ("text/plain; charset=utf-8", "text/plain", True),
        ("text/plain", "text/plain; charset=utf-8", True),
        ("application/zip", "application/x-zip-compressed", True),  # an alias
        ("application/gzip", "application/x-gzip", True),
        ("audio/wav", "audio/x-wav", True),
        ("image/svg+xml", "image/svg", False),
        # Never a parent: a DOCX is not accepted as a zip, JSON not as text.
        ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "application/zip", False),
        ("application/json", "text/plain", False),
        ("image/png", "image/*", False),
        ("image/png", "", False),
        ("image/png", "not a type", False),
        ("image/png", "image/png; a=1; a=2", False),  # Go refuses a repeated parameter
    ],
)
def test_content_type_is(content_type: str, expected: str, accepted: bool) -> None:
    assert content_type_is(content_type, expected) is accepted


@pytest.mark.parametrize(
    ("content_type", "stored"),
    [
        ("image/png", "image/png"),
        ("text/plain; charset=utf-8", "text/plain; charset=utf-8"),
        ("text/html; charset=ISO-8859-1", "text/html; charset=ISO-8859-1"),
        ('text/html; charset="quoted"', "text/html; charset=quoted"),
        ("text/html; charset=UTF-8;", "text/html; charset=UTF-8"),
        ("Text/HTML", "text/html"),
        ('text/html; charset="a b"', 'text/html; charset="a b"'),
        ('text/html; charset="\u00e9"', "text/html; charset*=utf-8''%C3%A9"),
        ("text/html; charset=x; name*=utf-8''%41%42", "text/html; charset=x; name=AB"),
        ("text/html; charset=x; n*0=ab; n*1=cd", "text/html; charset=x; n=abcd"),
    ],
)
def test_blob_content_type(content_type: str, stored: str) -> None:
    assert blob_content_type(content_type) == stored


@pytest.mark.parametrize(
    "content_type",
    [
        "text/html; charset=utf 8",
        "text/html; charset=\u00e9",
        "text/html; charset=a;charset=b",
        "not a type",
        "",
    ],
)
def test_blob_content_type_refuses_what_go_cannot_parse(content_type: str) -> None:
    with pytest.raises(ValueError):
        blob_content_type(content_type)


def test_every_matcher_is_named_by_the_tree() -> None:
    """Unknown names fail at import; this checks no matcher is left unused and the data is sane."""
    for kind in ALL_KINDS:
        assert kind.mime == kind.mime.lower() and "/" in kind.mime, kind.mime
        assert kind.extension == "" or kind.extension.startswith("."), kind
    names = {k.signature.name for k in ALL_KINDS if isinstance(k.signature, _mime_tree.Check)}
    assert names == set(mime._MATCHERS), set(mime._MATCHERS) ^ names


def test_each_matcher_belongs_to_one_family() -> None:
    """The family modules' tables are merged into one: a name in two would silently shadow."""
    families = (_mime_text, _mime_json, _mime_archive, _mime_ole, _mime_media, _mime_binary)
    names = [name for family in families for name in family.MATCHERS]
    assert len(names) == len(set(names))
    assert set(mime._MATCHERS) == {"anything", *names}


def test_one_type_has_one_set_of_aliases() -> None:
    aliases: dict[str, tuple[str, ...]] = {}
    for kind in ALL_KINDS:
        assert aliases.setdefault(kind.mime, kind.aliases) == kind.aliases, kind.mime
        assert all(alias == alias.lower() for alias in kind.aliases)


def test_the_tree_has_every_node_of_mimetype() -> None:
    # v1.4.15's tree.go builds 204 nodes, the root included (checked node by node when written).
    assert len(ALL_KINDS) == 204
    assert len({id(kind) for kind in ALL_KINDS}) == 204  # no node is shared by two parents
