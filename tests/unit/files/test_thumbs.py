"""Thumbnails: imaging's geometry for every size form, PocketBase's output formats, the first
frame of animations, EXIF orientation, decompression bombs, and one generation per thumb."""

from __future__ import annotations

import asyncio
import io
import struct
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

import pytest
from PIL import Image

from palapy.app import Palapy
from palapy.files.download import DownloadRequest, resolve_download
from palapy.files.thumbs import (
    MAX_SOURCE_PIXELS,
    ThumbError,
    ThumbGenerator,
    ThumbSize,
    create_thumb,
    parse_thumb_size,
    plan9_palette,
    read_jpeg_orientation,
    render_thumb,
)
from palapy.records.forms import RecordUpsert
from palapy.schema.fields import FileField
from palapy.storage.base import FileAttributes
from palapy.storage.local import LocalStorage
from palapy.storage.uploads import UploadedFile
from tests.harness.images import png_declaring
from tests.unit.records.records_support import add_collection, superuser_info

RED, GREEN, BLUE = (255, 0, 0), (0, 255, 0), (0, 0, 255)
REPO = Path(__file__).resolve().parents[3]


def _encode(img: Image.Image, fmt: str, **kw: object) -> bytes:
    out = io.BytesIO()
    img.save(out, fmt, **kw)
    return out.getvalue()


def _render(data: bytes, content_type: str, size: str, max_pixels: int = MAX_SOURCE_PIXELS) -> Image.Image:
    out, _ = render_thumb(io.BytesIO(data), content_type, parse_thumb_size(size), max_pixels)
    img = Image.open(io.BytesIO(out))
    img.load()
    return img


def _stripes(width: int, height: int, vertical: bool = False) -> Image.Image:
    """Three bands, red then green then blue, from the top (or from the left)."""
    img = Image.new("RGB", (width, height))
    length = width if vertical else height
    for i, colour in enumerate((RED, GREEN, BLUE)):
        lo, hi = length * i // 3, length * (i + 1) // 3
        box = (lo, 0, hi, height) if vertical else (0, lo, width, hi)
        img.paste(colour, box)
    return img


def _near(pixel: object, colour: tuple[int, int, int], tolerance: int = 40) -> bool:
    assert isinstance(pixel, tuple)
    return all(abs(a - b) <= tolerance for a, b in zip(pixel[:3], colour, strict=True))


# -- sizes ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("100x100", ThumbSize(100, 100)),
        ("30x20t", ThumbSize(30, 20, "t")),
        ("30x20b", ThumbSize(30, 20, "b")),
        ("30x20f", ThumbSize(30, 20, "f")),
        ("0x50", ThumbSize(0, 50)),
        ("50x0", ThumbSize(50, 0)),
    ],
)
def test_parse_thumb_size(text: str, expected: ThumbSize) -> None:
    assert parse_thumb_size(text) == expected


@pytest.mark.parametrize(
    "text", ["0x0", "0x0f", "10x", "x10", "10x10z", "10x10\n", "\uff110x10", "-1x10", ""]
)
def test_parse_thumb_size_refuses(text: str) -> None:
    with pytest.raises(ThumbError):
        parse_thumb_size(text)


@pytest.mark.parametrize(
    ("source", "size", "expected"),
    [
        # fill (centre, top, bottom): always exactly the box, cropping what sticks out
        ((300, 200), "100x100", (100, 100)),
        ((300, 200), "70x30", (70, 30)),
        ((300, 200), "50x50t", (50, 50)),
        ((300, 200), "50x50b", (50, 50)),
        ((40, 10), "100x100", (100, 100)),  # sources under 100 px are enlarged, then cropped
        ((300, 200), "300x200", (300, 200)),
        # fit: inside the box, aspect kept, never enlarged
        ((300, 200), "50x50f", (50, 33)),
        ((200, 300), "50x50f", (33, 50)),
        ((300, 200), "1000x1000f", (300, 200)),
        ((1000, 10), "50x50f", (50, 1)),  # 50 / 100 truncates to 0, which keeps the aspect: 1 px
        # one side 0: resize keeping the aspect ratio, rounded half up, at least 1 px
        ((300, 200), "50x0", (50, 33)),
        ((300, 200), "0x50", (75, 50)),
        ((40, 10), "0x50", (200, 50)),
        ((1000, 10), "10x0", (10, 1)),
        ((120, 90), "0x50", (67, 50)),
    ],
)
def test_every_size_form_has_imagings_dimensions(
    source: tuple[int, int], size: str, expected: tuple[int, int]
) -> None:
    data = _encode(Image.new("RGB", source, RED), "PNG")
    assert _render(data, "image/png", size).size == expected


