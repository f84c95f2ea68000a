"""Load generators with a fixed number of keep-alive connections for a fixed time.

`wrk` (Debian package `wrk`) is preferred: it is written in C and costs the server's CPU far
less than a Python client. Without it, an asyncio generator (tests.bench.http1) does the same job with a
lower ceiling (a few thousand requests per second on this machine), which the report states.
Both count a response with status >= 400, or a socket error, as an error.
"""

from __future__ import annotations

import asyncio
import json
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from tests.bench.http1 import Http1Connection
from tests.bench.scenarios import BenchRequest

__all__ = ["LoadResult", "find_wrk", "ensure_wrk", "run_wrk", "run_python", "percentile"]

_MARK = "BENCH_JSON "


@dataclass(frozen=True)
class LoadResult:
    """The figures of one measured run."""

    requests: int
    seconds: float
    errors: int
    p50_ms: float
    p99_ms: float
    loader: str
    server_cpu_s: float | None = None

    @property
    def cpu_us_per_request(self) -> float | None:
        """Server CPU time per request in microseconds, when measured."""
        if self.server_cpu_s is None or not self.requests:
            return None
        return self.server_cpu_s / self.requests * 1e6

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds > 0 else 0.0


def find_wrk() -> str | None:
    """The wrk binary on PATH, if any."""
    return shutil.which("wrk")


def ensure_wrk(allow_install: bool) -> str | None:
    """wrk, installing Debian's package first when it is missing, apt-get exists and we may."""
    found = find_wrk()
    if found or not allow_install or shutil.which("apt-get") is None:
        return found
    print("wrk is missing; trying `apt-get install -y wrk` ...", flush=True)
    for cmd in (
        ["apt-get", "install", "-y", "-q", "wrk"],
        ["apt-get", "update", "-q"],
        ["apt-get", "install", "-y", "-q", "wrk"],
    ):
        try:
            subprocess.run(cmd, capture_output=True, timeout=300, check=False)
        except (OSError, subprocess.TimeoutExpired):
            return None
        found = find_wrk()
        if found:
            return found
    return None


def _lua_string(text: str | bytes) -> str:
    """A double-quoted Lua literal: printable ASCII as is, every other byte as a decimal escape."""
    out = []
    for byte in text.encode() if isinstance(text, str) else text:
        char = chr(byte)
        out.append(f"\\{byte:03d}" if byte < 32 or byte > 126 or char in '"\\' else char)
    return '"' + "".join(out) + '"'


def _wrk_script(requests: list[BenchRequest]) -> str:
    # The requests are formatted in init(): only then does wrk know the Host header to add.
    # Each distinct body is written once (uploads repeat a 1 MiB body over many requests).
    bodies: dict[bytes, int] = {}
    for req in requests:
        if req.body is not None:
            bodies.setdefault(req.body, len(bodies) + 1)
    lines = ["local bodies = {}"]
    lines += [f"bodies[{n}] = {_lua_string(body)}" for body, n in bodies.items()]
    lines += ["local reqs = {}", "local build = function()"]
    for i, req in enumerate(requests, start=1):
        headers = "{" + ", ".join(f"[{_lua_string(k)}] = {_lua_string(v)}" for k, v in req.headers) + "}"
        body = f"bodies[{bodies[req.body]}]" if req.body is not None else "nil"
        lines.append(
            f"  reqs[{i}] = wrk.format({_lua_string(req.method)}, {_lua_string(req.path)}, {headers}, {body})"
        )
    lines.append(
        """end
local n = 0
local i = 0
init = function(args)
  build()
  n = #reqs
  -- every thread starts at a different place so the threads do not walk the ids in step
  i = math.random(n) - 1
end
request = function()
  i = i % n + 1
  return reqs[i]
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('"""
        + _MARK
        + """{"requests":%d,"duration_us":%d,"errors":%d,"p50":%d,"p99":%d}\\n',
    summary.requests, summary.duration, e.connect + e.read + e.write + e.status + e.timeout,
    latency:percentile(50), latency:percentile(99)))
end
"""
    )
    return "\n".join(lines)


def run_wrk(
    wrk: str, base_url: str, requests: list[BenchRequest], connections: int, seconds: float, threads: int = 2
) -> LoadResult:
    """Run wrk with a generated Lua script that cycles through `requests`."""
    with tempfile.TemporaryDirectory(prefix="palapy-bench-") as tmp:
        script = Path(tmp) / "scenario.lua"
        script.write_text(_wrk_script(requests))
        cmd = [
            wrk,
            f"-t{max(1, min(threads, connections))}",
            f"-c{connections}",
            f"-d{max(1, round(seconds))}s",
            "--timeout",
            "10s",
            "-s",
            str(script),
            base_url,
        ]
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=seconds + 60, check=False)
    for line in out.stdout.splitlines():
        if line.startswith(_MARK):
            data = json.loads(line[len(_MARK) :])
            return LoadResult(
                requests=int(data["requests"]),
                seconds=data["duration_us"] / 1e6,
                errors=int(data["errors"]),
                p50_ms=data["p50"] / 1000.0,
                p99_ms=data["p99"] / 1000.0,
                loader="wrk",
            )
    raise RuntimeError(
        f"wrk gave no result (rc={out.returncode}):\n{out.stdout[-2000:]}\n{out.stderr[-2000:]}"
    )


def percentile(sorted_values: list[float], pct: float) -> float:
    """The nearest-rank percentile of an ascending list (0 for an empty one)."""
    if not sorted_values:
        return 0.0
    rank = max(1, min(len(sorted_values), int(-(-pct * len(sorted_values) // 100))))
    return sorted_values[rank - 1]


async def _python_load(
    base_url: str, requests: list[BenchRequest], connections: int, seconds: float
) -> LoadResult:
    latencies: list[float] = []
    errors = 0
    start = time.perf_counter()
    deadline = start + seconds

    async def worker(offset: int) -> None:
        nonlocal errors
        conn = Http1Connection(base_url, timeout=10.0)
        i = offset
        try:
            while time.perf_counter() < deadline:
                req = requests[i % len(requests)]
                i += 1
                t0 = time.perf_counter()
                try:
                    resp = await conn.request(req.method, req.path, req.body, req.headers)
                    if resp.status >= 400:
                        errors += 1
                except (TimeoutError, OSError, asyncio.IncompleteReadError, ValueError):
                    errors += 1
                latencies.append(time.perf_counter() - t0)
        finally:
            await conn.close()

    step = max(1, len(requests) // connections)
    await asyncio.gather(*(worker(k * step) for k in range(connections)))
    elapsed = time.perf_counter() - start
    latencies.sort()
    return LoadResult(
        requests=len(latencies),
        seconds=elapsed,
        errors=errors,
        p50_ms=percentile(latencies, 50) * 1000,
        p99_ms=percentile(latencies, 99) * 1000,
        loader="python",
    )


def run_python(base_url: str, requests: list[BenchRequest], connections: int, seconds: float) -> LoadResult:
    """The asyncio generator: `connections` keep-alive connections, each sending back to back."""
    return asyncio.run(_python_load(base_url, requests, connections, seconds))
