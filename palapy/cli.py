"""The command line, shaped like PocketBase's: serve, migrate, superuser, --version."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from palapy import POCKETBASE_COMPAT, __version__

__all__ = ["main", "default_data_dir"]


# PocketBase's own description of `migrate` (the `collections` argument is not supported).
MIGRATE_HELP = """Supported arguments are:
- up            - runs all available migrations
- down [number] - reverts the last [number] applied migrations
- create name   - creates new blank migration template file
- history-sync  - ensures that the _migrations history table doesn't have references to deleted migration files"""


def default_data_dir() -> str:
    """`pb_data` next to the executable when frozen (like PocketBase), else in the working dir."""
    if getattr(sys, "frozen", False):
        return str(Path(sys.executable).resolve().parent / "pb_data")
    return "pb_data"


def _version_text() -> str:
    from palapy.resources import build_info

    info = build_info()
    build = info.get("build", "source")
    if "commit" in info:
        build = f"build {info['commit']} {info.get('date', '')}".strip()
    return f"palapy version {__version__} ({build}; PocketBase {POCKETBASE_COMPAT} API)"


class _Parser(argparse.ArgumentParser):
    """argparse with usage errors on one line (its default prints the usage block first)."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"Error: {message}; see `{self.prog} --help`.\n")


class _VersionAction(argparse.Action):
    """Prints the version unwrapped (argparse's own action re-wraps it to the terminal width)."""

    def __init__(self, option_strings: list[str], dest: str, **kwargs: object) -> None:
        super().__init__(
            option_strings, dest, nargs=0, default=argparse.SUPPRESS, help=str(kwargs.get("help", ""))
        )

    def __call__(self, parser: argparse.ArgumentParser, *args: object, **kwargs: object) -> None:
        print(_version_text())
        parser.exit()


def _build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="palapy",
        description="palapy: a PocketBase-compatible backend with the Pala website builder inside.",
    )
    parser.add_argument("--version", action=_VersionAction, help="print the version and the build, then exit")
    common = _Parser(add_help=False)
    common.add_argument(
        "--dir", default=default_data_dir(), help="the pb_data directory (default: %(default)s)"
    )
    common.add_argument("--dev", action="store_true", help="print logs and SQL statements to the console")
    common.add_argument(
        "--hooksDir",
        dest="hooks_dir",
        metavar="DIR",
        default="",
        help="the directory with the Python app hooks (default: pb_data/../pb_hooks)",
    )
    common.add_argument(
        "--migrationsDir",
        dest="migrations_dir",
        metavar="DIR",
        default="",
        help="the directory with the user defined migrations (default: pb_data/../pb_migrations)",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    serve = sub.add_parser("serve", parents=[common], help="start the web server (default 127.0.0.1:8090)")
    serve.add_argument("domains", nargs="*", help="(not supported yet) domain names for automatic TLS")
    serve.add_argument("--http", default="", help="TCP address to listen on (default 127.0.0.1:8090)")
    serve.add_argument("--origins", default="*", help="comma-separated CORS allowed origins (default *)")

    migrate = sub.add_parser(
        "migrate",
        parents=[common],
        help="executes app DB migration scripts",
        description=MIGRATE_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    migrate.add_argument(
        "args", nargs="*", metavar="ARG", help="up | down [number] | create name | history-sync"
    )

    su = sub.add_parser("superuser", help="manage superusers")
    su_sub = su.add_subparsers(dest="action", metavar="ACTION")
    for name, text, with_pass in (
        ("upsert", "create a superuser, or update its password if the email exists", True),
        ("create", "create a new superuser", True),
        ("update", "change an existing superuser's password", True),
        ("delete", "delete an existing superuser", False),
        ("otp", "create a one-time password for a superuser", False),
    ):
        p = su_sub.add_parser(name, parents=[common], help=text)
        p.add_argument("email", help="the superuser's email")
        if with_pass:
            p.add_argument("password", help="the superuser's password")
    return parser


def _parse_http(address: str) -> tuple[str, int]:
    host, _, port = (address or "127.0.0.1:8090").rpartition(":")
    if not port.isdigit():
        raise SystemExit(f"Error: invalid --http address {address!r}; use HOST:PORT, e.g. 127.0.0.1:8090")
    return host or "0.0.0.0", int(port)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code.

    Each command's modules are imported when it runs, so `--version` and `--help` answer
    without loading the server and its dependencies.
    """
    parser = _build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 0
    if args.command == "serve":
        from palapy.commands.serve import serve

        host, port = _parse_http(args.http)
        origins = [o.strip() for o in args.origins.split(",") if o.strip()]
        return serve(
            args.dir,
            host,
            port,
            origins=origins,
            dev=args.dev,
            hooks_dir=args.hooks_dir or None,
            migrations_dir=args.migrations_dir or None,
        )
    if args.command == "migrate":
        from palapy.app import Palapy
        from palapy.commands.migrate import run_migrate_command
        from palapy.datadir import DataDirError

        app = Palapy(args.dir, hooks_dir=args.hooks_dir or None, migrations_dir=args.migrations_dir or None)
        try:
            return run_migrate_command(args.args, app)
        except DataDirError as exc:
            print(f"Error: cannot open {args.dir}: {exc}", file=sys.stderr)
            return 1
    if args.command == "superuser":
        if args.action is None:
            parser.parse_args(["superuser", "--help"])
            return 1
        from palapy.commands.superuser import run_superuser_command
        from palapy.datadir import DataDirError

        try:
            return int(
                run_superuser_command(args.action, args.dir, args.email, getattr(args, "password", None))
            )
        except DataDirError as exc:
            print(f"Error: cannot open {args.dir}: {exc}", file=sys.stderr)
            return 1
    parser.print_help()
    return 1


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    raise SystemExit(main())
