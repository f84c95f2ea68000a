"""`palapy serve`: check the port, open `pb_data`, load `pb_hooks`, apply `pb_migrations`, serve."""

from __future__ import annotations

import sys

from palapy.apis import create_rsgi
from palapy.app import Palapy
from palapy.hooks.loader import UserCodeError, load_hooks
from palapy.migrations import MigrationError
from palapy.migrations.user import apply_user_migrations
from palapy.tools.memory import return_large_blocks
from palapy.tools.security.passwords import hash_scheme
from palapy.web import server
from palapy.web.server import PortError

__all__ = ["serve"]


def serve(
    data_dir: str,
    host: str,
    port: int,
    *,
    origins: list[str],
    dev: bool = False,
    hooks_dir: str | None = None,
    migrations_dir: str | None = None,
) -> int:
    """Serve HTTP until SIGINT/SIGTERM; returns the exit code. Nothing starts half-configured:
    a taken port, a bad data dir, a failing hook or migration ends with one line on stderr."""
    try:
        hash_scheme()  # a mistyped PALAPY_PASSWORD_HASH stops the start, not the first login
        server.check_port(host, port)
    except ValueError as exc:
        print(f"Error: {exc}", file=sys.stderr)
        return 1
    except PortError as exc:
        print(f"Error: {exc.strerror}", file=sys.stderr)
        return 1
    return_large_blocks()
    app = Palapy(data_dir, dev=dev, hooks_dir=hooks_dir, migrations_dir=migrations_dir)
    try:
        app.bootstrap()
    except Exception as exc:  # noqa: BLE001 - a one-line message for the shell user
        print(f"Error: cannot open {data_dir}: {exc}", file=sys.stderr)
        return 1
    try:
        # As PocketBase: hooks are bound first, so they also see what the migrations write.
        load_hooks(app, app.hooks_dir)
        apply_user_migrations(app, app.migrations_dir)
    except (UserCodeError, MigrationError) as exc:
        app.close()
        print(f"Error: {exc}", file=sys.stderr)
        return 1
    target = create_rsgi(app, origins=origins)
    shown = host if host not in ("0.0.0.0", "") else "127.0.0.1"
    print(
        f"Server started at http://{shown}:{port}\n"
        f"├─ REST API:  http://{shown}:{port}/api/\n"
        f"└─ Dashboard: http://{shown}:{port}/_/",
        flush=True,
    )
    try:
        server.run(target, host, port, dev=dev)
    finally:
        app.close()
    return 0
