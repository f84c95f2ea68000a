"""`url`: URL format (as PocketBase's validator reads it) and host lists."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from palapy.schema.fields import URLField, ValueContext
from tests.unit.schema.fields.field_cases import case_id, cases_for


@pytest.mark.parametrize("case", cases_for("u", "uonly"), ids=case_id)
def test_input_gives_pocketbase_answer(case: Any, check_case: Callable[[Any], None]) -> None:
    check_case(case)


def test_except_domains_compare_the_host_with_its_port(make_ctx: Callable[..., ValueContext]) -> None:
    field = URLField(name="u", exceptDomains=["x.co"])
    blocked = {"code": "validation_url_domain_not_allowed", "message": "Url domain is not allowed."}
    assert field.validate_value("https://x.co/a", make_ctx()) == blocked
    assert field.validate_value("https://x.co:8080/a", make_ctx()) is None
    assert field.validate_value("x.co", make_ctx()) is None


def test_very_long_urls_are_rejected(make_ctx: Callable[..., ValueContext]) -> None:
    field = URLField(name="u")
    assert field.validate_value("https://x.co/" + "a" * 2060, make_ctx()) is None
    assert field.validate_value("https://x.co/" + "a" * 2070, make_ctx())["code"] == "validation_invalid_url"
    hostile = "http://" + "a-" * 1000 + "!"
    assert field.validate_value(hostile, make_ctx())["code"] == "validation_invalid_url"
