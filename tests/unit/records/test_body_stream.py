"""Bodies read as they arrive: multipart files spooled to disk, values kept, nothing left behind."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from palapy.records.body import read_body
from palapy.storage.mime import SNIFF_LIMIT
from palapy.storage.uploads import Spool
from palapy.tools.errors import ApiError

CT = "multipart/form-data; boundary=BoUnD"
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40  # past the sniffing limit


def _body(*parts: tuple[bytes, bytes]) -> bytes:
    out = b"".join(b"--BoUnD\r\n" + head + b"\r\n\r\n" + data + b"\r\n" for head, data in parts)
    return out + b"--BoUnD--\r\n"


def _chunks(data: bytes, size: int) -> AsyncIterator[bytes]:
    async def gen() -> AsyncIterator[bytes]:
        for i in range(0, len(data), size):
            yield data[i : i + size]

    return gen()


BODY = _body(
    (b'Content-Disposition: form-data; name="title"', b"12"),
    (b'Content-Disposition: form-data; name="files"; filename="a.png"\r\nContent-Type: image/png', PNG),
    (b'Content-Disposition: form-data; name="files"; filename="b.txt"', b"plain"),
)


@pytest.mark.parametrize("size", [1, 7, 4096, len(BODY)])
def test_files_are_spooled_and_values_inferred(tmp_path: Path, size: int) -> None:
    with Spool(tmp_path / "spool") as spool:
        body = asyncio.run(read_body(CT, _chunks(BODY, size), spool, b"title=0&extra=x"))
        assert body.data == {"title": [0.0, 12.0], "extra": "x"}  # query values come first
        first, second = body.files["files"]
        assert first.path is not None and first.path.parent == tmp_path / "spool"
        assert first.read_bytes() == PNG and first.size == len(PNG)
        assert first.head == PNG[:SNIFF_LIMIT] and first.content_type == "image/png"
        assert first.content == b""  # never held in memory
        assert first.part_content_type == "image/png"
        assert re.fullmatch(r"a[a-z0-9]{10}_[a-z0-9]{10}\.png", first.name)  # padded to 3 characters
        assert second.read_bytes() == b"plain" and second.original_name == "b.txt"
    assert list((tmp_path / "spool").iterdir()) == []  # what was not stored is gone


def test_a_stored_upload_is_moved_out_of_the_spool(tmp_path: Path) -> None:
    with Spool(tmp_path / "spool") as spool:
        body = asyncio.run(read_body(CT, _chunks(BODY, 1000), spool))
        upload = body.files["files"][0]
        assert upload.path is not None
        kept = tmp_path / "kept.png"
        upload.path.rename(kept)
    assert kept.read_bytes() == PNG
    assert list((tmp_path / "spool").iterdir()) == []


@pytest.mark.parametrize(
    "raw",
    [BODY[:-30], BODY.replace(b"--BoUnD--", b"--Other--"), b"junk"],
    ids=["truncated", "unclosed", "junk"],
)
def test_a_malformed_body_is_a_400_and_leaves_no_file(tmp_path: Path, raw: bytes) -> None:
    spool_dir = tmp_path / "spool"
    with pytest.raises(ApiError) as err, Spool(spool_dir) as spool:
        asyncio.run(read_body(CT, _chunks(raw, 512), spool))
    assert err.value.status == 400
    assert not spool_dir.exists() or list(spool_dir.iterdir()) == []


def test_a_malformed_body_is_read_to_its_end(tmp_path: Path) -> None:
    """The rest is drained so the client still gets the answer on a usable connection."""
    seen: list[int] = []
    raw = _body(*[(b'Content-Disposition: form-data; name="a"', b"1")] * 1500)

    async def counted() -> AsyncIterator[bytes]:
        for i in range(0, len(raw), 100):
            seen.append(i)
            yield raw[i : i + 100]

    with pytest.raises(ApiError), Spool(tmp_path) as spool:
        asyncio.run(read_body(CT, counted(), spool))
    assert seen[-1] + 100 >= len(raw)


def test_a_client_gone_mid_upload_leaves_no_file(tmp_path: Path) -> None:
    async def broken() -> AsyncIterator[bytes]:
        yield BODY[:5000]
        raise ConnectionResetError("client went away")

    with pytest.raises(ConnectionResetError), Spool(tmp_path / "spool") as spool:
        asyncio.run(read_body(CT, broken(), spool))
    assert list((tmp_path / "spool").iterdir()) == []


def test_an_empty_multipart_body_is_an_empty_form(tmp_path: Path) -> None:
    with Spool(tmp_path) as spool:
        body = asyncio.run(read_body(CT, _chunks(b"", 1), spool))
    assert body.data == {} and body.files == {}


def test_other_bodies_are_gathered_and_parsed_whole(tmp_path: Path) -> None:
    with Spool(tmp_path) as spool:
        body = asyncio.run(read_body("application/json", _chunks(b'{"a": 1}', 2), spool))
    assert body.data == {"a": 1} and not body.is_multipart
