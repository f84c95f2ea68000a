"""Running the app on a socket (`palapy serve`), with Granian's embedded server over RSGI
(`palapy.http.rsgi` carries the ASGI stack over it).

Why Granian: measured with the bench's loads (wrk, 32 connections, 10,000 records, one server
process, 2 cores), interleaved runs, medians. `/api/health` req/s (server CPU per request):
Granian 8,083 (112 us); uvicorn+uvloop+httptools 6,719 (106 us); uvicorn on asyncio+h11 3,486
(211 us). The list endpoint is bound by the app (about 3.1 ms CPU per request under any server)
and ties within noise. Granian's Rust HTTP layer does its I/O off the Python thread, which the
second core turns into throughput. (uvloop under Granian's ASGI gained under 10%; once the hot
reads were served over RSGI it gained 20-25% on the view by id, so it is used: `loop_factory`.)
It runs embedded, in this process, on the asyncio
loop, so the one-process model, the executor's threads and the frozen binary stay as they are.

palapy binds the listening socket itself and hands Granian a duplicate of its fd, so:
- a port that is taken fails here, with one plain message, before anything else starts;
- the socket has no SO_REUSEPORT (Granian's own listener would set it, and a second server on
  the same port would then silently share the traffic instead of failing like PocketBase).
"""

from __future__ import annotations

import asyncio
import errno
import os
import signal
import socket
import sys
from collections.abc import Callable
from typing import Any

__all__ = ["serve", "bind_listener", "loop_factory", "BACKLOG"]

BACKLOG = 2048
# Seconds a stopping server waits for open requests (SSE streams never end by themselves).
_SHUTDOWN_GRACE = 5


def bind_listener(host: str, port: int) -> socket.socket:
    """A listening TCP socket on host:port (SO_REUSEADDR, TCP_NODELAY, no SO_REUSEPORT)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        # Accepted connections inherit it: a response written as headers then body must not wait
        # for the client's delayed ACK (measured: ~40 ms per request without it).
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        sock.bind((host, port))
        sock.listen(BACKLOG)
    except OSError:
        sock.close()
        raise
    sock.set_inheritable(True)
    return sock


def _granian_server(target: Any, sock: socket.socket, dev: bool) -> Any:
    """Granian's embedded server, serving the RSGI `target` on the already bound `sock`."""
    from granian._granian import SocketHolder as _SocketHolder
    from granian.constants import HTTPModes, Interfaces
    from granian.log import LogLevels
    from granian.server.embed import Server

    # The stub hides the constructor that granian's own pickling uses: (fd, is_uds, backlog).
    holder_type: Any = _SocketHolder

    class _OnOwnSocket(Server):
        # Granian 2.8.9 builds its listener in _init_shared_socket; workers take either a spec
        # to bind or a holder of a bound fd (its non-Linux path). We give it a holder of a
        # duplicate: the holder closes its fd when dropped, `sock` stays ours to close.
        def _init_shared_socket(self) -> None:
            holder = holder_type(os.dup(sock.fileno()), False, BACKLOG)
            self._ssp = None
            self._shd = holder
            self._sfd = holder.get_fd()

    host, port = sock.getsockname()[:2]
    server = _OnOwnSocket(
        target,
        address=host,
        port=port,
        interface=Interfaces.RSGI,  # see palapy.http.rsgi
        http=HTTPModes.http1,  # PocketBase speaks HTTP/1.1 on plain HTTP
        websockets=False,
        backlog=BACKLOG,
        log_enabled=dev,
        log_level=LogLevels.info,
        log_access=dev,
    )
    server.workers_kill_timeout = _SHUTDOWN_GRACE
    return server


def loop_factory() -> Callable[[], asyncio.AbstractEventLoop] | None:
    """uvloop's event loop where it is installed (asyncio's otherwise). Measured on the bench
    (palapy alone, alternating pairs of runs): view by id 12,700-17,300 req/s on asyncio's loop,
    13,000-21,400 on uvloop's; list 2,350-2,800 against 2,400-3,200. The loop runs Granian's
    per-request task and the database's wake-ups, which uvloop does in C."""
    try:
        import uvloop
    except ImportError:
        return None
    factory: Callable[[], asyncio.AbstractEventLoop] = uvloop.new_event_loop
    return factory


async def _run(server: Any) -> None:
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, server.stop)
    try:
        await server.serve()
    except TimeoutError:
        pass  # a request outlived the shutdown grace; its worker was cancelled


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
    """Bootstrap `data_dir`, load `pb_hooks`, apply `pb_migrations`, then serve HTTP until
    SIGINT/SIGTERM. Returns the exit code."""
    from palapy.app import Palapy
    from palapy.hooks.loader import UserCodeError, load_hooks
    from palapy.http.app import create_rsgi
    from palapy.migrations import MigrationError
    from palapy.migrations.user import apply_user_migrations

    try:
        sock = bind_listener(host, port)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            print(
                f"Error: {host}:{port} is already in use; stop the other server or pass --http with another port.",
                file=sys.stderr,
            )
        elif exc.errno == errno.EACCES:
            print(
                f"Error: cannot listen on {host}:{port}: permission denied; use a port above 1023 "
                "or grant CAP_NET_BIND_SERVICE (see docs/deploy.md).",
                file=sys.stderr,
            )
        else:
            print(
                f"Error: cannot listen on {host}:{port}: {exc.strerror or exc}; pass --http with an address "
                "of this machine, e.g. 127.0.0.1:8090.",
                file=sys.stderr,
            )
        return 1
    app = Palapy(data_dir, dev=dev, hooks_dir=hooks_dir, migrations_dir=migrations_dir)
    try:
        app.bootstrap()
    except Exception as exc:  # noqa: BLE001 - a one-line message for the shell user
        sock.close()
        print(f"Error: cannot open {data_dir}: {exc}", file=sys.stderr)
        return 1
    try:
        # As PocketBase: hooks are bound first, so they also see what the migrations write.
        load_hooks(app, app.hooks_dir)
        apply_user_migrations(app, app.migrations_dir)
    except (UserCodeError, MigrationError) as exc:
        sock.close()
        app.close()
        print(f"Error: {exc}", file=sys.stderr)  # never start half-configured
        return 1
    target = create_rsgi(app, origins=origins)
    shown = host if host not in ("0.0.0.0", "") else "127.0.0.1"
    print(
        f"Server started at http://{shown}:{port}\n├─ REST API:  http://{shown}:{port}/api/\n└─ Dashboard: http://{shown}:{port}/_/",
        flush=True,
    )
    try:
        with asyncio.Runner(loop_factory=loop_factory()) as runner:
            runner.run(_run(_granian_server(target, sock, dev)))
    finally:
        sock.close()
        app.close()
    return 0
