"""Stopping a server process the tests started (and only that one)."""

from __future__ import annotations

import signal
import subprocess

__all__ = ["STOP_TIMEOUT", "stop_process"]

STOP_TIMEOUT = 10.0


def stop_process(proc: subprocess.Popen[bytes]) -> None:
    """SIGTERM `proc`, wait, then SIGKILL it if it did not exit."""
    if proc.poll() is not None:
        return
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=STOP_TIMEOUT)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=STOP_TIMEOUT)
