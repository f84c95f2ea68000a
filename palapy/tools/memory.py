"""Keeping a long-running process's resident memory from ratcheting up.

glibc raises its mmap threshold each time a large mmapped block is freed, so after the first
argon2 hash (19 MiB) every later one comes from a thread's heap arena and stays resident once
freed: a few concurrent hashes left palapy at ~145 MiB (docs/performance.md). Fixing the
threshold keeps large blocks on mmap, returned to the system when freed.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import sys

__all__ = ["return_large_blocks"]

_M_MMAP_THRESHOLD = -3  # glibc's mallopt parameter number
_THRESHOLD = 1 << 20  # blocks of 1 MiB and more are mmapped


def return_large_blocks() -> bool:
    """Pin glibc's mmap threshold (a no-op elsewhere); True when it took effect."""
    if not sys.platform.startswith("linux"):
        return False
    name = ctypes.util.find_library("c")
    if name is None:
        return False
    try:
        libc = ctypes.CDLL(name)
        return bool(libc.mallopt(_M_MMAP_THRESHOLD, _THRESHOLD))
    except (OSError, AttributeError):
        return False
