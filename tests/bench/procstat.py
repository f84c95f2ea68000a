"""Memory figures of a server process (Linux /proc), children included.

A frozen palapy (`PALAPY_BIN`, PyInstaller one-file) runs Python in a child of the bootloader,
so the figures add up the whole process tree under the pid the bench started.
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["process_tree", "status_kib", "peak_rss_mib", "rss_mib"]


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
