"""The local storage driver and its PocketBase-compatible `.attrs` sidecars."""

from __future__ import annotations

import base64
import hashlib
import json
from pathlib import Path

import pytest

from palapy.storage.base import Storage
from palapy.storage.local import LocalStorage


def test_save_open_and_sidecar(tmp_path: Path) -> None:
    storage = LocalStorage(tmp_path)
    assert isinstance(storage, Storage)
    storage.save("pbc_1/rec1/doc_abc.txt", b"hello", original_name="doc.txt")
    assert storage.open("pbc_1/rec1/doc_abc.txt") == b"hello"
    assert storage.exists("pbc_1/rec1/doc_abc.txt")
    attrs = json.loads((tmp_path / "pbc_1/rec1/doc_abc.txt.attrs").read_text())
    assert attrs["user.content_type"] == "text/plain; charset=utf-8"
    assert attrs["user.metadata"] == {"original-filename": "doc.txt"}
    assert base64.b64decode(attrs["md5"]) == hashlib.md5(b"hello").digest()


def test_delete_and_delete_prefix(tmp_path: Path) -> None:
    storage = LocalStorage(tmp_path)
    storage.save("c/r1/a.txt", b"1")
    storage.save("c/r1/b.txt", b"2")
    storage.save("c/r2/a.txt", b"3")
    storage.delete("c/r1/a.txt")
    assert not storage.exists("c/r1/a.txt") and not (tmp_path / "c/r1/a.txt.attrs").exists()
    storage.delete("c/r1/missing.txt")  # ignored
    storage.delete_prefix("c/r1")
    assert not (tmp_path / "c/r1").exists()
    assert storage.exists("c/r2/a.txt")
    with pytest.raises(FileNotFoundError):
        storage.open("c/r1/b.txt")


@pytest.mark.parametrize("key", ["../x", "a/../../b", "", "a/b.attrs"])
def test_keys_cannot_escape_or_clash_with_sidecars(tmp_path: Path, key: str) -> None:
    with pytest.raises(ValueError):
        LocalStorage(tmp_path).save(key, b"x")
