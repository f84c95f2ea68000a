"""`python -m tests.bench.startup`: cold start, size and idle memory, palapy's binary against PocketBase.

For each program, several runs, one at a time (they never share the 2 cores):
- start:   `serve` on a fresh data dir (the first start also creates pb_data and runs the system
           migrations), then on the same, existing data dir; seconds from spawning the process to
           the first 200 from `/api/health` (polled every 5 ms on a fresh connection);
- idle RSS: resident memory of the process tree one second after it became healthy (a one-file
           PyInstaller binary is a small bootloader plus the Python process it starts);
- stop:    seconds from SIGTERM to the exit of the process;
- size:    of the executable file (for palapy from source: none, it is not one file).
Servers bind 127.0.0.1 on a free port in a fresh temp dir and are stopped by their own pid.
Exit code 1 when a program did not start or the palapy binary misses the 1.5 s start target.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from tests.bench.procstat import rss_mib
from tests.harness.servers import REPO_ROOT, free_port, pocketbase_binary

__all__ = ["main", "StartupFigures", "measure"]

START_TARGET_S = 1.5
SIZE_TARGET_MB = 60.0
_HOST = "127.0.0.1"
_TIMEOUT_S = 30.0


@dataclass
class StartupFigures:
    """What one program measured; times in seconds, memory in MiB, size in MB."""

    name: str
    command: list[str]
    size_mb: float | None = None
    start_new_dir_s: list[float] = field(default_factory=list)
    start_existing_dir_s: list[float] = field(default_factory=list)
    stop_s: list[float] = field(default_factory=list)
    idle_rss_mib: list[float] = field(default_factory=list)
    error: str = ""

    @property
    def cold_start_s(self) -> float | None:
        """Median start on a fresh data dir: the figure the 1.5 s target is about."""
        return statistics.median(self.start_new_dir_s) if self.start_new_dir_s else None


def _healthy(port: int) -> bool:
    conn = http.client.HTTPConnection(_HOST, port, timeout=1.0)
    try:
        conn.request("GET", "/api/health")
        return conn.getresponse().status == 200
    except OSError:
        return False
    finally:
        conn.close()


def _one_run(command: list[str], data_dir: Path, extra: list[str]) -> tuple[float, float, float]:
    """Start, wait for health, idle a second, stop: (start s, idle RSS MiB, stop s)."""
    port = free_port()
    argv = [*command, "serve", "--http", f"{_HOST}:{port}", "--dir", str(data_dir), *extra]
    env = dict(os.environ, PYTHONPATH=str(REPO_ROOT))
    started = time.perf_counter()
    proc = subprocess.Popen(
        argv, cwd=data_dir.parent, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    try:
        while not _healthy(port):
            if proc.poll() is not None:
                err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
                raise RuntimeError(f"exited with rc={proc.returncode}: {err.strip()[-500:]}")
            if time.perf_counter() - started > _TIMEOUT_S:
                raise RuntimeError(f"not healthy within {_TIMEOUT_S:g} s")
            time.sleep(0.005)
        start_s = time.perf_counter() - started
        time.sleep(1.0)
        idle = rss_mib(proc.pid)
        stopping = time.perf_counter()
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=_TIMEOUT_S)
        return start_s, idle, time.perf_counter() - stopping
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        if proc.stderr:
            proc.stderr.close()


def measure(name: str, command: list[str], runs: int, workdir: Path) -> StartupFigures:
    """`runs` fresh-dir starts and as many existing-dir starts of `command`."""
    figures = StartupFigures(name, command)
    exe = Path(command[0])
    if len(command) == 1 and exe.is_file():
        figures.size_mb = exe.stat().st_size / 1e6
    extra: list[str] = []
    if name == "pocketbase":
        extra = ["--migrationsDir", str(workdir / "pb_migrations"), "--hooksDir", str(workdir / "pb_hooks")]
    try:
        for i in range(runs):
            data_dir = workdir / f"{name}-{i}" / "pb_data"
            data_dir.parent.mkdir(parents=True)
            start, idle, stop = _one_run(command, data_dir, extra)
            figures.start_new_dir_s.append(start)
            figures.idle_rss_mib.append(idle)
            figures.stop_s.append(stop)
            start, idle, stop = _one_run(command, data_dir, extra)
            figures.start_existing_dir_s.append(start)
            figures.idle_rss_mib.append(idle)
            figures.stop_s.append(stop)
    except (RuntimeError, OSError, subprocess.TimeoutExpired) as exc:
        figures.error = str(exc)
    return figures


def _fmt(values: list[float], digits: int = 2) -> str:
    if not values:
        return "-"
    return f"{statistics.median(values):.{digits}f} ({min(values):.{digits}f}-{max(values):.{digits}f})"


def format_table(results: list[StartupFigures]) -> str:
    """Medians with (min-max) of every figure, one column per program."""
    rows = [
        ("executable size, MB", [f"{r.size_mb:.1f}" if r.size_mb is not None else "-" for r in results]),
        ("start, new pb_data, s", [_fmt(r.start_new_dir_s) for r in results]),
        ("start, existing pb_data, s", [_fmt(r.start_existing_dir_s) for r in results]),
        ("idle RSS, MiB", [_fmt(r.idle_rss_mib, 1) for r in results]),
        ("stop on SIGTERM, s", [_fmt(r.stop_s) for r in results]),
    ]
    width = max(len(label) for label, _ in rows) + 2
    cols = [max(len(r.name), *(len(v[i]) for _, v in rows)) + 2 for i, r in enumerate(results)]
    lines = ["".ljust(width) + "".join(r.name.ljust(c) for r, c in zip(results, cols, strict=True))]
    for label, values in rows:
        lines.append(label.ljust(width) + "".join(v.ljust(c) for v, c in zip(values, cols, strict=True)))
    for r in results:
        if r.error:
            lines.append(f"{r.name}: FAILED: {r.error}")
    return "\n".join(lines)


def _parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m tests.bench.startup", description=__doc__.splitlines()[0])
    default_bin = os.environ.get("PALAPY_BIN") or str(REPO_ROOT / "dist" / "palapy")
    p.add_argument("--palapy", default=default_bin, help="the palapy binary (default %(default)s)")
    p.add_argument("--runs", type=int, default=5, help="runs per program and data-dir state (default 5)")
    p.add_argument("--source", action="store_true", help="also measure palapy from source (python -m palapy)")
    p.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    return p.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Measure, print the table; 1 when a program failed or the binary misses a target."""
    args = _parse_args(argv)
    programs: list[tuple[str, list[str]]] = []
    if not Path(args.palapy).is_file():
        raise SystemExit(f"{args.palapy} does not exist; run `make binary` or pass --palapy")
    programs.append(("palapy", [str(Path(args.palapy).resolve())]))
    programs.append(("pocketbase", [pocketbase_binary()]))
    if args.source:
        programs.append(("palapy-source", [sys.executable, "-m", "palapy"]))
    results: list[StartupFigures] = []
    with tempfile.TemporaryDirectory(prefix="palapy-startup-") as tmp:
        for name, command in programs:
            print(f"[{name}] {args.runs} x 2 starts ...", flush=True)
            results.append(measure(name, command, args.runs, Path(tmp)))
    print()
    print(
        f"{os.cpu_count()} cores; load average {os.getloadavg()[0]:.2f}; median (min-max) of {args.runs} runs"
    )
    print(format_table(results))
    binary = results[0]
    failed = any(r.error for r in results)
    if binary.cold_start_s is not None and binary.cold_start_s > START_TARGET_S:
        print(f"palapy binary: cold start {binary.cold_start_s:.2f} s is over the {START_TARGET_S} s target")
        failed = True
    if binary.size_mb is not None and binary.size_mb > SIZE_TARGET_MB:
        print(f"palapy binary: {binary.size_mb:.1f} MB is over the {SIZE_TARGET_MB:g} MB target")
        failed = True
    if args.json:
        args.json.write_text(json.dumps([asdict(r) for r in results], indent=2))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
