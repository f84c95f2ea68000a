"""`python -m tests.bench.realtime` (`make bench-realtime`): realtime fan-out, palapy against
PocketBase, same data, same load, one server at a time.

For each server, in a fresh temp dir with request logging off:
1. `users` get `--users` accounts; collection `items` gets the list rule
   `owner = @request.auth.id || public = true`, so what a subscriber may see depends on who it is.
2. `--subscribers` SSE connections open (spread evenly over the users) and each subscribes to
   `items` with its user's token.
3. Deliveries: `--rate` creates per second for `--seconds`, each owned by a random user and
   public with probability `--public`. Every subscriber that may see a record must receive its
   event, and none other; delivery latency is from the moment the create was sent to the
   moment the event was read.
4. Throughput: record creates as fast as `--connections` connections go (wrk when installed),
   with the subscribers still connected (each create reaches its owner's subscribers).
5. Churn: `--churn` connections open, read `PB_CONNECT` and vanish; the server must stay up.
Memory is the server's resident set (children included) with everyone connected, and its peak
from then on (the users' password hashing before is left out).
Exit code 1 if a server lost or misdelivered an event or failed a phase.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from tests.bench.http1 import Http1Connection
from tests.bench.load import LoadResult, ensure_wrk, percentile, run_python, run_wrk
from tests.bench.procstat import cpu_seconds, peak_rss_mib, reset_peak_rss, rss_mib
from tests.bench.scenarios import BenchRequest
from tests.harness.servers import (
    SUPERUSER_EMAIL,
    SUPERUSER_PASSWORD,
    ServerError,
    start_server,
    upsert_superuser,
)

__all__ = ["main"]

ITEMS = "items"
RULE = "owner = @request.auth.id || public = true"
PASSWORD = "bench-pass-123"
_JSON = (("Content-Type", "application/json"),)


def _json(data: object) -> bytes:
    return json.dumps(data, separators=(",", ":")).encode()


# -- one SSE subscriber over a raw socket ---------------------------------------------------


@dataclass
class Subscriber:
    """One realtime connection: its user, its client id and what it received (seq -> time)."""

    user: int
    client_id: str = ""
    received: dict[int, float] = field(default_factory=dict)
    unexpected_names: int = 0
    reader: asyncio.StreamReader | None = None
    writer: asyncio.StreamWriter | None = None
    task: asyncio.Task[None] | None = None
    connected: asyncio.Future[str] | None = None

    async def open(self, host: str, port: int) -> str:
        self.reader, self.writer = await asyncio.open_connection(host, port, limit=1 << 20)
        self.writer.write(
            f"GET /api/realtime HTTP/1.1\r\nHost: {host}:{port}\r\nAccept: text/event-stream\r\n\r\n".encode()
        )
        head = await self.reader.readuntil(b"\r\n\r\n")
        if b" 200 " not in head.split(b"\r\n", 1)[0]:
            raise RuntimeError(f"realtime connect answered {head[:100]!r}")
        self.connected = asyncio.get_running_loop().create_future()
        self.task = asyncio.create_task(self._read(b"transfer-encoding: chunked" in head.lower()))
        return await asyncio.wait_for(self.connected, 30)

    async def _read(self, chunked: bool) -> None:
        assert self.reader is not None
        buffer = b""
        try:
            while True:
                if chunked:
                    size_line = await self.reader.readuntil(b"\r\n")
                    size = int(size_line.split(b";")[0], 16)
                    if size == 0:
                        return
                    data = await self.reader.readexactly(size + 2)
                    buffer += data[:-2]
                else:
                    data = await self.reader.read(65536)
                    if not data:
                        return
                    buffer += data
                while b"\n\n" in buffer:
                    raw, buffer = buffer.split(b"\n\n", 1)
                    self._event(raw)
        except (asyncio.IncompleteReadError, ConnectionError, asyncio.CancelledError):
            return

    def _event(self, raw: bytes) -> None:
        fields = dict(line.split(b":", 1) for line in raw.split(b"\n") if b":" in line)
        name = fields.get(b"event", b"")
        if name == b"PB_CONNECT":
            if self.connected is not None and not self.connected.done():
                self.connected.set_result(fields.get(b"id", b"").decode())
            return
        if name != ITEMS.encode():
            self.unexpected_names += 1
            return
        record = json.loads(fields[b"data"])["record"]
        self.received[int(record["title"])] = time.perf_counter()

    def close(self) -> None:
        if self.task is not None:
            self.task.cancel()
        if self.writer is not None:
            self.writer.close()


# -- one server's run -----------------------------------------------------------------------


@dataclass
class Report:
    kind: str
    error: str = ""
    subscribers: int = 0
    connect_s: float = 0.0
    rss_idle_mib: float = 0.0
    rss_connected_mib: float = 0.0
    peak_rss_mib: float = 0.0
    writes: int = 0
    deliveries_expected: int = 0
    deliveries_missing: int = 0
    deliveries_unexpected: int = 0
    p50_ms: float = 0.0
    p99_ms: float = 0.0
    max_ms: float = 0.0
    cpu_per_write_ms: float = 0.0
    create_rps: float = 0.0
    create_errors: int = 0
    churned: int = 0
    alive_after_churn: bool = False


async def _prepare(base: str, users: int) -> tuple[str, list[str], list[str]]:
    """Superuser token, user ids and user tokens, with the `items` collection made."""
    admin = Http1Connection(base, timeout=120)
    try:
        r = await admin.request(
            "POST",
            "/api/collections/_superusers/auth-with-password",
            _json({"identity": SUPERUSER_EMAIL, "password": SUPERUSER_PASSWORD}),
            _JSON,
        )
        token = r.json()["token"]
        auth = (*_JSON, ("Authorization", token))
        await admin.request("PATCH", "/api/settings", _json({"logs": {"maxDays": 0}}), auth)
        r = await admin.request(
            "POST",
            "/api/collections",
            _json(
                {
                    "name": ITEMS,
                    "type": "base",
                    "listRule": RULE,
                    "viewRule": RULE,
                    "createRule": "",
                    "fields": [
                        {"name": "title", "type": "text"},
                        {"name": "public", "type": "bool"},
                        {
                            "name": "owner",
                            "type": "relation",
                            "collectionId": "_pb_users_auth_",
                            "maxSelect": 1,
                        },
                    ],
                }
            ),
            auth,
        )
        if r.status != 200:
            raise RuntimeError(f"create {ITEMS}: {r.status} {r.body[:300]!r}")
    finally:
        await admin.close()
    ids: list[str] = [""] * users
    tokens: list[str] = [""] * users
    todo = iter(range(users))

    async def worker() -> None:
        conn = Http1Connection(base, timeout=120)
        try:
            for i in todo:
                email = f"bench{i}@example.com"
                body = {"email": email, "password": PASSWORD, "passwordConfirm": PASSWORD}
                r = await conn.request("POST", "/api/collections/users/records", _json(body), auth)
                if r.status != 200:
                    raise RuntimeError(f"create user {i}: {r.status} {r.body[:200]!r}")
                ids[i] = r.json()["id"]
                r = await conn.request(
                    "POST",
                    "/api/collections/users/auth-with-password",
                    _json({"identity": email, "password": PASSWORD}),
                    _JSON,
                )
                tokens[i] = r.json()["token"]
        finally:
            await conn.close()

    await asyncio.gather(*(worker() for _ in range(4)))
    return token, ids, tokens


async def _subscribe_all(base: str, subs: list[Subscriber], tokens: list[str]) -> None:
    parts = urlsplit(base)
    host, port = parts.hostname or "127.0.0.1", parts.port or 80
    pending = iter(subs)

    async def worker() -> None:
        conn = Http1Connection(base, timeout=60)
        try:
            for sub in pending:
                sub.client_id = await sub.open(host, port)
                body = _json({"clientId": sub.client_id, "subscriptions": [ITEMS]})
                r = await conn.request(
                    "POST", "/api/realtime", body, (*_JSON, ("Authorization", tokens[sub.user]))
                )
                if r.status != 204:
                    raise RuntimeError(f"subscribe: {r.status} {r.body[:200]!r}")
        finally:
            await conn.close()

    await asyncio.gather(*(worker() for _ in range(16)))


async def _deliveries(
    base: str, subs: list[Subscriber], ids: list[str], rate: float, seconds: float, public: float
) -> tuple[int, dict[int, tuple[int, bool, float]]]:
    """Send creates at `rate` per second; returns the count and seq -> (owner, public, sent)."""
    rng = random.Random(11)
    sent: dict[int, tuple[int, bool, float]] = {}
    conns = [Http1Connection(base, timeout=60) for _ in range(16)]
    free: asyncio.Queue[Http1Connection] = asyncio.Queue()
    for c in conns:
        free.put_nowait(c)
    failures: list[str] = []

    async def create(seq: int, owner: int, is_public: bool) -> None:
        conn = await free.get()
        try:
            body = _json({"title": str(seq), "owner": ids[owner], "public": is_public})
            sent[seq] = (owner, is_public, time.perf_counter())
            r = await conn.request("POST", f"/api/collections/{ITEMS}/records", body, _JSON)
            if r.status != 200:
                failures.append(f"create {seq}: {r.status}")
        finally:
            free.put_nowait(conn)

    tasks = []
    start = time.perf_counter()
    total = int(rate * seconds)
    for seq in range(total):
        due = start + seq / rate
        delay = due - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(create(seq, rng.randrange(len(ids)), rng.random() < public)))
    await asyncio.gather(*tasks)
    for c in conns:
        await c.close()
    if failures:
        raise RuntimeError(f"{len(failures)} creates failed, e.g. {failures[0]}")
    return total, sent


def _check_deliveries(
    report: Report, subs: list[Subscriber], sent: dict[int, tuple[int, bool, float]]
) -> None:
    by_user: dict[int, list[Subscriber]] = defaultdict(list)
    for sub in subs:
        by_user[sub.user].append(sub)
    latencies: list[float] = []
    for seq, (owner, is_public, at) in sent.items():
        audience = subs if is_public else by_user[owner]
        report.deliveries_expected += len(audience)
        for sub in audience:
            got = sub.received.get(seq)
            if got is None:
                report.deliveries_missing += 1
            else:
                latencies.append((got - at) * 1000)
    allowed = {
        (id(s), seq) for seq, (owner, pub, _) in sent.items() for s in (subs if pub else by_user[owner])
    }
    report.deliveries_unexpected = sum(
        1 for s in subs for seq in s.received if (id(s), seq) not in allowed
    ) + sum(s.unexpected_names for s in subs)
    latencies.sort()
    report.p50_ms = percentile(latencies, 50)
    report.p99_ms = percentile(latencies, 99)
    report.max_ms = latencies[-1] if latencies else 0.0


async def _churn(base: str, count: int) -> int:
    """Open `count` realtime connections in waves, read PB_CONNECT, drop them without a word."""
    parts = urlsplit(base)
    host, port = parts.hostname or "127.0.0.1", parts.port or 80
    done = 0
    for start in range(0, count, 500):
        wave = [Subscriber(user=0) for _ in range(min(500, count - start))]
        results = await asyncio.gather(*(s.open(host, port) for s in wave), return_exceptions=True)
        done += sum(1 for r in results if isinstance(r, str))
        for s in wave:
            if s.writer is not None:
                s.writer.transport.abort()
            s.close()
    return done


def _create_load(
    base: str, ids: list[str], seconds: float, connections: int, use_wrk: str | None
) -> LoadResult:
    rng = random.Random(5)
    requests = [
        BenchRequest(
            "POST",
            f"/api/collections/{ITEMS}/records",
            _json({"title": "9999999", "owner": ids[rng.randrange(len(ids))], "public": False}),
            _JSON,
        )
        for _ in range(64)
    ]
    if use_wrk:
        return run_wrk(use_wrk, base, requests, connections, seconds)
    return run_python(base, requests, connections, seconds)


def _run_server(kind: str, workdir: Path, args: argparse.Namespace, wrk: str | None) -> Report:
    report = Report(kind)
    root = workdir / kind
    try:
        upsert_superuser(kind, root)
        server = start_server(kind, root)
    except ServerError as exc:
        report.error = f"could not start: {exc}"
        return report
    pid = server.proc.pid
    base = server.base_url
    print(f"[{kind}] pid {pid} at {base}", flush=True)
    subs = [Subscriber(user=i % args.users) for i in range(args.subscribers)]
    try:
        _, ids, tokens = asyncio.run(_prepare(base, args.users))
        report.rss_idle_mib = rss_mib(pid)
        reset_peak_rss(pid)  # the peak covers the realtime phases, not the password hashing

        async def connected_phases() -> None:
            started = time.perf_counter()
            await _subscribe_all(base, subs, tokens)
            report.connect_s = time.perf_counter() - started
            report.subscribers = sum(1 for s in subs if s.client_id)
            report.rss_connected_mib = rss_mib(pid)
            print(
                f"[{kind}] {report.subscribers} subscribers in {report.connect_s:.1f} s; deliveries ...",
                flush=True,
            )
            cpu_before = cpu_seconds(pid)
            report.writes, sent = await _deliveries(base, subs, ids, args.rate, args.seconds, args.public)
            await asyncio.sleep(args.drain)
            report.cpu_per_write_ms = (cpu_seconds(pid) - cpu_before) * 1000 / max(1, report.writes)
            _check_deliveries(report, subs, sent)
            print(f"[{kind}] creates with everyone connected ...", flush=True)
            load = await asyncio.to_thread(_create_load, base, ids, args.load_seconds, args.connections, wrk)
            report.create_rps, report.create_errors = load.rps, load.errors
            for s in subs:
                s.close()

        asyncio.run(connected_phases())
        print(f"[{kind}] churn: {args.churn} connections that vanish ...", flush=True)
        report.churned = asyncio.run(_churn(base, args.churn))
        time.sleep(1)
        report.alive_after_churn = server.proc.poll() is None and asyncio.run(_healthy(base))
        report.peak_rss_mib = peak_rss_mib(pid)
    except Exception as exc:  # noqa: BLE001 - reported in the table
        report.error = f"{type(exc).__name__}: {exc}"[:400]
    finally:
        server.stop()
    return report


async def _healthy(base: str) -> bool:
    conn = Http1Connection(base, timeout=10)
    try:
        return (await conn.request("GET", "/api/health")).status == 200
    except (OSError, TimeoutError):
        return False
    finally:
        await conn.close()


def _table(reports: list[Report]) -> str:
    rows = [
        ("subscribers connected", lambda r: f"{r.subscribers}"),
        ("connect + subscribe all (s)", lambda r: f"{r.connect_s:.1f}"),
        ("writes sent", lambda r: f"{r.writes}"),
        ("deliveries expected", lambda r: f"{r.deliveries_expected}"),
        ("missing", lambda r: f"{r.deliveries_missing}"),
        ("unexpected", lambda r: f"{r.deliveries_unexpected}"),
        ("delivery p50 (ms)", lambda r: f"{r.p50_ms:.1f}"),
        ("delivery p99 (ms)", lambda r: f"{r.p99_ms:.1f}"),
        ("delivery max (ms)", lambda r: f"{r.max_ms:.1f}"),
        ("server CPU per write (ms)", lambda r: f"{r.cpu_per_write_ms:.2f}"),
        ("creates/s, everyone connected", lambda r: f"{r.create_rps:.0f}"),
        ("create errors", lambda r: f"{r.create_errors}"),
        ("RSS before subscribers (MiB)", lambda r: f"{r.rss_idle_mib:.0f}"),
        ("RSS with subscribers (MiB)", lambda r: f"{r.rss_connected_mib:.0f}"),
        ("peak RSS (MiB)", lambda r: f"{r.peak_rss_mib:.0f}"),
        ("churned connections", lambda r: f"{r.churned}"),
        ("serving after churn", lambda r: "yes" if r.alive_after_churn else "NO"),
    ]
    by_kind = {r.kind: r for r in reports}
    kinds = [r.kind for r in reports]
    header = f"{'':32}" + "".join(f"{k:>14}" for k in kinds)
    if {"palapy", "pocketbase"} <= set(by_kind):
        header += f"{'ratio':>10}"
    lines = [header]
    for label, fmt in rows:
        line = f"{label:32}" + "".join(f"{fmt(by_kind[k]):>14}" for k in kinds)
        if {"palapy", "pocketbase"} <= set(by_kind) and label.startswith(("creates/s", "delivery p99")):
            pa, pb = by_kind["palapy"], by_kind["pocketbase"]
            num, den = (
                (pa.create_rps, pb.create_rps) if label.startswith("creates") else (pa.p99_ms, pb.p99_ms)
            )
            line += f"{num / den:>10.2f}" if den else f"{'-':>10}"
        lines.append(line)
    for r in reports:
        if r.error:
            lines.append(f"{r.kind}: ERROR {r.error}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m tests.bench.realtime", description=__doc__.splitlines()[0])
    p.add_argument("--servers", default="pocketbase,palapy")
    p.add_argument("--users", type=int, default=100)
    p.add_argument("--subscribers", type=int, default=1000)
    p.add_argument("--rate", type=float, default=100.0, help="creates per second in the delivery phase")
    p.add_argument("--seconds", type=float, default=20.0, help="length of the delivery phase")
    p.add_argument("--public", type=float, default=0.02, help="share of public records (seen by everyone)")
    p.add_argument("--drain", type=float, default=2.0, help="seconds to wait for late events")
    p.add_argument("--load-seconds", type=float, default=8.0, help="length of the create throughput phase")
    p.add_argument("--connections", type=int, default=32, help="connections of the create throughput phase")
    p.add_argument("--churn", type=int, default=5000, help="connections that open and vanish")
    p.add_argument("--no-install", action="store_true", help="never apt-get install wrk")
    args = p.parse_args(argv)
    wrk = ensure_wrk(not args.no_install)
    kinds = [k.strip() for k in args.servers.split(",") if k.strip()]
    started = time.perf_counter()
    reports = []
    with tempfile.TemporaryDirectory(prefix="palapy-bench-rt-") as tmp:
        for kind in kinds:
            reports.append(_run_server(kind, Path(tmp), args, wrk))
    print()
    print(
        f"{args.subscribers} subscribers over {args.users} users; rule `{RULE}`; {args.rate:g} creates/s for "
        f"{args.seconds:g} s, {args.public:.0%} public; throughput with {args.connections} connections "
        f"({'wrk' if wrk else 'python loader'}); ratio = palapy / pocketbase"
    )
    print()
    print(_table(reports))
    print(f"\nbench took {time.perf_counter() - started:.0f} s")
    bad = any(
        r.error or r.deliveries_missing or r.deliveries_unexpected or not r.alive_after_churn for r in reports
    )
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
