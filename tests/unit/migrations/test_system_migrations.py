"""System migrations on real data dirs: new dirs, re-runs, partial dirs and refused dirs."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import apsw
import pytest

from palapy.app import Palapy
from palapy.migrations import SYSTEM_MIGRATIONS, MigrationError, run_system_migrations
from palapy.schema import auth_templates
from palapy.schema.system import OWNER_RULE, USERS_ID

EXPECTED_FILES = [
    "1640988000_aux_init.go",
    "1640988000_init.go",
    "1717233556_v0.23_migrate.go",
    "1717233557_v0.23_migrate2.go",
    "1717233558_v0.23_migrate3.go",
    "1717233559_v0.23_migrate4.go",
    "1763020353_update_default_auth_alert_templates.go",
    "1778828400_normalize_indexes.go",
]


def bootstrap(data_dir: Path) -> None:
    app = Palapy(data_dir)
    try:
        app.bootstrap()
    finally:
        app.close()


def rows(db: Path, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    conn = apsw.Connection(str(db))
    try:
        return [tuple(r) for r in conn.execute(sql, params)]
    finally:
        conn.close()


def execute(db: Path, *statements: str) -> None:
    conn = apsw.Connection(str(db))
    try:
        for sql in statements:
            conn.execute(sql)
    finally:
        conn.close()


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    d = tmp_path / "pb_data"
    bootstrap(d)
    return d


def test_new_dir_has_pocketbase_tables_and_migrations(data_dir: Path) -> None:
    db = data_dir / "data.db"
    assert [r[0] for r in rows(db, "SELECT file FROM _migrations ORDER BY rowid")] == EXPECTED_FILES
    assert [m.file for m in SYSTEM_MIGRATIONS] == EXPECTED_FILES
    applied = [r[0] for r in rows(db, "SELECT applied FROM _migrations ORDER BY rowid")]
    assert applied == sorted(applied) and all(len(str(a)) == 16 for a in applied)  # unix microseconds
    tables = [r[0] for r in rows(db, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY rowid")]
    assert tables == ["_migrations", "_params", "_collections", "_mfas", "_otps", "_externalAuths", "_authOrigins", "_superusers", "users"]  # fmt: skip
    params_sql = rows(db, "SELECT sql FROM sqlite_master WHERE name = '_params'")[0][0]
    assert params_sql == (
        "CREATE TABLE `_params` (\n"
        "\t\t\t`id`      TEXT PRIMARY KEY DEFAULT ('r'||lower(hex(randomblob(7)))) NOT NULL,\n"
        "\t\t\t`value`   JSON DEFAULT NULL,\n"
        "\t\t\t`created` TEXT DEFAULT (strftime('%Y-%m-%d %H:%M:%fZ')) NOT NULL,\n"
        "\t\t\t`updated` TEXT DEFAULT (strftime('%Y-%m-%d %H:%M:%fZ')) NOT NULL\n"
        "\t\t)"
    )
    assert rows(db, "SELECT sql FROM sqlite_master WHERE name = 'idx__collections_type'") == [
        ("CREATE INDEX idx__collections_type on `_collections` (`type`)",)
    ]
    logs = [r[0] for r in rows(data_dir / "auxiliary.db", "SELECT name FROM sqlite_master ORDER BY rowid")]
    assert logs == [
        "_logs",
        "sqlite_autoindex__logs_1",
        "idx_logs_level",
        "idx_logs_message",
        "idx_logs_created_hour",
    ]


def test_new_dir_collections_have_pocketbase_ids_rules_and_indexes(data_dir: Path) -> None:
    got = rows(
        data_dir / "data.db",
        "SELECT id, system, type, name, listRule, createRule, deleteRule, indexes FROM _collections ORDER BY rowid",
    )
    assert [(r[0], r[1], r[2], r[3]) for r in got] == [
        ("pbc_2279338944", 1, "base", "_mfas"),
        ("pbc_1638494021", 1, "base", "_otps"),
        ("pbc_2281828961", 1, "base", "_externalAuths"),
        ("pbc_4275539003", 1, "base", "_authOrigins"),
        ("pbc_3142635823", 1, "auth", "_superusers"),
        (USERS_ID, 0, "auth", "users"),
    ]
    by_name = {r[3]: r for r in got}
    assert by_name["_mfas"][4] == OWNER_RULE and by_name["_mfas"][6] is None
    assert by_name["_externalAuths"][6] == OWNER_RULE
    assert by_name["_superusers"][4] is None
    assert by_name["users"][4] == "id = @request.auth.id" and by_name["users"][5] == ""
    assert json.loads(by_name["_otps"][7]) == [
        "CREATE INDEX `idx_otps_collectionRef_recordRef` ON `_otps` (collectionRef, recordRef)"
    ]
    assert rows(
        data_dir / "data.db", "SELECT sql FROM sqlite_master WHERE name = 'idx_otps_collectionRef_recordRef'"
    ) == [
        (
            "CREATE INDEX `idx_otps_collectionRef_recordRef` ON `_otps` (\n  `collectionRef`,\n  `recordRef`\n)",
        )
    ]
    fields = json.loads(
        rows(data_dir / "data.db", "SELECT fields FROM _collections WHERE name = 'users'")[0][0]
    )
    assert [f["name"] for f in fields] == ["id", "password", "tokenKey", "email", "emailVisibility", "verified", "name", "avatar", "created", "updated"]  # fmt: skip
    otp_password = json.loads(
        rows(data_dir / "data.db", "SELECT fields FROM _collections WHERE name = '_otps'")[0][0]
    )[3]
    assert (otp_password["name"], otp_password["cost"], otp_password["hidden"]) == ("password", 8, True)


def test_secrets_are_random_per_collection(data_dir: Path, tmp_path: Path) -> None:
    other = tmp_path / "other"
    bootstrap(other)

    def secrets(d: Path) -> list[str]:
        found = []
        for (raw,) in rows(d / "data.db", "SELECT options FROM _collections WHERE type = 'auth'"):
            opts = json.loads(raw)
            found += [v["secret"] for v in opts.values() if isinstance(v, dict) and "secret" in v]
        return found

    all_secrets = secrets(data_dir) + secrets(other)
    assert len(all_secrets) == 20 and len(set(all_secrets)) == 20
    assert all(len(s) == 50 for s in all_secrets)


def test_settings_row_is_written_once_as_a_blob(data_dir: Path) -> None:
    (value, kind) = rows(
        data_dir / "data.db", "SELECT value, typeof(value) FROM _params WHERE id = 'settings'"
    )[0]
    assert kind == "blob"
    settings = json.loads(value)
    assert list(settings) == ["superuserIPs", "smtp", "backups", "s3", "meta", "rateLimits", "trustedProxy", "batch", "logs"]  # fmt: skip
    assert settings["meta"]["appName"] == "Acme"


def test_rerun_changes_nothing(data_dir: Path) -> None:
    db = data_dir / "data.db"
    snapshot = [
        rows(db, "SELECT * FROM _migrations ORDER BY rowid"),
        rows(db, "SELECT * FROM _collections ORDER BY rowid"),
        rows(db, "SELECT * FROM _params"),
        rows(db, "SELECT type, name, sql FROM sqlite_master ORDER BY rowid"),
    ]
    bootstrap(data_dir)
    assert snapshot == [
        rows(db, "SELECT * FROM _migrations ORDER BY rowid"),
        rows(db, "SELECT * FROM _collections ORDER BY rowid"),
        rows(db, "SELECT * FROM _params"),
        rows(db, "SELECT type, name, sql FROM sqlite_master ORDER BY rowid"),
    ]


def test_app_registry_is_loaded_after_bootstrap(tmp_path: Path) -> None:
    app = Palapy(tmp_path / "pb_data")
    try:
        app.bootstrap()
        users = app.collections.find("USERS")
        assert users is not None and users.id == USERS_ID and users.is_auth
        assert app.settings["batch"]["enabled"] is False
    finally:
        app.close()


@pytest.mark.parametrize("file", ["1999999999_future_thing.go", "1778828401_next.go"])
def test_newer_system_migrations_are_refused_in_one_line(data_dir: Path, file: str) -> None:
    execute(data_dir / "data.db", f"INSERT INTO _migrations VALUES ('{file}', 1)")
    with pytest.raises(MigrationError) as info:
        bootstrap(data_dir)
    message = str(info.value)
    assert "\n" not in message and file in message and "newer" in message


@pytest.mark.parametrize(
    "file", ["1700000000_removed_old.go", "1999999999_created_posts.js", "1999999999_x.py"]
)
def test_user_and_older_unknown_rows_are_left_alone(data_dir: Path, file: str) -> None:
    execute(data_dir / "data.db", f"INSERT INTO _migrations VALUES ('{file}', 1)")
    bootstrap(data_dir)
    assert rows(data_dir / "data.db", "SELECT applied FROM _migrations WHERE file = ?", (file,)) == [(1,)]


def test_pre_v023_dirs_are_refused(tmp_path: Path) -> None:
    d = tmp_path / "pb_data"
    d.mkdir()
    execute(
        d / "data.db",
        "CREATE TABLE `_migrations` (file VARCHAR(255) PRIMARY KEY NOT NULL, applied INTEGER NOT NULL)",
        "INSERT INTO _migrations VALUES ('1640988000_init.go', 1)",
        "CREATE TABLE _collections (id TEXT PRIMARY KEY, name TEXT)",
        "CREATE TABLE _params (id TEXT PRIMARY KEY, value JSON)",
    )
    with pytest.raises(MigrationError, match="older than v0.23"):
        bootstrap(d)


def test_deleted_auxiliary_db_is_recreated_and_rerecorded(data_dir: Path) -> None:
    before = rows(
        data_dir / "data.db", "SELECT applied FROM _migrations WHERE file = '1640988000_aux_init.go'"
    )
    for suffix in ("", "-wal", "-shm"):
        (data_dir / f"auxiliary.db{suffix}").unlink(missing_ok=True)
    bootstrap(data_dir)
    assert rows(data_dir / "auxiliary.db", "SELECT name FROM sqlite_master WHERE type = 'table'") == [
        ("_logs",)
    ]
    after = rows(
        data_dir / "data.db", "SELECT applied FROM _migrations WHERE file = '1640988000_aux_init.go'"
    )
    assert after[0][0] > before[0][0]


def _forget(data_dir: Path, file: str, *statements: str) -> None:
    execute(data_dir / "data.db", f"DELETE FROM _migrations WHERE file = '{file}'", *statements)


def _options(data_dir: Path, name: str) -> dict[str, Any]:
    result: dict[str, Any] = json.loads(
        rows(data_dir / "data.db", "SELECT options FROM _collections WHERE name = ?", (name,))[0][0]
    )
    return result


def test_old_auth_alert_template_is_upgraded_but_custom_ones_are_kept(data_dir: Path) -> None:
    users = _options(data_dir, "users")
    users["authAlert"]["emailTemplate"]["body"] = auth_templates.OLD_AUTH_ALERT_BODY
    supers = _options(data_dir, "_superusers")
    supers["authAlert"]["emailTemplate"]["body"] = "custom"
    db = data_dir / "data.db"
    conn = apsw.Connection(str(db))
    for name, opts in (("users", users), ("_superusers", supers)):
        conn.execute("UPDATE _collections SET options = ? WHERE name = ?", (json.dumps(opts), name))
    conn.close()
    _forget(data_dir, "1763020353_update_default_auth_alert_templates.go")
    bootstrap(data_dir)
    assert _options(data_dir, "users")["authAlert"]["emailTemplate"] == auth_templates.AUTH_ALERT_TEMPLATE
    assert _options(data_dir, "_superusers")["authAlert"]["emailTemplate"]["body"] == "custom"
    assert _options(data_dir, "users")["authToken"]["secret"] == users["authToken"]["secret"]


def test_missing_otps_sent_to_field_is_added(data_dir: Path) -> None:
    db = data_dir / "data.db"
    fields = json.loads(rows(db, "SELECT fields FROM _collections WHERE name = '_otps'")[0][0])
    fields = [f for f in fields if f["name"] != "sentTo"]
    conn = apsw.Connection(str(db))
    conn.execute("UPDATE _collections SET fields = ? WHERE name = '_otps'", (json.dumps(fields),))
    conn.execute("ALTER TABLE _otps DROP COLUMN sentTo")
    conn.close()
    _forget(data_dir, "1717233559_v0.23_migrate4.go")
    bootstrap(data_dir)
    names = [
        f["name"] for f in json.loads(rows(db, "SELECT fields FROM _collections WHERE name = '_otps'")[0][0])
    ]
    assert names[-1] == "sentTo"
    assert "sentTo" in [r[1] for r in rows(db, "PRAGMA table_info(_otps)")]


def test_normalize_indexes_adopts_unlisted_indexes(data_dir: Path) -> None:
    db = data_dir / "data.db"
    _forget(
        data_dir,
        "1778828400_normalize_indexes.go",
        "CREATE INDEX idx_by_hand ON users (verified)",
        # the same definition as a listed index under another name: dropped, not adopted
        "CREATE INDEX idx_same_as_old ON users (name)",
        # a duplicate of the forced email index under another name: dropped, not adopted
        "CREATE UNIQUE INDEX idx_dup_email ON users (email)",
        # a stored index naming another table gets its table name normalised
        "UPDATE _collections SET indexes = json_insert(indexes, '$[#]', 'CREATE INDEX idx_old ON whatever (name)') WHERE name = 'users'",
        "CREATE INDEX idx_old ON users (name)",
    )
    before = rows(db, "SELECT updated FROM _collections WHERE name = 'users'")[0][0]
    bootstrap(data_dir)
    indexes = json.loads(rows(db, "SELECT indexes FROM _collections WHERE name = 'users'")[0][0])
    assert indexes[-2:] == [
        "CREATE INDEX `idx_old` ON `users` (`name`)",
        "CREATE INDEX `idx_by_hand` ON `users` (`verified`)",
    ]
    names = {
        r[0] for r in rows(db, "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'users'")
    }
    assert (
        not names & {"idx_dup_email", "idx_same_as_old"}
        and {"idx_by_hand", "idx_old", "idx_email__pb_users_auth_"} <= names
    )
    assert rows(db, "SELECT updated FROM _collections WHERE name = 'users'")[0][0] >= before


def test_applying_again_on_an_open_app_is_a_no_op(tmp_path: Path) -> None:
    app = Palapy(tmp_path / "pb_data")
    try:
        app.bootstrap()
        before = rows(app.data_db_path, "SELECT * FROM _migrations ORDER BY rowid")
        run_system_migrations(app, SYSTEM_MIGRATIONS)
        assert rows(app.data_db_path, "SELECT * FROM _migrations ORDER BY rowid") == before
    finally:
        app.close()
