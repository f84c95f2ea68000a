"""Password hashing: argon2id for new hashes, PocketBase's bcrypt hashes still accepted.

New passwords are hashed with argon2id (OWASP's minimum profile: 19 MiB, 2 passes, 1 lane; its
cost: docs/performance.md). Hashes written by PocketBase (`$2a$`/`$2b$` bcrypt) keep working;
`needs_rehash()` tells the login flow to upgrade them after a successful check.

Trade-off: PocketBase itself only understands bcrypt, so a user whose hash palapy wrote (or
upgraded) cannot log in with real PocketBase on the same `pb_data/` until the password is set
again there (e.g. `pocketbase superuser upsert`). Everything else in the data dir stays readable.
"""

from __future__ import annotations

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
]

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
_dummy_hash: str | None = None


def is_bcrypt_hash(stored: str) -> bool:
    """True for a bcrypt hash as Go (`$2a$`) or other libraries (`$2b$`, `$2y$`) write it."""
    return stored.startswith(_BCRYPT_PREFIXES)


def is_argon2_hash(stored: str) -> bool:
    return stored.startswith("$argon2")


def hash_password(plain: str) -> str:
    """A new argon2id hash (PHC string, `$argon2id$v=19$m=19456,t=2,p=1$...`) of `plain`."""
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
    """True when `stored` should be replaced by a fresh hash: bcrypt, or argon2 with other parameters."""
    if is_argon2_hash(stored):
        try:
            return _hasher.check_needs_rehash(stored)
        except (InvalidHashError, ValueError):
            return True
    return is_bcrypt_hash(stored)


def dummy_verify(stored: str | None = None) -> None:
    """Spend about as long as a real check, so an unknown identity is not faster than a wrong password.

    Pass a hash of the same collection when one is at hand (its scheme sets the cost, as in
    PocketBase, which checks against a random existing record); otherwise an argon2id hash is used.
    """
    global _dummy_hash
    if stored:
        verify_password("", stored)
        return
    if _dummy_hash is None:
        with _dummy_lock:
            if _dummy_hash is None:
                _dummy_hash = hash_password("palapy-dummy-password")
    verify_password("", _dummy_hash)
