"""List parameters: page/perPage/skipTotal parsing as PocketBase does it."""

from __future__ import annotations

import pytest

from palapy.search.paging import parse_list_params
from palapy.tools.errors import ApiError


def test_defaults_and_bounds() -> None:
    p = parse_list_params({})
    assert (p.page, p.per_page, p.skip_total) == (1, 30, False)
    p = parse_list_params({"page": "0", "perPage": "-5"})
    assert (p.page, p.per_page) == (1, 30)
    p = parse_list_params({"page": "+3", "perPage": "5000", "skipTotal": "T"})
    assert (p.page, p.per_page, p.skip_total) == (3, 1000, True)
    assert parse_list_params({"skipTotal": "0"}).skip_total is False


@pytest.mark.parametrize(
    "query",
    [
        {"skipTotal": "yes"},
        {"page": "1.5"},
        {"perPage": "abc"},
        {"page": " 1"},
        {"page": "1_0"},
        {"page": "9" * 30},
        {"page": "5\n"},
    ],
)
def test_bad_values_are_400(query: dict[str, str]) -> None:
    with pytest.raises(ApiError) as exc:
        parse_list_params(query)
    assert exc.value.status == 400
