"""`file`: filename lists, the new-file rule, upload checks, storage."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from palapy.schema.fields import FileField, ValueContext
from tests.unit.schema.fields.field_cases import case_id, cases_for


@pytest.mark.parametrize("case", cases_for("f1", "fm"), ids=case_id)
def test_input_gives_pocketbase_answer(case: Any, check_case: Callable[[Any], None]) -> None:
    check_case(case)


@dataclass(eq=False)
class Upload:
    name: str
    original_name: str = "photo.png"
    size: int = 10
    content_type: str = "image/png"


def test_names_already_stored_are_accepted(make_ctx: Callable[..., ValueContext]) -> None:
    field = FileField(name="f", maxSelect=3)
    ctx = make_ctx(original={"f": ["a.png", "b.png"]})
    assert field.validate_value(["b.png"], ctx) is None
    assert field.validate_value(["b.png", "c.png"], ctx) == {
        "code": "validation_invalid_file",
        "message": "Invalid new files: [c.png].",
        "params": {"invalidFiles": ["c.png"]},
    }


def test_too_many_files(make_ctx: Callable[..., ValueContext]) -> None:
    field = FileField(name="f", maxSelect=2)
    ctx = make_ctx(original={"f": ["a", "b", "c"]})
    assert field.validate_value(["a", "b", "c"], ctx) == {
        "code": "validation_too_many_files",
        "message": "The maximum allowed files is 2.",
        "params": {"maxSelect": 2},
    }
    single = FileField(name="f")
    assert single.validate_value(["a", Upload("n_abc.png")], make_ctx(original={"f": "a"})) == {
        "code": "validation_too_many_files",
        "message": "The maximum allowed files is 1.",
        "params": {"maxSelect": 1},
    }


def test_uploads_are_kept_and_checked(make_ctx: Callable[..., ValueContext]) -> None:
    field = FileField(name="f", maxSelect=3, maxSize=100, mimeTypes=["image/png"])
    upload = Upload("photo_abc123.png")
    assert field.normalize(["a.png", upload, "a.png"]) == ["a.png", upload]
    assert field.to_db(["a.png", upload]) == '["a.png","photo_abc123.png"]'
    assert field.validate_value([upload], make_ctx()) is None
    big = Upload("big_abc.png", original_name="big.png", size=101)
    assert field.validate_value([big], make_ctx()) == {
        "code": "validation_file_size_limit",
        "message": "Failed to upload big.png - the maximum allowed file size is 100 bytes.",
        "params": {"file": "big.png", "maxSize": 100},
    }
    text = Upload("notes_abc.txt", content_type="text/plain; charset=utf-8")
    assert field.validate_value([text], make_ctx()) == {
        "code": "validation_invalid_mime_type",
        "message": '"notes_abc.txt" mime type must be one of: image/png.',
    }
    assert field.validate_value([Upload(".hidden")], make_ctx()) == {
        "code": "validation_match_invalid",
        "message": "Must be in a valid format.",
    }


def test_long_invalid_names_are_cut(make_ctx: Callable[..., ValueContext]) -> None:
    err = FileField(name="f").validate_value("x" * 300, make_ctx())
    assert err is not None and err["params"] == {"invalidFiles": ["x" * 250]}


def test_storage_and_defaults() -> None:
    single, multi = FileField(name="f"), FileField(name="m", maxSelect=2)
    assert single.to_db(["a", "b"]) == "b"
    assert single.from_db("a.png") == "a.png"
    assert multi.from_db('["a.png","b.png"]') == ["a.png", "b.png"]
    assert multi.from_db(None) == []
    assert (single.max_size(), FileField(name="x", maxSize=7).max_size()) == (5 << 20, 7)
