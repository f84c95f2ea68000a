"""Route guards shared by the API families."""

from __future__ import annotations

from palapy.rules.request_info import RequestInfo
from palapy.tools.errors import forbidden, unauthorized
from palapy.web.request import Request

__all__ = ["require_superuser"]


async def require_superuser(request: Request) -> RequestInfo:
    """The requester, when a superuser: 401 for guests, 403 for anyone else (before any other check)."""
    info = await request.info()
    if info.is_guest:
        raise unauthorized()
    if not info.is_superuser:
        raise forbidden()
    return info
