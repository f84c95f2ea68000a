"""The palapy programs the binary tests run: from source always, the frozen binary with `PALAPY_BIN`.

`make test` runs this folder twice: once from source (only `source` cases), then with
`PALAPY_BIN=dist/palapy` (both), so every check of the binary is also a check of the source CLI.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = [
    "REPO_ROOT",
    "Program",
    "PROGRAMS",
    "binary_path",
    "snapshot",
    "unprivileged",
]

REPO_ROOT = Path(__file__).resolve().parents[2]
TIMEOUT = 120


def binary_path() -> Path | None:
    """`PALAPY_BIN` as an absolute path, or None when unset."""
    value = os.environ.get("PALAPY_BIN", "").strip()
    return Path(value).resolve() if value else None


@dataclass(frozen=True)
class Program:
    """One way of running palapy: `python -m palapy` or the frozen executable."""

    kind: str  # "source" | "binary"
    argv: tuple[str, ...]

    @property
    def frozen(self) -> bool:
        return self.kind == "binary"

    def env(self, **extra: str) -> dict[str, str]:
        env = dict(os.environ, PYTHONUNBUFFERED="1", **extra)
        env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO_ROOT), env.get("PYTHONPATH", "")) if p)
        return env

    def run(
        self, *args: str, cwd: Path, timeout: float = TIMEOUT, prefix: Sequence[str] = (), **kwargs: Any
    ) -> subprocess.CompletedProcess[str]:
        """Run to completion (after `prefix`, e.g. `unprivileged()`), capturing text output."""
        return subprocess.run(
            [*prefix, *self.argv, *args],
            cwd=cwd,
            env=kwargs.pop("env", None) or self.env(),
            capture_output=True,
            text=True,
            timeout=timeout,
            **kwargs,
        )


def _programs() -> list[Program]:
    programs = [Program("source", (sys.executable, "-m", "palapy"))]
    binary = binary_path()
    if binary is not None:
        programs.append(Program("binary", (str(binary),)))
    return programs


PROGRAMS = _programs()


def snapshot(root: Path) -> dict[str, tuple[str, int, str, int]]:
    """Every path under `root` with its kind, size, content hash and mtime: equal means untouched."""
    found: dict[str, tuple[str, int, str, int]] = {}
    if not root.exists():
        return found
    for path in sorted(root.rglob("*")):
        st = path.lstat()
        rel = str(path.relative_to(root))
        if path.is_symlink():
            found[rel] = ("link", 0, os.readlink(path), st.st_mtime_ns)
        elif path.is_dir():
            found[rel] = ("dir", 0, "", 0)  # its mtime moves when SQLite opens and removes its WAL
        else:
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
            found[rel] = ("file", st.st_size, digest, st.st_mtime_ns)
    return found


def unprivileged() -> list[str]:
    """A command prefix under which file modes apply: root without capabilities, else nothing.

    Root bypasses read-only modes through CAP_DAC_OVERRIDE; `setpriv` empties the bounding and
    inheritable sets, so the command runs as uid 0 with no capability (its own files' owner bits
    still apply). Switching to `nobody` instead would lock it out of an interpreter under /root.
    """
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        raise RuntimeError("running as root needs setpriv (util-linux) to drop capabilities for this test")
    return [setpriv, "--bounding-set=-all", "--inh-caps=-all", "--"]
