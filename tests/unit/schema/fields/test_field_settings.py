"""Option errors on collection save, for every type (the table is PocketBase's answers)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from palapy.schema.fields import AutodateField, RelationField, SettingsContext, TextField
from palapy.schema.model import Collection
from tests.unit.schema.fields.field_cases import SETTINGS_CASES
from tests.unit.schema.fields.field_support import field_from_spec, id_field


def _label(case: tuple[dict[str, Any], dict[str, Any]]) -> str:
    spec = dict(case[0])
    return f"{spec.pop('type')}:{str(spec)[:60]}"


@pytest.mark.parametrize("case", SETTINGS_CASES, ids=_label)
def test_settings_errors_match_pocketbase(case: Any, settings_ctx: Callable[..., SettingsContext]) -> None:
    spec, expected = case
    spec = dict(spec)
    name = spec.pop("name")
    field = field_from_spec(name, spec)
    assert field.validate_settings(settings_ctx(field)) == expected


def test_the_default_id_field_is_valid(settings_ctx: Callable[..., SettingsContext]) -> None:
    field = id_field()
    ctx = SettingsContext(
        collection=Collection(id="pbc_x", name="x", fields=[field]),
        original=None,
        find_collection=lambda _: None,
    )
    assert field.validate_settings(ctx) == {}


def test_autogenerate_pattern_that_breaks_the_other_options_is_reported(
    settings_ctx: Callable[..., SettingsContext],
) -> None:
    field = TextField(id="t1", name="x", autogeneratePattern="[a-z]{3}", min=5)
    err = field.validate_settings(settings_ctx(field))["autogeneratePattern"]
    assert err["code"] == "validation_invalid_autogenerate_pattern_value"
    assert err["message"].startswith(
        'The provided autogenerate pattern could produce invalid field values, ex.: "'
    )
    sample = err["message"].split('"')[1]
    assert len(sample) == 3 and sample.isalpha()


def test_relation_collection_cannot_change(settings_ctx: Callable[..., SettingsContext]) -> None:
    old_field = RelationField(id="rel1", name="r", collectionId="pbc_view")
    original = Collection(id="pbc_new", name="settings", fields=[id_field(), old_field])
    field = RelationField(id="rel1", name="r", collectionId="pbc_target")
    assert field.validate_settings(settings_ctx(field, original=original)) == {
        "collectionId": {
            "code": "validation_field_relation_change",
            "message": "The relation collection cannot be changed.",
        }
    }


def test_view_collections_may_relate_to_views(settings_ctx: Callable[..., SettingsContext]) -> None:
    field = RelationField(id="rel1", name="r", collectionId="pbc_view")
    assert field.validate_settings(settings_ctx(field, kind="view")) == {}


def test_system_autodate_flags_cannot_change(settings_ctx: Callable[..., SettingsContext]) -> None:
    old = AutodateField(id="ad1", name="created", system=True, onCreate=True)
    original = Collection(id="pbc_new", name="settings", fields=[id_field(), old])
    field = AutodateField(id="ad1", name="created", system=True, onCreate=False, onUpdate=True)
    mismatch = {"code": "validation_values_mismatch", "message": "Values don't match."}
    assert field.validate_settings(settings_ctx(field, original=original)) == {
        "onCreate": mismatch,
        "onUpdate": mismatch,
    }
    # A non-system autodate field may change.
    field = AutodateField(id="ad1", name="created", onCreate=False, onUpdate=True)
    assert field.validate_settings(settings_ctx(field, original=original)) == {}
