"""`@request.` and `@collection.` in a client filter or sort are for superusers only."""

from __future__ import annotations

import pytest

from palapy.rules.filters import check_superuser_only
from palapy.rules.request_info import RequestInfo
from palapy.tools.errors import ApiError


def test_request_and_collection_markers_are_superuser_only() -> None:
    guest = RequestInfo()
    with pytest.raises(ApiError) as exc:
        check_superuser_only(guest, "title = '@request.x'")
    assert (exc.value.status, exc.value.message) == (403, "Only superusers can filter by @request.")
    with pytest.raises(ApiError) as exc:
        check_superuser_only(guest, "@collection.users.name")
    assert exc.value.message == "Only superusers can filter by @collection."
    check_superuser_only(guest, "title = 'x'")
