"""Matchers of images, audio and video that a fixed prefix cannot tell apart: animated PNG,
JPEG 2000 brands, BMP header sizes, Netpbm headers, Ogg payloads, QuickTime and MP4 atoms,
Matroska doc types, and MP3 (an ID3v2 tag, or a run of consistent MPEG audio frames).
"""

from __future__ import annotations

from palapy.storage._mime_scan import Cursor, Matcher, split_line, trim_lws, u32le

__all__ = ["MATCHERS"]


def _apng(raw: bytes, _limit: int) -> bool:
    s = Cursor(raw)
    s.advance(8)
    for _ in range(32):
        if not len(s):
            return False
        size = int.from_bytes(s.rest()[:4], "big") if len(s) >= 4 else 0
        if len(s) >= 4:
            s.pos += 4
        if s.data.startswith(b"acTL", s.pos):
            return True
        if s.data.startswith(b"IDAT", s.pos):
            return False
        if not s.advance((size + 8) & 0xFFFFFFFF):
            return False
    return False


def _jpeg2000(brand: bytes) -> Matcher:
    def match(raw: bytes, _limit: int) -> bool:
        return len(raw) >= 24 and raw[4:8] in (b"jP  ", b"jP2 ") and raw[20:24] == brand

    return match


_BMP_HEADER_SIZES = frozenset((48, 24, 16, 64, 52, 56, 40, 124, 108))


def _bmp(raw: bytes, _limit: int) -> bool:
    return len(raw) >= 18 and raw[:2] == b"BM" and u32le(raw, 14) in _BMP_HEADER_SIZES


def _go_parse_int(b: bytes) -> int | None:
    """strconv.ParseInt(b, 10, 64): an optional sign, then decimal digits only."""
    digits = b[1:] if b[:1] in (b"+", b"-") else b
    if not digits or not digits.isdigit():
        return None
    value = int(digits) * (-1 if b[:1] == b"-" else 1)
    return value if -(2**63) <= value < 2**63 else None


def _netpbm(*magics: bytes) -> Matcher:
    def match(raw: bytes, _limit: int) -> bool:
        found = b""
        for magic in magics:
            if raw.startswith(magic):
                found = magic
        if not found:
            return False
        rest = raw[len(found) :]
        line = b""
        for _ in range(128):
            line, rest = split_line(rest)
            if line[:1] == b"#":
                continue
            line = trim_lws(line)
            if not rest or line:
                break
        s = Cursor(line)
        width = s.pop_until(b" \r\n\x0c\t")
        s.skip_ws()
        height = s.pop_until(b" \r\n\x0c\t")
        w, h = _go_parse_int(width), _go_parse_int(height)
        return w is not None and h is not None and w > 0 and h > 0

    return match


def _netpam(raw: bytes, _limit: int) -> bool:
    if not raw.startswith(b"P7\n"):
        return False
    seen: set[bytes] = set()
    rest = raw
    for _ in range(128):
        line, rest = split_line(rest)
        if not line or line[:1] == b"#":
            if not rest:
                return False
            continue
        for key in (b"WIDTH ", b"HEIGHT ", b"DEPTH ", b"MAXVAL "):
            if line.startswith(key) and not line.startswith(b"TUPLTYPE"):
                seen.add(key)
        if line.startswith(b"ENDHDR") and not line.startswith(b"TUPLTYPE"):
            return len(seen) == 4
    return False


def _djvu(raw: bytes, _limit: int) -> bool:
    return (
        len(raw) >= 12 and raw.startswith(b"AT&TFORM") and raw[12:16] in (b"DJVM", b"DJVU", b"DJVI", b"THUM")
    )


def _ogg_payload(*sigs: bytes) -> Matcher:
    def match(raw: bytes, _limit: int) -> bool:
        return len(raw) >= 37 and raw.startswith(sigs, 28)

    return match


def _mpeg(raw: bytes, _limit: int) -> bool:
    return len(raw) > 3 and raw.startswith(b"\x00\x00\x01") and 0xB0 <= raw[3] <= 0xBF


_QUICKTIME_ATOMS = (b"moov\x00", b"mdat\x00", b"free\x00", b"skip\x00", b"pnot\x00")


def _quicktime(raw: bytes, _limit: int) -> bool:
    if len(raw) < 12:
        return False
    if raw[4:12] in (b"ftypqt  ", b"ftypmoov"):
        return raw[0] == 0
    return raw[4:9] in _QUICKTIME_ATOMS or raw[:8] == b"\x00\x00\x00\x08wide"


def _mp4(raw: bytes, _limit: int) -> bool:
    return len(raw) >= 12 and raw[0] == 0 and raw[4:8] == b"ftyp"


