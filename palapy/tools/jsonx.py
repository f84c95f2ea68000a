"""One shared msgspec encoder/decoder; integral floats print as ints, like Go's float64 encoding."""

from __future__ import annotations

import math
from typing import Any

import msgspec

__all__ = ["encode", "decode", "normalize_number", "DecodeError"]

DecodeError = msgspec.DecodeError


def normalize_number(value: float | int) -> float | int:
    """Go prints 5.0 as 5: return an int for integral finite floats."""
    if isinstance(value, float) and value.is_integer() and math.isfinite(value) and abs(value) < 1e21:
        return int(value)
    return value


def _enc_hook(obj: Any) -> Any:
    # str subclasses (e.g. the json field's InvalidJSONText marker) encode as plain strings.
    if isinstance(obj, str):
        return str(obj)
    raise TypeError(f"cannot encode {type(obj).__name__}")


_encoder = msgspec.json.Encoder(enc_hook=_enc_hook)
_decoder = msgspec.json.Decoder()


def encode(value: Any) -> bytes:
    """Encode to compact JSON bytes (keys in the order given)."""
    return _encoder.encode(value)


def decode(data: bytes | str) -> Any:
    """Decode JSON text into Python values; raises DecodeError on malformed input."""
    return _decoder.decode(data)
