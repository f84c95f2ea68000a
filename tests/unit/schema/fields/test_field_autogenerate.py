"""Random values from `autogeneratePattern`."""

from __future__ import annotations

import re

import pytest

from palapy.schema.fields.autogenerate import generate_autovalue


@pytest.mark.parametrize(
    ("pattern", "shape"),
    [
        ("[a-z0-9]{15}", r"[a-z0-9]{15}"),
        ("[a-zA-Z0-9]{50}", r"[a-zA-Z0-9]{50}"),
        ("abc-[0-9]{3}", r"abc-\d{3}"),
        ("(foo|bar)_\\d{2}", r"(foo|bar)_\d{2}"),
        ("(?:x|y){4}", r"[xy]{4}"),
        ("(?P<n>[A-F]){2}", r"[A-F]{2}"),
        ("[[:upper:]]{3}", r"[A-Z]{3}"),
        ("[\\w-]{8}", r"[\w-]{8}"),
        ("[^\\x00-\\x{10FFFF}a]?b", r"b"),
        (".{5}", r"[A-Za-z0-9]{5}"),
        ("a{2,4}", r"a{2,3}"),  # like PocketBase, the maximum itself is never drawn
        ("a{3,}", r"a{3,5}"),
        ("x?y*z+", r"y{0,5}z{1,5}"),
        ("\\Qa.b\\E", r"a\.b"),
        ("[]a]{3}", r"[\]a]{3}"),
        ("\\.", r"\."),
        ("\\pL{3}", r"\w{3}"),
    ],
)
def test_values_match_the_pattern(pattern: str, shape: str) -> None:
    for _ in range(30):
        value = generate_autovalue(pattern)
        assert re.fullmatch(shape, value), (pattern, value)


def test_values_are_random() -> None:
    assert len({generate_autovalue("[a-z0-9]{15}") for _ in range(50)}) == 50


@pytest.mark.parametrize(
    ("pattern", "message"),
    [
        ("^[a-z]{3}$", "unsupported pattern operator 9"),
        ("[a-z]{3}$", "unsupported pattern operator 10"),
        ("\\b[a-z]", "unsupported pattern operator 11"),
        ("()", "unsupported pattern operator 2"),
        ("", "unsupported pattern operator 2"),
        ("(abc", "error parsing regexp: missing closing ): `(abc`"),
    ],
)
def test_unsupported_patterns_raise_pocketbase_texts(pattern: str, message: str) -> None:
    with pytest.raises(ValueError) as exc:
        generate_autovalue(pattern)
    assert str(exc.value) == message


@pytest.mark.parametrize("pattern", ["(?i)abc", "\\p{Greek}", "a\\1"])
def test_constructs_outside_the_subset_raise(pattern: str) -> None:
    with pytest.raises(ValueError):
        generate_autovalue(pattern)