def _matroska(doc_type: bytes) -> Matcher:
    def match(raw: bytes, _limit: int) -> bool:
        if not raw.startswith(b"\x1a\x45\xdf\xa3"):
            return False
        at = raw[:4096].find(b"\x42\x82")
        if at <= 0 or len(raw) <= at + 2:
            return False
        at += 2
        width, mask = 1, 0x80
        while width < 8 and raw[at] & mask == 0:
            mask >>= 1
            width += 1
        return len(raw) > at + width and raw.startswith(doc_type, at + width)

    return match


def _id3v2(raw: bytes) -> bool:
    if len(raw) < 10 or not raw.startswith(b"ID3"):
        return False
    if not 2 <= raw[3] <= 4 or raw[4] != 0 or raw[5] & 0x0F:
        return False
    if any(c & 0x80 for c in raw[6:10]):
        return False
    size = raw[6] << 21 | raw[7] << 14 | raw[8] << 7 | raw[9]
    return 0 < size < 10 * 1024 * 1024


_HALF_BITRATES = (
    (0, 4, 8, 12, 16, 20, 24, 28, 32, 40, 48, 56, 64, 72, 80),
    (0, 16, 20, 24, 28, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160),
)


def _mp3_header_valid(h: bytes) -> bool:
    return (
        h[0] == 0xFF
        and ((h[1] & 0xF0) == 0xF0 or (h[1] & 0xFE) == 0xE2)
        and (h[1] >> 1) & 3 == 1
        and h[2] >> 4 != 15
        and (h[2] >> 2) & 3 != 3
        and h[3] & 3 != 2
        and h[2] & 0xF0 != 0
    )


def _mp3_frame_size(h: bytes) -> tuple[int, int]:
    """(frame bytes without padding, padding) of a valid layer III header."""
    mpeg1 = 1 if h[1] & 0x08 else 0
    bitrate = 2 * _HALF_BITRATES[mpeg1][h[2] >> 4]
    rate = (44100, 48000, 32000)[(h[2] >> 2) & 3]
    if not mpeg1:
        rate >>= 1
    if not h[1] & 0x10:
        rate >>= 1
    samples = 576 if h[1] & 14 == 2 else 1152
    frame = samples * bitrate * 125 // rate if bitrate and rate else 0
    return frame, 1 if h[2] & 0x02 else 0


def _mp3_stream_follows(buf: bytes) -> bool:
    first = buf[:4]
    frame, pad = _mp3_frame_size(first)
    i = frame + pad
    for matched in range(10):
        if i + 4 > len(buf):
            return matched >= 2
        header = buf[i : i + 4]
        compatible = (
            _mp3_header_valid(header)
            and (first[1] ^ header[1]) & 0xFE == 0
            and (first[2] ^ header[2]) & 0x0C == 0
        )
        if not compatible:
            return False
        frame, pad = _mp3_frame_size(header)
        i += frame + pad
    return True


def _mp3_frame(b: bytes) -> bool:
    limit = min(len(b), 2048 + 4)
    i = 0
    while i < limit - 4:
        j = b.find(b"\xff", i, limit - 4)
        if j < 0:
            return False
        i = j
        header = b[i : i + 4]
        if _mp3_header_valid(header):
            frame, pad = _mp3_frame_size(header)
            if frame > 0 and i + frame + pad <= len(b) and _mp3_stream_follows(b[i:]):
                return True
            if i == 0 and frame + pad == len(b):
                return True
        i += 1
    return False


def _mp3(raw: bytes, _limit: int) -> bool:
    if len(raw) < 3:
        return False
    if _id3v2(raw):
        return True
    if int.from_bytes(raw[:2], "big") & 0xFFFE in (0xFFFA, 0xFFF2, 0xFFE2, 0xFFFC, 0xFFF4):
        return True
    if raw.startswith((b"MO3", b"\x00\x00\x01\x40\x00\x00\x00\x03\x00\x00")):
        return False
    return _mp3_frame(raw)


MATCHERS: dict[str, Matcher] = {
    "netpbm": _netpbm(b"P1\n", b"P4\n"),
    "netpgm": _netpbm(b"P2\n", b"P5\n"),
    "netppm": _netpbm(b"P3\n", b"P6\n"),
    "netpam": _netpam,
    "ogg_audio": _ogg_payload(b"\x7fFLAC", b"\x01vorbis", b"OpusHead", b"Speex   "),
    "ogg_video": _ogg_payload(b"\x80theora", b"fishead\x00", b"\x01video\x00\x00\x00"),
    "apng": _apng,
    "jp2": _jpeg2000(b"jp2 "),
    "jpx": _jpeg2000(b"jpx "),
    "jpm": _jpeg2000(b"jpm "),
    "bmp": _bmp,
    "mpeg": _mpeg,
    "quicktime": _quicktime,
    "mp4": _mp4,
    "webm": _matroska(b"webm"),
    "matroska": _matroska(b"matroska"),
    "djvu": _djvu,
    "mp3": _mp3,
}
