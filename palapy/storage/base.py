"""The storage protocol: where uploaded files live, behind one interface (local disk now, S3 later).

Keys are `/`-separated paths such as `{collectionId}/{recordId}/{name}`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Protocol, runtime_checkable

__all__ = ["Storage", "FileAttributes", "record_prefix"]


@dataclass(frozen=True)
class FileAttributes:
    """A stored file's metadata, as serving it needs: the recorded content type (the `.attrs`
    `user.content_type`), its size in bytes and its modification time in Unix seconds (0: unknown)."""

    content_type: str
    size: int
    modified: int


def record_prefix(collection_id: str, record_id: str) -> str:
    """The storage key prefix that holds one record's files."""
    return f"{collection_id}/{record_id}"


@runtime_checkable
class Storage(Protocol):
    """Where uploaded files live; keys are `/`-separated paths such as `{collId}/{recordId}/{name}`."""

    def save(self, key: str, data: bytes, *, content_type: str = "", original_name: str = "") -> None:
        """Write `data` under `key`, replacing what was there. ValueError (nothing written) for a
        content type PocketBase's blob writer cannot parse."""
        ...

    def save_file(
        self,
        key: str,
        source: Path,
        *,
        content_type: str = "",
        original_name: str = "",
        md5: bytes | None = None,
    ) -> None:
        """Store the local file `source` under `key`, replacing what was there, without reading
        it whole into memory. `source` is a spooled upload the caller owns: a driver may move it
        (the local one renames it into place) or copy it; the caller removes it if it remains.
        `md5` is the content's digest when the caller already has it (saves reading it again)."""
        ...

    def open(self, key: str) -> bytes:
        """The content stored under `key`; raises FileNotFoundError when missing."""
        ...

    def exists(self, key: str) -> bool:
        """True when a file is stored under `key`."""
        ...

    def delete(self, key: str) -> None:
        """Remove one file (missing files are ignored)."""
        ...

    def delete_prefix(self, prefix: str) -> None:
        """Remove every file under `prefix` (a record's or a collection's folder)."""
        ...

    def attributes(self, key: str) -> FileAttributes:
        """The metadata of the file under `key`; FileNotFoundError when missing, ValueError when
        its attributes are unreadable."""
        ...

    def local_path(self, key: str) -> Path | None:
        """Where the file under `key` lies on this machine, for drivers that keep files on local
        disk (the HTTP server then sends it itself); None for remote drivers."""
        ...

    def open_reader(self, key: str) -> BinaryIO:
        """A seekable binary stream of the file under `key` (the caller closes it)."""
        ...
