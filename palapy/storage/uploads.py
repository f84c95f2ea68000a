"""Uploaded files, named the moment they arrive (as PocketBase does), before they are stored.

A request's uploads are written to a `Spool`: temporary files in one folder beside storage, so
an upload never sits whole in memory and the local driver can rename it into place. Whatever
the request did not store (a failed validation, a rolled-back write, a client gone mid-body)
is removed when the spool closes.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import BinaryIO

from palapy.storage.mime import SNIFF_LIMIT, content_type_is, sniff_content_type
from palapy.storage.naming import generate_filename

__all__ = ["UploadedFile", "Spool", "SpooledWriter"]


@dataclass(eq=False)
class UploadedFile:
    """One multipart file part.

    `name` is the generated storage name (`snake_base_<10 random>.Ext`); `original_name` is
    what the client sent. The content is either `content` (in memory) or the spooled file at
    `path` (`size` bytes, starting with `head`). Until the record is saved, file field values
    hold these objects next to the names of already stored files.
    """

    original_name: str
    content: bytes = b""
    part_content_type: str = ""
    name: str = field(default="")
    path: Path | None = None
    spooled_size: int = 0
    spooled_head: bytes = b""
    spooled_md5: bytes | None = None  # taken while spooling, so storing need not read it again
    # The sniffed type, filled on first use: validation, hooks and storage each ask for it.
    _content_type: str | None = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        if not self.name:
            self.name = generate_filename(self.original_name, self.head)

    @property
    def size(self) -> int:
        return self.spooled_size if self.path is not None else len(self.content)

    @property
    def head(self) -> bytes:
        """The leading bytes content detection reads."""
        return self.spooled_head if self.path is not None else self.content[:SNIFF_LIMIT]

    @property
    def content_type(self) -> str:
        """The MIME type sniffed from the content (PocketBase ignores the client's claim)."""
        if self._content_type is None:
            self._content_type = sniff_content_type(self.head, self.original_name)
        return self._content_type

    def content_type_is(self, expected: str) -> bool:
        """Whether one entry of a file field's `mimeTypes` accepts this upload: the sniffed
        type itself or one of its aliases, parameters and case ignored (mimetype's `Is`)."""
        return content_type_is(self.content_type, expected)

    def read_bytes(self) -> bytes:
        """The whole content (for small files and for code that needs it in memory)."""
        return self.path.read_bytes() if self.path is not None else self.content

    def renamed(self, original_name: str, part_content_type: str = "") -> UploadedFile:
        """The same content under another original name (and so a new storage name)."""
        copy = UploadedFile(
            original_name=original_name,
            content=self.content,
            part_content_type=part_content_type,
            path=self.path,
            spooled_size=self.spooled_size,
            spooled_head=self.spooled_head,
            spooled_md5=self.spooled_md5,
        )
        copy._content_type = self._content_type  # same bytes, same type: no second sniff
        return copy

    def __repr__(self) -> str:
        return f"UploadedFile({self.original_name!r} -> {self.name!r}, {self.size} bytes)"


class SpooledWriter:
    """One upload being written to its temporary file, chunk by chunk."""

    def __init__(self, path: Path, file: BinaryIO) -> None:
        self.path = path
        self._file = file
        self.size = 0
        self.head = b""
        self._md5 = hashlib.md5()

    def write(self, chunk: bytes) -> None:
        if len(self.head) < SNIFF_LIMIT:
            self.head += chunk[: SNIFF_LIMIT - len(self.head)]
        self._file.write(chunk)
        self._md5.update(chunk)
        self.size += len(chunk)

    def finish(self, original_name: str, part_content_type: str = "") -> UploadedFile:
        self._file.close()
        return UploadedFile(
            original_name=original_name,
            part_content_type=part_content_type,
            path=self.path,
            spooled_size=self.size,
            spooled_head=self.head,
            spooled_md5=self._md5.digest(),
        )

    def abort(self) -> None:
        self._file.close()


class Spool:
    """The temporary files of one request's uploads, in `directory` (created on first use).

    Use it as a context manager around the whole request: on exit every file still in the
    folder is removed; a stored upload was already moved or copied away.
    """

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self._writers: list[SpooledWriter] = []

    def new_file(self) -> SpooledWriter:
        self.directory.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(prefix="upload_", dir=self.directory)
        writer = SpooledWriter(Path(name), os.fdopen(fd, "wb"))
        self._writers.append(writer)
        return writer

    def close(self) -> None:
        writers, self._writers = self._writers, []
        for writer in writers:
            writer.abort()
            try:
                writer.path.unlink()
            except FileNotFoundError:
                pass  # stored: moved into place

    def __enter__(self) -> Spool:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()
