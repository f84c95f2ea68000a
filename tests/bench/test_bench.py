"""The bench's own pieces: the HTTP/1.1 client, percentiles, scenario selection, a tiny live run."""

from __future__ import annotations

import asyncio
import shutil

import pytest

from tests.bench import run
from tests.bench.http1 import Http1Connection
from tests.bench.load import _lua_string, percentile
from tests.bench.scenarios import DEFAULT_SCENARIOS, select_scenarios


async def _serve_canned(responses: list[bytes]) -> tuple[asyncio.Server, int, list[bytes]]:
    """A loopback server that answers each request on a connection with the next canned bytes."""
    seen: list[bytes] = []

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        for raw in responses:
            head = await reader.readuntil(b"\r\n\r\n")
            length = 0
            for line in head.split(b"\r\n"):
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":")[1])
            seen.append(head + (await reader.readexactly(length) if length else b""))
            writer.write(raw)
            await writer.drain()
        writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    return server, port, seen


def test_http1_reads_content_length_chunked_and_empty_bodies_on_one_connection() -> None:
    responses = [
        b'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 11\r\n\r\n{"a":[1,2]}',
        b'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4\r\n{"b"\r\n3;x=y\r\n:2}\r\n0\r\n\r\n',
        b"HTTP/1.1 204 No Content\r\n\r\n",
        b"HTTP/1.1 404 Not Found\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}",
    ]

    async def scenario() -> None:
        server, port, seen = await _serve_canned(responses)
        conn = Http1Connection(f"http://127.0.0.1:{port}")
        try:
            first = await conn.request("GET", "/one")
            second = await conn.request("POST", "/two", b'{"x":1}', (("Content-Type", "application/json"),))
            third = await conn.request("DELETE", "/three")
            fourth = await conn.request("GET", "/four")
        finally:
            await conn.close()
            server.close()
            await server.wait_closed()
        assert (first.status, first.json()) == (200, {"a": [1, 2]})
        assert first.headers["content-type"] == "application/json"
        assert (second.status, second.json()) == (200, {"b": 2})
        assert (third.status, third.body) == (204, b"")
        assert (fourth.status, fourth.body) == (404, b"{}")
        assert seen[1].startswith(b"POST /two HTTP/1.1\r\n")
        assert b"Content-Length: 7\r\n" in seen[1] and seen[1].endswith(b'{"x":1}')

    asyncio.run(scenario())


def test_http1_rejects_non_http_urls() -> None:
    with pytest.raises(ValueError):
        Http1Connection("https://127.0.0.1:1")


@pytest.mark.parametrize(
    ("values", "pct", "expected"),
    [
        ([], 50, 0.0),
        ([1.0], 99, 1.0),
        ([1.0, 2.0, 3.0, 4.0], 50, 2.0),
        ([float(i) for i in range(1, 101)], 99, 99.0),
    ],
)
def test_percentile_is_nearest_rank(values: list[float], pct: float, expected: float) -> None:
    assert percentile(values, pct) == expected


def test_lua_string_escapes_quotes_backslashes_and_non_ascii() -> None:
    assert _lua_string('a"b\\c\nż]]') == '"a\\034b\\092c\\010\\197\\188]]"'


def test_writers_run_after_readers_and_unknown_scenarios_are_refused() -> None:
    names = [s.name for s in select_scenarios(["create", "health", "view"])]
    assert names == ["health", "view", "create"]
    assert [s.name for s in select_scenarios(DEFAULT_SCENARIOS)] == DEFAULT_SCENARIOS
    with pytest.raises(ValueError, match="nope"):
        select_scenarios(["health", "nope"])


@pytest.mark.live
def test_a_short_bench_runs_every_scenario_on_both_servers(capsys: pytest.CaptureFixture[str]) -> None:
    """The whole pipeline on a small data set: both servers seed, serve every scenario, report."""
    args = [
        "--records",
        "200",
        "--duration",
        "1",
        "--warmup",
        "0",
        "--scenarios",
        "all",
        "--connections",
        "8",
    ]
    if shutil.which("wrk") is None:
        args += ["--loader", "python"]
    code = run.main(args)
    out = capsys.readouterr().out
    assert code == 0, out
    for name in ("health", "list", "view", "list_expand", "filter_sort", "create"):
        assert any(line.startswith(name) for line in out.splitlines()), out
    assert "peak RSS (VmHWM)" in out


@pytest.mark.live
def test_a_short_realtime_bench_delivers_everything_on_both_servers(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The realtime bench end to end, small: every event reaches exactly its audience."""
    from tests.bench import realtime

    args = ["--users", "5", "--subscribers", "20", "--seconds", "1", "--rate", "20", "--public", "0.2"]
    args += ["--drain", "0.5", "--load-seconds", "1", "--churn", "50", "--connections", "4", "--no-install"]
    code = realtime.main(args)
    out = capsys.readouterr().out
    assert code == 0, out
    lines = {line[:32].strip(): line[32:].split() for line in out.splitlines() if len(line) > 32}
    assert lines["subscribers connected"][:2] == ["20", "20"], out
    assert lines["missing"][:2] == ["0", "0"] and lines["unexpected"][:2] == ["0", "0"], out
    assert int(lines["deliveries expected"][0]) > 20, out


def test_the_median_round_is_reported() -> None:
    from tests.bench.load import LoadResult

    rounds = [LoadResult(n, 1.0, 0, 1.0, 2.0, "wrk") for n in (300, 100, 200)]
    assert run._median(rounds).requests == 200
    assert run._median(rounds[:2]).requests == 100  # an even count: the lower middle one


def test_the_in_process_benches_run() -> None:
    from tests.bench import edge, jwt_check

    figures = edge.measure(requests=5, rounds=1)
    assert set(figures) == {"health", "view", "view_auth", "list", "list_expand", "create"}
    assert all(value > 0 for value in figures.values())
    assert set(jwt_check.measure(number=10, repeat=1)) == {
        "check, palapy's pass",
        "check, PyJWT decode x2",
        "sign, PyJWT encode",
    }
