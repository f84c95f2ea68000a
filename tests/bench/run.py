"""`python -m tests.bench.run` (`make bench`): palapy against PocketBase, same data, same load.

Both servers run on free loopback ports, each in a fresh temp dir, with request logging off,
seeded with the same records through their HTTP APIs. Then each scenario runs in rounds (a
warm-up and a measured period with a fixed number of connections), the servers taking turns,
so only one is under load at a time and a slower or faster spell of the machine falls on both;
the median round is reported. The table shows req/s of both, their ratio (palapy / pocketbase),
p50/p99 latency, the server's CPU time per request (steadier than req/s when other work shares
the machine), errors and peak RSS. Servers are stopped by pid. Exit code 1 if a server could
not be benched or a scenario failed on it.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from tests.bench.load import LoadResult, ensure_wrk, run_python, run_wrk
from tests.bench.procstat import cpu_seconds, peak_rss_mib, rss_mib
from tests.bench.report import ServerRun, as_json, format_table
from tests.bench.scenarios import DEFAULT_SCENARIOS, SCENARIOS, BenchRequest, Scenario, select_scenarios
from tests.bench.seed import request_log_count, seed_server
from tests.harness.servers import ServerError, start_server, upsert_superuser

__all__ = ["main"]


def _parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m tests.bench.run", description=__doc__.splitlines()[0])
    p.add_argument(
        "--servers", default="pocketbase,palapy", help="which servers, in run order (default %(default)s)"
    )
    p.add_argument(
        "--scenarios",
        default=",".join(DEFAULT_SCENARIOS),
        help=f"comma-separated, or 'all' (known: {', '.join(s.name for s in SCENARIOS)}; default %(default)s)",
    )
    p.add_argument(
        "--records", type=int, default=10_000, help="records seeded into posts (default %(default)s)"
    )
    p.add_argument(
        "--connections", type=int, default=32, help="concurrent keep-alive connections (default %(default)s)"
    )
    p.add_argument(
        "--duration", type=float, default=6.0, help="measured seconds per round (default %(default)s)"
    )
    p.add_argument(
        "--rounds",
        type=int,
        default=3,
        help="rounds per scenario and server, the median is shown (default %(default)s)",
    )
    p.add_argument(
        "--warmup",
        type=float,
        default=2.0,
        help="unmeasured seconds before each scenario (default %(default)s)",
    )
    p.add_argument("--threads", type=int, default=2, help="wrk threads (default %(default)s)")
    p.add_argument(
        "--loader",
        choices=["auto", "wrk", "python"],
        default="auto",
        help="load generator (default %(default)s)",
    )
    p.add_argument("--no-install", action="store_true", help="never apt-get install wrk when it is missing")
    p.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    return p.parse_args(argv)


class _Loader:
    """Runs one load with wrk or the Python generator, as chosen at start."""

    def __init__(self, choice: str, allow_install: bool, connections: int, threads: int) -> None:
        self.connections = connections
        self.threads = threads
        self.wrk: str | None = None
        if choice in ("auto", "wrk"):
            self.wrk = ensure_wrk(allow_install)
            if self.wrk is None and choice == "wrk":
                raise SystemExit("wrk is not installed and could not be installed (apt-get install wrk)")
        self.name = "wrk" if self.wrk else "python (asyncio; its own ceiling is about 3,000 req/s here)"

    def run(self, base_url: str, requests: list[BenchRequest], seconds: float) -> LoadResult:
        if self.wrk:
            return run_wrk(self.wrk, base_url, requests, self.connections, seconds, self.threads)
        return run_python(base_url, requests, self.connections, seconds)


@dataclasses.dataclass
class _Live:
    """A started and seeded server."""

    server: Any
    data: Any
    token: str
    run: ServerRun
    rounds: dict[str, list[LoadResult]] = dataclasses.field(default_factory=dict)


def _start(kind: str, workdir: Path, args: argparse.Namespace) -> tuple[ServerRun, _Live | None]:
    """Start `kind` in its own folder and seed it; the run records why when it cannot."""
    run = ServerRun(kind)
    root = workdir / kind
    try:
        upsert_superuser(kind, root)
        server = start_server(kind, root)
    except ServerError as exc:
        run.error = f"could not start: {exc}"
        return run, None
    print(
        f"[{kind}] pid {server.proc.pid} at {server.base_url}; seeding {args.records} records ...", flush=True
    )
    try:
        seed = seed_server(server.base_url, args.records, concurrency=args.connections)
    except Exception as exc:  # noqa: BLE001 - any failure is reported in the table, not raised
        run.error = f"seeding failed: {exc}"
        server.stop()
        return run, None
    run.seed_seconds = seed.seconds
    run.logs = seed.logs
    run.rss_after_seed_mib = rss_mib(server.proc.pid)
    return run, _Live(server, seed.data, seed.token, run)


def _measure(live: _Live, scenario: Scenario, loader: _Loader, args: argparse.Namespace) -> None:
    """One round of `scenario` on one server (warm-up, then the measured period)."""
    kind, server, pid = live.run.kind, live.server, live.server.proc.pid
    if live.run.error or scenario.name in live.run.failures:
        return
    requests = scenario.build(live.data)
    print(f"[{kind}] {scenario.name}: {scenario.description}", flush=True)
    try:
        if args.warmup > 0:
            loader.run(server.base_url, requests, args.warmup)
        cpu_before = cpu_seconds(pid)
        result = loader.run(server.base_url, requests, args.duration)
        result = dataclasses.replace(result, server_cpu_s=cpu_seconds(pid) - cpu_before)
    except Exception as exc:  # noqa: BLE001
        live.run.failures[scenario.name] = str(exc)[:300]
        return
    live.rounds.setdefault(scenario.name, []).append(result)
    if result.errors:
        live.run.failures[scenario.name] = f"{result.errors} of {result.requests} responses were errors"
    if server.proc.poll() is not None:
        live.run.error = (
            f"exited with rc={server.proc.returncode} during {scenario.name}:\n{server.log_tail()}"
        )


def _median(results: list[LoadResult]) -> LoadResult:
    """The round with the median req/s (the lower middle one of an even count)."""
    ordered = sorted(results, key=lambda r: r.rps)
    return ordered[(len(ordered) - 1) // 2]


def _bench(
    kinds: list[str], workdir: Path, scenarios: list[Scenario], loader: _Loader, args: argparse.Namespace
) -> dict[str, ServerRun]:
    """Start and seed every server, then measure scenario by scenario, alternating the servers
    round by round: each server runs alone while measured (the others sit idle), and drifts of
    the machine's speed fall on both sides instead of on whichever server ran last."""
    runs: dict[str, ServerRun] = {}
    lives: list[_Live] = []
    try:
        for kind in kinds:
            runs[kind], live = _start(kind, workdir, args)
            if live is not None:
                lives.append(live)
        for scenario in scenarios:
            for round_index in range(args.rounds):
                for live in lives if round_index % 2 == 0 else list(reversed(lives)):
                    _measure(live, scenario, loader, args)
        for live in lives:
            live.run.results = {name: _median(found) for name, found in live.rounds.items()}
            live.run.request_logs = request_log_count(live.server.base_url, live.token)
            live.run.peak_rss_mib = peak_rss_mib(live.server.proc.pid)
    finally:
        for live in lives:
            live.server.stop()
    return runs


