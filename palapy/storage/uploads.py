"""An uploaded file, named the moment it arrives (as PocketBase does), before it is stored."""

from __future__ import annotations

from dataclasses import dataclass, field

from palapy.storage.mime import sniff_content_type
from palapy.storage.naming import generate_filename

__all__ = ["UploadedFile"]


@dataclass(eq=False)
class UploadedFile:
    """One multipart file part.

    `name` is the generated storage name (`snake_base_<10 random>.Ext`); `original_name` is
    what the client sent. Until the record is saved, file field values hold these objects
    next to the names of already stored files.
    """

    original_name: str
    content: bytes
    part_content_type: str = ""
    name: str = field(default="")

    def __post_init__(self) -> None:
        if not self.name:
            self.name = generate_filename(self.original_name, self.content)

    @property
    def size(self) -> int:
        return len(self.content)

    @property
    def content_type(self) -> str:
        """The MIME type sniffed from the content (PocketBase ignores the client's claim)."""
        return sniff_content_type(self.content, self.original_name)

    def __repr__(self) -> str:
        return f"UploadedFile({self.original_name!r} -> {self.name!r}, {self.size} bytes)"
