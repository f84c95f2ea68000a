"""Password hashing: argon2id for new hashes, PocketBase's bcrypt hashes still accepted.

New passwords are hashed with argon2id (OWASP's minimum profile: 19 MiB, 2 passes, 1 lane; its
cost: docs/performance.md). Hashes written by PocketBase (`$2a$`/`$2b$` bcrypt) keep working;
`needs_rehash()` tells the login flow to upgrade them after a successful check.

Trade-off: PocketBase itself only understands bcrypt, so a user whose hash palapy wrote (or
upgraded) cannot log in with real PocketBase on the same `pb_data/` until the password is set
again there (e.g. `pocketbase superuser upsert`). Everything else in the data dir stays readable.
A data dir that must keep working logins under PocketBase runs palapy with
`PALAPY_PASSWORD_HASH=bcrypt`: new hashes are then bcrypt (`$2a$`, the field's cost) and argon2
hashes are turned back into bcrypt at the next login.
"""

from __future__ import annotations

import os
import threading

import bcrypt
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

__all__ = [
    "hash_password",
    "verify_password",
    "needs_rehash",
    "dummy_verify",
    "is_bcrypt_hash",
    "is_argon2_hash",
    "ARGON2_TIME_COST",
    "ARGON2_MEMORY_KIB",
    "ARGON2_PARALLELISM",
    "HASH_SCHEME_ENV",
    "BCRYPT_DEFAULT_COST",
    "hash_scheme",
]

HASH_SCHEME_ENV = "PALAPY_PASSWORD_HASH"
BCRYPT_DEFAULT_COST = 10  # Go's bcrypt.DefaultCost, what PocketBase uses for a cost of 0

ARGON2_TIME_COST = 2
ARGON2_MEMORY_KIB = 19 * 1024
ARGON2_PARALLELISM = 1

_hasher = PasswordHasher(
    time_cost=ARGON2_TIME_COST,
    memory_cost=ARGON2_MEMORY_KIB,
    parallelism=ARGON2_PARALLELISM,
)

# bcrypt only reads the first 72 bytes of a password; Go's CompareHashAndPassword silently
# ignores the rest, while the Python binding refuses longer input. Truncate to match Go.
_BCRYPT_MAX_BYTES = 72
_BCRYPT_PREFIXES = ("$2a$", "$2b$", "$2y$")

_dummy_lock = threading.Lock()
_dummy_hashes: dict[str, str] = {}  # per scheme: the dummy costs what a real check costs


def is_bcrypt_hash(stored: str) -> bool:
    """True for a bcrypt hash as Go (`$2a$`) or other libraries (`$2b$`, `$2y$`) write it."""
    return stored.startswith(_BCRYPT_PREFIXES)


def is_argon2_hash(stored: str) -> bool:
    return stored.startswith("$argon2")


def hash_scheme() -> str:
    """`argon2id` (the default) or `bcrypt`, from `PALAPY_PASSWORD_HASH`; ValueError otherwise."""
    scheme = os.environ.get(HASH_SCHEME_ENV, "").strip().lower() or "argon2id"
    if scheme not in ("argon2id", "bcrypt"):
        raise ValueError(f"{HASH_SCHEME_ENV} must be argon2id or bcrypt, not {scheme!r}")
    return scheme


def hash_password(plain: str, bcrypt_cost: int = 0) -> str:
    """A new hash of `plain`: argon2id (PHC string, `$argon2id$v=19$m=19456,t=2,p=1$...`), or in
    bcrypt mode a `$2a$` hash as Go writes it (`bcrypt_cost`, 10 when 0)."""
    if hash_scheme() == "bcrypt":
        salt = bcrypt.gensalt(rounds=bcrypt_cost or BCRYPT_DEFAULT_COST, prefix=b"2a")
        return bcrypt.hashpw(plain.encode()[:_BCRYPT_MAX_BYTES], salt).decode()
    return _hasher.hash(plain)


def verify_password(plain: str, stored: str) -> bool:
    """Check `plain` against an argon2 or bcrypt hash; any malformed or unknown hash is False."""
    if not stored:
        return False
    if is_argon2_hash(stored):
        try:
            return _hasher.verify(stored, plain)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False
    if is_bcrypt_hash(stored):
        try:
            return bcrypt.checkpw(plain.encode()[:_BCRYPT_MAX_BYTES], stored.encode())
        except ValueError:
            return False
    return False


def needs_rehash(stored: str) -> bool:
    """True when `stored` should be replaced by a fresh hash: bcrypt, or argon2 with other
    parameters (in bcrypt mode: argon2 only, so PocketBase can check it again)."""
    if hash_scheme() == "bcrypt":
        return is_argon2_hash(stored)
    if is_argon2_hash(stored):
        try:
            return _hasher.check_needs_rehash(stored)
        except (InvalidHashError, ValueError):
            return True
    return is_bcrypt_hash(stored)


def dummy_verify(stored: str | None = None) -> None:
    """Spend about as long as a real check, so an unknown identity is not faster than a wrong password.

    Pass a hash of the same collection when one is at hand (its scheme sets the cost, as in
    PocketBase, which checks against a random existing record); otherwise a hash of the configured
    scheme is used.
    """
    if stored:
        verify_password("", stored)
        return
    scheme = hash_scheme()
    dummy = _dummy_hashes.get(scheme)
    if dummy is None:
        with _dummy_lock:
            dummy = _dummy_hashes.setdefault(scheme, hash_password("palapy-dummy-password"))
    verify_password("", dummy)
