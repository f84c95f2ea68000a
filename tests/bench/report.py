"""The bench's printed table (and its JSON form) from the per-server results."""

from __future__ import annotations

from dataclasses import dataclass, field

from tests.bench.load import LoadResult

__all__ = ["ServerRun", "format_table", "as_json"]


@dataclass
class ServerRun:
    """Everything measured on one server; `error` is set when it could not be benched."""

    kind: str
    results: dict[str, LoadResult] = field(default_factory=dict)
    failures: dict[str, str] = field(default_factory=dict)
    seed_seconds: float | None = None
    logs: str | None = None
    request_logs: int | None = None
    rss_after_seed_mib: float | None = None
    peak_rss_mib: float | None = None
    error: str | None = None


def _rate(run: ServerRun | None, name: str) -> str:
    if run is None:
        return "-"
    if name in run.results:
        return f"{run.results[name].rps:,.0f}"
    return "failed" if name in run.failures or run.error else "-"


def _lat(run: ServerRun | None, name: str) -> str:
    if run is None or name not in run.results:
        return "-"
    r = run.results[name]
    return f"{r.p50_ms:.2f} / {r.p99_ms:.2f}"


def _cpu(run: ServerRun | None, name: str) -> str:
    if run is None or name not in run.results:
        return "-"
    value = run.results[name].cpu_us_per_request
    return "-" if value is None else f"{value:,.0f}"


def _errors(run: ServerRun | None, name: str) -> str:
    if run is None or name not in run.results:
        return "-"
    return str(run.results[name].errors)


def _mib(value: float | None) -> str:
    return "-" if value is None else f"{value:,.1f} MiB"


def format_table(scenarios: list[str], runs: dict[str, ServerRun]) -> str:
    """A fixed-width table: req/s of both servers, their ratio, p50/p99 latency, errors, memory."""
    pa, pb = runs.get("palapy"), runs.get("pocketbase")
    header = [
        "scenario",
        "palapy req/s",
        "pocketbase req/s",
        "ratio",
        "palapy p50/p99 ms",
        "pb p50/p99 ms",
        "cpu us/req pa/pb",
        "errors pa/pb",
    ]
    rows = [header]
    for name in scenarios:
        ratio = "-"
        if pa and pb and name in pa.results and name in pb.results and pb.results[name].rps > 0:
            ratio = f"{pa.results[name].rps / pb.results[name].rps:.2f}"
        rows.append(
            [
                name,
                _rate(pa, name),
                _rate(pb, name),
                ratio,
                _lat(pa, name),
                _lat(pb, name),
                f"{_cpu(pa, name)}/{_cpu(pb, name)}",
                f"{_errors(pa, name)}/{_errors(pb, name)}",
            ]
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    lines = [
        "  ".join(
            cell.ljust(w) if i == 0 else cell.rjust(w)
            for i, (cell, w) in enumerate(zip(row, widths, strict=True))
        )
        for row in rows
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    lines.append("")
    for kind in ("palapy", "pocketbase"):
        run = runs.get(kind)
        if run is None:
            continue
        seed = "-" if run.seed_seconds is None else f"{run.seed_seconds:.1f} s"
        logs = run.logs or "unknown"
        kept = "unknown" if run.request_logs is None else str(run.request_logs)
        lines.append(
            f"{kind:<10} peak RSS (VmHWM) {_mib(run.peak_rss_mib)}, RSS after seeding {_mib(run.rss_after_seed_mib)}, "
            f"seeding {seed}, request logs {logs} (kept after the run: {kept})"
        )
        if run.error:
            lines.append(f"{kind:<10} ERROR: {run.error}")
        for name, why in run.failures.items():
            lines.append(f"{kind:<10} {name} failed: {why}")
    return "\n".join(lines)


def as_json(runs: dict[str, ServerRun], settings: dict[str, object]) -> dict[str, object]:
    """The same figures as a JSON-ready dict (for comparing runs)."""
    out: dict[str, object] = {"settings": settings}
    for kind, run in runs.items():
        out[kind] = {
            "results": {
                name: {
                    "rps": r.rps,
                    "requests": r.requests,
                    "seconds": r.seconds,
                    "errors": r.errors,
                    "p50_ms": r.p50_ms,
                    "p99_ms": r.p99_ms,
                    "cpu_us_per_request": r.cpu_us_per_request,
                }
                for name, r in run.results.items()
            },
            "failures": run.failures,
            "seed_seconds": run.seed_seconds,
            "logs": run.logs,
            "request_logs": run.request_logs,
            "rss_after_seed_mib": run.rss_after_seed_mib,
            "peak_rss_mib": run.peak_rss_mib,
            "error": run.error,
        }
    return out
