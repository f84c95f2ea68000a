"""The error every bad filter, sort or rule turns into, and the limit on a client filter's length."""

from __future__ import annotations

from palapy.tools.errors import MSG_BAD_REQUEST, ApiError

__all__ = ["FilterError", "MAX_FILTER_LENGTH"]

# Bytes, as PocketBase counts len(filter): a longer client filter is a FilterError.
MAX_FILTER_LENGTH = 3500


class FilterError(ApiError):
    """A filter, sort or rule that does not parse or resolve: 400 with PocketBase's generic message.

    `raw` keeps the parser/resolver error text for logs (never sent to the client).
    """

    def __init__(self, raw: str) -> None:
        super().__init__(400, MSG_BAD_REQUEST)
        self.raw = raw
