"""Just enough content sniffing for upload names and storage attributes.

PocketBase detects the MIME type from the bytes (never from the client's header); this
covers the common formats and falls back to text or octet-stream.
"""

from __future__ import annotations

__all__ = ["sniff_content_type", "extension_for"]

# (magic prefix, offset, mime) checked in order.
_MAGIC: tuple[tuple[bytes, int, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", 0, "image/png"),
    (b"\xff\xd8\xff", 0, "image/jpeg"),
    (b"GIF87a", 0, "image/gif"),
    (b"GIF89a", 0, "image/gif"),
    (b"%PDF-", 0, "application/pdf"),
    (b"PK\x03\x04", 0, "application/zip"),
    (b"\x1f\x8b", 0, "application/gzip"),
    (b"BM", 0, "image/bmp"),
    (b"\x00\x00\x01\x00", 0, "image/x-icon"),
    (b"ID3", 0, "audio/mpeg"),
    (b"OggS", 0, "audio/ogg"),
    (b"\x1aE\xdf\xa3", 0, "video/webm"),
)

_EXTENSIONS = {
    "image/png": ".png",
    "image/jpeg": ".jpg",
    "image/gif": ".gif",
    "image/webp": ".webp",
    "image/bmp": ".bmp",
    "image/x-icon": ".ico",
    "image/svg+xml": ".svg",
    "application/pdf": ".pdf",
    "application/zip": ".zip",
    "application/gzip": ".gz",
    "application/json": ".json",
    "audio/mpeg": ".mp3",
    "audio/ogg": ".ogg",
    "audio/wav": ".wav",
    "video/mp4": ".mp4",
    "video/webm": ".webm",
    "text/html; charset=utf-8": ".html",
    "text/plain; charset=utf-8": ".txt",
}


def _is_text(content: bytes) -> bool:
    sample = content[:3072]
    if b"\x00" in sample:
        return False
    try:
        sample.decode("utf-8")
    except UnicodeDecodeError as exc:
        # A multi-byte sequence cut by the sample boundary is still text.
        return exc.start >= len(sample) - 3
    return True


def sniff_content_type(content: bytes, filename: str = "") -> str:
    """The MIME type of `content`, e.g. `image/png` or `text/plain; charset=utf-8`."""
    for magic, offset, mime in _MAGIC:
        if content[offset : offset + len(magic)] == magic:
            return mime
    if content[:4] == b"RIFF" and content[8:12] == b"WEBP":
        return "image/webp"
    if content[:4] == b"RIFF" and content[8:12] == b"WAVE":
        return "audio/wav"
    if content[4:8] == b"ftyp":
        return "video/mp4"
    if _is_text(content):
        head = content[:512].lstrip().lower()
        if head.startswith(b"<svg") or (head.startswith(b"<?xml") and b"<svg" in content[:1024].lower()):
            return "image/svg+xml"
        if head.startswith((b"<!doctype html", b"<html")):
            return "text/html; charset=utf-8"
        if head[:1] in (b"{", b"[") and filename.lower().endswith(".json"):
            return "application/json"
        return "text/plain; charset=utf-8"
    return "application/octet-stream"


def extension_for(content: bytes) -> str:
    """The extension (with its dot) guessed from the content, or "" when unknown."""
    return _EXTENSIONS.get(sniff_content_type(content), "")