# -- anchors -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("size", "top", "middle", "bottom"),
    [
        ("100x50", RED, GREEN, BLUE),  # rows 75-225 of 300: red, green, blue
        ("100x50t", RED, RED, GREEN),  # rows 0-150
        ("100x50b", GREEN, BLUE, BLUE),  # rows 150-300
    ],
)
def test_fill_crops_from_the_anchor(
    size: str, top: tuple[int, int, int], middle: tuple[int, int, int], bottom: tuple[int, int, int]
) -> None:
    img = _render(_encode(_stripes(300, 300), "PNG"), "image/png", size).convert("RGB")
    assert img.size == (100, 50)
    assert _near(img.getpixel((50, 1)), top)
    assert _near(img.getpixel((50, 25)), middle)
    assert _near(img.getpixel((50, 48)), bottom)


@pytest.mark.parametrize(
    ("size", "left", "right"),
    [("30x30", RED, BLUE), ("30x30t", RED, BLUE), ("30x30b", RED, BLUE)],
)
def test_wide_sources_are_cropped_from_the_horizontal_centre_whatever_the_anchor(
    size: str, left: tuple[int, int, int], right: tuple[int, int, int]
) -> None:
    # 90x30 shrinks to 90x30 -> crop the middle 30 columns: the green band only.
    img = _render(_encode(_stripes(90, 30, vertical=True), "PNG"), "image/png", size).convert("RGB")
    assert img.size == (30, 30)
    assert all(_near(img.getpixel((x, 15)), GREEN) for x in (1, 15, 28))
    # A wider box keeps the bands on both sides.
    wide = _render(_encode(_stripes(90, 30, vertical=True), "PNG"), "image/png", "90x10" + size[5:])
    assert _near(wide.getpixel((1, 5)), left) and _near(wide.getpixel((88, 5)), right)


def test_small_sources_are_enlarged_then_cropped_from_the_anchor() -> None:
    source = _encode(_stripes(30, 60), "PNG")  # under 100 px: resize to cover, then crop
    top = _render(source, "image/png", "60x60t").convert("RGB")
    bottom = _render(source, "image/png", "60x60b").convert("RGB")
    centre = _render(source, "image/png", "60x60").convert("RGB")
    assert top.size == bottom.size == centre.size == (60, 60)
    assert _near(top.getpixel((30, 2)), RED) and _near(top.getpixel((30, 57)), GREEN)
    assert _near(bottom.getpixel((30, 2)), GREEN) and _near(bottom.getpixel((30, 57)), BLUE)
    assert _near(centre.getpixel((30, 30)), GREEN)


# -- formats ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fmt", "content_type", "out_format", "out_type", "out_mode"),
    [
        ("PNG", "image/png", "PNG", "image/png", "RGB"),
        ("JPEG", "image/jpeg", "JPEG", "image/jpeg", "RGB"),
        ("GIF", "image/gif", "GIF", "image/gif", "P"),
        ("WEBP", "image/webp", "PNG", "image/png", "RGB"),
        ("JPEG", "image/jpg", "PNG", "image/png", "RGB"),  # only "image/jpeg" stays jpeg, as in PocketBase
    ],
)
def test_output_formats(fmt: str, content_type: str, out_format: str, out_type: str, out_mode: str) -> None:
    data = _encode(Image.new("RGB", (120, 80), RED), fmt)
    out, produced_type = render_thumb(io.BytesIO(data), content_type, ThumbSize(40, 40))
    img = Image.open(io.BytesIO(out))
    assert (img.format, produced_type, img.mode, img.size) == (out_format, out_type, out_mode, (40, 40))
    assert _near(img.convert("RGB").getpixel((20, 20)), RED)


