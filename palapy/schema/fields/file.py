"""`file`: one filename (maxSelect <= 1) or a JSON array of filenames in record storage.

Values are stored filenames. While a record is being saved, the records service may also put
pending uploads in the value: any object with a string `name` (the generated storage name),
`original_name`, `size` and `content_type` is treated as an upload here; one that also has
`content_type_is(expected)` decides which `mimeTypes` entries accept it (aliases included).
"""

from __future__ import annotations

import re
from typing import Any

import msgspec

from palapy.schema.fields._rules import (
    MAX_SAFE_JSON_INT,
    common_settings_errors,
    int_range,
    length,
    match_invalid,
    not_in,
    required,
)
from palapy.schema.fields._shapes import MultiValues
from palapy.schema.fields.base import CommonField, SettingsContext, ValueContext
from palapy.tools import jsonx
from palapy.tools.errors import FieldError, ValidationErrors, field_error
from palapy.tools.gocast import go_quote, sqlite_text, unique_strings

__all__ = ["FileField", "DEFAULT_FILE_MAX_SIZE", "THUMB_SIZE_RE"]

DEFAULT_FILE_MAX_SIZE = 5 << 20
THUMB_SIZE_RE = re.compile(r"(\d+)x(\d+)(t|b|f)?", re.ASCII)
_ZERO_THUMBS = ("0x0", "0x0t", "0x0b", "0x0f")
_LOOSE_FILENAME = re.compile(r"[^./\\][^/\\]+", re.DOTALL)


def _is_upload(item: Any) -> bool:
    return not isinstance(item, str | bytes | list | tuple | dict) and isinstance(
        getattr(item, "name", None), str
    )


def _item_name(item: Any) -> str:
    return item if isinstance(item, str) else str(item.name)


def file_items(value: Any) -> list[Any]:
    """A flat list of filenames (and pending uploads), unique by name, in order. Strings are
    read like select values (a JSON array of names works); nested lists are flattened one
    value each; objects and empty names are dropped."""
    if value is None:
        raw: list[Any] = []
    elif _is_upload(value):
        raw = [value]
    elif isinstance(value, list | tuple):
        raw = []
        for element in value:
            expanded = file_items(element)
            if len(expanded) == 1:
                raw.append(expanded[0])
    else:
        raw = list(unique_strings(value))
    seen: set[str] = set()
    result: list[Any] = []
    for item in raw:
        name = _item_name(item)
        if name not in seen:
            seen.add(name)
            result.append(item)
    return result


def _mime_type_accepts(upload: Any, base: str, expected: str) -> bool:
    """Whether one `mimeTypes` entry accepts an upload whose sniffed base type is `base`. An
    upload that matches its type's aliases itself (storage's `UploadedFile`, which `schema` may
    not import) decides; any other is compared by base type only."""
    matches = getattr(upload, "content_type_is", None)
    if callable(matches):
        return bool(matches(expected))
    return base == expected.split(";", 1)[0].strip().lower()


def _cut_bytes(text: str, limit: int) -> str:
    data = text.encode("utf-8", "surrogatepass")
    return text if len(data) <= limit else data[:limit].decode("utf-8", "replace")


class FileField(MultiValues, CommonField, tag="file", kw_only=True):
    maxSelect: int = 0
    maxSize: int = 0
    mimeTypes: list[str] = msgspec.field(default_factory=list)
    protected: bool = False
    thumbs: list[str] = msgspec.field(default_factory=list)

    def max_select(self) -> int:
        return max(self.maxSelect, 1)

    def max_size(self) -> int:
        """The per-file byte limit in force (`maxSize`, or 5 MiB when unset)."""
        return self.maxSize if self.maxSize > 0 else DEFAULT_FILE_MAX_SIZE

    def normalize(self, value: Any) -> Any:
        """A list of filenames (multiple) or the last one / `""` (single)."""
        items = file_items(value)
        if self.is_multiple():
            return items
        return items[-1] if items else ""

    def to_db(self, value: Any) -> str:
        names = [_item_name(item) for item in file_items(value)]
        if self.is_multiple():
            return jsonx.encode(names).decode()
        return names[-1] if names else ""

    def from_db(self, raw: Any) -> Any:
        return self.normalize(sqlite_text(raw))

    def validate_value(self, value: Any, ctx: ValueContext) -> FieldError | None:
        items = file_items(value)
        if not items:
            return required() if self.required else None
        # Plain names must already belong to the record: new files only come as uploads.
        old_names = {_item_name(i) for i in file_items((ctx.original or {}).get(self.name))}
        added = [_cut_bytes(i, 250) for i in items if isinstance(i, str) and i not in old_names]
        if added:
            return field_error(
                "validation_invalid_file", f"Invalid new files: [{' '.join(added)}].", {"invalidFiles": added}
            )
        if len(items) > self.max_select():
            limit = self.max_select()
            return field_error(
                "validation_too_many_files", f"The maximum allowed files is {limit}.", {"maxSelect": limit}
            )
        for upload in items:
            if not isinstance(upload, str) and (err := self.validate_upload(upload)):
                return err
        return None

    def validate_upload(self, upload: Any) -> FieldError | None:
        """Checks on one pending upload: its generated name, its size and (when `mimeTypes` is
        set) its sniffed `content_type`."""
        name = str(upload.name)
        if err := length(name, 1, 150):
            return err
        if name and not _LOOSE_FILENAME.fullmatch(name):
            return match_invalid()
        original = _cut_bytes(str(getattr(upload, "original_name", name)), 300)
        size = int(getattr(upload, "size", 0) or 0)
        if size > self.max_size():
            return field_error(
                "validation_file_size_limit",
                f"Failed to upload {original} - the maximum allowed file size is {self.max_size()} bytes.",
                {"file": original, "maxSize": self.max_size()},
            )
        if self.mimeTypes:
            detected = str(getattr(upload, "content_type", "") or "")
            base = detected.split(";", 1)[0].strip().lower()
            if not base:
                return field_error(
                    "validation_invalid_mime_type",
                    f"Failed to upload {go_quote(original)} due to unsupported file type.",
                )
            if not any(_mime_type_accepts(upload, base, t) for t in self.mimeTypes):
                return field_error(
                    "validation_invalid_mime_type",
                    f"{go_quote(name)} mime type must be one of: {', '.join(self.mimeTypes)}.",
                )
        return None

    def validate_settings(self, ctx: SettingsContext) -> ValidationErrors:
        errors = common_settings_errors(self)
        if err := int_range(self.maxSelect, 0, MAX_SAFE_JSON_INT):
            errors["maxSelect"] = err
        if err := int_range(self.maxSize, 0, MAX_SAFE_JSON_INT):
            errors["maxSize"] = err
        thumbs: ValidationErrors = {}
        for i, thumb in enumerate(self.thumbs):
            if thumb in _ZERO_THUMBS:
                thumbs[str(i)] = not_in()
            elif thumb and not THUMB_SIZE_RE.fullmatch(thumb):
                thumbs[str(i)] = match_invalid()
        if thumbs:
            errors["thumbs"] = thumbs
        return errors
