import re

from palapy.tools.ids import collection_id, field_id, random_id, random_string


def test_collection_ids_match_pocketbase() -> None:
    assert collection_id("base", "posts") == "pbc_1125843985"
    assert collection_id("auth", "_superusers") == "pbc_3142635823"


def test_field_ids_match_pocketbase() -> None:
    assert field_id("text", "id") == "text3208210256"
    assert field_id("autodate", "created") == "autodate2990389176"
    assert field_id("autodate", "updated") == "autodate3332085495"


def test_collisions_get_numeric_suffixes() -> None:
    taken = {"text3208210256", "text32082102562"}
    assert field_id("text", "id", taken) == "text32082102563"


def test_random_ids_have_pocketbase_shape() -> None:
    assert re.fullmatch(r"[a-z0-9]{15}", random_id())
    assert len(random_string(50)) == 50