def test_translucent_pngs_keep_their_alpha_and_opaque_ones_drop_it() -> None:
    translucent = _encode(Image.new("RGBA", (120, 80), (255, 0, 0, 128)), "PNG")
    img = _render(translucent, "image/png", "40x40")
    assert img.mode == "RGBA" and img.getpixel((20, 20)) == (255, 0, 0, 128)
    opaque = _encode(Image.new("RGBA", (120, 80), (255, 0, 0, 255)), "PNG")
    assert _render(opaque, "image/png", "40x40").mode == "RGB"


def test_translucent_pixels_go_to_jpeg_and_gif_premultiplied() -> None:
    translucent = _encode(Image.new("RGBA", (120, 80), (255, 255, 255, 0)), "PNG")
    # Go's encoders see a transparent pixel as black, not as its stored colour.
    assert _near(_render(translucent, "image/jpeg", "40x40").getpixel((20, 20)), (0, 0, 0), 8)
    assert _near(_render(translucent, "image/gif", "40x40").convert("RGB").getpixel((20, 20)), (0, 0, 0), 0)


def test_gif_thumbs_use_gos_plan9_palette() -> None:
    palette = plan9_palette()
    assert len(palette) == len(set(palette)) == 256
    assert palette[0] == (0, 0, 0) and palette[255] == (255, 255, 255)
    assert palette[1] == (0x00, 0x00, 0x44) and palette[16] == (0x00, 0xDD, 0xDD)
    assert palette[17] == (0x11, 0x11, 0x11) and palette[23] == (0x00, 0x4C, 0x99)
    img = _render(_encode(Image.new("RGB", (60, 60), (0, 0, 0x44)), "GIF"), "image/gif", "20x20")
    plan9 = img.getpalette()
    assert plan9 is not None and [tuple(plan9[i : i + 3]) for i in range(0, 768, 3)] == palette
    assert img.convert("RGB").getpixel((10, 10)) == (0, 0, 0x44)


def test_sixteen_bit_grey_keeps_the_high_byte() -> None:
    grey = Image.new("I;16", (4, 1))
    for x, value in enumerate((0x0000, 0x01FF, 0x80FF, 0xFFFF)):
        grey.putpixel((x, 0), value)
    img = _render(_encode(grey, "PNG"), "image/png", "4x1")
    assert [img.getpixel((x, 0)) for x in range(4)] == [(0, 0, 0), (1, 1, 1), (0x80,) * 3, (0xFF,) * 3]


def test_animated_gifs_give_a_still_of_the_first_frame() -> None:
    frames = [Image.new("RGB", (120, 80), colour) for colour in (RED, BLUE, GREEN)]
    data = _encode(frames[0], "GIF", save_all=True, append_images=frames[1:], duration=50, loop=0)
    img = _render(data, "image/gif", "50x50")
    assert getattr(img, "n_frames", 1) == 1 and img.size == (50, 50)
    assert _near(img.convert("RGB").getpixel((25, 25)), RED)


def test_animated_webps_fail_as_in_go() -> None:
    frames = [Image.new("RGB", (120, 80), colour) for colour in (RED, BLUE)]
    data = _encode(frames[0], "WEBP", save_all=True, append_images=frames[1:], duration=50)
    with pytest.raises(ThumbError, match="animated"):
        _render(data, "image/webp", "50x50")


def test_broken_images_fail() -> None:
    broken = _encode(Image.new("RGB", (120, 80), RED), "PNG")[:60]
    with pytest.raises(Exception):  # noqa: B017 - Pillow raises several types; any failure serves the original
        _render(broken, "image/png", "50x50")
    with pytest.raises(Exception):  # noqa: B017
        _render(b"GIF89a not really", "image/gif", "50x50")


# -- EXIF orientation ----------------------------------------------------------------------------------


def _jpeg_with_orientation(img: Image.Image, orientation: int) -> bytes:
    exif = Image.Exif()
    exif[0x0112] = orientation
    return _encode(img, "JPEG", exif=exif.tobytes(), quality=95)


