"""The Storage protocol's contract, held by every driver: local disk and S3 (a real SeaweedFS).

Each test runs once per driver on an empty store (a fresh directory, or a fresh bucket of the
test run's SeaweedFS, `tests.harness.s3_server`). A missing `weed` binary fails the S3 half.
"""

from __future__ import annotations

import asyncio
import io
import os
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from palapy.files.ranges import Segment, multipart_layout, parse_range
from palapy.files.serve import stream_segments
from palapy.storage.base import Storage
from palapy.storage.local import LocalStorage
from tests.harness.s3_server import shared_s3_server

PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
    "0000000d49444154789c63f8cfc0f01f0005000201a5b3a1c80000000049454e44ae426082"
)


@pytest.fixture(params=["local", "s3"])
def storage(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Storage]:
    if request.param == "local":
        yield LocalStorage(tmp_path / "storage")
    else:
        yield shared_s3_server().storage(f"contract-{uuid.uuid4().hex[:20]}")


def test_it_is_a_storage(storage: Storage) -> None:
    assert isinstance(storage, Storage)


def test_save_then_open_and_replace(storage: Storage) -> None:
    storage.save("c/r/doc_abc.txt", b"hello")
    assert storage.open("c/r/doc_abc.txt") == b"hello"
    storage.save("c/r/doc_abc.txt", b"replaced")
    assert storage.open("c/r/doc_abc.txt") == b"replaced"


def test_an_empty_file_round_trips(storage: Storage) -> None:
    storage.save("c/r/empty.bin", b"")
    assert storage.open("c/r/empty.bin") == b""
    assert storage.attributes("c/r/empty.bin").size == 0
    with storage.open_reader("c/r/empty.bin") as reader:
        assert reader.read() == b""


def test_save_file_stores_a_local_file(storage: Storage, tmp_path: Path) -> None:
    # Bigger than one S3 upload part (8 MiB), so the S3 driver uploads it in parts.
    data = os.urandom(9 << 20)
    source = tmp_path / "spooled.bin"
    source.write_bytes(data)
    storage.save_file("c/r/big_abc.bin", source, content_type="application/zip", original_name="big.bin")
    assert storage.open("c/r/big_abc.bin") == data
    attrs = storage.attributes("c/r/big_abc.bin")
    assert (attrs.content_type, attrs.size) == ("application/zip", len(data))


def test_content_type_is_recorded_or_sniffed(storage: Storage, tmp_path: Path) -> None:
    storage.save("c/r/given.txt", b"plain", content_type="text/csv")
    storage.save("c/r/sniffed.png", PNG, original_name="red.png")
    source = tmp_path / "upload"
    source.write_bytes(PNG)
    storage.save_file("c/r/sniffed_file.png", source, original_name="red.png")
    assert storage.attributes("c/r/given.txt").content_type == "text/csv"
    assert storage.attributes("c/r/sniffed.png").content_type == "image/png"
    assert storage.attributes("c/r/sniffed_file.png").content_type == "image/png"


def test_attributes_give_size_and_modified_time(storage: Storage) -> None:
    before = int(time.time())
    storage.save("c/r/a.txt", b"12345")
    attrs = storage.attributes("c/r/a.txt")
    assert attrs.size == 5
    assert before - 2 <= attrs.modified <= time.time() + 2


def test_missing_files(storage: Storage) -> None:
    storage.save("c/r/present.txt", b"x")
    assert storage.exists("c/r/present.txt")
    assert not storage.exists("c/r/absent.txt")
    assert not storage.exists("c/absent/absent.txt")
    with pytest.raises(FileNotFoundError):
        storage.open("c/r/absent.txt")
    with pytest.raises(FileNotFoundError):
        storage.attributes("c/r/absent.txt")
    with pytest.raises(FileNotFoundError):
        with storage.open_reader("c/r/absent.txt") as reader:
            reader.read(1)  # a lazy reader may find out on its first read


