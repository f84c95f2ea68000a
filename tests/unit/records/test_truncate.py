"""Truncating a collection deletes every record through the record service (cascades included)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from palapy.app import Palapy
from palapy.records.truncate import truncate_collection
from tests.unit.collections.collections_support import api_error, create, insert, new_app, rows, run


@pytest.fixture
def app(tmp_path: Path) -> Iterator[Palapy]:
    core = new_app(tmp_path)
    yield core
    core.close()


def test_truncate_deletes_every_record_with_cascades(app: Palapy) -> None:
    posts = create(app, {"name": "posts"})
    create(
        app,
        {
            "name": "comments",
            "fields": [
                {
                    "name": "post",
                    "type": "relation",
                    "collectionId": posts.id,
                    "cascadeDelete": True,
                    "maxSelect": 1,
                },
            ],
        },
    )
    for i in range(3):
        insert(app, "posts", id=f"p0000000000000{i}")
        insert(app, "comments", id=f"c0000000000000{i}", post=f"p0000000000000{i}")
    run(truncate_collection(app, "posts", None))
    assert rows(app, "posts") == [] and rows(app, "comments") == []
    create(app, {"name": "ids", "type": "view", "viewQuery": "select id from comments"})
    err = api_error(run, truncate_collection(app, "ids", None))
    assert err.message == "View collections cannot be truncated since they don't store their own records."
