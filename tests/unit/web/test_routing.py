"""The route table matches as Go's ServeMux does under PocketBase's router."""

from __future__ import annotations

import pytest

from palapy.web.response import Response
from palapy.web.routing import Route, RouteMatch, RouteTable


async def _handler(request: object) -> Response:
    return Response()


def _table(*specs: tuple[str, str]) -> RouteTable:
    return RouteTable(Route(method, path, _handler) for method, path in specs)


def _matched(found: RouteMatch | bool) -> tuple[str, str, dict[str, str]]:
    assert isinstance(found, tuple), found
    route, params = found
    return route.method, route.path, params


TABLE = (
    ("GET", "/api/health"),
    ("GET", "/api/collections"),
    ("PUT", "/api/collections/import"),
    ("GET", "/api/collections/meta/scaffolds"),
    ("GET", "/api/collections/{collection}"),
    ("PATCH", "/api/collections/{collection}"),
    ("GET", "/api/collections/{collection}/records"),
    ("GET", "/api/collections/{collection}/records/{id}"),
)


def test_wildcards_take_one_non_empty_segment_and_are_returned_by_name() -> None:
    table = _table(*TABLE)
    assert _matched(table.match("GET", "/api/collections/posts/records/abc")) == (
        "GET",
        "/api/collections/{collection}/records/{id}",
        {"collection": "posts", "id": "abc"},
    )
    assert table.match("GET", "/api/collections/posts/records/") is False
    assert table.match("GET", "/api/collections//records") is False
    assert table.match("GET", "/api/collections/posts/records/a/b") is False


def test_a_literal_segment_beats_a_wildcard() -> None:
    table = _table(*TABLE)
    assert (
        _matched(table.match("GET", "/api/collections/meta/scaffolds"))[1]
        == "/api/collections/meta/scaffolds"
    )
    assert _matched(table.match("GET", "/api/collections/meta"))[2] == {"collection": "meta"}


def test_only_routes_of_the_method_compete_as_in_go() -> None:
    # `/import` is a PUT route only: a PATCH of it is the collection update of "import".
    table = _table(*TABLE)
    assert _matched(table.match("PATCH", "/api/collections/import"))[2] == {"collection": "import"}
    assert _matched(table.match("PUT", "/api/collections/import"))[1] == "/api/collections/import"


def test_get_routes_answer_head() -> None:
    assert _matched(_table(*TABLE).match("HEAD", "/api/health"))[0] == "GET"


def test_a_known_path_under_another_method_is_told_apart_from_an_unknown_path() -> None:
    table = _table(*TABLE)
    assert table.match("DELETE", "/api/health") is True
    assert table.match("POST", "/api/collections/posts/records/abc") is True
    assert table.match("GET", "/api/nope") is False
    assert table.match("GET", "/api/health/") is False


def test_a_second_route_for_the_same_method_and_pattern_is_refused() -> None:
    table = _table(("GET", "/api/x/{a}"))
    with pytest.raises(ValueError, match="conflicts"):
        table.add(Route("GET", "/api/x/{a}", _handler))
    table.add(Route("POST", "/api/x/{a}", _handler))  # another method: no conflict


def test_routes_that_could_claim_the_same_paths_without_a_most_specific_one_are_refused() -> None:
    # Go refuses these too: `/api/a/b` would match both, and neither is narrower.
    table = _table(("GET", "/api/a/{x}"))
    with pytest.raises(ValueError, match="conflicts"):
        table.add(Route("GET", "/api/{y}/b", _handler))
    table.add(Route("GET", "/api/a/b", _handler))  # narrower than /api/a/{x}: fine
    assert _matched(table.match("GET", "/api/a/b"))[1] == "/api/a/b"
    assert _matched(table.match("GET", "/api/a/c"))[2] == {"x": "c"}


@pytest.mark.parametrize("path", ["api/x", "/api/x{y}", "/api/{1x}", "/api/{a}b"])
def test_invalid_templates_are_refused(path: str) -> None:
    with pytest.raises(ValueError):
        Route("GET", path, _handler)


def test_unknown_methods_are_refused() -> None:
    with pytest.raises(ValueError, match="unknown method"):
        Route("FETCH", "/api/x", _handler)
