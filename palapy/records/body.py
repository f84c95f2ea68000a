"""Request bodies as PocketBase reads them: JSON, multipart (with `@jsonPayload`) and urlencoded.

`parse_body(content_type, raw)` is a pure function: the records API, the auth forms and batch
all decode bodies through it. Form values are type-inferred like PocketBase's binder does.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

from palapy.storage.uploads import Spool, SpooledWriter, UploadedFile
from palapy.tools.errors import MSG_BAD_REQUEST, ApiError
from palapy.tools.gocast import JSON_DECODER, format_float_f, go_json
from palapy.tools.multipart import MultipartError, PartHead, PartStream, parse_multipart

__all__ = [
    "ParsedBody",
    "parse_body",
    "read_body",
    "read_multipart",
    "infer_value",
    "parse_urlencoded",
    "payload_body",
    "JSON_PAYLOAD_KEY",
    "MSG_UNSUPPORTED_CONTENT_TYPE",
]

JSON_PAYLOAD_KEY = "@jsonPayload"
MSG_UNSUPPORTED_CONTENT_TYPE = "Unsupported Content-Type."

# Go's ReadForm keeps non-file values in memory up to its 32 MiB plus 10 MiB for values.
MAX_FORM_VALUE_BYTES = 42 << 20

_NUMBER_CHARS = re.compile(r"^[\-.\d]+$")
_HEX = re.compile(rb"%[0-9A-Fa-f]{2}")


@dataclass
class ParsedBody:
    """The decoded body: `data` (field values, modifier keys included) and multipart `files`.

    `files` maps the part name as sent (`avatar`, `files+`, `requests.0.doc`) to its uploads.
    """

    data: dict[str, Any] = field(default_factory=dict)
    files: dict[str, list[UploadedFile]] = field(default_factory=dict)
    is_multipart: bool = False


def infer_value(raw: str) -> Any:
    """Form value inference: `""` stays, `true`/`false` become bools, and a numeric-looking value
    becomes a float only when printing that float gives back exactly the same text."""
    if raw == "":
        return raw
    if raw == "true":
        return True
    if raw == "false":
        return False
    if (raw[0] == "-" or raw[0].isdigit()) and _NUMBER_CHARS.match(raw) and raw.isascii():
        try:
            value = float(raw)
        except ValueError:
            return raw
        if value == value and abs(value) != float("inf") and format_float_f(value) == raw:
            return value
    return raw


def _unescape(part: bytes) -> str:
    """Percent-decoding as Go's `url.QueryUnescape`: `+` is a space, a bad escape is an error."""
    part = part.replace(b"+", b" ")
    i = part.find(b"%")
    while i != -1:
        if not _HEX.match(part, i):
            raise ValueError("invalid URL escape")
        i = part.find(b"%", i + 3)
    from urllib.parse import unquote_to_bytes

    return unquote_to_bytes(part).decode("utf-8", "replace")


def parse_urlencoded(raw: bytes) -> dict[str, list[str]]:
    """Parse `a=1&b=2&a=3` into lists of values, rejecting what Go's parser rejects."""
    out: dict[str, list[str]] = {}
    for pair in raw.split(b"&"):
        if not pair:
            continue
        if b";" in pair:
            raise ValueError("invalid semicolon separator in query")
        key, _, value = pair.partition(b"=")
        out.setdefault(_unescape(key), []).append(_unescape(value))
    return out


def _decode_json_object(text: str) -> dict[str, Any] | None:
    """Decode the first JSON value (trailing junk is tolerated, like Go's json.Decoder)."""
    stripped = text.lstrip(" \t\r\n")
    # Strict like Go: NaN/Infinity and numbers that overflow a float64 are errors.
    value, _ = JSON_DECODER.raw_decode(stripped)
    if value is None:
        return None
    if not isinstance(value, dict):
        raise ValueError("JSON body is not an object")
    return value


def _form_to_data(values: dict[str, list[str]]) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for key, items in values.items():
        if key == JSON_PAYLOAD_KEY:
            continue
        data[key] = infer_value(items[0]) if len(items) == 1 else [infer_value(v) for v in items]
    # `@jsonPayload` objects are merged over the inferred values, without inference.
    for payload in values.get(JSON_PAYLOAD_KEY, []):
        obj = _decode_json_object(payload)
        if obj:
            data.update(obj)
    return data


def _merge(first: dict[str, list[str]], second: dict[str, list[str]]) -> dict[str, list[str]]:
    out = {k: list(v) for k, v in first.items()}
    for key, values in second.items():
        out.setdefault(key, []).extend(values)
    return out


def payload_body(
    payload: dict[str, Any], files: dict[str, list[UploadedFile]], query: bytes = b""
) -> ParsedBody:
    """The body of one batch request: PocketBase sends it on as multipart, its values JSON-encoded
    the Go way in `@jsonPayload` beside the files, and the URL's query values taking part as form
    values (type-inferred, overridden by the payload)."""
    values = parse_urlencoded(query) if query else {}
    values[JSON_PAYLOAD_KEY] = [go_json(payload)]
    return ParsedBody(data=_form_to_data(values), files=files, is_multipart=True)


