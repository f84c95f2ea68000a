"""argon2id for new hashes; PocketBase's bcrypt hashes verified and flagged for upgrade."""

from __future__ import annotations

import bcrypt
import pytest

from palapy.tools.security import passwords
from palapy.tools.security.passwords import dummy_verify, hash_password, needs_rehash, verify_password


def test_new_hashes_are_argon2id_with_the_configured_parameters() -> None:
    stored = hash_password("pass123456")
    assert stored.startswith("$argon2id$v=19$m=19456,t=2,p=1$")
    assert hash_password("pass123456") != stored  # salted


def test_argon2_round_trip_and_mismatch() -> None:
    stored = hash_password("pass123456")
    assert verify_password("pass123456", stored)
    assert not verify_password("pass12345", stored)
    assert not verify_password("", stored)
    assert not needs_rehash(stored)


def test_new_hashes_use_the_login_sized_argon2id_parameters() -> None:
    # The parameters decide the cost of a login (~28 ms here, measured in the closing note);
    # the hash string records them, so a parameter mistake (e.g. 64 MiB x 3) shows here.
    stored = hash_password("pass123456")
    assert stored.startswith("$argon2id$v=19$m=19456,t=2,p=1$")


def test_pocketbase_bcrypt_hashes_verify_and_need_rehash() -> None:
    # PocketBase writes `$2a$` hashes with cost 10; the bcrypt package writes `$2b$`.
    stored_2b = bcrypt.hashpw(b"pass123456", bcrypt.gensalt(10)).decode()
    stored_2a = "$2a$" + stored_2b[4:]
    for stored in (stored_2b, stored_2a):
        assert verify_password("pass123456", stored)
        assert not verify_password("wrong-password", stored)
        assert needs_rehash(stored)


def test_bcrypt_ignores_bytes_past_72_like_go() -> None:
    long_password = "x" * 72
    stored = bcrypt.hashpw(long_password.encode(), bcrypt.gensalt(4)).decode()
    assert verify_password(long_password + "anything after byte 72", stored)


def test_argon2_with_other_parameters_needs_rehash() -> None:
    from argon2 import PasswordHasher

    weaker = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1).hash("pass123456")
    assert verify_password("pass123456", weaker)
    assert needs_rehash(weaker)


@pytest.mark.parametrize(
    "stored",
    ["", "plain-text", "$2a$10$short", "$argon2id$v=19$m=19456,t=2,p=1$broken", "$1$md5$whatever"],
)
def test_malformed_or_unknown_hashes_never_verify(stored: str) -> None:
    assert not verify_password("pass123456", stored)


def test_dummy_verify_costs_about_one_check(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[str, str]] = []
    real = passwords.verify_password
    monkeypatch.setattr(passwords, "verify_password", lambda p, s: calls.append((p, s)) or real(p, s))
    dummy_verify()
    bcrypt_hash = bcrypt.hashpw(b"x", bcrypt.gensalt(4)).decode()
    dummy_verify(bcrypt_hash)
    assert calls[0][1].startswith("$argon2id$")
    assert calls[1] == ("", bcrypt_hash)


def test_bcrypt_mode_writes_go_style_hashes_and_keeps_them(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(passwords.HASH_SCHEME_ENV, "bcrypt")
    default = passwords.hash_password("secret-pass")
    assert default.startswith("$2a$10$") and passwords.verify_password("secret-pass", default)
    assert passwords.hash_password("secret-pass", bcrypt_cost=4).startswith("$2a$04$")
    assert not passwords.needs_rehash(default)
    assert not passwords.needs_rehash(bcrypt.hashpw(b"x", bcrypt.gensalt(12)).decode())  # any cost stays
    monkeypatch.delenv(passwords.HASH_SCHEME_ENV)
    argon2_hash = passwords.hash_password("secret-pass")
    monkeypatch.setenv(passwords.HASH_SCHEME_ENV, "BCRYPT")
    assert passwords.needs_rehash(argon2_hash)  # turned back into bcrypt at the next login
    passwords.dummy_verify()  # the dummy check uses a bcrypt hash in this mode
    assert passwords._dummy_hashes["bcrypt"].startswith("$2a$10$")


def test_the_default_scheme_is_argon2id_and_upgrades_bcrypt(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(passwords.HASH_SCHEME_ENV, raising=False)
    assert passwords.hash_scheme() == "argon2id"
    assert passwords.hash_password("secret-pass", bcrypt_cost=12).startswith("$argon2id$")
    assert passwords.needs_rehash(bcrypt.hashpw(b"x", bcrypt.gensalt(4)).decode())


def test_an_unknown_scheme_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(passwords.HASH_SCHEME_ENV, "md5")
    with pytest.raises(ValueError, match="PALAPY_PASSWORD_HASH must be argon2id or bcrypt"):
        passwords.hash_password("secret-pass")
