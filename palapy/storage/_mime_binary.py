"""Matchers of binary formats told apart by a few header fields: PDF, PKCS#7, ELF kinds, Java
classes and Mach-O, fonts (TrueType tables, OpenType, collections, EOT), Lotus 1-2-3, dBase,
shapefiles, DWG, MARC, TZif, WordPerfect, GRIB/BUFR editions, FrameMaker, Python bytecode, pcap.
"""

from __future__ import annotations

from palapy.storage._mime_scan import Matcher, pattern_match, u16le, u32be, u32le
from palapy.storage._mime_tree import IGNORE_CASE

__all__ = ["MATCHERS"]


def _lotus123(raw: bytes, _limit: int) -> bool:
    if len(raw) <= 20:
        return False
    version = u32be(raw)
    if version == 0x200:
        return raw[6] != 0 and raw[7] == 0
    return version == 0x1A00 and 0 < raw[20] < 32


_DWG_VERSIONS = frozenset(
    (b"1.40", b"1.50", b"2.10", b"1002", b"1003", b"1004", b"1006", b"1009", b"1012", b"1014", b"1015", b"1018",
     b"1021", b"1024", b"1032")
)  # fmt: skip


def _dwg(raw: bytes, _limit: int) -> bool:
    return len(raw) >= 6 and raw[:2] == b"AC" and raw[2:6] in _DWG_VERSIONS


# SFNT table tags a TrueType font may list first (Apple's and Microsoft's specifications).
_SFNT_TABLES = frozenset(
    (
        b"acnt", b"ankr", b"avar", b"bdat", b"bhed", b"bloc", b"bsln", b"cmap", b"cvar", b"cvt ", b"EBSC",
        b"fdsc", b"feat", b"fmtx", b"fond", b"fpgm", b"fvar", b"gasp", b"gcid", b"glyf", b"gvar", b"hdmx",
        b"head", b"hhea", b"hmtx", b"hvgl", b"hvpm", b"just", b"kern", b"kerx", b"lcar", b"loca", b"ltag",
        b"maxp", b"meta", b"mort", b"morx", b"name", b"opbd", b"OS/2", b"GSUB", b"GPOS", b"BASE", b"JSTF",
        b"GDEF", b"MATH", b"CBDT", b"CBLC", b"CFF ", b"CFF2", b"COLR", b"CPAL", b"DSIG", b"EBDT", b"EBLC",
        b"HVAR", b"LTSH", b"MERG", b"MVAR", b"PCLT", b"post", b"prep", b"sbix", b"STAT", b"SVG ", b"VDMX",
        b"vhea", b"vmtx", b"VORG", b"VVAR",
    )
)  # fmt: skip


def _ttf(raw: bytes, _limit: int) -> bool:
    return raw.startswith(b"\x00\x01\x00\x00") and len(raw) >= 16 and raw[12:16] in _SFNT_TABLES


def _otf(raw: bytes, _limit: int) -> bool:
    return len(raw) > 48 and raw.startswith(b"OTTO\x00") and b"CFF " in raw[12:48]


def _ttc(raw: bytes, _limit: int) -> bool:
    return len(raw) > 7 and raw.startswith(b"ttcf") and raw[4:8] in (b"\x00\x01\x00\x00", b"\x00\x02\x00\x00")


def _eot(raw: bytes, _limit: int) -> bool:
    return (
        len(raw) > 35
        and raw[34:36] == b"LP"
        and raw[8:11] in (b"\x02\x00\x01", b"\x01\x00\x00", b"\x02\x00\x02")
    )


def _elf_type(kind: int) -> Matcher:
    def match(raw: bytes, _limit: int) -> bool:
        return len(raw) > 17 and (raw[16], raw[17]) in ((kind, 0), (0, kind))

    return match


def _java_class(raw: bytes, _limit: int) -> bool:
    return len(raw) >= 8 and u32be(raw) == 0xCAFEBABE and raw[7] > 30


def _macho(raw: bytes, _limit: int) -> bool:
    if len(raw) >= 8 and u32be(raw) == 0xCAFEBABE and raw[7] < 0x14:
        return True
    if len(raw) < 4:
        return False
    return {u32be(raw), u32le(raw)} & {0xFEEDFACE, 0xFEEDFACF} != set()


_DBF_TYPES = frozenset(
    (0x02, 0x03, 0x04, 0x05, 0x30, 0x31, 0x32, 0x42, 0x62, 0x7B, 0x82, 0x83, 0x87, 0x8A, 0x8B, 0x8E, 0xB3, 0xCB,
     0xE5, 0xF5, 0xF4, 0xFB)
)  # fmt: skip


def _dbf(raw: bytes, _limit: int) -> bool:
    if len(raw) < 68 or not 0 < raw[2] <= 12 or not 0 < raw[3] <= 31:
        return False
    if raw[12] or raw[13] or raw[30] or raw[31] or raw[28] > 1:
        return False
    return raw[0] in _DBF_TYPES


_SHAPE_TYPES = frozenset((0, 1, 3, 5, 8, 11, 13, 15, 18, 21, 23, 25, 28, 31))


def _shp(raw: bytes, _limit: int) -> bool:
    if len(raw) < 112 or u32be(raw) != 9994 or raw[4:24] != bytes(20) or u32le(raw, 28) != 1000:
        return False
    return u32le(raw, 108) in _SHAPE_TYPES


def _marc(raw: bytes, _limit: int) -> bool:
    return len(raw) >= 24 and raw[20:24] == b"4500" and raw[:5].isdigit() and b"\x1e" in raw[:2048]


