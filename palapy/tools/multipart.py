"""A small multipart/form-data reader (RFC 7578): text values and file parts, nothing streamed."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import unquote

__all__ = ["MultipartError", "Part", "parse_multipart", "parse_header_params"]


class MultipartError(ValueError):
    """The body is not valid multipart/form-data."""


@dataclass
class Part:
    name: str
    filename: str | None
    content_type: str
    data: bytes


_TOKEN_PARAM = re.compile(r'\s*;\s*([^=\s;]+)\s*=\s*("(?:[^"\\]|\\.)*"|[^;]*)')


def parse_header_params(value: str) -> tuple[str, dict[str, str]]:
    """`form-data; name="a"; filename*=UTF-8''b%20c` -> ("form-data", {"name": "a", "filename": "b c"})."""
    head, _, rest = value.partition(";")
    params: dict[str, str] = {}
    for m in _TOKEN_PARAM.finditer(";" + rest):
        key = m.group(1).lower()
        raw = m.group(2).strip()
        if raw.startswith('"') and raw.endswith('"') and len(raw) >= 2:
            raw = re.sub(r"\\(.)", r"\1", raw[1:-1])
        if key.endswith("*"):
            # RFC 2231 / 5987: charset'lang'percent-encoded
            charset, _, encoded = raw.partition("'")
            _, _, encoded = encoded.partition("'")
            try:
                raw = unquote(encoded, encoding=charset or "utf-8", errors="strict")
            except (LookupError, UnicodeDecodeError):
                continue
            key = key[:-1]
        params[key] = raw
    return head.strip().lower(), params


def _parse_headers(block: bytes) -> dict[str, str]:
    headers: dict[str, str] = {}
    for line in block.decode("utf-8", "replace").split("\r\n"):
        if not line:
            continue
        name, sep, value = line.partition(":")
        if not sep:
            raise MultipartError("malformed part header")
        headers[name.strip().lower()] = value.strip()
    return headers


def parse_multipart(body: bytes, content_type: str) -> list[Part]:
    """Split `body` into parts using the boundary from `content_type`."""
    _, params = parse_header_params(content_type)
    boundary = params.get("boundary", "")
    if not boundary or len(boundary) > 200:
        raise MultipartError("missing boundary")
    delim = b"--" + boundary.encode("latin-1")
    start = body.find(delim)
    if start == -1:
        raise MultipartError("boundary not found")
    parts: list[Part] = []
    pos = start + len(delim)
    while True:
        if body[pos : pos + 2] == b"--":
            return parts  # closing delimiter
        # Skip transport padding and the line break after the delimiter.
        eol = body.find(b"\r\n", pos)
        if eol == -1:
            raise MultipartError("unexpected end of body")
        pos = eol + 2
        header_end = body.find(b"\r\n\r\n", pos)
        if body[pos : pos + 2] == b"\r\n":
            header_end, headers_raw = pos - 2, b""
        elif header_end == -1:
            raise MultipartError("unterminated part headers")
        else:
            headers_raw = body[pos:header_end]
        content_start = header_end + 4
        end = body.find(b"\r\n" + delim, content_start)
        if end == -1:
            raise MultipartError("unterminated part")
        headers = _parse_headers(headers_raw)
        disposition, dparams = parse_header_params(headers.get("content-disposition", ""))
        if disposition == "form-data" and "name" in dparams:
            filename = dparams.get("filename")
            parts.append(
                Part(
                    name=dparams["name"],
                    filename=filename if filename else None,
                    content_type=headers.get("content-type", ""),
                    data=body[content_start:end],
                )
            )
        pos = end + 2 + len(delim)
