"""The server side of the edge: the port check before Granian binds, and the event loop."""

from __future__ import annotations

import asyncio
import errno
import socket

import pytest
import uvloop

from palapy.web.server import PortError, check_port, loop_factory


def test_a_free_port_passes_and_stays_free() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    check_port("127.0.0.1", port)
    with socket.socket() as again:
        again.bind(("127.0.0.1", port))  # the check left nothing bound


def test_a_port_held_by_another_listener_is_refused_in_one_line() -> None:
    # Granian's listeners set SO_REUSEPORT; the check, without it, still sees them.
    holder = socket.socket()
    holder.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    holder.bind(("127.0.0.1", 0))
    holder.listen()
    port = holder.getsockname()[1]
    try:
        with pytest.raises(PortError) as info:
            check_port("127.0.0.1", port)
        assert info.value.errno == errno.EADDRINUSE
        assert info.value.strerror == (
            f"127.0.0.1:{port} is already in use; stop the other server or pass --http with another port."
        )
    finally:
        holder.close()


def test_an_address_of_another_machine_is_refused() -> None:
    with pytest.raises(PortError) as info:
        check_port("203.0.113.7", 8090)
    assert "pass --http with an address of this machine" in str(info.value.strerror)


def test_the_server_runs_on_uvloop_where_it_is_installed() -> None:
    factory = loop_factory()
    assert factory is uvloop.new_event_loop
    loop = factory()
    try:
        assert isinstance(loop, asyncio.AbstractEventLoop)
    finally:
        loop.close()
