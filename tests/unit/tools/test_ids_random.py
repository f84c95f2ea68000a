"""`random_string`: length, alphabet and an even spread over the alphabet."""

from __future__ import annotations

from collections import Counter

import pytest

from palapy.tools.ids import ALNUM, ID_ALPHABET, random_id, random_string


@pytest.mark.parametrize("alphabet", [ID_ALPHABET, ALNUM, "ab", "x", "".join(chr(i) for i in range(256))])
@pytest.mark.parametrize("length", [0, 1, 15, 50, 300])
def test_length_and_alphabet(alphabet: str, length: int) -> None:
    text = random_string(length, alphabet)
    assert len(text) == length
    assert set(text) <= set(alphabet)


def test_characters_are_spread_evenly() -> None:
    # 36 symbols, 180,000 draws: each expected 5,000 times; a biased mapping (byte % 36 without
    # rejection) would give the first 4 symbols about 5,600 each. The bounds are 5 sigma.
    counts = Counter("".join(random_id() for _ in range(12_000)))
    assert set(counts) == set(ID_ALPHABET)
    assert max(counts.values()) < 5_350
    assert min(counts.values()) > 4_650


def test_ids_differ() -> None:
    assert len({random_id() for _ in range(10_000)}) == 10_000
