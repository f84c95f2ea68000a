"""Thumbnails (`?thumb=`) made with Pillow the way PocketBase 0.40.6 makes them.

PocketBase decodes the original with disintegration/imaging (EXIF orientation applied for JPEG,
the first frame of an animation), resizes with imaging's Linear filter and encodes jpeg as jpeg
(quality 95), gif as gif (Go's Plan 9 palette, Floyd-Steinberg dithering) and anything else as
png. The geometry below follows imaging's Resize / Fit / Fill step by step, so the sizes match
exactly, and Pillow's bilinear filter is imaging's Linear: png thumbs of png originals came out
within 1 per channel of PocketBase's. Jpeg and webp decoders and gif dithering differ slightly.

Sizes: `WxH` (fill, crop from the centre), `WxHt` / `WxHb` (crop from the top / bottom), `WxHf`
(fit inside, never enlarged), `0xH` / `Wx0` (resize keeping the aspect ratio).

Where palapy deliberately differs: an original larger than `MAX_SOURCE_PIXELS` (or a thumb that
would be) is refused before its pixels are decoded, so a small file declaring huge dimensions
(a decompression bomb) cannot exhaust memory; PocketBase would try to decode it. Either way a
failure serves the original.

`ThumbGenerator` makes each thumb once: concurrent first requests for the same thumb share one
generation, which runs on a bounded pool of worker threads (PocketBase's `PB_THUMBS_MAX_WORKERS`
and `PB_THUMBS_MAX_WAIT` are honoured).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import io
import math
import os
import re
import struct
import threading
import time
from dataclasses import dataclass
from typing import BinaryIO

# The plugins are imported by name so that analysis (PyInstaller) bundles exactly these decoders.
from PIL import GifImagePlugin, Image, JpegImagePlugin, PngImagePlugin, WebPImagePlugin

from palapy.storage.base import Storage

__all__ = [
    "MAX_SOURCE_PIXELS",
    "THUMB_SIZE",
    "ThumbError",
    "ThumbSize",
    "ThumbGenerator",
    "GENERATOR",
    "parse_thumb_size",
    "read_jpeg_orientation",
    "render_thumb",
    "create_thumb",
    "plan9_palette",
]

# Pillow's own decompression-bomb threshold, made a hard limit: ~89.5 million pixels, 358 MB as RGBA.
MAX_SOURCE_PIXELS = 1024 * 1024 * 1024 // 4 // 3
# Set deliberately: Pillow refuses (DecompressionBombError) at twice this, we refuse at once this.
Image.MAX_IMAGE_PIXELS = MAX_SOURCE_PIXELS
# Only the decoders of the types PocketBase thumbs; nothing else is ever parsed.
_FORMATS = (PngImagePlugin.PngImageFile.format, JpegImagePlugin.JpegImageFile.format,
            GifImagePlugin.GifImageFile.format, WebPImagePlugin.WebPImageFile.format)  # fmt: skip

THUMB_SIZE = re.compile(r"([0-9]+)x([0-9]+)(t|b|f)?")
"""PocketBase's thumb size pattern (Go's `^(\\d+)x(\\d+)(t|b|f)?$`; use it with fullmatch)."""

_JPEG_QUALITY = 95  # imaging's default, which PocketBase does not change
_PNG_COMPRESS_LEVEL = 6  # Go's png.DefaultCompression is zlib's default level
_DEFAULT_MAX_WAIT = 60.0  # seconds a generation may wait for a free worker (PB_THUMBS_MAX_WAIT)


class ThumbError(Exception):
    """The thumb cannot be made (bad size, unsupported or oversized image); the original is served."""


@dataclass(frozen=True)
class ThumbSize:
    """A parsed thumb size: the box and the mode ("" fill from the centre, "t", "b", "f")."""

    width: int
    height: int
    mode: str = ""


def parse_thumb_size(size: str) -> ThumbSize:
    """`WxH[t|b|f]` as PocketBase reads it; ThumbError for anything else and for `0x0`."""
    m = THUMB_SIZE.fullmatch(size)
    if m is None:
        raise ThumbError("thumb size must be in WxH, WxHt, WxHb or WxHf format")
    width, height = int(m.group(1)), int(m.group(2))
    if width == 0 and height == 0:
        raise ThumbError("thumb width and height cannot be zero at the same time")
    return ThumbSize(width, height, m.group(3) or "")


# -- decoding ---------------------------------------------------------------------------------------


def _read_exact(source: BinaryIO, n: int) -> bytes | None:
    data = source.read(n)
    return data if len(data) == n else None


def read_jpeg_orientation(source: BinaryIO) -> int:
    """The EXIF orientation (1-8) of a JPEG, read as imaging reads it: only from the first APP1
    segment, which must be EXIF; 0 when absent, invalid or not a JPEG. Reads from the current
    position and leaves the stream wherever it stopped."""
    if _read_exact(source, 2) != b"\xff\xd8":
        return 0
    while True:
        head = _read_exact(source, 4)
        if head is None:
            return 0
        marker, length = struct.unpack(">HH", head)
        if marker >> 8 != 0xFF:
            return 0
        if marker == 0xFFE1:
            break
        if length < 2 or _read_exact(source, length - 2) is None:
            return 0
    if _read_exact(source, 4) != b"Exif" or _read_exact(source, 2) is None:
        return 0
    order_tag = _read_exact(source, 2)
    if order_tag not in (b"MM", b"II"):
        return 0
    order = ">" if order_tag == b"MM" else "<"
    if _read_exact(source, 2) is None:
        return 0
    raw = _read_exact(source, 4)
    if raw is None:
        return 0
    (offset,) = struct.unpack(order + "I", raw)
    if offset < 8 or _read_exact(source, offset - 8) is None:
        return 0
    raw = _read_exact(source, 2)
    if raw is None:
        return 0
    (count,) = struct.unpack(order + "H", raw)
    for _ in range(count):
        raw = _read_exact(source, 2)
        if raw is None:
            return 0
        (tag,) = struct.unpack(order + "H", raw)
        if tag != 0x0112:
            if _read_exact(source, 10) is None:
                return 0
            continue
        if _read_exact(source, 6) is None:  # the type and the count
            return 0
        raw = _read_exact(source, 2)
        if raw is None:
            return 0
        (value,) = struct.unpack(order + "H", raw)
        return value if 1 <= value <= 8 else 0
    return 0


# imaging's fixOrientation, as Pillow transposes (Pillow's ROTATE_90 is counter-clockwise, as imaging's).
_ORIENT: dict[int, Image.Transpose] = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}


def _is_animated_webp(head: bytes) -> bool:
    # Go's webp decoder knows no animation chunks: such files fail there, so they fail here too.
    return head[:4] == b"RIFF" and head[8:16] == b"WEBPVP8X" and len(head) > 20 and bool(head[20] & 0x02)


def _to_rgba(img: Image.Image) -> Image.Image:
    """The decoded frame as 8-bit RGBA, which is what imaging works on (Go's NRGBA)."""
    if img.mode.startswith("I"):
        # 16-bit grey keeps its high byte, as Go's conversion to 8 bits does (Pillow would clip).
        img = img.convert("I").point(lambda v: v * (1 / 256)).convert("L")
    return img if img.mode == "RGBA" else img.convert("RGBA")


def _decode(source: BinaryIO, max_pixels: int) -> Image.Image:
    """The first frame of `source` as RGBA, oriented; refuses oversized images before decoding."""
    start = source.tell()
    head = source.read(32)
    if _is_animated_webp(head):
        raise ThumbError("animated webp images are not supported")
    source.seek(start)
    orientation = read_jpeg_orientation(source)
    source.seek(start)
    try:
        opened = Image.open(source, formats=_FORMATS)
    except Image.DecompressionBombError as exc:  # Pillow's own refusal, at twice the limit
        raise ThumbError(f"the image is too large ({exc})") from exc
    with opened as img:
        width, height = img.size
        if width * height > max_pixels:
            raise ThumbError(f"the image is too large ({width}x{height}, more than {max_pixels} pixels)")
        img.load()  # the first frame only: Pillow opens an animation on frame 0
        rgba = _to_rgba(img)
    transpose = _ORIENT.get(orientation)
    return rgba.transpose(transpose) if transpose is not None else rgba


# -- geometry (imaging's Resize, Fit, Fill and CropAnchor) ---------------------------------------


def _resize(img: Image.Image, width: int, height: int, max_pixels: int) -> Image.Image:
    """imaging.Resize with the Linear filter: a 0 side keeps the aspect ratio (at least 1 px)."""
    src_w, src_h = img.size
    if width == 0:
        width = int(max(1.0, math.floor(height * src_w / src_h + 0.5)))
    if height == 0:
        height = int(max(1.0, math.floor(width * src_h / src_w + 0.5)))
    if width * height > max_pixels:
        raise ThumbError(f"the thumb would be too large ({width}x{height})")
    if (width, height) == (src_w, src_h):
        return img.copy()
    # Pillow's bilinear resampling is imaging's Linear: a triangle kernel widened when shrinking.
    return img.resize((width, height), Image.Resampling.BILINEAR)


def _half(n: int) -> int:
    # Go's integer division truncates toward zero.
    return int(n / 2)


def _crop_anchor(img: Image.Image, width: int, height: int, anchor: str) -> Image.Image:
    """imaging.CropAnchor for the centre, top ("t") and bottom ("b") anchors."""
    src_w, src_h = img.size
    x = _half(src_w - width)
    y = 0 if anchor == "t" else src_h - height if anchor == "b" else _half(src_h - height)
    box = (max(x, 0), max(y, 0), min(x + width, src_w), min(y + height, src_h))
    if box[0] >= box[2] or box[1] >= box[3]:
        raise ThumbError("empty crop")
    return img.crop(box)


def _fit(img: Image.Image, width: int, height: int, max_pixels: int) -> Image.Image:
    src_w, src_h = img.size
    if src_w <= width and src_h <= height:
        return img.copy()  # fit never enlarges
    src_ratio = src_w / src_h
    if src_ratio > width / height:
        new_w, new_h = width, int(width / src_ratio)
    else:
        new_w, new_h = int(height * src_ratio), height
    return _resize(img, new_w, new_h, max_pixels)


def _fill(img: Image.Image, width: int, height: int, anchor: str, max_pixels: int) -> Image.Image:
    src_w, src_h = img.size
    if (src_w, src_h) == (width, height):
        return img.copy()
    src_ratio, dst_ratio = src_w / src_h, width / height
    if src_w >= 100 and src_h >= 100:
        # Large enough: crop the source to the box's aspect ratio first, then resize.
        if src_ratio < dst_ratio:
            crop_h = int(max(1.0, src_w * height / width) + 0.5)
            cropped = _crop_anchor(img, src_w, crop_h, anchor)
        else:
            crop_w = int(max(1.0, src_h * width / height) + 0.5)
            cropped = _crop_anchor(img, crop_w, src_h, anchor)
        return _resize(cropped, width, height, max_pixels)
    # Small sources are resized to cover the box, then cropped.
    if src_ratio < dst_ratio:
        covering = _resize(img, width, 0, max_pixels)
    else:
        covering = _resize(img, 0, height, max_pixels)
    return _crop_anchor(covering, width, height, anchor)


def _transform(img: Image.Image, size: ThumbSize, max_pixels: int) -> Image.Image:
    if size.width == 0 or size.height == 0:
        return _resize(img, size.width, size.height, max_pixels)
    if size.mode == "f":
        return _fit(img, size.width, size.height, max_pixels)
    return _fill(img, size.width, size.height, size.mode, max_pixels)


# -- encoding --------------------------------------------------------------------------------------


def plan9_palette() -> list[tuple[int, int, int]]:
    """Go's `palette.Plan9`, which its gif encoder dithers to: a 4x4x4 cube, 4 shades per cell."""
    colors = [(0, 0, 0)] * 256
    base = 0
    for r in range(4):
        for v in range(4):
            j = v - r  # the 16 colours of each (r, v) block are rotated by v - r
            for g in range(4):
                for b in range(4):
                    den = max(r, g, b)
                    if den == 0:
                        colors[base + (j & 15)] = (0x11 * v,) * 3
                    else:
                        num = 17 * (4 * den + v)
                        colors[base + (j & 15)] = (r * num // den, g * num // den, b * num // den)
                    j += 1
            base += 16
    return colors


_PLAN9 = Image.new("P", (1, 1))
_PLAN9.putpalette([c for rgb in plan9_palette() for c in rgb])


def _opaque(img: Image.Image) -> bool:
    extrema = img.getchannel("A").getextrema()
    return extrema[0] == 255


def _on_black(img: Image.Image) -> Image.Image:
    """RGB with alpha premultiplied, which is what Go's encoders see of a translucent pixel."""
    if _opaque(img):
        return img.convert("RGB")
    black = Image.new("RGBA", img.size, (0, 0, 0, 255))
    return Image.alpha_composite(black, img).convert("RGB")


def _encode(img: Image.Image, original_type: str) -> tuple[bytes, str]:
    out = io.BytesIO()
    if original_type == "image/jpeg":
        _on_black(img).save(out, "JPEG", quality=_JPEG_QUALITY, subsampling=2)  # 4:2:0 as Go's
        return out.getvalue(), "image/jpeg"
    if original_type == "image/gif":
        rgb = _on_black(img)
        rgb.quantize(palette=_PLAN9, dither=Image.Dither.FLOYDSTEINBERG).save(out, "GIF", optimize=False)
        return out.getvalue(), "image/gif"
    # Everything else (webp, and "image/jpg" too, as in PocketBase) becomes png; opaque as RGB.
    (img.convert("RGB") if _opaque(img) else img).save(out, "PNG", compress_level=_PNG_COMPRESS_LEVEL)
    return out.getvalue(), "image/png"


def render_thumb(
    source: BinaryIO, original_type: str, size: ThumbSize, max_pixels: int = MAX_SOURCE_PIXELS
) -> tuple[bytes, str]:
    """The encoded thumb of the image in `source` and its content type.

    Raises ThumbError, or Pillow's errors (OSError, ValueError, ...) for broken images."""
    img = _decode(source, max_pixels)
    thumb = _transform(img, size, max_pixels)
    return _encode(thumb, original_type)


def create_thumb(
    storage: Storage, original_key: str, thumb_key: str, size: str, max_pixels: int = MAX_SOURCE_PIXELS
) -> None:
    """Make the `size` thumb of `original_key` and store it under `thumb_key` (blocking)."""
    spec = parse_thumb_size(size)
    original_type = storage.attributes(original_key).content_type
    with storage.open_reader(original_key) as reader:
        data, content_type = render_thumb(reader, original_type, spec, max_pixels)
    storage.save(thumb_key, data, content_type=content_type)


# -- generating once ---------------------------------------------------------------------------------


def _env_number(name: str) -> float:
    try:
        return float(os.environ.get(name, ""))
    except ValueError:
        return 0.0


class ThumbGenerator:
    """Makes missing thumbs off the event loop, once per thumb however many ask at the same time.

    An instance is a `files.download.ThumbMaker`. Its futures are thread-level, so one generator
    serves any number of event loops (and apps: the key includes the storage)."""

    def __init__(
        self, max_workers: int = 0, max_wait: float = 0.0, max_pixels: int = MAX_SOURCE_PIXELS
    ) -> None:
        workers = max_workers or int(_env_number("PB_THUMBS_MAX_WORKERS"))
        self.max_workers = workers if workers > 0 else (os.cpu_count() or 1) + 2
        wait = max_wait or _env_number("PB_THUMBS_MAX_WAIT")
        self.max_wait = wait if wait > 0 else _DEFAULT_MAX_WAIT
        self.max_pixels = max_pixels
        self._lock = threading.Lock()
        self._pending: dict[tuple[int, str], concurrent.futures.Future[None]] = {}
        self._pool: concurrent.futures.ThreadPoolExecutor | None = None

    def _executor(self) -> concurrent.futures.ThreadPoolExecutor:
        if self._pool is None:
            self._pool = concurrent.futures.ThreadPoolExecutor(
                self.max_workers, thread_name_prefix="palapy-thumbs"
            )
        return self._pool

    def _run(self, storage: Storage, original_key: str, thumb_key: str, size: str, queued: float) -> None:
        if time.monotonic() - queued > self.max_wait:
            raise ThumbError(f"no thumb worker was free within {self.max_wait:g}s")
        if storage.exists(thumb_key):  # made by a generation that ended just before this one began
            return
        create_thumb(storage, original_key, thumb_key, size, self.max_pixels)

    def _forget(self, key: tuple[int, str], future: concurrent.futures.Future[None]) -> None:
        with self._lock:
            if self._pending.get(key) is future:
                del self._pending[key]

    def submit(
        self, storage: Storage, original_key: str, thumb_key: str, size: str
    ) -> concurrent.futures.Future[None]:
        """The generation of `thumb_key`: the one in flight, or a new one."""
        key = (id(storage), thumb_key)
        with self._lock:
            future = self._pending.get(key)
            if future is not None:
                return future
            future = self._executor().submit(
                self._run, storage, original_key, thumb_key, size, time.monotonic()
            )
            self._pending[key] = future
        future.add_done_callback(lambda f: self._forget(key, f))
        return future

    async def __call__(self, storage: Storage, original_key: str, thumb_key: str, size: str) -> None:
        """Wait until `thumb_key` is stored; raises what the generation raised."""
        future = self.submit(storage, original_key, thumb_key, size)
        # Shielded: a request that goes away must not cancel the generation others wait for.
        await asyncio.shield(asyncio.wrap_future(future))

    def close(self) -> None:
        """Stop the worker threads once the queued generations are done."""
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=True)


GENERATOR = ThumbGenerator()
"""The process's generator, which the download route uses (like PocketBase's one per app)."""
