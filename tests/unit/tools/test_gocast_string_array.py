"""`decode_string_array_prefix`'s one-call decoding of whole arrays gives exactly what the
element-by-element (Go streaming) decoding gives."""

from __future__ import annotations

import random
from typing import Any

import msgspec
import pytest

from palapy.tools import gocast


class _NeverDecodes:
    def decode(self, _: str) -> Any:
        raise msgspec.DecodeError("forced slow path")


def _slow(text: str, monkeypatch: pytest.MonkeyPatch) -> tuple[list[str], bool]:
    with monkeypatch.context() as m:
        m.setattr(gocast, "_STRING_LIST", _NeverDecodes())
        return gocast.decode_string_array_prefix(text)


EDGES = [
    "[]",
    " [ ] ",
    '["a","b","a"]',
    ' \t\n["x" , "y"]\r\n',
    '["\\u00e9\\n\\"q\\"\\\\/"]',
    '["\\ud83d\\ude00"]',
    '["\\ud800"]',  # lone surrogate: U+FFFD
    '["a\udc80b"]',  # a lone surrogate character in the text itself
    '["\\udbff\\udfff"]',
    '["a",null,"b"]',
    '["a",1,"b"]',
    '["a",]',
    '["a"]x',
    '["a"',
    '\ufeff["a"]',
    '["a"]\x0b',
    '["\x01"]',
    '[["a"]]',
    '[{"a":1}]',
    "[1e400]",
    "null",
    '"a"',
    "",
]


@pytest.mark.parametrize("text", EDGES)
def test_edges_match_the_streaming_decoder(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    assert gocast.decode_string_array_prefix(text) == _slow(text, monkeypatch)


def test_random_arrays_match_the_streaming_decoder(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random(99)
    parts = ['"a"', '"b c"', '""', "null", "1", '"\\u00e9"', '"\\ud800"', "true", '"x\\"y"', "[]", '"\udc80"']
    for _ in range(2000):
        items = [rng.choice(parts) for _ in range(rng.randint(0, 4))]
        sep = rng.choice([",", ", ", " ,", ",,"])
        text = rng.choice(["", " "]) + "[" + sep.join(items) + "]" + rng.choice(["", " ", "x", "]"])
        assert gocast.decode_string_array_prefix(text) == _slow(text, monkeypatch), text