@pytest.mark.parametrize(
    ("orientation", "size", "top_left"),
    [
        (1, (60, 30), RED),
        (3, (60, 30), BLUE),  # rotated 180°: the right band comes to the left
        (6, (30, 60), RED),  # rotated 90° clockwise: the left band comes to the top
        (8, (30, 60), BLUE),
    ],
)
def test_jpeg_exif_orientation_is_applied(
    orientation: int, size: tuple[int, int], top_left: tuple[int, int, int]
) -> None:
    data = _jpeg_with_orientation(_stripes(60, 30, vertical=True), orientation)
    assert read_jpeg_orientation(io.BytesIO(data)) == orientation
    img = _render(data, "image/jpeg", "1000x1000f")  # fit, never enlarged: the oriented source size
    assert img.size == size
    assert _near(img.getpixel((1, 1)), top_left)


def test_orientation_is_read_only_from_a_jpegs_first_app1_segment() -> None:
    data = _jpeg_with_orientation(Image.new("RGB", (60, 30), RED), 6)
    xmp = b"http://ns.adobe.com/xap/1.0/\x00<x/>"
    with_xmp_first = data[:2] + b"\xff\xe1" + struct.pack(">H", len(xmp) + 2) + xmp + data[2:]
    assert read_jpeg_orientation(io.BytesIO(with_xmp_first)) == 0
    assert _render(with_xmp_first, "image/jpeg", "1000x1000f").size == (60, 30)
    assert read_jpeg_orientation(io.BytesIO(b"\xff\xd8\xff\xe1")) == 0


def test_png_exif_orientation_is_ignored() -> None:
    exif = Image.Exif()
    exif[0x0112] = 6
    data = _encode(Image.new("RGB", (60, 30), RED), "PNG", exif=exif.tobytes())
    assert Image.open(io.BytesIO(data)).getexif().get(0x0112) == 6
    assert _render(data, "image/png", "1000x1000f").size == (60, 30)


# -- decompression bombs -----------------------------------------------------------------------------


_BOMB_CHILD = """
import io, sys
from palapy.files.thumbs import ThumbError, ThumbSize, render_thumb
data = sys.stdin.buffer.read()
try:
    render_thumb(io.BytesIO(data), "image/png", ThumbSize(100, 100))
except ThumbError as exc:
    outcome = "refused: " + str(exc)
except BaseException as exc:
    outcome = "failed otherwise: " + type(exc).__name__
else:
    outcome = "made"
print(outcome)
# VmHWM is this process image's own peak; getrusage's maxrss keeps the forking parent's.
print(next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmHWM:")) // 1024)
"""


@pytest.mark.parametrize("side", [50_000, 10_000])
def test_a_decompression_bomb_is_refused_without_decoding_it(side: int) -> None:
    # In a child process, so its peak memory is measured alone (50,000² RGBA would be 10 GB).
    result = subprocess.run(
        [sys.executable, "-W", "ignore", "-c", _BOMB_CHILD],
        input=png_declaring(side, side),
        capture_output=True,
        cwd=REPO,
        check=True,
        timeout=60,
    )
    outcome, peak_mb = result.stdout.decode().splitlines()
    assert outcome.startswith("refused: the image is too large"), outcome
    assert int(peak_mb) < 200  # the pixels (10 GB or 400 MB as RGBA) were never allocated


def test_a_thumb_larger_than_the_limit_is_refused() -> None:
    data = _encode(Image.new("RGB", (10, 10), RED), "PNG")
    with pytest.raises(ThumbError, match="too large"):
        _render(data, "image/png", "2000x2000", max_pixels=1_000_000)
    with pytest.raises(ThumbError, match="too large"):
        _render(
            _encode(Image.new("RGB", (2000, 1000), RED), "PNG"), "image/png", "10x10", max_pixels=1_000_000
        )


# -- storing and generating once ------------------------------------------------------------------------


