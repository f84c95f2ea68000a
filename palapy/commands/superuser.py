"""`palapy superuser upsert|create|update|delete|otp`, with PocketBase's exact output.

Success lines go to stdout; a failure prints one log-style line (`YYYY/MM/DD HH:MM:SS message`)
to stderr and returns 1, as PocketBase's binary does. Records are saved through the records
service, so the `_superusers` field rules (email format, password length, unique email) and
the default superuser hooks (always verified, installer account removal, last-one protection)
apply exactly as on the API.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import Any, TypeVar

import apsw

from palapy.app import Palapy
from palapy.auth.identity import find_auth_record_by_email
from palapy.core import App
from palapy.migrations import MigrationError
from palapy.records.rows import empty_record
from palapy.records.service import delete_record_in_tx, save_record_in_tx
from palapy.schema.model import Collection
from palapy.schema.system import SUPERUSERS
from palapy.tools.emails import is_email_format
from palapy.tools.errors import ApiError
from palapy.tools.gocast import go_quote
from palapy.tools.ids import random_string
from palapy.tools.security.passwords import hash_password

__all__ = ["run_superuser_command", "format_error"]

ACTIONS = ("upsert", "create", "update", "delete", "otp")
_DIGITS = "1234567890"
T = TypeVar("T")


class CommandError(Exception):
    """A failure to report as one line on stderr (exit code 1)."""


def format_error(err: BaseException) -> str:
    """Go's text of a save error: validation errors as `field: Message; other: Message.`."""
    if isinstance(err, ApiError) and err.data:
        return _format_errors(err.data) + "."
    if isinstance(err, ApiError):
        return err.message
    return str(err)


def _format_errors(data: dict[str, Any]) -> str:
    parts: list[str] = []
    for key in sorted(data):
        value = data[key]
        if isinstance(value, dict) and "code" not in value:
            parts.append(f"{key}: ({_format_errors(value)}.)")
        else:
            message = str(value.get("message", "")) if isinstance(value, dict) else str(value)
            parts.append(f"{key}: {message.rstrip('.')}")
    return "; ".join(parts)


def _or_fail(failure: str, action: Callable[[], T]) -> T:
    """`action()`, with a save error reported as PocketBase does: `<failure>: <details>`."""
    try:
        return action()
    except ApiError as exc:
        raise CommandError(f"{failure}: {format_error(exc)}") from exc


def _superusers(app: App) -> Collection:
    collection = app.collections.find(SUPERUSERS)
    if collection is None:
        raise CommandError(f'failed to fetch "{SUPERUSERS}" collection: not found')
    return collection


def _find(app: App, collection: Collection, email: str) -> dict[str, Any] | None:
    return app.db.read_sync(lambda conn: find_auth_record_by_email(conn, collection, email))


def _save(
    app: App, collection: Collection, record: dict[str, Any], original: dict[str, Any] | None, plain: str
) -> dict[str, Any]:

    def write(conn: apsw.Connection) -> dict[str, Any]:
        return save_record_in_tx(
            app, conn, collection, record, original, None, plain_passwords={"password": plain}
        )

    return app.db.write_sync(write)


def _with_password(
    collection: Collection, base: dict[str, Any] | None, email: str, password: str
) -> dict[str, Any]:

    record = dict(base) if base is not None else empty_record(collection)
    record["email"] = email
    # An empty password stays empty so the field reports it as required.
    record["password"] = hash_password(password) if password else ""
    return record


def _upsert(app: App, email: str, password: str) -> str:
    collection = _superusers(app)
    original = _find(app, collection, email)
    record = _with_password(collection, original, email, password)
    saved = _or_fail(
        "failed to upsert superuser account", lambda: _save(app, collection, record, original, password)
    )
    return f"Successfully saved superuser {go_quote(saved['email'])}!"


def _create(app: App, email: str, password: str) -> str:
    collection = _superusers(app)
    record = _with_password(collection, None, email, password)
    saved = _or_fail(
        "failed to create new superuser account", lambda: _save(app, collection, record, None, password)
    )
    return f"Successfully created new superuser {go_quote(saved['email'])}!"


def _update(app: App, email: str, password: str) -> str:
    collection = _superusers(app)
    original = _find(app, collection, email)
    if original is None:
        raise CommandError(f"superuser with email {go_quote(email)} doesn't exist")
    record = _with_password(collection, original, original["email"], password)
    saved = _or_fail(
        f"failed to change superuser {go_quote(original['email'])} password",
        lambda: _save(app, collection, record, original, password),
    )
    return f"Successfully changed superuser {go_quote(saved['email'])} password!"


def _delete(app: App, email: str) -> str:

    collection = _superusers(app)
    record = _find(app, collection, email)
    if record is None:
        return f"superuser {go_quote(email)} is missing or already deleted"
    _or_fail(
        f"failed to delete superuser {go_quote(record['email'])}",
        lambda: app.db.write_sync(lambda conn: delete_record_in_tx(app, conn, collection, record, None)),
    )
    return f"Successfully deleted superuser {go_quote(record['email'])}!"


def _otp(app: App, email: str) -> str:

    collection = _superusers(app)
    superuser = _find(app, collection, email)
    if superuser is None:
        raise CommandError(f"superuser with email {go_quote(email)} doesn't exist")
    otp_options = collection.option_dict("otp")
    if not otp_options.get("enabled"):
        raise CommandError(f"OTP auth is not enabled for the {SUPERUSERS} collection")
    otps = app.collections.find("_otps")
    if otps is None:
        raise CommandError('failed to create OTP: missing "_otps" collection')
    plain = random_string(int(otp_options.get("length") or 8), _DIGITS)
    record = empty_record(otps)
    record.update(collectionRef=collection.id, recordRef=superuser["id"], password=hash_password(plain))
    saved = _or_fail("failed to create OTP", lambda: _save(app, otps, record, None, plain))
    duration = int(otp_options.get("duration") or 0)
    return (
        f"Successfully created OTP for superuser {go_quote(superuser['email'])}:\n"
        f"├─ Id:    {saved['id']}\n"
        f"├─ Pass:  {plain}\n"
        f"└─ Valid: {duration}s\n"
    )


def _fail(message: str) -> int:
    print(time.strftime("%Y/%m/%d %H:%M:%S") + " " + message, file=sys.stderr, flush=True)
    return 1


def run_superuser_command(action: str, data_dir: str, email: str, password: str | None = None) -> int:
    """Run one `superuser` sub-command on `data_dir` (bootstrapped first); returns the exit code."""
    if action not in ACTIONS:
        return _fail(f'unknown command "{action}" for "superuser"')
    if action in ("upsert", "create", "update"):
        if password is None:
            return _fail("missing email and password arguments")
        if not email or not is_email_format(email):
            return _fail("missing or invalid email address")
    elif not email or not is_email_format(email):
        return _fail("invalid or missing email address")

    app = Palapy(data_dir)
    try:
        app.bootstrap()
        if action == "upsert":
            out = _upsert(app, email, password or "")
        elif action == "create":
            out = _create(app, email, password or "")
        elif action == "update":
            out = _update(app, email, password or "")
        elif action == "delete":
            out = _delete(app, email)
        else:
            out = _otp(app, email)
    except (CommandError, MigrationError) as exc:
        return _fail(str(exc))
    finally:
        app.close()
    print(out, flush=True)
    return 0
