"""File side effects of record writes: store pending uploads, delete replaced files after commit."""

from __future__ import annotations

import logging
from typing import Any

from palapy.core import App
from palapy.schema.fields import FileField
from palapy.schema.model import Collection
from palapy.storage.base import Storage, record_prefix
from palapy.storage.uploads import UploadedFile

__all__ = ["store_uploads", "delete_keys", "removed_file_keys"]

log = logging.getLogger("palapy.records")


def store_uploads(app: App, collection: Collection, record: dict[str, Any]) -> list[str]:
    """Write every pending upload of `record` and replace it by its name; returns the keys written.

    A refused upload (e.g. a content type Go's blob writer cannot format: ValueError) fails the
    write; the files this call stored before it are removed, since the caller never gets their
    keys. The record write turns the error into PocketBase's data-less 400."""
    written: list[str] = []
    try:
        _store(app, collection, record, written)
    except BaseException:
        delete_keys(app, written)
        raise
    return written


def _store(app: App, collection: Collection, record: dict[str, Any], written: list[str]) -> None:
    storage: Storage | None = None
    prefix = record_prefix(collection.id, str(record.get("id", "")))
    for f in collection.fields:
        if not isinstance(f, FileField):
            continue
        value = record.get(f.name)
        items = value if isinstance(value, list) else [value]
        if not any(isinstance(v, UploadedFile) for v in items):
            continue
        storage = storage or app.storage
        names: list[str] = []
        for item in items:
            if isinstance(item, UploadedFile):
                key = f"{prefix}/{item.name}"
                if item.path is not None:
                    storage.save_file(
                        key,
                        item.path,
                        content_type=item.content_type,
                        original_name=item.original_name,
                        md5=item.spooled_md5,
                    )
                else:
                    storage.save(
                        key, item.content, content_type=item.content_type, original_name=item.original_name
                    )
                written.append(key)
                names.append(item.name)
            elif isinstance(item, str) and item:
                names.append(item)
        record[f.name] = names if isinstance(value, list) else (names[-1] if names else "")


def removed_file_keys(collection: Collection, record: dict[str, Any], original: dict[str, Any]) -> list[str]:
    """Storage keys of files the update dropped."""
    prefix = record_prefix(collection.id, str(original.get("id", "")))
    keys: list[str] = []
    for f in collection.fields:
        if not isinstance(f, FileField):
            continue

        def names(value: Any) -> set[str]:
            items = value if isinstance(value, list) else [value]
            return {v for v in items if isinstance(v, str) and v}

        for name in sorted(names(original.get(f.name)) - names(record.get(f.name))):
            keys.append(f"{prefix}/{name}")
    return keys


def delete_keys(app: App, keys: list[str]) -> None:
    """Best-effort removal of stored files (a failure is logged, never raised)."""
    if not keys:
        return
    storage = app.storage
    for key in keys:
        try:
            storage.delete(key)
        except (OSError, ValueError) as exc:
            log.warning("failed to delete file %s: %s", key, exc)
