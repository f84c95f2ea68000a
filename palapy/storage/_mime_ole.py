"""OLE compound files (Word, Excel, PowerPoint, Outlook, Publisher, Windows Installer).

A compound file is a small FAT file system; its document type is named by the summary streams'
application name, the directory's stream names or the root CLSID. This reader follows sector
chains as mimetype v1.4.15 does and tolerates a file cut at the read limit: whatever lies past
the head is simply not there. The six matchers share one parse of the same head.
"""

from __future__ import annotations

from functools import lru_cache

from palapy.storage._mime_scan import Matcher, i32le, search, u16le, u32le
from palapy.storage._mime_tree import IGNORE_CASE

__all__ = ["MATCHERS"]

_CDF_GENERIC, _CDF_INSTALLER, _CDF_DOC, _CDF_PPT, _CDF_XLS, _CDF_MSG = range(6)
_CDF_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_MSI_CLSID = b"\x84\x10\x0c\x00\x00\x00\x00\x00\xc0\x00\x00\x00\x00\x00\x00\x46"
_APP_TYPES = (
    (b"WORD", _CDF_DOC), (b"EXCEL", _CDF_XLS), (b"POWERPOINT", _CDF_PPT),
    (b"ADVANCED INSTALLER", _CDF_INSTALLER), (b"INSTALLSHIELD", _CDF_INSTALLER),
    (b"MICROSOFT PATCH COMPILER", _CDF_INSTALLER), (b"NANT", _CDF_INSTALLER),
    (b"WINDOWS INSTALLER", _CDF_INSTALLER),
)  # fmt: skip
_NAME_TYPES = (
    (b"BOOK", _CDF_XLS), (b"WORKBOOK", _CDF_XLS), (b"WORDDOCUMENT", _CDF_DOC), (b"POWERPOINT", _CDF_PPT),
    (b"DIGITALSIGNATURE", _CDF_INSTALLER),
)  # fmt: skip
# (directory entry name, entry type) -> document type, when no summary stream decides it.
_SECTION_TYPES = {
    (b"Book", 2): _CDF_XLS,
    (b"Workbook", 2): _CDF_XLS,
    (b"WordDocument", 2): _CDF_DOC,
    (b"PowerPoint Document", 2): _CDF_PPT,
    (b"__properties_version1.0", 2): _CDF_MSG,
    (b"__recip_version1.0_#00000000", 1): _CDF_MSG,
}


