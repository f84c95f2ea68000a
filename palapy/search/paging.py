"""List paging as PocketBase reads it: `page`, `perPage` and `skipTotal`, and the sort and filter texts."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TypeVar

from palapy.tools.errors import MSG_BAD_REQUEST, ApiError
from palapy.tools.gocast import parse_go_bool, parse_go_int

__all__ = ["ListParams", "parse_list_params", "DEFAULT_PER_PAGE", "MAX_PER_PAGE"]

T = TypeVar("T")

DEFAULT_PER_PAGE = 30
MAX_PER_PAGE = 1000
MAX_FILTER_LENGTH = 3500


@dataclass
class ListParams:
    page: int = 1
    per_page: int = DEFAULT_PER_PAGE
    skip_total: bool = False
    sort: str = ""
    filter: str = ""


def _parsed(value: T | None) -> T:
    """A paging value as Go parsed it; a parse error (None) is PocketBase's generic 400."""
    if value is None:
        raise ApiError(400, MSG_BAD_REQUEST)
    return value


def parse_list_params(query: Mapping[str, str]) -> ListParams:
    """Read the paging params (first values); 400 on a bad int or bool, like PocketBase."""
    params = ListParams()
    if raw := query.get("skipTotal", ""):
        params.skip_total = _parsed(parse_go_bool(raw))
    if raw := query.get("page", ""):
        params.page = _parsed(parse_go_int(raw))
    if raw := query.get("perPage", ""):
        params.per_page = _parsed(parse_go_int(raw))
    params.sort = query.get("sort", "")
    params.filter = query.get("filter", "")
    if params.page <= 0:
        params.page = 1
    if params.per_page <= 0:
        params.per_page = DEFAULT_PER_PAGE
    elif params.per_page > MAX_PER_PAGE:
        params.per_page = MAX_PER_PAGE
    return params
