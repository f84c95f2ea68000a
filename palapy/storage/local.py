"""The local storage driver: files under `pb_data/storage/` with PocketBase's `.attrs` sidecars."""

from __future__ import annotations

import base64
import errno
import hashlib
import json
import os
import shutil
from pathlib import Path
from typing import BinaryIO

from palapy.storage.base import FileAttributes
from palapy.storage.mime import SNIFF_LIMIT, blob_content_type, sniff_content_type

__all__ = ["LocalStorage", "ATTRS_SUFFIX"]

ATTRS_SUFFIX = ".attrs"
# What PocketBase's local driver assumes for a file without its `.attrs` sidecar.
_DEFAULT_CONTENT_TYPE = "application/octet-stream"
_CHUNK = 1 << 20


class LocalStorage:
    """Files on the local disk under `root`, the layout PocketBase's local driver uses."""

    def __init__(self, root: str | os.PathLike[str]) -> None:
        self.root = Path(root)

    def _path(self, key: str) -> Path:
        parts = [p for p in key.replace("\\", "/").split("/") if p]
        if not parts or any(p in (".", "..") for p in parts):
            raise ValueError(f"invalid storage key {key!r}")
        if parts[-1].endswith(ATTRS_SUFFIX):
            raise ValueError(f"file extension {ATTRS_SUFFIX!r} is reserved")
        return self.root.joinpath(*parts)

    def save(self, key: str, data: bytes, *, content_type: str = "", original_name: str = "") -> None:
        path = self._path(key)
        # Refused (ValueError) before anything is created, as Go's blob writer refuses it.
        content_type = blob_content_type(
            content_type or sniff_content_type(data[:SNIFF_LIMIT], original_name)
        )
        path.parent.mkdir(parents=True, exist_ok=True)
        # The attributes go first, so a file is never seen without its content type.
        self._write_attrs(path, content_type, original_name, hashlib.md5(data).digest())
        tmp = path.with_name(path.name + ".tmp-write")
        tmp.write_bytes(data)
        os.replace(tmp, path)

    def save_file(
        self,
        key: str,
        source: Path,
        *,
        content_type: str = "",
        original_name: str = "",
        md5: bytes | None = None,
    ) -> None:
        path = self._path(key)
        with open(source, "rb") as f:
            head = f.read(SNIFF_LIMIT)
            if md5 is None:
                digest = hashlib.md5(head)
                while chunk := f.read(_CHUNK):
                    digest.update(chunk)
                md5 = digest.digest()
        # Refused (ValueError) before anything is created, as Go's blob writer refuses it.
        content_type = blob_content_type(content_type or sniff_content_type(head, original_name))
        path.parent.mkdir(parents=True, exist_ok=True)
        self._write_attrs(path, content_type, original_name, md5)
        try:
            os.replace(source, path)  # the spool lives on the same disk as storage: a rename
        except OSError as exc:
            if exc.errno != errno.EXDEV:
                raise
            tmp = path.with_name(path.name + ".tmp-write")
            shutil.copyfile(source, tmp)
            os.replace(tmp, path)

    @staticmethod
    def _write_attrs(path: Path, content_type: str, original_name: str, md5: bytes) -> None:
        attrs = {
            "user.cache_control": "",
            "user.content_disposition": "",
            "user.content_encoding": "",
            "user.content_language": "",
            "user.content_type": content_type,
            "user.metadata": {"original-filename": original_name} if original_name else None,
            "md5": base64.b64encode(md5).decode(),
        }
        path.with_name(path.name + ATTRS_SUFFIX).write_text(json.dumps(attrs, separators=(",", ":")) + "\n")

    def open(self, key: str) -> bytes:
        return self._path(key).read_bytes()

    def exists(self, key: str) -> bool:
        try:
            return self._path(key).is_file()
        except ValueError:
            return False

    def delete(self, key: str) -> None:
        path = self._path(key)
        for p in (path, path.with_name(path.name + ATTRS_SUFFIX)):
            try:
                p.unlink()
            except FileNotFoundError:
                pass
        # Thumbs of the file live next to it; they go with it.
        shutil.rmtree(path.with_name("thumbs_" + path.name), ignore_errors=True)

    def delete_prefix(self, prefix: str) -> None:
        parts = [p for p in prefix.replace("\\", "/").split("/") if p]
        if not parts or any(p in (".", "..") for p in parts):
            raise ValueError(f"invalid storage prefix {prefix!r}")
        shutil.rmtree(self.root.joinpath(*parts), ignore_errors=True)

    def attributes(self, key: str) -> FileAttributes:
        path = self._path(key)
        st = path.stat()
        if not path.is_file():
            raise FileNotFoundError(key)
        content_type = _DEFAULT_CONTENT_TYPE
        try:
            raw = path.with_name(path.name + ATTRS_SUFFIX).read_bytes()
        except FileNotFoundError:
            pass
        else:
            data = json.loads(raw)
            if not isinstance(data, dict):
                raise ValueError(f"invalid attributes of {key!r}")
            value = data.get("user.content_type")
            content_type = value if isinstance(value, str) else ""
        return FileAttributes(content_type, st.st_size, st.st_mtime_ns // 1_000_000_000)

    def local_path(self, key: str) -> Path | None:
        return self._path(key)

    def open_reader(self, key: str) -> BinaryIO:
        return self._path(key).open("rb")
