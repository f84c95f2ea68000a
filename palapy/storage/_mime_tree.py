"""The type tree of Go's github.com/gabriel-vasile/mimetype v1.4.15, as data.

PocketBase 0.40.6 is built with that version (`go version -m pocketbase` names it). Each node is
a MIME type with its extension, aliases, a signature and its children, in the library's order:
detection walks from the root and descends into the first child whose signature matches.
Signatures are either declarative (`Prefix`, `Chunk`, `Ftyp`, `Markup`, `XmlRoot`, `Shebang`,
`CiPrefix`, `JsonQuery`) or `Check("name")`, a matcher function in `palapy.storage.mime`.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "Check",
    "Chunk",
    "CiPrefix",
    "Ftyp",
    "JsonQuery",
    "Kind",
    "Markup",
    "Prefix",
    "ROOT",
    "Shebang",
    "Signature",
    "XmlRoot",
    "COMPACT_WS",
    "IGNORE_CASE",
    "FULL_WORD",
]

# Flags of a pattern match (mimetype's scan flags): one pattern space matches a run of spaces,
# an upper-case pattern letter matches either case, and the match must end at a space.
COMPACT_WS = 1
IGNORE_CASE = 2
FULL_WORD = 4


@dataclass(frozen=True, slots=True)
class Prefix:
    """Any of `sigs` found at `offset`."""

    sigs: tuple[bytes, ...]
    offset: int = 0


@dataclass(frozen=True, slots=True)
class Chunk:
    """A RIFF-like header: `head` at 0, `form` at 8, and more bytes than the two cover."""

    head: bytes
    form: bytes


@dataclass(frozen=True, slots=True)
class Ftyp:
    """An ISO base media file whose major brand (bytes 8..12) is one of `brands`."""

    brands: tuple[bytes, ...]


@dataclass(frozen=True, slots=True)
class Markup:
    """A tag opening the document (after a UTF-8 BOM and spaces), case-insensitively, followed
    by a space or `>`."""

    tags: tuple[bytes, ...]


@dataclass(frozen=True, slots=True)
class XmlRoot:
    """(root tag, xmlns attribute) pairs searched for in the first 512 bytes of an XML file."""

    pairs: tuple[tuple[bytes, bytes], ...]


@dataclass(frozen=True, slots=True)
class Shebang:
    """A `#!` first line naming one of the interpreters (each with its match flags)."""

    interpreters: tuple[tuple[bytes, int], ...]


@dataclass(frozen=True, slots=True)
class CiPrefix:
    """Any of `sigs` at the start, case-insensitively, with at least one byte after it."""

    sigs: tuple[bytes, ...]


@dataclass(frozen=True, slots=True)
class JsonQuery:
    """A JSON object (or array, when `arrays`) that satisfies the named key/value query."""

    query: str
    arrays: bool = False


@dataclass(frozen=True, slots=True)
class Check:
    """A matcher function of `palapy.storage.mime`, by name."""

    name: str


Signature = Prefix | Chunk | Ftyp | Markup | XmlRoot | Shebang | CiPrefix | JsonQuery | Check


@dataclass(frozen=True, slots=True)
class Kind:
    """One node of the tree. `charset` names how a text node finds its charset parameter."""

    mime: str
    extension: str
    signature: Signature
    aliases: tuple[str, ...] = ()
    children: tuple[Kind, ...] = ()
    charset: str = ""


def _p(*sigs: bytes) -> Prefix:
    return Prefix(sigs)


def _at(offset: int, sig: bytes) -> Prefix:
    return Prefix((sig,), offset)


def _shebang(*paths: str) -> Shebang:
    """Interpreter paths; `~` ends a full word, a leading `env ` compacts spaces."""
    found: list[tuple[bytes, int]] = []
    for path in paths:
        flags = COMPACT_WS if "env " in path else 0
        if path.endswith("~"):
            flags |= FULL_WORD
            path = path[:-1]
        found.append((path.encode(), flags))
    return Shebang(tuple(found))


def _env(name: str, full_word: bool = False) -> tuple[str, ...]:
    tail = "~" if full_word else ""
    return (f"/usr/bin/env {name}{tail}", f"/usr/bin/env -S {name}{tail}")


def _odf(kind: str) -> Prefix:
    return _at(30, b"mimetypeapplication/vnd.oasis.opendocument." + kind.encode())


# --- zip-based -------------------------------------------------------------------------------
_ODF_ALIAS = "application/x-vnd.oasis.opendocument."
_OTT = Kind(
    "application/vnd.oasis.opendocument.text-template",
    ".ott",
    _odf("text-template"),
    (_ODF_ALIAS + "text-template",),
)
_ODT = Kind("application/vnd.oasis.opendocument.text", ".odt", _odf("text"), (_ODF_ALIAS + "text",), (_OTT,))
_OTS = Kind(
    "application/vnd.oasis.opendocument.spreadsheet-template",
    ".ots",
    _odf("spreadsheet-template"),
    (_ODF_ALIAS + "spreadsheet-template",),
)
_ODS = Kind(
    "application/vnd.oasis.opendocument.spreadsheet",
    ".ods",
    _odf("spreadsheet"),
    (_ODF_ALIAS + "spreadsheet",),
    (_OTS,),
)
_OTP = Kind(
    "application/vnd.oasis.opendocument.presentation-template",
    ".otp",
    _odf("presentation-template"),
    (_ODF_ALIAS + "presentation-template",),
)
_ODP = Kind(
    "application/vnd.oasis.opendocument.presentation",
    ".odp",
    _odf("presentation"),
    (_ODF_ALIAS + "presentation",),
    (_OTP,),
)
_OTG = Kind(
    "application/vnd.oasis.opendocument.graphics-template",
    ".otg",
    _odf("graphics-template"),
    (_ODF_ALIAS + "graphics-template",),
)
_ODG = Kind(
    "application/vnd.oasis.opendocument.graphics",
    ".odg",
    _odf("graphics"),
    (_ODF_ALIAS + "graphics",),
    (_OTG,),
)
_ODF = Kind("application/vnd.oasis.opendocument.formula", ".odf", _odf("formula"), (_ODF_ALIAS + "formula",))
_ODC = Kind("application/vnd.oasis.opendocument.chart", ".odc", _odf("chart"), (_ODF_ALIAS + "chart",))

_ZIP = Kind(
    "application/zip", ".zip", Check("zip"), ("application/x-zip", "application/x-zip-compressed"),
    (
        Kind("application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".docx", Check("docx")),
        Kind("application/vnd.openxmlformats-officedocument.presentationml.presentation", ".pptx", Check("pptx")),
        Kind("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx", Check("xlsx")),
        Kind("application/epub+zip", ".epub", _at(30, b"mimetypeapplication/epub+zip")),
        # APK before JAR: an APK is a JAR whose decisive signature may lie beyond the read limit.
        Kind("application/vnd.android.package-archive", ".apk", Check("apk")),
        Kind("application/java-archive", ".jar", Check("jar"),
             ("application/jar", "application/jar-archive", "application/x-java-archive")),
        _ODT, _ODS, _ODP, _ODG, _ODF, _ODC,
        Kind("application/vnd.sun.xml.calc", ".sxc", _at(30, b"mimetypeapplication/vnd.sun.xml.calc")),
        Kind("application/vnd.google-earth.kmz", ".kmz", Check("kmz")),
        Kind("application/vnd.ms-visio.drawing.main+xml", ".vsdx", Check("visio")),
    ),
)  # fmt: skip

# --- OLE compound files ----------------------------------------------------------------------
_OLE = Kind(
    "application/x-ole-storage", "", _p(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"), (),
    (
        Kind("application/x-ms-installer", ".msi", Check("msi"),
             ("application/x-windows-installer", "application/x-msi")),
        Kind("application/vnd.ms-outlook", ".msg", Check("msg")),
        Kind("application/vnd.ms-excel", ".xls", Check("xls"), ("application/msexcel",)),
        Kind("application/vnd.ms-publisher", ".pub", Check("pub")),
        Kind("application/vnd.ms-powerpoint", ".ppt", Check("ppt"), ("application/mspowerpoint",)),
        Kind("application/msword", ".doc", Check("doc"), ("application/vnd.ms-word",)),
    ),
)  # fmt: skip

# --- ISO base media (ftyp) -------------------------------------------------------------------
_MP4 = Kind(
    "video/mp4", ".mp4", Check("mp4"), (),
    (
        Kind("image/avif", ".avif", Ftyp((b"avif", b"avis"))),
        Kind("video/3gpp", ".3gp",
             Ftyp((b"3gp1", b"3gp2", b"3gp3", b"3gp4", b"3gp5", b"3gp6", b"3gp7", b"3gs7", b"3ge6", b"3ge7",
                   b"3gg6")),
             ("video/3gp", "audio/3gpp")),
        Kind("video/3gpp2", ".3g2", Ftyp((b"3g24", b"3g25", b"3g26", b"3g2a", b"3g2b", b"3g2c", b"KDDI")),
             ("video/3g2", "audio/3gpp2")),
        Kind("audio/mp4", ".mp4", Ftyp((b"F4A ", b"F4B ", b"M4B ", b"M4P ", b"MSNV", b"NDAS")), ("audio/x-mp4a",)),
        Kind("video/quicktime", ".mqv", Ftyp((b"mqt ",))),
        Kind("audio/x-m4a", ".m4a", Ftyp((b"M4A ",))),
        Kind("video/x-m4v", ".m4v", Ftyp((b"M4V ", b"M4VH", b"M4VP"))),
        Kind("image/heic", ".heic", Ftyp((b"heic", b"heix"))),
        Kind("image/heic-sequence", ".heic", Ftyp((b"hevc", b"hevx"))),
        Kind("image/heif", ".heif", Ftyp((b"mif1", b"heim", b"heis", b"avic"))),
        Kind("image/heif-sequence", ".heif", Ftyp((b"msf1", b"hevm", b"hevs", b"avcs"))),
        Kind("video/mj2", ".mj2", Ftyp((b"mj2s", b"mjp2", b"MFSM", b"MGSV"))),
        Kind("video/vnd.dvb.file", ".dvb",
             Ftyp((b"dby1", b"dsms", b"dts1", b"dts2", b"dts3", b"dxo ", b"dmb1", b"dmpf", b"drc1", b"dv1a",
                   b"dv1b", b"dv2a", b"dv2b", b"dv3a", b"dv3b", b"dvr1", b"dvt1", b"emsg"))),
    ),
)  # fmt: skip

# --- text ------------------------------------------------------------------------------------
_XML = Kind(
    "text/xml", ".xml", Markup((b"<?XML",)), ("application/xml",),
    (
        Kind("application/rss+xml", ".rss", XmlRoot(((b"<rss", b""),)), ("text/rss",)),
        Kind("application/atom+xml", ".atom", XmlRoot(((b"<feed", b'xmlns="http://www.w3.org/2005/Atom"'),))),
        Kind("model/x3d+xml", ".x3d",
             XmlRoot(((b"<X3D", b'xmlns:xsd="http://www.w3.org/2001/XMLSchema-instance"'),))),
        Kind("application/vnd.google-earth.kml+xml", ".kml", XmlRoot((
            (b"<kml", b'xmlns="http://www.opengis.net/kml/2.2"'),
            (b"<kml", b'xmlns="http://earth.google.com/kml/2.0"'),
            (b"<kml", b'xmlns="http://earth.google.com/kml/2.1"'),
            (b"<kml", b'xmlns="http://earth.google.com/kml/2.2"'),
        ))),
        Kind("application/x-xliff+xml", ".xlf",
             XmlRoot(((b"<xliff", b'xmlns="urn:oasis:names:tc:xliff:document:1.2"'),))),
        Kind("model/vnd.collada+xml", ".dae",
             XmlRoot(((b"<COLLADA", b'xmlns="http://www.collada.org/2005/11/COLLADASchema"'),))),
        Kind("application/gml+xml", ".gml", XmlRoot((
            (b"", b'xmlns:gml="http://www.opengis.net/gml"'),
            (b"", b'xmlns:gml="http://www.opengis.net/gml/3.2"'),
            (b"", b'xmlns:gml="http://www.opengis.net/gml/3.3/exr"'),
        ))),
        Kind("application/gpx+xml", ".gpx", XmlRoot(((b"<gpx", b'xmlns="http://www.topografix.com/GPX/1/1"'),))),
        Kind("application/vnd.garmin.tcx+xml", ".tcx", XmlRoot((
            (b"<TrainingCenterDatabase", b'xmlns="http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2"'),
        ))),
        Kind("application/x-amf", ".amf", XmlRoot(((b"<amf", b""),))),
        Kind("application/vnd.ms-package.3dmanufacturing-3dmodel+xml", ".3mf",
             XmlRoot(((b"<model", b'xmlns="http://schemas.microsoft.com/3dmanufacturing/core/2015/02"'),))),
        Kind("application/vnd.adobe.xfdf", ".xfdf", XmlRoot(((b"<xfdf", b'xmlns="http://ns.adobe.com/xfdf/"'),))),
        Kind("application/owl+xml", ".owl",
             XmlRoot(((b"<Ontology", b'xmlns="http://www.w3.org/2002/07/owl#"'),))),
        Kind("application/xhtml+xml", ".html", Check("xhtml")),
        Kind("application/vnd.cyclonedx+xml", ".xml",
             XmlRoot(((b"<bom", b'xmlns="http://cyclonedx.org/schema/bom/'),))),
    ),
    charset="xml",
)  # fmt: skip

_JSON = Kind(
    "application/json", ".json", JsonQuery("json", arrays=True), (),
    (
        Kind("application/geo+json", ".geojson", JsonQuery("geo")),
        Kind("application/json", ".har", JsonQuery("har")),
        Kind("model/gltf+json", ".gltf", JsonQuery("gltf")),
        Kind("application/vnd.cyclonedx+json", ".json", JsonQuery("cdx")),
    ),
)  # fmt: skip

_TEXT = Kind(
    "text/plain", ".txt", Check("text"), (),
    (
        Kind("image/svg+xml", ".svg", Check("svg")),
        Kind("text/html", ".html", Markup((
            b"<!DOCTYPE HTML", b"<HTML", b"<HEAD", b"<SCRIPT", b"<IFRAME", b"<H1", b"<DIV", b"<FONT", b"<TABLE",
            b"<A", b"<STYLE", b"<TITLE", b"<B", b"<BODY", b"<BR", b"<P", b"<!--",
        )), charset="html"),
        _XML,
        Kind("text/x-php", ".php", Check("php")),
        Kind("text/javascript", ".js", _shebang(
            "/bin/node", "/usr/bin/node", "/bin/nodejs", "/usr/bin/nodejs", *_env("node"), *_env("nodejs"),
        ), ("application/x-javascript", "application/javascript")),
        Kind("text/x-lua", ".lua", _shebang("/usr/bin/lua~", "/usr/local/bin/lua~", *_env("lua", True))),
        Kind("text/x-perl", ".pl", _shebang("/usr/bin/perl~", *_env("perl", True))),
        Kind("text/x-python", ".py", _shebang(
            "/usr/bin/python", "/usr/local/bin/python", *_env("python"),
            "/usr/bin/python2", "/usr/local/bin/python2", *_env("python2"),
            "/usr/bin/python3", "/usr/local/bin/python3", *_env("python3"),
        ), ("text/x-script.python", "application/x-python")),
        Kind("text/x-ruby", ".rb", _shebang("/usr/bin/ruby", "/usr/local/bin/ruby", *_env("ruby")),
             ("application/x-ruby",)),
        _JSON,
        Kind("application/x-ndjson", ".ndjson", Check("ndjson")),
        Kind("text/rtf", ".rtf", _p(b"{\\rtf"), ("application/rtf",)),
        Kind("application/x-subrip", ".srt", Check("srt"), ("application/x-srt", "text/x-srt")),
        Kind("text/x-tcl", ".tcl", _shebang(
            "/usr/bin/tcl", "/usr/local/bin/tcl", *_env("tcl"),
            "/usr/bin/tclsh", "/usr/local/bin/tclsh", *_env("tclsh"),
            "/usr/bin/wish", "/usr/local/bin/wish", *_env("wish"),
        ), ("application/x-tcl",)),
        Kind("text/csv", ".csv", Check("csv")),
        Kind("text/tab-separated-values", ".tsv", Check("tsv")),
        Kind("text/vcard", ".vcf", CiPrefix((b"BEGIN:VCARD\n", b"BEGIN:VCARD\r\n"))),
        Kind("text/calendar", ".ics", CiPrefix((b"BEGIN:VCALENDAR\n", b"BEGIN:VCALENDAR\r\n"))),
        Kind("application/warc", ".warc", _p(b"WARC/1.0", b"WARC/1.1")),
        Kind("text/vtt", ".vtt", Check("vtt")),
        Kind("text/x-shellscript", ".sh", _shebang(
            "/bin/sh~", "/bin/bash~", "/usr/local/bin/bash~", *_env("bash", True),
            "/bin/csh~", "/usr/local/bin/csh~", *_env("csh", True),
            "/bin/dash~", "/usr/local/bin/dash~", *_env("dash", True),
            "/bin/ksh~", "/usr/local/bin/ksh~", *_env("ksh", True),
            "/bin/tcsh~", "/usr/local/bin/tcsh~", *_env("tcsh", True),
            "/bin/zsh~", "/usr/local/bin/zsh~", *_env("zsh", True),
        ), ("text/x-sh", "application/x-shellscript", "application/x-sh")),
        Kind("image/x-portable-bitmap", ".pbm", Check("netpbm")),
        Kind("image/x-portable-graymap", ".pgm", Check("netpgm")),
        Kind("image/x-portable-pixmap", ".ppm", Check("netppm")),
        Kind("image/x-portable-arbitrarymap", ".pam", Check("netpam")),
        Kind("message/rfc822", ".eml", Check("rfc822")),
        Kind("text/vnd.familysearch.gedcom", ".ged", Check("gedcom")),
    ),
    charset="plain",
)  # fmt: skip

# --- the root --------------------------------------------------------------------------------
ROOT = Kind(
    "application/octet-stream", "", Check("anything"), (),
    (
        Kind("image/x-xpixmap", ".xpm", _p(b"/* XPM */")),
        Kind("application/x-7z-compressed", ".7z", _p(b"7z\xbc\xaf\x27\x1c")),
        _ZIP,
        Kind("application/pdf", ".pdf", Check("pdf"), ("application/x-pdf",)),
        Kind("application/vnd.fdf", ".fdf", _p(b"%FDF")),
        _OLE,
        Kind("application/postscript", ".ps", _p(b"%!PS-Adobe-")),
        Kind("image/vnd.adobe.photoshop", ".psd", _p(b"8BPS"), ("image/x-psd", "application/photoshop")),
        Kind("application/pkcs7-signature", ".p7s", Check("p7s")),
        Kind("application/ogg", ".ogg", _p(b"OggS\x00"), ("application/x-ogg",), (
            Kind("audio/ogg", ".oga", Check("ogg_audio")),
            Kind("video/ogg", ".ogv", Check("ogg_video")),
        )),
        Kind("image/png", ".png", _p(b"\x89PNG\r\n\x1a\n"), (), (
            Kind("image/apng", ".apng", Check("apng"), ("image/vnd.mozilla.apng",)),
        )),
        Kind("image/jpeg", ".jpg", _p(b"\xff\xd8\xff")),
        Kind("image/jxl", ".jxl", _p(b"\xff\x0a", b"\x00\x00\x00\x0cJXL \x0d\x0a\x87\x0a")),
        Kind("image/jp2", ".jp2", Check("jp2")),
        Kind("image/jpx", ".jpf", Check("jpx")),
        Kind("image/jpm", ".jpm", Check("jpm"), ("video/jpm",)),
        Kind("image/jxs", ".jxs", _p(b"\x00\x00\x00\x0cJXS \x0d\x0a\x87\x0a")),
        Kind("image/gif", ".gif", _p(b"GIF87a", b"GIF89a")),
        Kind("image/webp", ".webp", Chunk(b"RIFF", b"WEBP")),
        Kind("application/vnd.microsoft.portable-executable", ".exe", _p(b"MZ")),
        Kind("application/x-elf", "", _p(b"\x7fELF"), (), (
            Kind("application/x-object", "", Check("elf_object")),
            Kind("application/x-executable", "", Check("elf_executable")),
            Kind("application/x-sharedlib", ".so", Check("elf_library")),
            Kind("application/x-coredump", "", Check("elf_core")),
        )),
        Kind("application/x-archive", ".a", _p(b"!<arch>"), ("application/x-unix-archive",), (
            Kind("application/vnd.debian.binary-package", ".deb", _at(8, b"debian-binary")),
        )),
        Kind("application/x-tar", ".tar", Check("tar")),
        Kind("application/x-xar", ".xar", _p(b"xar!")),
        Kind("application/x-bzip2", ".bz2", _p(b"BZh")),
        Kind("application/fits", ".fits", _p(b"SIMPLE  =                    T"), ("image/fits",)),
        Kind("image/tiff", ".tiff", _p(b"II*\x00", b"MM\x00*")),
        Kind("image/bmp", ".bmp", Check("bmp"), ("image/x-bmp", "image/x-ms-bmp")),
        # Lotus before ICO: some Lotus files pass the looser ICO check.
        Kind("application/vnd.lotus-1-2-3", ".123", Check("lotus123")),
        Kind("image/x-icon", ".ico", _p(b"\x00\x00\x01\x00", b"\x00\x00\x02\x00")),
        Kind("audio/flac", ".flac", _p(b"fLaC\x00\x00\x00\x22")),
        Kind("audio/midi", ".midi", _p(b"MThd"), ("audio/mid", "audio/sp-midi", "audio/x-mid", "audio/x-midi")),
        Kind("audio/ape", ".ape", _p(b"MAC \x96\x0f\x00\x00\x34\x00\x00\x00\x18\x00\x00\x00\x90\xe3")),
        Kind("audio/musepack", ".mpc", _p(b"MPCK")),
        Kind("audio/amr", ".amr", _p(b"#!AMR"), ("audio/amr-nb",)),
        Kind("audio/wav", ".wav", Chunk(b"RIFF", b"WAVE"), ("audio/x-wav", "audio/vnd.wave", "audio/wave")),
        Kind("audio/aiff", ".aiff", Chunk(b"FORM", b"AIFF"), ("audio/x-aiff",)),
        Kind("audio/basic", ".au", _p(b".snd")),
        Kind("video/mpeg", ".mpeg", Check("mpeg")),
        Kind("video/quicktime", ".mov", Check("quicktime")),
        _MP4,
        Kind("video/webm", ".webm", Check("webm"), ("audio/webm",)),
        Kind("video/x-msvideo", ".avi", Chunk(b"RIFF", b"AVI LIST"), ("video/avi", "video/msvideo")),
        Kind("video/x-flv", ".flv", _p(b"FLV\x01")),
        Kind("video/matroska", ".mkv", Check("matroska"), ("video/x-matroska",)),
        Kind("video/x-ms-asf", ".asf", _p(b"\x30\x26\xb2\x75\x8e\x66\xcf\x11\xa6\xd9\x00\xaa\x00\x62\xce\x6c"),
             ("video/asf", "video/x-ms-wmv")),
        Kind("audio/aac", ".aac", _p(b"\xff\xf1", b"\xff\xf9")),
        Kind("audio/x-unknown", ".voc", _p(b"Creative Voice File")),
        Kind("application/vnd.apple.mpegurl", ".m3u", _p(b"#EXTM3U\n", b"#EXTM3U\r\n"),
             ("audio/mpegurl", "application/x-mpegurl")),
        Kind("application/vnd.rn-realmedia-vbr", ".rmvb", _p(b".RMF")),
        Kind("application/gzip", ".gz", _p(b"\x1f\x8b"), (
            "application/x-gzip", "application/x-gunzip", "application/gzipped", "application/gzip-compressed",
            "application/x-gzip-compressed", "gzip/document",
        )),
        Kind("application/x-java-applet", ".class", Check("java_class")),
        Kind("application/x-shockwave-flash", ".swf", _p(b"CWS", b"FWS", b"ZWS")),
        Kind("application/x-chrome-extension", ".crx", Check("crx")),
        Kind("font/ttf", ".ttf", Check("ttf"), ("font/sfnt", "application/x-font-ttf", "application/font-sfnt")),
        Kind("font/woff", ".woff", _p(b"wOFF")),
        Kind("font/woff2", ".woff2", _p(b"wOF2")),
        Kind("font/otf", ".otf", Check("otf")),
        Kind("font/collection", ".ttc", Check("ttc")),
        Kind("application/vnd.ms-fontobject", ".eot", Check("eot")),
        Kind("application/wasm", ".wasm", _p(b"\x00asm")),
        Kind("application/vnd.shx", ".shx", _p(b"\x00\x00\x27\x0a"), (), (
            Kind("application/vnd.shp", ".shp", Check("shp")),
        )),
        Kind("application/x-dbf", ".dbf", Check("dbf")),
        Kind("application/dicom", ".dcm", _at(128, b"DICM")),
        Kind("application/vnd.rar", ".rar", _p(b"Rar!\x1a\x07\x00", b"Rar!\x1a\x07\x01\x00"),
             ("application/x-rar-compressed", "application/x-rar")),
        Kind("image/vnd.djvu", ".djvu", Check("djvu")),
        Kind("application/x-mobipocket-ebook", ".mobi", _at(60, b"BOOKMOBI")),
        Kind("application/x-ms-reader", ".lit", _p(b"ITOLITLS")),
        Kind("image/bpg", ".bpg", _p(b"BPG\xfb")),
        Kind("application/cbor", ".cbor", _p(b"\xd9\xd9\xf7")),
        Kind("application/vnd.sqlite3", ".sqlite", _p(b"SQLite format 3\x00"), ("application/x-sqlite3",)),
        Kind("image/vnd.dwg", ".dwg", Check("dwg"), (
            "image/x-dwg", "application/acad", "application/x-acad", "application/autocad_dwg",
            "application/dwg", "application/x-dwg", "application/x-autocad", "drawing/dwg",
        )),
        Kind("application/vnd.nintendo.snes.rom", ".nes", _p(b"NES\x1a")),
        Kind("application/x-ms-shortcut", ".lnk", _p(b"L\x00\x00\x00\x01\x14\x02\x00")),
        Kind("application/x-mach-binary", ".macho", Check("macho")),
        Kind("audio/qcelp", ".qcp", Chunk(b"RIFF", b"QLCM")),
        Kind("image/x-icns", ".icns", _p(b"icns")),
        Kind("image/vnd.radiance", ".hdr", _p(b"#?RADIANCE\n")),
        Kind("application/marc", ".mrc", Check("marc")),
        Kind("application/x-msaccess", ".mdb", _at(4, b"Standard Jet DB")),
        Kind("application/x-msaccess", ".accdb", _at(4, b"Standard ACE DB")),
        Kind("application/zstd", ".zst", Check("zstd")),
        Kind("application/vnd.ms-cab-compressed", ".cab", _p(b"MSCF\x00\x00\x00\x00")),
        Kind("application/x-rpm", ".rpm", _p(b"\xed\xab\xee\xdb", b"drpm")),
        Kind("application/x-xz", ".xz", _p(b"\xfd7zXZ\x00")),
        Kind("application/lzip", ".lz", _p(b"LZIP"), ("application/x-lzip",)),
        Kind("application/x-bittorrent", ".torrent", _p(b"d8:announce")),
        Kind("application/x-cpio", ".cpio", Check("cpio")),
        Kind("application/tzif", "", Check("tzif")),
        Kind("image/x-xcf", ".xcf", _p(b"gimp xcf")),
        Kind("image/x-gimp-pat", ".pat", _at(20, b"GPAT")),
        Kind("image/x-gimp-gbr", ".gbr", _at(20, b"GIMP")),
        Kind("model/gltf-binary", ".glb", _p(b"glTF\x02\x00\x00\x00", b"glTF\x01\x00\x00\x00")),
        Kind("application/x-installshield", ".cab", Check("installshield_cab")),
        Kind("image/jxr", ".jxr", _p(b"II\xbc\x01"), ("image/vnd.ms-photo",)),
        Kind("application/vnd.apache.parquet", ".parquet", _p(b"PAR1"), ("application/x-parquet",)),
        Kind("application/onenote", ".one",
             _p(b"\xe4\x52\x5c\x7b\x8c\xd8\xa7\x4d\xae\xb1\x53\x78\xd0\x29\x96\xd3")),
        Kind("application/vnd.ms-htmlhelp", ".chm", _p(b"ITSF\x03\x00\x00\x00\x60\x00\x00\x00")),
        Kind("application/vnd.wordperfect", ".wpd", Check("wordperfect")),
        Kind("image/vnd.dxf", ".dxf",
             _p(b"  0\nSECTION\n", b"  0\r\nSECTION\r\n", b"0\nSECTION\n", b"0\r\nSECTION\r\n")),
        Kind("application/grib", ".grb", Check("grib")),
        Kind("application/zlib", "", Check("zlib")),
        Kind("application/x-os2-inf", ".inf", _p(b"HSP\x01\x9b\x00")),
        Kind("application/x-os2-hlp", ".hlp", _p(b"HSP\x10\x9b\x00")),
        Kind("application/vnd.framemaker", ".fm", Check("framemaker")),
        Kind("application/bufr", ".bufr", Check("bufr")),
        Kind("application/x-bytecode.python", ".pyc", Check("pyc")),
        Kind("application/vnd.tcpdump.pcap", ".pcap", Check("pcap")),
        # MP3 scans the input for frames, so containers holding MP3s must be ruled out first.
        Kind("audio/mpeg", ".mp3", Check("mp3"), ("audio/x-mpeg", "audio/mp3")),
        # Text last: it is the catch-all for anything without binary bytes.
        _TEXT,
    ),
)  # fmt: skip
