"""The one place response headers are finished: PocketBase's security headers, `Vary` and CORS.

Every answer but a preflight gets the handler's own headers, then the security headers it did
not set itself (nor asked to omit), then `Vary: Origin` and, for an allowed origin,
`Access-Control-Allow-Origin`. Every OPTIONS request is a preflight, as in PocketBase's CORS
middleware: 204 with the CORS headers only.
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = ["Cors", "SECURITY_HEADERS", "finish_headers", "preflight_headers"]

# Added to every answer but a preflight's, in this order, after the handler's own headers.
SECURITY_HEADERS: tuple[tuple[str, str], ...] = (
    ("x-xss-protection", "1; mode=block"),
    ("x-content-type-options", "nosniff"),
    ("x-frame-options", "SAMEORIGIN"),
    ("cross-origin-opener-policy", "same-origin"),
)
_SECURITY_NAMES = frozenset(name for name, _ in SECURITY_HEADERS)
_DEFAULT_TAIL = [*SECURITY_HEADERS, ("vary", "Origin")]
_ALLOW_METHODS = "GET,HEAD,PUT,PATCH,POST,DELETE"
_PREFLIGHT_VARY = ("vary", "Origin, Access-Control-Request-Method, Access-Control-Request-Headers")


class Cors:
    """The allowed origins (`--origins`; `*` allows every origin)."""

    def __init__(self, origins: Sequence[str] | None = None) -> None:
        self.origins = list(origins or ["*"])
        self.allow_all = "*" in self.origins

    def allowed_origin(self, origin: str | None) -> str | None:
        """The Access-Control-Allow-Origin value for a request from `origin` (None: none)."""
        if origin is None:
            return None
        if self.allow_all:
            return "*"
        return origin if origin in self.origins else None


def finish_headers(
    headers: list[tuple[str, str]], allow_origin: str | None, omit: frozenset[str] = frozenset()
) -> list[tuple[str, str]]:
    """The headers an answer goes out with: the handler's (lower-case names), then the defaults."""
    if not omit and not any(name in _SECURITY_NAMES for name, _ in headers):
        out = [*headers, *_DEFAULT_TAIL]  # the common case: nothing to merge
    else:
        present = {name for name, _ in headers} | omit
        out = [*headers, *(h for h in SECURITY_HEADERS if h[0] not in present), ("vary", "Origin")]
    if allow_origin is not None:
        out.append(("access-control-allow-origin", allow_origin))
    return out


def preflight_headers(
    allow_origin: str | None, origin: str | None, request_headers: str
) -> list[tuple[str, str]]:
    """A preflight's headers; `request_headers` is its Access-Control-Request-Headers value."""
    if origin is None or allow_origin is None:
        return [("vary", "Origin")]
    out = [
        _PREFLIGHT_VARY,
        ("access-control-allow-origin", allow_origin),
        ("access-control-allow-methods", _ALLOW_METHODS),
    ]
    if request_headers:
        out.append(("access-control-allow-headers", request_headers))
    return out