class CountingStorage(LocalStorage):
    """Local storage that counts thumb writes and can hold each original read for a while."""

    def __init__(self, root: Path, read_delay: float = 0.0) -> None:
        super().__init__(root)
        self.read_delay = read_delay
        self.saves: list[str] = []
        self._lock = threading.Lock()

    def save(self, key: str, data: bytes, *, content_type: str = "", original_name: str = "") -> None:
        if "/thumbs_" in key:
            with self._lock:
                self.saves.append(key)
        super().save(key, data, content_type=content_type, original_name=original_name)

    def open_reader(self, key: str) -> BinaryIO:
        time.sleep(self.read_delay)
        return super().open_reader(key)


def _store(
    storage: LocalStorage, key: str = "c/r/a.png", fmt: str = "PNG", content_type: str = "image/png"
) -> None:
    storage.save(key, _encode(_stripes(300, 200), fmt), content_type=content_type)


THUMB_KEY = "c/r/thumbs_a.png/100x100_a.png"


def test_create_thumb_stores_it_where_pocketbase_does_with_its_content_type(tmp_path: Path) -> None:
    storage = LocalStorage(tmp_path)
    _store(storage, "c/r/a.webp", "WEBP", "image/webp")
    create_thumb(storage, "c/r/a.webp", "c/r/thumbs_a.webp/50x50_a.webp", "50x50")
    attrs = storage.attributes("c/r/thumbs_a.webp/50x50_a.webp")
    assert attrs.content_type == "image/png"
    assert (tmp_path / "c/r/thumbs_a.webp/50x50_a.webp.attrs").is_file()
    assert Image.open(storage.open_reader("c/r/thumbs_a.webp/50x50_a.webp")).size == (50, 50)


def test_concurrent_first_requests_share_one_generation(tmp_path: Path) -> None:
    storage = CountingStorage(tmp_path, read_delay=0.2)
    _store(storage)
    generator = ThumbGenerator(max_workers=4)

    async def many() -> None:
        await asyncio.gather(*(generator(storage, "c/r/a.png", THUMB_KEY, "100x100") for _ in range(20)))

    try:
        asyncio.run(many())
        assert storage.saves == [THUMB_KEY]
        assert Image.open(storage.open_reader(THUMB_KEY)).size == (100, 100)
        # Later requests find it stored: no second generation.
        asyncio.run(many())
        assert storage.saves == [THUMB_KEY]
    finally:
        generator.close()


def test_concurrent_requests_from_two_event_loops_share_one_generation(tmp_path: Path) -> None:
    storage = CountingStorage(tmp_path, read_delay=0.2)
    _store(storage)
    generator = ThumbGenerator(max_workers=4)
    errors: list[BaseException] = []

    def request() -> None:
        try:
            asyncio.run(generator(storage, "c/r/a.png", THUMB_KEY, "100x100"))
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=request) for _ in range(4)]
    try:
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert errors == [] and storage.saves == [THUMB_KEY]
    finally:
        generator.close()


def test_a_failed_generation_fails_every_waiter_and_is_retried_later(tmp_path: Path) -> None:
    storage = CountingStorage(tmp_path, read_delay=0.1)
    storage.save("c/r/a.png", b"\x89PNG\r\n\x1a\n broken", content_type="image/png")
    generator = ThumbGenerator(max_workers=2)

    async def attempt() -> list[BaseException | None]:
        return await asyncio.gather(
            *(generator(storage, "c/r/a.png", THUMB_KEY, "100x100") for _ in range(5)), return_exceptions=True
        )

    try:
        results = asyncio.run(attempt())
        assert all(isinstance(r, Exception) for r in results) and len({id(r) for r in results}) == 1
        _store(storage)  # fixed meanwhile: the next request generates again
        asyncio.run(generator(storage, "c/r/a.png", THUMB_KEY, "100x100"))
        assert storage.saves == [THUMB_KEY]
    finally:
        generator.close()