@pytest.mark.parametrize("key", ["../x", "a/../../b", "", "a/./b", "/"])
def test_keys_cannot_escape(storage: Storage, key: str) -> None:
    with pytest.raises(ValueError):
        storage.save(key, b"x")
    assert not storage.exists(key)


def test_delete_takes_the_thumbs_and_leaves_the_rest(storage: Storage) -> None:
    storage.save("c/r/a.png", PNG)
    storage.save("c/r/thumbs_a.png/100x100_a.png", PNG)
    storage.save("c/r/thumbs_a.png/0x50_a.png", PNG)
    storage.save("c/r/b.png", PNG)
    storage.save("c/r/thumbs_b.png/100x100_b.png", PNG)
    storage.delete("c/r/a.png")
    assert not storage.exists("c/r/a.png")
    assert not storage.exists("c/r/thumbs_a.png/100x100_a.png")
    assert not storage.exists("c/r/thumbs_a.png/0x50_a.png")
    assert storage.exists("c/r/b.png") and storage.exists("c/r/thumbs_b.png/100x100_b.png")
    storage.delete("c/r/never_there.png")  # ignored


def test_delete_prefix_takes_one_folder_only(storage: Storage) -> None:
    storage.save("c/r1/a.txt", b"1")
    storage.save("c/r1/thumbs_a.txt/1x1_a.txt", b"1")
    storage.save("c/r10/a.txt", b"2")  # a sibling whose name starts like the prefix
    storage.save("d/r1/a.txt", b"3")
    storage.delete_prefix("c/r1")
    assert not storage.exists("c/r1/a.txt") and not storage.exists("c/r1/thumbs_a.txt/1x1_a.txt")
    assert storage.exists("c/r10/a.txt") and storage.exists("d/r1/a.txt")
    storage.delete_prefix("c/")  # a collection's folder, as collection deletion names it
    assert not storage.exists("c/r10/a.txt") and storage.exists("d/r1/a.txt")
    storage.delete_prefix("nothing/here")  # ignored


def test_reader_seeks_and_reads_ranges(storage: Storage) -> None:
    data = bytes(range(256)) * 4096  # 1 MiB
    storage.save("c/r/blob.bin", data)
    with storage.open_reader("c/r/blob.bin") as reader:
        assert reader.seekable()
        assert reader.read(10) == data[:10]
        assert reader.tell() == 10
        reader.seek(700_000)
        assert reader.read(300_000) == data[700_000:1_000_000]
        reader.seek(-5, io.SEEK_END)
        assert reader.read(100) == data[-5:]
        assert reader.read(100) == b""
        reader.seek(len(data) + 10)
        assert reader.read(1) == b""
        reader.seek(3)
        assert reader.read(4) == data[3:7]
        reader.seek(0)
        assert reader.read() == data


def _served(storage: Storage, key: str, segments: list[Segment], trailer: bytes = b"") -> bytes:
    async def body() -> bytes:
        return b"".join(
            [c async for c in stream_segments(lambda: storage.open_reader(key), segments, trailer)]
        )

    return asyncio.run(body())


def test_serving_ranges_reads_the_right_bytes(storage: Storage) -> None:
    # The download path itself: Go-style ranges, then the segments streamed from the reader.
    data = os.urandom(600_000)
    storage.save("c/r/video.mp4", data)
    size = storage.attributes("c/r/video.mp4").size
    one = parse_range("bytes=123456-123999", size)[0]
    assert _served(storage, "c/r/video.mp4", [Segment(b"", one.start, one.length)]) == data[123456:124000]
    ranges = parse_range("bytes=0-99,500000-,-1000,250000-250009", size)
    segments, trailer, total = multipart_layout(ranges, "video/mp4", size, "b0undary")
    body = _served(storage, "c/r/video.mp4", segments, trailer)
    expected = b"".join(s.prefix + data[s.start : s.start + s.length] for s in segments) + trailer
    assert len(body) == total and body == expected
    assert _served(storage, "c/r/video.mp4", [Segment(b"", 0, size)]) == data
