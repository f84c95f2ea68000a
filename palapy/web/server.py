"""Granian, embedded in this process, serving the RSGI application on host:port.

It runs on this process's event loop (uvloop's where installed), so the one-process model, the
database executor's threads and the frozen binary stay as they are. Before Granian binds, the
port is tried without SO_REUSEPORT: Granian's own listener sets it, and a second server on the
same port would then silently share the traffic instead of failing, as PocketBase fails.
"""

from __future__ import annotations

import asyncio
import errno
import signal
import socket
from collections.abc import Callable
from typing import Any

from granian.constants import HTTPModes, Interfaces
from granian.log import LogLevels
from granian.server.embed import Server

__all__ = ["PortError", "check_port", "run", "loop_factory", "BACKLOG"]

BACKLOG = 2048
# Seconds a stopping server waits for open requests (SSE streams never end by themselves).
_SHUTDOWN_GRACE = 5


class PortError(OSError):
    """host:port cannot be listened on; the message is one line that says what to do."""


def check_port(host: str, port: int) -> None:
    """Raise PortError unless a listener could bind host:port now (nothing stays bound)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            text = f"{host}:{port} is already in use; stop the other server or pass --http with another port."
        elif exc.errno == errno.EACCES:
            text = (
                f"cannot listen on {host}:{port}: permission denied; use a port above 1023 "
                "or grant CAP_NET_BIND_SERVICE (see docs/deploy.md)."
            )
        else:
            text = (
                f"cannot listen on {host}:{port}: {exc.strerror or exc}; pass --http with an address "
                "of this machine, e.g. 127.0.0.1:8090."
            )
        raise PortError(exc.errno, text) from exc
    finally:
        sock.close()


def loop_factory() -> Callable[[], asyncio.AbstractEventLoop] | None:
    """uvloop's event loop where it is installed (asyncio's otherwise): it runs Granian's
    per-request task and the database's wake-ups in C (figures: docs/performance.md)."""
    try:
        import uvloop
    except ImportError:
        return None
    factory: Callable[[], asyncio.AbstractEventLoop] = uvloop.new_event_loop
    return factory


def _server(target: Any, host: str, port: int, dev: bool) -> Server:
    server = Server(
        target,
        address=host,
        port=port,
        interface=Interfaces.RSGI,
        http=HTTPModes.http1,  # PocketBase speaks HTTP/1.1 on plain HTTP
        websockets=False,
        backlog=BACKLOG,
        log_enabled=dev,
        log_level=LogLevels.info,
        log_access=dev,
    )
    server.workers_kill_timeout = _SHUTDOWN_GRACE
    return server


async def _serve(server: Server) -> None:
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, server.stop)
    try:
        await server.serve()
    except TimeoutError:
        pass  # a request outlived the shutdown grace; its worker was cancelled


def run(target: Any, host: str, port: int, *, dev: bool = False) -> None:
    """Serve the RSGI `target` on host:port until SIGINT/SIGTERM."""
    with asyncio.Runner(loop_factory=loop_factory()) as runner:
        runner.run(_serve(_server(target, host, port, dev)))