def main(argv: list[str] | None = None) -> int:
    """Run the bench and print the table; 0 when every server ran every scenario without errors."""
    args = _parse_args(argv)
    names = (
        [s.name for s in SCENARIOS]
        if args.scenarios == "all"
        else [n.strip() for n in args.scenarios.split(",") if n.strip()]
    )
    try:
        scenarios = select_scenarios(names)
    except ValueError as exc:
        raise SystemExit(str(exc)) from exc
    kinds = [k.strip() for k in args.servers.split(",") if k.strip()]
    if not kinds or any(k not in ("palapy", "pocketbase") for k in kinds):
        raise SystemExit("--servers takes palapy and/or pocketbase")
    loader = _Loader(args.loader, not args.no_install, args.connections, args.threads)
    settings = {
        "loader": loader.name,
        "connections": args.connections,
        "threads": args.threads,
        "duration_s": args.duration,
        "rounds": args.rounds,
        "warmup_s": args.warmup,
        "records": args.records,
        "cpus": os.cpu_count(),
        "palapy": os.environ.get("PALAPY_BIN") or "from source",
    }
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="palapy-bench-") as tmp:
        runs = _bench(kinds, Path(tmp), scenarios, loader, args)
    print()
    print(
        f"{args.records} records; {loader.name}, {args.connections} connections, median of {args.rounds} "
        f"rounds of {args.duration:g} s after {args.warmup:g} s warm-up, servers alternating; {os.cpu_count()} cores; palapy {settings['palapy']}; ratio = palapy / pocketbase"
    )
    print()
    print(format_table([s.name for s in scenarios], runs))
    print(f"\nbench took {time.perf_counter() - started:.0f} s")
    if args.json:
        args.json.write_text(json.dumps(as_json(runs, settings), indent=2))
    failed = any(r.error or r.failures for r in runs.values())
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
