"""`palapy migrate [up | down [n] | create NAME | history-sync]`, worded like PocketBase's.

Output lines go to stdout; the y/N questions go to stderr and read one line from stdin (an
empty line or end of input means no, as in PocketBase, so a non-interactive run cancels
`create` and `down`); a failure prints one log-style line (`YYYY/MM/DD HH:MM:SS message`) to
stderr and returns 1. `up` and `down` load `pb_hooks` first, as `serve` does, so handlers see
the records a migration writes.

Unlike PocketBase, `down` reverts palapy's user migrations (`pb_migrations/*.py`) only: the
system migrations have no `down`, and PocketBase's own `*.js` rows are not palapy's to undo.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Sequence

from palapy.app import Palapy
from palapy.hooks.loader import UserCodeError, load_hooks, user_files
from palapy.migrations.runner import MigrationError
from palapy.migrations.user import (
    apply_user_migrations,
    last_applied_user_migrations,
    new_migration_path,
    revert_user_migrations,
    sync_user_history,
    write_migration_template,
)
from palapy.tools.gocast import go_quote, parse_go_int

__all__ = ["run_migrate_command", "yes_no_prompt"]

CANCELLED = "The command has been cancelled"


class _CommandError(Exception):
    """A failure to report as one log-style line (exit code 1)."""


def _fail(message: str) -> int:
    print(time.strftime("%Y/%m/%d %H:%M:%S") + " " + message, file=sys.stderr, flush=True)
    return 1


def yes_no_prompt(message: str, fallback: bool = False) -> bool:
    """PocketBase's YesNoPrompt: ask on stderr until y/yes/n/no or an empty answer (= fallback)."""
    options = "Y/n" if fallback else "y/N"
    while True:
        print(f"{message} ({options}) ", end="", file=sys.stderr, flush=True)
        answer = sys.stdin.readline().strip().lower()  # "" at end of input too
        if answer == "":
            return fallback
        if answer in ("y", "yes"):
            return True
        if answer in ("n", "no"):
            return False


def _create(app: Palapy, args: Sequence[str]) -> None:

    if not args:
        raise _CommandError("missing migration file name")
    path = new_migration_path(app.migrations_dir, args[0])
    if not yes_no_prompt(f"Do you really want to create migration {go_quote(str(path))}?"):
        print(CANCELLED)
        return
    try:
        write_migration_template(path)
    except OSError as exc:
        raise _CommandError(f"failed to save migration file {go_quote(str(path))}: {exc}") from exc
    print(f"Successfully created file {go_quote(str(path))}")


def _revert_count(app: Palapy, args: Sequence[str]) -> int:

    if not args:
        return 1
    # PocketBase casts the argument (text that is not a number is 0); below 0 means all.
    count = parse_go_int(args[0].strip()) or 0
    return len(user_files(app.migrations_dir)) if count < 0 else count


def _run(app: Palapy, command: str, args: Sequence[str]) -> None:

    app.bootstrap()
    if command == "history-sync":
        sync_user_history(app, app.migrations_dir)
        print("The _migrations table was synced with the available migrations.")
        return
    load_hooks(app, app.hooks_dir)
    if command == "up":
        applied = apply_user_migrations(app, app.migrations_dir)
        print("\n".join(f"Applied {f}" for f in applied) if applied else "No new migrations to apply.")
        return
    count = _revert_count(app, args)
    names = last_applied_user_migrations(app, app.migrations_dir, count)
    question = (
        "\n" + "\n".join(names) + f"\nDo you really want to revert the last {count} applied migration(s)?"
    )
    if not yes_no_prompt(question):
        print(CANCELLED)
        return
    reverted = revert_user_migrations(app, app.migrations_dir, count)
    print("\n".join(f"Reverted {f}" for f in reverted) if reverted else "No migrations to revert.")


def run_migrate_command(argv: Sequence[str], app: Palapy) -> int:
    """Run `migrate` with its arguments (`up` when none) on `app` (not bootstrapped yet; closed
    here); returns the exit code. A data dir that cannot be opened raises DataDirError."""

    command, args = (argv[0], argv[1:]) if argv else ("up", [])
    try:
        if command == "create":
            _create(app, args)
        elif command in ("up", "down", "history-sync"):
            _run(app, command, args)
        else:
            raise _CommandError(f"unsupported command: {go_quote(command)}")
    except (_CommandError, MigrationError, UserCodeError) as exc:
        return _fail(str(exc))
    finally:
        app.close()
    return 0