def _tzif(raw: bytes, _limit: int) -> bool:
    return len(raw) >= 44 and raw.startswith(b"TZif") and u32be(raw, 36) != 0 and raw[4] in (0, 0x32, 0x33)


def _p7s(raw: bytes, _limit: int) -> bool:
    if raw.startswith(b"-----BEGIN PKCS7"):
        return True
    if len(raw) < 20:
        return False
    signed_data = b"\x06\x09\x2a\x86\x48\x86\xf7\x0d\x01\x07"
    for index, second in enumerate((0x80, 0x81, 0x82, 0x83, 0x84)):
        if raw[0] == 0x30 and raw[1] == second and raw.startswith(signed_data, index + 2):
            return True
    return False


def _wordperfect(raw: bytes, _limit: int) -> bool:
    return len(raw) >= 10 and raw.startswith(b"\xffWPC") and raw[8] == 1 and raw[9] == 10


def _edition_byte(magic: bytes, editions: tuple[int, ...]) -> Matcher:
    def match(raw: bytes, _limit: int) -> bool:
        return len(raw) > 7 and raw.startswith(magic) and raw[7] in editions

    return match


def _framemaker(raw: bytes, _limit: int) -> bool:
    if (
        not raw.startswith((b"<MakerFile", b"<MakerDictionary"))
        and pattern_match(raw, b"<BOOKFILE", IGNORE_CASE) == -1
    ):
        return False
    return b"\x00" in raw[:512]


_PYC_MAGIC = frozenset(
    (
        0x02099900, 0x03099900, 0x892E0D0A, 0x04170D0A, 0x994E0D0A, 0xFCC40D0A, 0xFDC40D0A, 0x87C60D0A,
        0x88C60D0A, 0x2AEB0D0A, 0x2BEB0D0A, 0x2DED0D0A, 0x2EED0D0A, 0x3BF20D0A, 0x3CF20D0A, 0x45F20D0A,
        0x59F20D0A, 0x63F20D0A, 0x6DF20D0A, 0x6EF20D0A, 0x77F20D0A, 0x81F20D0A, 0x8BF20D0A, 0x8CF20D0A,
        0x95F20D0A, 0x9FF20D0A, 0xA9F20D0A, 0xB3F20D0A, 0xB4F20D0A, 0xC7F20D0A, 0xD1F20D0A, 0xD2F20D0A,
        0xDBF20D0A, 0xE5F20D0A, 0xEFF20D0A, 0xF9F20D0A, 0x03F30D0A, 0x04F30D0A, 0x0AF30D0A, 0xB80B0D0A,
        0xC20B0D0A, 0xCC0B0D0A, 0xD60B0D0A, 0xE00B0D0A, 0xEA0B0D0A, 0xF40B0D0A, 0xF50B0D0A, 0xFF0B0D0A,
        0x090C0D0A, 0x130C0D0A, 0x1D0C0D0A, 0x1F0C0D0A, 0x270C0D0A, 0x3B0C0D0A, 0x450C0D0A, 0x4F0C0D0A,
        0x580C0D0A, 0x620C0D0A, 0x6C0C0D0A, 0x760C0D0A, 0x800C0D0A, 0x8A0C0D0A, 0x940C0D0A, 0x9E0C0D0A,
        0xB20C0D0A, 0xBC0C0D0A, 0xC60C0D0A, 0xD00C0D0A, 0xDA0C0D0A, 0xE40C0D0A, 0xEE0C0D0A, 0xF80C0D0A,
        0x020D0D0A, 0x0C0D0D0A, 0x160D0D0A, 0x170D0D0A, 0x200D0D0A, 0x210D0D0A, 0x2A0D0D0A, 0x2B0D0D0A,
        0x2C0D0D0A, 0x2D0D0D0A, 0x2F0D0D0A, 0x300D0D0A, 0x310D0D0A, 0x320D0D0A, 0x330D0D0A, 0x3E0D0D0A,
        0x3F0D0D0A,
    )
)  # fmt: skip


def _pyc(raw: bytes, _limit: int) -> bool:
    if len(raw) < 8:
        return False
    if u32be(raw) in _PYC_MAGIC:
        return True
    if raw[2] == 0x0D and raw[3] == 0x0A:
        if u32le(raw, 4) > 3:
            return False
        # CPython 3.8+ magic numbers end in 0x0d 0x0d/0x0e; the rest are PyPy's.
        return raw[1] in (0x0D, 0x0E) or u16le(raw) in (240, 256, 336, 384, 416)
    return False


def _pcap(raw: bytes, _limit: int) -> bool:
    return len(raw) >= 4 and {u32be(raw), u32le(raw)} & {0xA1B2C3D4, 0xA1B23C4D} != set()


def _pdf(raw: bytes, _limit: int) -> bool:
    return b"%PDF-" in raw[:1024]


MATCHERS: dict[str, Matcher] = {
    "pdf": _pdf,
    "p7s": _p7s,
    "elf_object": _elf_type(1),
    "elf_executable": _elf_type(2),
    "elf_library": _elf_type(3),
    "elf_core": _elf_type(4),
    "lotus123": _lotus123,
    "java_class": _java_class,
    "ttf": _ttf,
    "otf": _otf,
    "ttc": _ttc,
    "eot": _eot,
    "shp": _shp,
    "dbf": _dbf,
    "dwg": _dwg,
    "macho": _macho,
    "marc": _marc,
    "tzif": _tzif,
    "wordperfect": _wordperfect,
    "grib": _edition_byte(b"GRIB", (1, 2)),
    "bufr": _edition_byte(b"BUFR", (3, 4)),
    "framemaker": _framemaker,
    "pyc": _pyc,
    "pcap": _pcap,
}
