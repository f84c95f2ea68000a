"""`python -m tests.bench.jwt_check`: what checking one auth token costs, palapy's way and PyJWT's.

An authenticated request reads the token's claims (to find the record whose key signs it), then
checks the signature: palapy's hand-written pass (`palapy.tools.security.jwt_hs256`) against
PyJWT's `decode` (without the signature for the claims, then with it). Signing is shown too:
palapy signs with PyJWT (a login costs an argon2 check of about 30 ms anyway).
"""

from __future__ import annotations

import time
import timeit

import jwt

from palapy.tools.security.jwt_hs256 import encode_hs256, parse_unverified, verify_hs256

__all__ = ["main", "measure"]

_KEY = "k" * 50 + "s" * 50  # tokenKey + the collection's secret, as PocketBase builds the key
_UNVERIFIED = {"verify_signature": False, "verify_exp": True, "verify_nbf": True, "verify_iat": True}


def measure(number: int = 20000, repeat: int = 5) -> dict[str, float]:
    """Microseconds per call (best of `repeat`)."""
    claims = {
        "collectionId": "pbc_3142635823",
        "exp": int(time.time()) + 3600,
        "id": "abcdefghijklmno",
        "refreshable": True,
        "type": "auth",
    }
    token = encode_hs256(claims, _KEY)

    def palapy_check() -> None:
        header, _ = parse_unverified(token)
        verify_hs256(token, _KEY, header)

    def pyjwt_check() -> None:
        jwt.decode(token, options=_UNVERIFIED)
        jwt.decode(token, _KEY, algorithms=["HS256"])

    cases = {
        "check, palapy's pass": palapy_check,
        "check, PyJWT decode x2": pyjwt_check,
        "sign, PyJWT encode": lambda: encode_hs256(claims, _KEY),
    }
    return {
        name: min(timeit.repeat(fn, number=number, repeat=repeat)) / number * 1e6
        for name, fn in cases.items()
    }


def main() -> int:
    for name, micros in measure().items():
        print(f"{name:24s} {micros:7.1f} us")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
