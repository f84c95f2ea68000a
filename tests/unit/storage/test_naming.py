"""Upload names: `snake_base_<10 random [a-z0-9]>.Ext` as PocketBase generates them."""

from __future__ import annotations

import re

import pytest

from palapy.storage.naming import extract_extension, generate_filename
from palapy.tools.inflector import snakecase

_RANDOM = r"_[a-z0-9]{10}"


@pytest.mark.parametrize(
    ("original", "pattern"),
    [
        ("red.png", r"red" + _RANDOM + r"\.png"),
        ("My Blue File.PNG", r"my_blue_file" + _RANDOM + r"\.PNG"),
        ("doc.txt", r"doc" + _RANDOM + r"\.txt"),
        ("archive.tar.gz", r"archive" + _RANDOM + r"\.tar\.gz"),
        # A double extension is kept whole; a base shorter than 3 gets 10 random characters.
        ("my.file.txt", r"my[a-z0-9]{10}" + _RANDOM + r"\.file\.txt"),
        ("a.png", r"a[a-z0-9]{10}" + _RANDOM + r"\.png"),
        ("..hidden.txt", r"[a-z0-9]{10}" + _RANDOM + r"\.hidden\.txt"),
        ("myHTTPServer.js", r"my_httpserver" + _RANDOM + r"\.js"),
        ("naïve café.md", r"na_ve_caf" + _RANDOM + r"\.md"),
        ("weird.p@n g", r"weird" + _RANDOM + r"\.png"),
    ],
)
def test_generated_names(original: str, pattern: str) -> None:
    assert re.fullmatch(pattern, generate_filename(original, b"x")), generate_filename(original, b"x")


def test_missing_extension_is_guessed_from_content() -> None:
    assert generate_filename("image", b"\x89PNG\r\n\x1a\n....").endswith(".png")
    assert generate_filename("notes", b"plain words").endswith(".txt")
    assert re.fullmatch(r"blob" + _RANDOM, generate_filename("blob", b"\x00\x01\x02\xff"))


def test_long_names_and_extensions_are_cut() -> None:
    name = generate_filename("b" * 150 + "." + "e" * 30, b"")
    base, _, ext = name.partition(".")
    assert len(base) == 100 + 11
    assert ext == "e" * 20  # the last 20 characters of the extension


def test_two_uploads_of_the_same_name_differ() -> None:
    assert generate_filename("a.txt") != generate_filename("a.txt")


def test_helpers() -> None:
    assert extract_extension("test.a.tar.gz") == ".tar.gz"
    assert extract_extension("noext") == ""
    assert snakecase("Hello World-Again_ok") == "hello_world_again_ok"
