"""The HS256 helper agrees with PyJWT and follows golang-jwt's rules on time claims."""

from __future__ import annotations

import base64
import json
import time

import jwt as pyjwt
import pytest

from palapy.tools.security.jwt_hs256 import JWTError, encode_hs256, parse_unverified, verify_hs256

KEY = "t" * 50 + "s" * 50  # tokenKey + collection secret, 50 characters each


def _segment(obj: dict[str, object]) -> str:
    return base64.urlsafe_b64encode(json.dumps(obj, separators=(",", ":")).encode()).rstrip(b"=").decode()


def test_header_and_payload_bytes_match_pocketbase() -> None:
    token = encode_hs256(
        {"type": "auth", "id": "abc", "collectionId": "pbc_1", "refreshable": True, "exp": 1796034362}, KEY
    )
    head, payload, _ = token.split(".")
    assert base64.urlsafe_b64decode(head + "==") == b'{"alg":"HS256","typ":"JWT"}'
    # Go encodes map claims with sorted keys and no spaces.
    assert base64.urlsafe_b64decode(payload + "==") == (
        b'{"collectionId":"pbc_1","exp":1796034362,"id":"abc","refreshable":true,"type":"auth"}'
    )
    assert "=" not in token


def test_pyjwt_accepts_our_tokens_and_we_accept_pyjwt_tokens() -> None:
    claims = {"id": "abc", "type": "auth", "exp": int(time.time()) + 60}
    ours = encode_hs256(claims, KEY)
    assert pyjwt.decode(ours, KEY, algorithms=["HS256"]) == claims
    theirs = pyjwt.encode(claims, KEY, algorithm="HS256")
    header, parsed = parse_unverified(theirs)
    verify_hs256(theirs, KEY, header)
    assert parsed == claims


def test_wrong_key_and_tampered_payload_are_rejected() -> None:
    token = encode_hs256({"id": "abc", "exp": int(time.time()) + 60}, KEY)
    header, _ = parse_unverified(token)
    with pytest.raises(JWTError):
        verify_hs256(token, KEY + "x", header)
    head, _, sig = token.split(".")
    forged = f"{head}.{_segment({'id': 'other', 'exp': int(time.time()) + 60})}.{sig}"
    with pytest.raises(JWTError):
        verify_hs256(forged, KEY, parse_unverified(forged)[0])


def test_only_hs256_is_accepted() -> None:
    claims = {"id": "abc", "exp": int(time.time()) + 60}
    for alg in ("HS384", "HS512"):
        token = pyjwt.encode(claims, KEY, algorithm=alg)
        with pytest.raises(JWTError):
            verify_hs256(token, KEY, parse_unverified(token)[0])
    unsigned = f"{_segment({'alg': 'none', 'typ': 'JWT'})}.{_segment(claims)}."
    with pytest.raises(JWTError):
        verify_hs256(unsigned, KEY, parse_unverified(unsigned)[0])


def test_time_claims() -> None:
    now = 1_800_000_000.0
    parse_unverified(encode_hs256({"exp": int(now) + 1}, KEY), now=now)
    parse_unverified(encode_hs256({}, KEY), now=now)  # no exp: accepted, as by golang-jwt
    for claims in (
        {"exp": int(now)},
        {"exp": int(now) - 5},
        {"nbf": now + 10},
        {"iat": now + 10},
        {"exp": "soon"},
    ):
        with pytest.raises(JWTError):
            parse_unverified(encode_hs256(claims, KEY), now=now)
    parse_unverified(encode_hs256({"nbf": now - 1, "iat": now - 1, "exp": now + 0.5}, KEY), now=now)


@pytest.mark.parametrize(
    "token",
    [
        "",
        "abc",
        "a.b",
        "a.b.c.d",
        "!!!.e30.sig",
        f"{_segment({'alg': 'HS256'})}.bm90IGpzb24.sig",
        f"{_segment({'alg': 'HS256'})}.{_segment({'id': 'x'})}=.sig",
        f"{_segment({'alg': 'HS256'})}.WzFd.sig",
    ],
)
def test_malformed_tokens_raise_jwt_error(token: str) -> None:
    with pytest.raises(JWTError):
        parse_unverified(token)
