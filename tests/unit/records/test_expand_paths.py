"""Which expand parameters follow relation fields only (expanded on the event loop)."""

from __future__ import annotations

import pytest

from palapy.records.expand import expands_forward_only


@pytest.mark.parametrize(
    ("param", "forward"),
    [
        ("", True),
        ("author", True),
        ("author,tags.owner", True),
        ("author.posts_via_author", False),
        ("comments_via_post", False),
        ("comments(post)", False),
    ],
)
def test_back_relations_are_not_forward(param: str, forward: bool) -> None:
    assert expands_forward_only(param) is forward
