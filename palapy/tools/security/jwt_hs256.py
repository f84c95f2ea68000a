"""HS256 JWTs as PocketBase signs and checks them (golang-jwt's rules on the time claims).

Tokens are signed by PyJWT. They are checked by hand: every authenticated request reads the
claims first (to find the record whose key signs them) and then the signature, and PyJWT's
`decode` costs about ten times this pass on each (figures: docs/performance.md).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import time
from typing import Any

import jwt
import msgspec

__all__ = ["encode_hs256", "parse_unverified", "verify_hs256", "JWTError"]

_decoder = msgspec.json.Decoder()


class JWTError(Exception):
    """A token that is malformed, expired, not yet valid or wrongly signed."""


def _b64decode(data: str) -> bytes:
    # golang-jwt uses unpadded base64url; padding characters are not valid input.
    if "=" in data:
        raise JWTError("padded segment")
    try:
        return base64.urlsafe_b64decode(data + "=" * (-len(data) % 4))
    except (binascii.Error, ValueError) as exc:
        raise JWTError("invalid base64") from exc


def encode_hs256(claims: dict[str, Any], key: str) -> str:
    """Sign `claims` (keys sorted like Go's map encoding) with `key`; header `{"alg":"HS256","typ":"JWT"}`."""
    return jwt.encode(dict(sorted(claims.items())), key, algorithm="HS256")


def _numeric(claims: dict[str, Any], name: str) -> float | None:
    value = claims.get(name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise JWTError(f"invalid type for claim {name}")
    return float(value)


def _check_times(claims: dict[str, Any], now: float) -> None:
    """exp must be in the future, nbf and iat not in the future (each only when present)."""
    exp = _numeric(claims, "exp")
    if exp is not None and not now < exp:
        raise JWTError("token is expired")
    nbf = _numeric(claims, "nbf")
    if nbf is not None and now < nbf:
        raise JWTError("token is not valid yet")
    iat = _numeric(claims, "iat")
    if iat is not None and now < iat:
        raise JWTError("token used before issued")


def parse_unverified(token: str, now: float | None = None) -> tuple[dict[str, Any], dict[str, Any]]:
    """(header, claims) without checking the signature; the time claims are still checked."""
    parts = token.split(".")
    if len(parts) != 3:
        raise JWTError("token contains an invalid number of segments")
    try:
        header = _decoder.decode(_b64decode(parts[0]))
        claims = _decoder.decode(_b64decode(parts[1]))
    except msgspec.DecodeError as exc:
        raise JWTError("malformed JSON") from exc
    if not isinstance(header, dict) or not isinstance(claims, dict):
        raise JWTError("malformed token")
    _check_times(claims, time.time() if now is None else now)
    return header, claims


def verify_hs256(token: str, key: str, header: dict[str, Any]) -> None:
    """Raise JWTError unless `token` is HS256 and signed with `key` (`header` from parse_unverified)."""
    if header.get("alg") != "HS256":
        raise JWTError("signing method is not HS256")
    signing_input, _, signature = token.rpartition(".")
    expected = hmac.new(key.encode(), signing_input.encode(), hashlib.sha256).digest()
    if not hmac.compare_digest(expected, _b64decode(signature)):
        raise JWTError("signature is invalid")