def test_a_request_that_goes_away_does_not_cancel_the_generation(tmp_path: Path) -> None:
    storage = CountingStorage(tmp_path, read_delay=0.3)
    _store(storage)
    generator = ThumbGenerator(max_workers=1)

    async def scenario() -> None:
        # The only worker is busy with another thumb, so this one is still queued when one goes.
        busy = asyncio.ensure_future(generator(storage, "c/r/a.png", "c/r/thumbs_a.png/0x50_a.png", "0x50"))
        leaving = asyncio.ensure_future(generator(storage, "c/r/a.png", THUMB_KEY, "100x100"))
        staying = asyncio.ensure_future(generator(storage, "c/r/a.png", THUMB_KEY, "100x100"))
        await asyncio.sleep(0.05)
        leaving.cancel()
        await asyncio.gather(busy, staying)

    try:
        asyncio.run(scenario())
        assert sorted(storage.saves) == ["c/r/thumbs_a.png/0x50_a.png", THUMB_KEY]
    finally:
        generator.close()


def test_a_generation_that_waits_too_long_for_a_worker_fails(tmp_path: Path) -> None:
    storage = CountingStorage(tmp_path, read_delay=0.4)
    _store(storage)
    generator = ThumbGenerator(max_workers=1, max_wait=0.1)

    async def two() -> tuple[BaseException | None, BaseException | None]:
        first = generator(storage, "c/r/a.png", THUMB_KEY, "100x100")
        second = generator(storage, "c/r/a.png", "c/r/thumbs_a.png/0x50_a.png", "0x50")
        return await asyncio.gather(first, second, return_exceptions=True)

    try:
        first, second = asyncio.run(two())
        assert first is None
        assert isinstance(second, ThumbError) and "no thumb worker was free" in str(second)
    finally:
        generator.close()


def test_the_generator_reads_pocketbases_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PB_THUMBS_MAX_WORKERS", "3")
    monkeypatch.setenv("PB_THUMBS_MAX_WAIT", "7")
    generator = ThumbGenerator()
    assert (generator.max_workers, generator.max_wait) == (3, 7.0)
    monkeypatch.setenv("PB_THUMBS_MAX_WORKERS", "nope")
    monkeypatch.delenv("PB_THUMBS_MAX_WAIT")
    assert ThumbGenerator().max_wait == 60.0 and ThumbGenerator().max_workers >= 3


# -- through the download flow --------------------------------------------------------------------------


@pytest.fixture
def app(tmp_path: Path) -> Iterator[Palapy]:
    core = Palapy(tmp_path / "pb_data")
    core.bootstrap()
    yield core
    core.close()


def _gallery_record(app: Palapy, content: bytes) -> tuple[str, str]:
    collection = add_collection(
        app, "base", "gallery", [FileField(name="img", maxSelect=1, maxSize=1 << 24)], viewRule=""
    )
    form = RecordUpsert(app, collection, None, superuser_info(app))
    form.load({"img": UploadedFile("pic.png", content, "image/png")})
    record = app.db.write_sync(form.submit_in_tx)
    return str(record["id"]), str(record["img"])


def _download(app: Palapy, generator: ThumbGenerator, rid: str, name: str) -> tuple[str, FileAttributes]:
    storage = LocalStorage(app.storage_dir)
    req = DownloadRequest(collection="gallery", record_id=rid, filename=name, thumb="100x100")
    served = asyncio.run(resolve_download(app, storage, req, generator))
    return served.name, served.attributes


def test_a_download_makes_and_serves_the_thumb(app: Palapy) -> None:
    rid, name = _gallery_record(app, _encode(_stripes(300, 200), "PNG"))
    generator = ThumbGenerator(max_workers=1)
    try:
        served_name, attrs = _download(app, generator, rid, name)
    finally:
        generator.close()
    assert served_name == f"100x100_{name}" and attrs.content_type == "image/png"


@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")
def test_a_bomb_download_serves_the_original_and_logs_why(
    app: Palapy, caplog: pytest.LogCaptureFixture
) -> None:
    bomb = png_declaring(10_000, 10_000)
    rid, name = _gallery_record(app, bomb)
    generator = ThumbGenerator(max_workers=1)
    try:
        with caplog.at_level("WARNING", logger="palapy.files"):
            served_name, attrs = _download(app, generator, rid, name)
    finally:
        generator.close()
    assert served_name == name and attrs.size == len(bomb)
    assert "failed to create thumb" in caplog.text and "too large" in caplog.text
