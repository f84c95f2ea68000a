"""`GET /api/settings` and `POST /api/settings/test/s3` (superusers only)."""

from __future__ import annotations

import asyncio
import secrets
import string
from typing import Any

from palapy.apis.guards import require_superuser
from palapy.core.settings import public_settings
from palapy.records.body import parse_body
from palapy.tools.errors import ApiError
from palapy.tools.validation_errors import in_invalid, required
from palapy.web.request import Request
from palapy.web.response import Response, empty_response, json_response
from palapy.web.routing import Route

__all__ = ["ROUTES"]

MSG_LOAD_FAILED = "An error occurred while loading the submitted data."
MSG_S3_TEST_FAILED = "Failed to test the S3 filesystem."
# The settings section each `filesystem` of the S3 test reads.
_S3_SECTIONS = {"storage": ("s3",), "backups": ("backups", "s3")}
_ALPHANUMERIC = string.ascii_letters + string.digits


async def settings_view(request: Request) -> Response:
    """The application settings without their write-only secrets."""
    await require_superuser(request)
    return json_response(request, public_settings(request.app.settings))


def _s3_section(settings: dict[str, Any], filesystem: str) -> dict[str, Any]:
    node: Any = settings
    for part in _S3_SECTIONS[filesystem]:
        node = node.get(part) if isinstance(node, dict) else None
    return node if isinstance(node, dict) else {}


def _s3_round_trip(section: dict[str, Any]) -> None:
    """PocketBase's S3 test: upload a small file under a random prefix, then delete the prefix
    (which lists it, so listing is tested too). Raises ValueError with the step that failed."""
    if section.get("enabled") is not True:
        raise ValueError("S3 storage filesystem is not enabled")
    # Imported here: the S3 client costs start-up time a server on local disk never needs.
    from palapy.storage.s3 import S3Config, S3Storage

    config = S3Config.from_settings(section)
    if problem := config.problem():
        raise ValueError(f"failed to initialize the S3 filesystem: {problem}")
    storage = S3Storage(config)
    prefix = "pb_settings_test_" + "".join(secrets.choice(_ALPHANUMERIC) for _ in range(5))
    try:
        storage.save(prefix + "/test.txt", b"test")
    except OSError as exc:
        raise ValueError(f"failed to upload a test file: {exc}") from exc
    try:
        storage.delete_prefix(prefix)
    except OSError as exc:
        raise ValueError(f"failed to delete a test file: {exc}") from exc


async def settings_test_s3(request: Request) -> Response:
    """Check the `storage` or `backups` S3 settings with a real upload and delete: 204, or 400
    with the step that failed and the S3 error (PocketBase's wording)."""
    await require_superuser(request)
    try:
        data = parse_body(request.header("content-type"), await request.body()).data
    except ApiError as exc:
        raise ApiError(400, MSG_LOAD_FAILED) from exc
    filesystem = data.get("filesystem")
    if filesystem is not None and not isinstance(filesystem, str):
        raise ApiError(400, MSG_LOAD_FAILED)
    if not filesystem:
        raise ApiError(400, MSG_S3_TEST_FAILED, {"filesystem": required()})
    if filesystem not in _S3_SECTIONS:
        raise ApiError(400, MSG_S3_TEST_FAILED, {"filesystem": in_invalid()})
    section = _s3_section(request.app.settings, filesystem)
    try:
        # Blocking network calls, bounded by the driver's timeouts: off the event loop.
        await asyncio.to_thread(_s3_round_trip, section)
    except ValueError as exc:
        raise ApiError(400, f"{MSG_S3_TEST_FAILED} Raw error: \n{exc}") from exc
    return empty_response(204)


ROUTES = [
    Route("GET", "/api/settings", settings_view),
    Route("POST", "/api/settings/test/s3", settings_test_s3),
]
