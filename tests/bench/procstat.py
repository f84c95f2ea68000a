"""Memory figures of a server process (Linux /proc), children included.

A frozen palapy (`PALAPY_BIN`, PyInstaller one-file) runs Python in a child of the bootloader,
so the figures add up the whole process tree under the pid the bench started.
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["process_tree", "status_kib", "peak_rss_mib", "rss_mib", "cpu_seconds", "reset_peak_rss"]


def process_tree(pid: int) -> list[int]:
    """`pid` and all its descendants that are alive now."""
    found: list[int] = []
    todo = [pid]
    while todo:
        current = todo.pop()
        if not Path(f"/proc/{current}").exists():
            continue
        found.append(current)
        for task in Path(f"/proc/{current}/task").glob("*"):
            try:
                children = (task / "children").read_text().split()
            except OSError:
                continue
            todo.extend(int(c) for c in children)
    return found


def status_kib(pid: int, key: str) -> int:
    """A `kB` line of /proc/PID/status (VmHWM, VmRSS, ...), 0 when the process is gone."""
    try:
        text = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    for line in text.splitlines():
        if line.startswith(f"{key}:"):
            return int(line.split()[1])
    return 0


def peak_rss_mib(pid: int) -> float:
    """Peak resident memory (VmHWM) of the tree in MiB, summed over its processes."""
    return sum(status_kib(p, "VmHWM") for p in process_tree(pid)) / 1024.0


def rss_mib(pid: int) -> float:
    """Current resident memory (VmRSS) of the tree in MiB."""
    return sum(status_kib(p, "VmRSS") for p in process_tree(pid)) / 1024.0


def cpu_seconds(pid: int) -> float:
    """User + system CPU time consumed so far by the tree (all threads), in seconds.

    CPU per request is steadier than req/s on a machine shared with other work.
    """
    ticks = 0
    for p in process_tree(pid):
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        ticks += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of stat)
    return ticks / os.sysconf("SC_CLK_TCK")


def reset_peak_rss(pid: int) -> bool:
    """Start the peak (VmHWM) afresh for the tree (Linux `clear_refs` 5); False where refused."""
    ok = True
    for p in process_tree(pid):
        try:
            Path(f"/proc/{p}/clear_refs").write_text("5")
        except OSError:
            ok = False
    return ok
