"""One shared msgspec encoder/decoder (numbers are printed the Go way by `gocast.json_number`)."""

from __future__ import annotations

from typing import Any

import msgspec

__all__ = ["encode", "decode", "DecodeError"]

DecodeError = msgspec.DecodeError


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