class _DirEntry:
    __slots__ = ("name", "kind", "first", "size", "clsid")

    def __init__(self, raw: bytes) -> None:
        name = bytearray()
        for j in range(min(u16le(raw, 64), 64) // 2):
            lo, hi = raw[2 * j], raw[2 * j + 1]
            if lo == 0 and hi == 0:
                break
            name.append(lo)
        self.name = bytes(name)
        self.kind = raw[66]
        self.first = i32le(raw, 116)
        self.size = u32le(raw, 120)
        self.clsid = raw[80:96]


class _Compound:
    """The parts of a compound file that name its document type."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.sector_size = 1 << u16le(data, 30)
        self.short_size = 1 << u16le(data, 32)
        self.min_stream = u32le(data, 56)
        self.first_ssat = i32le(data, 60)
        self.sat_sectors = self._sat_sectors(data[76 : 76 + 4 * 109], i32le(data, 68), u32le(data, 72))
        self.sat_entries = self._count_sat_entries()
        directory = self.read_long(i32le(data, 48), 0) or b""
        self.entries = [_DirEntry(directory[i : i + 128]) for i in range(0, len(directory) - 127, 128)]
        self.root_first, self.root_size, self.root_clsid = -1, 0, b""
        for entry in self.entries:
            if entry.kind == 5 and entry.first >= 0:
                self.root_first, self.root_size, self.root_clsid = entry.first, entry.size, entry.clsid
                break
        self._short_pool: bytes | None = None
        self._short_built = False

    @staticmethod
    def parse(data: bytes) -> _Compound | None:
        if len(data) < 512 or not data.startswith(_CDF_MAGIC):
            return None
        if u16le(data, 30) > 20 or u16le(data, 32) > 20 or (1 << u16le(data, 30)) < 128:
            return None
        return _Compound(data)

    def _ids(self, raw: bytes) -> list[int]:
        return [i32le(raw, 4 * i) for i in range(len(raw) // 4)]

    def _sat_sectors(self, master: bytes, first_msat: int, msat_count: int) -> list[int]:
        ids = self._ids(master)
        if first_msat < 0 or msat_count == 0:
            return ids
        limit = len(self.data) // self.sector_size + 1
        found: list[int] = []
        for sector_id in ids:
            if sector_id < 0:
                break
            found.append(sector_id)
        per_sector = self.sector_size // 4 - 1
        current, hops = first_msat, 0
        while hops < msat_count and current >= 0:
            hops += 1
            block = self.sector(current)
            if block is None:
                break
            entries = self._ids(block)
            for k in range(per_sector):
                if k >= len(entries) or entries[k] < 0:
                    return found
                found.append(entries[k])
                if len(found) > limit:
                    return found
            if per_sector >= len(entries):
                break
            current = entries[per_sector]
        return found

    def _count_sat_entries(self) -> int:
        per_sector, total = self.sector_size // 4, 0
        for sector_id in self.sat_sectors:
            if sector_id < 0:
                break
            offset = self.sector_size * (1 + sector_id)
            if offset >= len(self.data):
                break
            available = len(self.data) - offset
            if available >= self.sector_size:
                total += per_sector
                continue
            total += available // 4
            break
        return total

    def sat_at(self, index: int) -> int:
        per_sector = self.sector_size // 4
        sector_id = self.sat_sectors[index // per_sector]
        return i32le(self.data, self.sector_size * (1 + sector_id) + 4 * (index % per_sector))

    def sector(self, sector_id: int) -> bytes | None:
        if sector_id < 0:
            return None
        offset = self.sector_size * (1 + sector_id)
        if offset >= len(self.data):
            return None
        end = min(offset + self.sector_size, len(self.data))
        return self.data[offset:end] if end - offset >= 4 else None

    def read_long(self, sector_id: int, length: int) -> bytes | None:
        """A chain of sectors (None when even its start lies past the input)."""
        if sector_id >= 0:
            limit = len(self.data) // self.sector_size + 1
            count, current, contiguous = 0, sector_id, True
            while current >= 0:
                if current >= self.sat_entries:
                    break
                count += 1
                if count > limit:
                    contiguous = False
                    break
                following = self.sat_at(current)
                if following >= 0 and following != current + 1:
                    contiguous = False
                    break
                current = following
            if contiguous:
                offset = self.sector_size * (1 + sector_id)
                if offset >= len(self.data):
                    return None
                out = self.data[offset : min(offset + count * self.sector_size, len(self.data))]
                return out[:length] if 0 < length < len(out) else out
        gathered = bytearray()
        while sector_id >= 0 and sector_id < self.sat_entries:
            block = self.sector(sector_id)
            if block is None:
                break
            gathered += block
            if len(gathered) >= len(self.data):
                break
            sector_id = self.sat_at(sector_id)
        return bytes(gathered[:length] if 0 < length < len(gathered) else gathered)

    def _short_stream_pool(self) -> bytes | None:
        if not self._short_built:
            self._short_built = True
            if self.root_first >= 0:
                self._short_pool = self.read_long(self.root_first, self.root_size)
        return self._short_pool

    def _ssat_at(self, index: int) -> int:
        sector_id = self.first_ssat
        while sector_id >= 0:
            if sector_id >= self.sat_entries:
                break
            block = self.sector(sector_id)
            if block is None:
                break
            count = len(block) // 4
            if index < count:
                return i32le(block, 4 * index)
            index -= count
            sector_id = self.sat_at(sector_id)
        return -1

    def _read_short(self, sector_id: int, length: int) -> bytes | None:
        pool = self._short_stream_pool()
        if pool is None:
            return None
        gathered = bytearray()
        while sector_id >= 0:
            offset = sector_id * self.short_size
            if offset + self.short_size > len(pool):
                break
            gathered += pool[offset : offset + self.short_size]
            if len(gathered) >= len(pool):
                break
            sector_id = self._ssat_at(sector_id)
        return bytes(gathered[:length] if 0 < length < len(gathered) else gathered)

    def user_stream(self, name: bytes) -> bytes | None:
        for entry in self.entries:
            if entry.kind == 2 and entry.name == name:
                if entry.size < self.min_stream and self.root_first >= 0:
                    return self._read_short(entry.first, entry.size)
                return self.read_long(entry.first, entry.size)
        return None

    def _from_summary(self, stream_name: bytes) -> int | None:
        if self.root_clsid == _MSI_CLSID:
            return _CDF_INSTALLER
        stream = self.user_stream(stream_name)
        if stream is None:
            return None
        app = _summary_application(stream)
        if app:
            for needle, kind in _APP_TYPES:
                if search(app, needle, IGNORE_CASE) != -1:
                    return kind
        for entry in self.entries:
            if entry.name:
                for needle, kind in _NAME_TYPES:
                    if search(entry.name, needle, IGNORE_CASE) != -1:
                        return kind
        return _CDF_GENERIC

    def document_type(self) -> int:
        for stream_name in (b"\x05SummaryInformation", b"\x05DocumentSummaryInformation"):
            found = self._from_summary(stream_name)
            if found is not None:
                return found
        for entry in self.entries:
            if (entry.name, entry.kind) in _SECTION_TYPES:
                return _SECTION_TYPES[(entry.name, entry.kind)]
        return _CDF_GENERIC


def _summary_application(stream: bytes) -> bytes:
    """The NameOfApplication property (0x12) of a summary stream, printable ASCII only."""
    if len(stream) < 48:
        return b""
    section_at = u32le(stream, 44)
    if section_at + 8 > len(stream):
        return b""
    section = stream[section_at:]
    size, count = u32le(section, 0), u32le(section, 4)
    if size > len(section) or count > 1 << 16 or 8 + 8 * count > size:
        return b""
    for i in range(count):
        base = 8 + 8 * i
        if u32le(section, base) != 0x12:
            continue
        at = u32le(section, base + 4)
        if at + 8 > size:
            return b""
        kind = u32le(section, at)
        if kind & 0x1000:
            return b""
        step = {0x1E: 1, 0x1F: 2}.get(kind & 0x0FFF, 0)
        if not step:
            return b""
        start = at + 8
        end = start + u32le(section, at + 4) * step
        if end > size:
            return b""
        out = bytearray()
        for j in range(start, end - step + 1, step):
            c = section[j]
            if c == 0:
                break
            if 0x20 <= c < 0x7F:
                out.append(c)
        return bytes(out)
    return b""


# Each of the six OLE children asks; the same head is parsed once.
@lru_cache(maxsize=4)
def _compound_type(raw: bytes) -> int:
    compound = _Compound.parse(raw)
    return compound.document_type() if compound else _CDF_GENERIC


def _ole_clsid(raw: bytes, clsid: bytes) -> bool:
    """The root storage's CLSID, read where the first directory sector should be."""
    if len(raw) < 512:
        return False
    sector_size = 4096 if raw[26] == 4 and raw[27] == 0 else 512
    offset = sector_size * (1 + u32le(raw, 48)) + 80
    return len(raw) > offset + 16 and raw.startswith(clsid, offset)


def _ole_kind(kind: int, clsids: tuple[bytes, ...], sub_headers: tuple[bytes, ...], marker: bytes) -> Matcher:
    def match(raw: bytes, _limit: int) -> bool:
        found = _compound_type(raw)
        if found != _CDF_GENERIC:
            return found == kind
        if any(_ole_clsid(raw, clsid) for clsid in clsids):
            return True
        if not sub_headers or len(raw) < 520:
            return False
        if raw[512:].startswith(sub_headers):
            return True
        return len(raw) > 1152 and marker in raw[1152:4096]

    return match


_doc = _ole_kind(
    _CDF_DOC,
    tuple(bytes([v]) + b"\x09\x02\x00\x00\x00\x00\x00\xc0\x00\x00\x00\x00\x00\x00\x46" for v in (6, 0, 7)),
    (),
    b"",
)


_ppt = _ole_kind(
    _CDF_PPT,
    (
        b"\x10\x8d\x81\x64\x9b\x4f\xcf\x11\x86\xea\x00\xaa\x00\xb9\x29\xe8",
        b"\x70\xae\x7b\xea\x3b\xfb\xcd\x11\xa9\x03\x00\xaa\x00\x51\x0e\xa3",
    ),
    (b"\xa0\x46\x1d\xf0", b"\x00\x6e\x1e\xf0", b"\x0f\x00\xe8\x03"),
    # Not quite UTF-16: the space has no zero byte after it in mimetype's marker.
    b"P\x00o\x00w\x00e\x00r\x00P\x00o\x00i\x00n\x00t\x00 D\x00o\x00c\x00u\x00m\x00e\x00n\x00t",
)


_xls = _ole_kind(
    _CDF_XLS,
    (b"\x10\x08\x02\x00\x00\x00\x00\x00", b"\x20\x08\x02\x00\x00\x00\x00\x00"),
    (
        b"\x09\x08\x10\x00\x00\x06\x05\x00",
        *(b"\xfd\xff\xff\xff" + bytes([v]) for v in (0x10, 0x1F, 0x22, 0x23, 0x28, 0x29)),
    ),
    "WksSSWorkBook".encode("utf-16-le")[:-1],
)


_msg = _ole_kind(_CDF_MSG, (b"\x0b\x0d\x02\x00\x00\x00\x00\x00\xc0\x00\x00\x00\x00\x00\x00\x46",), (), b"")


def _msi(raw: bytes, _limit: int) -> bool:
    return _compound_type(raw) == _CDF_INSTALLER


def _pub(raw: bytes, _limit: int) -> bool:
    return _ole_clsid(raw, b"\x01\x12\x02\x00\x00\x00\x00\x00\x00\xc0\x00\x00\x00\x00\x00\x46")


MATCHERS: dict[str, Matcher] = {
    "msi": _msi,
    "msg": _msg,
    "xls": _xls,
    "pub": _pub,
    "ppt": _ppt,
    "doc": _doc,
}