def parse_body(content_type: str, raw: bytes, query: bytes = b"") -> ParsedBody:
    """Decode a request body by its Content-Type prefix (case-sensitive, as in PocketBase).

    `query` is the raw URL query string: like Go's form parsing, form bodies also receive the
    query values (urlencoded: after the body's; multipart: before them).
    Raises ApiError 400 "Unsupported Content-Type." for unknown types with a body, and 400
    "Something went wrong while processing your request." for malformed content.
    """
    if not raw:
        return ParsedBody()
    try:
        if content_type.startswith("application/json"):
            return ParsedBody(data=_decode_json_object(raw.decode("utf-8", "replace")) or {})
        if content_type.startswith("multipart/form-data"):
            return _parse_multipart(raw, content_type, parse_urlencoded(query) if query else {})
        if content_type.startswith("application/x-www-form-urlencoded"):
            values = parse_urlencoded(raw)
            if query:
                values = _merge(values, parse_urlencoded(query))
            return ParsedBody(data=_form_to_data(values))
    except (ValueError, MultipartError) as exc:
        raise ApiError(400, MSG_BAD_REQUEST) from exc
    if content_type.startswith(("text/xml", "application/xml")):
        # Go's XML decoder cannot fill a map, so PocketBase answers a generic 400 here.
        raise ApiError(400, MSG_BAD_REQUEST)
    raise ApiError(400, MSG_UNSUPPORTED_CONTENT_TYPE)


def _parse_multipart(raw: bytes, content_type: str, query_values: dict[str, list[str]]) -> ParsedBody:
    values: dict[str, list[str]] = {k: list(v) for k, v in query_values.items()}
    files: dict[str, list[UploadedFile]] = {}
    for part in parse_multipart(raw, content_type):
        if part.filename is not None:
            files.setdefault(part.name, []).append(
                UploadedFile(
                    original_name=part.filename, content=part.data, part_content_type=part.content_type
                )
            )
        else:
            values.setdefault(part.name, []).append(part.data.decode("utf-8", "replace"))
    return ParsedBody(data=_form_to_data(values), files=files, is_multipart=True)


async def read_multipart(
    content_type: str, chunks: AsyncIterator[bytes], spool: Spool
) -> tuple[dict[str, list[str]], dict[str, list[UploadedFile]]] | None:
    """A multipart body read as it arrives: plain values in memory, each file part written to
    its own spooled file. None for an empty body (no form at all, whatever its boundary);
    MultipartError for a malformed or truncated body, or too many parts."""
    first = await anext(chunks, b"")
    if not first:
        return None
    stream = PartStream(content_type)
    values: dict[str, list[str]] = {}
    files: dict[str, list[UploadedFile]] = {}
    value_bytes = 0
    head: PartHead | None = None
    text: list[bytes] = []
    writer: SpooledWriter | None = None

    def take(event: PartHead | bytes | None) -> None:
        nonlocal head, writer, text, value_bytes
        if isinstance(event, PartHead):
            head, text = event, []
            writer = spool.new_file() if event.filename is not None else None
        elif isinstance(event, bytes):
            if writer is not None:
                writer.write(event)
            else:
                value_bytes += len(event)
                if value_bytes > MAX_FORM_VALUE_BYTES:
                    raise MultipartError("message too large")
                text.append(event)
        elif head is not None:
            if writer is not None and head.filename is not None:
                files.setdefault(head.name, []).append(writer.finish(head.filename, head.content_type))
            else:
                values.setdefault(head.name, []).append(b"".join(text).decode("utf-8", "replace"))
            head, writer = None, None

    try:
        for event in stream.feed(first):
            take(event)
        async for chunk in chunks:
            for event in stream.feed(chunk):
                take(event)
        for event in stream.feed(b""):
            take(event)
        stream.close()
    except MultipartError:
        # Read what is left (the body limit still holds), so the answer reaches a client that
        # is still sending and the connection stays usable.
        async for _ in chunks:
            pass
        raise
    return values, files


async def read_body(
    content_type: str, chunks: AsyncIterator[bytes], spool: Spool, query: bytes = b""
) -> ParsedBody:
    """`parse_body` for a body that arrives in chunks: multipart file parts go to `spool`
    instead of memory; other bodies are gathered and parsed whole."""
    if not content_type.startswith("multipart/form-data"):
        return parse_body(content_type, b"".join([chunk async for chunk in chunks]), query)
    try:
        form = await read_multipart(content_type, chunks, spool)
        if form is None:
            return ParsedBody()
        values, files = form
        # Go's form parsing puts the URL's query values before the body's.
        merged = _merge(parse_urlencoded(query), values) if query else values
        return ParsedBody(data=_form_to_data(merged), files=files, is_multipart=True)
    except (ValueError, MultipartError) as exc:
        raise ApiError(400, MSG_BAD_REQUEST) from exc
