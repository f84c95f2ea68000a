"""`palapy superuser ...` through the real CLI entry point, on temp data dirs."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import apsw
import pytest

from palapy.cli import main
from palapy.commands.superuser import format_error
from palapy.tools.errors import ApiError, field_error
from palapy.tools.security.passwords import verify_password

LOG_PREFIX = re.compile(r"^\d{4}/\d{2}/\d{2} \d{2}:\d{2}:\d{2} ")


def run(capsys: pytest.CaptureFixture[str], data_dir: Path, *args: str) -> tuple[int, str, str]:
    code = main(["superuser", *args, "--dir", str(data_dir)])
    out, err = capsys.readouterr()
    return code, out, err


def error_line(err: str) -> str:
    """The single stderr line without Go's log timestamp (which must be there)."""
    lines = err.splitlines()
    assert len(lines) == 1 and LOG_PREFIX.match(lines[0]), err
    return LOG_PREFIX.sub("", lines[0])


def superusers(data_dir: Path) -> list[dict[str, Any]]:
    conn = apsw.Connection(str(data_dir / "data.db"))
    try:
        cur = conn.execute("SELECT * FROM _superusers ORDER BY rowid")
        names = [d[0] for d in cur.getdescription()]
        return [dict(zip(names, row, strict=True)) for row in cur]
    finally:
        conn.close()


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "pb_data"


def test_upsert_creates_then_updates(capsys: pytest.CaptureFixture[str], data_dir: Path) -> None:
    assert run(capsys, data_dir, "upsert", "a@b.co", "pass123456") == (
        0,
        'Successfully saved superuser "a@b.co"!\n',
        "",
    )
    [first] = superusers(data_dir)
    assert (
        first["verified"] == 1 and first["password"].startswith("$argon2id$") and len(first["tokenKey"]) == 50
    )
    assert verify_password("pass123456", first["password"])

    assert run(capsys, data_dir, "upsert", "a@b.co", "otherpass1")[0] == 0
    [second] = superusers(data_dir)
    assert second["id"] == first["id"] and verify_password("otherpass1", second["password"])
    assert second["tokenKey"] != first["tokenKey"]  # a password change rotates tokenKey


def test_create_update_delete_messages(capsys: pytest.CaptureFixture[str], data_dir: Path) -> None:
    assert run(capsys, data_dir, "create", "a@b.co", "pass123456") == (
        0,
        'Successfully created new superuser "a@b.co"!\n',
        "",
    )
    code, out, err = run(capsys, data_dir, "create", "a@b.co", "pass123456")
    assert (code, out) == (1, "")
    assert error_line(err) == "failed to create new superuser account: email: Value must be unique."

    code, _, err = run(capsys, data_dir, "update", "x@b.co", "pass123456")
    assert code == 1 and error_line(err) == 'superuser with email "x@b.co" doesn\'t exist'
    assert run(capsys, data_dir, "update", "a@b.co", "newpass12345") == (
        0,
        'Successfully changed superuser "a@b.co" password!\n',
        "",
    )
    assert verify_password("newpass12345", superusers(data_dir)[0]["password"])

    assert run(capsys, data_dir, "delete", "x@b.co") == (
        0,
        'superuser "x@b.co" is missing or already deleted\n',
        "",
    )
    code, _, err = run(capsys, data_dir, "delete", "a@b.co")
    assert code == 1
    assert (
        error_line(err)
        == 'failed to delete superuser "a@b.co": You can\'t delete the only existing superuser.'
    )
    assert run(capsys, data_dir, "create", "c@b.co", "pass123456")[0] == 0
    assert run(capsys, data_dir, "delete", "a@b.co") == (0, 'Successfully deleted superuser "a@b.co"!\n', "")
    assert [s["email"] for s in superusers(data_dir)] == ["c@b.co"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("create", "notanemail", "pass123456"), "missing or invalid email address"),
        (("upsert", '"a b"@x.co', "pass123456"), "missing or invalid email address"),
        (("update", "a@b", "pass123456"), "missing or invalid email address"),
        (("delete", "notanemail"), "invalid or missing email address"),
        (("otp", "a@b"), "invalid or missing email address"),
    ],
)
def test_invalid_emails(
    capsys: pytest.CaptureFixture[str], data_dir: Path, args: tuple[str, ...], message: str
) -> None:
    code, out, err = run(capsys, data_dir, *args)
    assert (code, out, error_line(err)) == (1, "", message)


def test_password_rules_apply(capsys: pytest.CaptureFixture[str], data_dir: Path) -> None:
    code, _, err = run(capsys, data_dir, "create", "c@b.co", "short")
    assert code == 1
    assert (
        error_line(err)
        == "failed to create new superuser account: password: Must be at least 8 character(s)."
    )
    assert run(capsys, data_dir, "upsert", "a@b.co", "pass123456")[0] == 0
    code, _, err = run(capsys, data_dir, "update", "a@b.co", "short")
    assert code == 1
    assert (
        error_line(err)
        == 'failed to change superuser "a@b.co" password: password: Must be at least 8 character(s).'
    )


def test_otp(capsys: pytest.CaptureFixture[str], data_dir: Path) -> None:
    assert run(capsys, data_dir, "upsert", "a@b.co", "pass123456")[0] == 0
    code, _, err = run(capsys, data_dir, "otp", "x@b.co")
    assert code == 1 and error_line(err) == 'superuser with email "x@b.co" doesn\'t exist'
    code, _, err = run(capsys, data_dir, "otp", "a@b.co")
    assert code == 1 and error_line(err) == "OTP auth is not enabled for the _superusers collection"

    conn = apsw.Connection(str(data_dir / "data.db"))
    options = json.loads(
        conn.execute("SELECT options FROM _collections WHERE name = '_superusers'").fetchone()[0]
    )
    options["otp"].update(enabled=True, length=6, duration=99)
    conn.execute("UPDATE _collections SET options = ? WHERE name = '_superusers'", (json.dumps(options),))
    conn.close()

    code, out, err = run(capsys, data_dir, "otp", "a@b.co")
    assert (code, err) == (0, "")
    m = re.fullmatch(
        r'Successfully created OTP for superuser "a@b\.co":\n├─ Id:    ([a-z0-9]{15})\n├─ Pass:  (\d{6})\n└─ Valid: 99s\n\n',
        out,
    )
    assert m is not None, out
    conn = apsw.Connection(str(data_dir / "data.db"))
    row = conn.execute(
        "SELECT collectionRef, recordRef, password FROM _otps WHERE id = ?", (m.group(1),)
    ).fetchone()
    su_id = conn.execute("SELECT id FROM _superusers").fetchone()[0]
    conn.close()
    assert row[0] == "pbc_3142635823" and row[1] == su_id and verify_password(m.group(2), row[2])


def test_format_error_matches_go_validation_text() -> None:
    err = ApiError(
        400,
        "Failed.",
        {"password": field_error("a", "Must be at least 8 character(s)."), "email": field_error("b", "Bad")},
    )
    assert format_error(err) == "email: Bad; password: Must be at least 8 character(s)."
    assert format_error(ApiError(400, "You can't delete the only existing superuser")) == (
        "You can't delete the only existing superuser."
    )
