"""Running the ASGI stack on a socket (`palapy serve`)."""

from __future__ import annotations

import errno
import socket
import sys

__all__ = ["serve"]


def _bind(host: str, port: int) -> socket.socket:
    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(2048)
    sock.set_inheritable(True)
    return sock


def serve(data_dir: str, host: str, port: int, *, origins: list[str], dev: bool = False) -> int:
    """Bootstrap `data_dir`, then serve HTTP until interrupted. Returns the exit code."""
    import uvicorn

    from palapy.app import create_asgi
    from palapy.core import App

    try:
        sock = _bind(host, port)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            print(f"Error: {host}:{port} is already in use; stop the other server or pass --http with another port.", file=sys.stderr)
        else:
            print(f"Error: cannot listen on {host}:{port}: {exc.strerror}.", file=sys.stderr)
        return 1
    app = App(data_dir, dev=dev)
    try:
        app.bootstrap()
    except Exception as exc:  # noqa: BLE001 - a one-line message for the shell user
        print(f"Error: cannot open {data_dir}: {exc}", file=sys.stderr)
        return 1
    asgi = create_asgi(app, origins=origins)
    shown = host if host not in ("0.0.0.0", "") else "127.0.0.1"
    print(f"Server started at http://{shown}:{port}\n├─ REST API:  http://{shown}:{port}/api/\n└─ Dashboard: http://{shown}:{port}/_/", flush=True)
    config = uvicorn.Config(asgi, log_level="info" if dev else "warning", access_log=dev, lifespan="off", loop="auto", http="auto")
    server = uvicorn.Server(config)
    try:
        server.run(sockets=[sock])
    finally:
        app.close()
    return 0
