"""Go regular expressions through RE2, with Go's compile error texts."""

from __future__ import annotations

import time

import pytest

from palapy.schema.fields._goregex import GoRegexError, compile_go_regex, go_regex_search


@pytest.mark.parametrize(
    ("pattern", "message"),
    [
        ("a**", "error parsing regexp: invalid nested repetition operator: `**`"),
        ("*a", "error parsing regexp: missing argument to repetition operator: `*`"),
        ("a\\", "error parsing regexp: trailing backslash at end of expression: ``"),
        ("[z-a]", "error parsing regexp: invalid character class range: `z-a`"),
        ("[a", "error parsing regexp: missing closing ]: `[a`"),
        ("a)", "error parsing regexp: unexpected ): `a)`"),
        ("\\p{Foo}", "error parsing regexp: invalid character class range: `\\p{Foo}`"),
        ("(?i", "error parsing regexp: invalid or unsupported Perl syntax: `(?i`"),
        ("x{2,1}", "error parsing regexp: invalid repeat count: `{2,1}`"),
        ("a{1001}", "error parsing regexp: invalid repeat count: `{1001}`"),
        ("\\8", "error parsing regexp: invalid escape sequence: `\\8`"),
        ("a++", "error parsing regexp: invalid nested repetition operator: `++`"),
        ("a{1000}{1000}", "error parsing regexp: invalid nested repetition operator: `{1000}{1000}`"),
        ("(?P=n)", "error parsing regexp: invalid or unsupported Perl syntax: `(?P`"),
        ("\\C", "error parsing regexp: invalid escape sequence: `\\C`"),
        ("(?P<>a)", "error parsing regexp: invalid named capture: `(?P<>`"),
    ],
)
def test_compile_errors_read_like_go(pattern: str, message: str) -> None:
    with pytest.raises(GoRegexError) as exc:
        compile_go_regex(pattern)
    assert str(exc.value) == message


@pytest.mark.parametrize(
    "pattern", ["(?P<a>x)(?P<a>y)", "[]a]", "\\pN", "(?U)a*", "\\\\C", "[[:alpha:]]", "\\z"]
)
def test_go_accepts(pattern: str) -> None:
    compile_go_regex(pattern)


def test_matching_is_linear_time() -> None:
    start = time.monotonic()
    assert not go_regex_search("^(a+)+$", "a" * 50000 + "!")
    assert time.monotonic() - start < 1.0


def test_search_semantics() -> None:
    assert go_regex_search("b", "abc")
    assert not go_regex_search("^b", "abc")
    assert not go_regex_search("(", "abc")


@pytest.mark.parametrize(
    "pattern",
    ["^[a-z0-9]+$", "^[a-z0-9_]*$", "^[^a-z]+$", "^[0-9a-fA-F]+$", "^[a-z.]+$", "^[A-Z]*$"],
)
def test_simple_class_patterns_answer_as_re2_does(pattern: str) -> None:
    """Patterns such as the default id pattern run on Python's engine; RE2 must agree."""
    import random

    import re2

    engine = compile_go_regex(pattern)
    assert not isinstance(engine, type(re2.compile("x")))  # the fast path was taken
    reference = re2.compile(pattern)
    rng = random.Random(3)
    alphabet = "abcxyzABC019_.-\n \t\u00e9\u4e2d$^["
    samples = ["", "\n", "abc\n", "\nabc", "abc", "ABC", "a-b"]
    samples += ["".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 8))) for _ in range(3000)]
    for value in samples:
        assert (engine.search(value) is not None) == (reference.search(value) is not None), (pattern, value)


@pytest.mark.parametrize("pattern", ["^[a-z-]+$", "^[a-c-e]+$", "^[[:alpha:]]+$", "^[a-z]+$x", "[a-z]+"])
def test_other_patterns_stay_on_re2(pattern: str) -> None:
    import re2

    assert isinstance(compile_go_regex(pattern), type(re2.compile("x")))
