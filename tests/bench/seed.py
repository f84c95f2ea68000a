"""Prepare a live server for the bench through its HTTP API only, the same way on both servers.

Log in as the harness superuser, switch request logging off (`logs.maxDays = 0`, which makes
PocketBase keep no request logs), create the `posts` collection and seed it with concurrent
record creates over a fixed number of keep-alive connections.
"""

from __future__ import annotations

import asyncio
import json
import time
from dataclasses import dataclass

import httpx

from tests.bench.http1 import Http1Connection, Response
from tests.bench.scenarios import (
    AUTHOR_COUNT,
    AUTHORS,
    COLLECTION,
    LOGIN_USER,
    MEDIA,
    MEDIA_COUNT,
    BenchData,
    author_body,
    authors_schema,
    collection_schema,
    media_body,
    media_schema,
    record_body,
)
from tests.harness.servers import SUPERUSER_EMAIL, SUPERUSER_PASSWORD

__all__ = ["SeedError", "SeedReport", "seed_server", "request_log_count"]


class SeedError(RuntimeError):
    """The server refused a step of the preparation."""


@dataclass(frozen=True)
class SeedReport:
    """What preparation did: the data for the scenarios and how it went."""

    data: BenchData
    seconds: float
    logs: str  # "off", or why request logging could not be switched off
    token: str


def _check(resp: Response, what: str) -> None:
    if resp.status >= 400:
        raise SeedError(f"{what}: HTTP {resp.status} {resp.body[:500]!r}")


def _json(data: object) -> bytes:
    return json.dumps(data, separators=(",", ":")).encode()


_JSON = (("Content-Type", "application/json"),)


async def _seed(base_url: str, count: int, concurrency: int) -> SeedReport:
    start = time.perf_counter()
    admin = Http1Connection(base_url, timeout=60.0)
    try:
        resp = await admin.request(
            "POST",
            "/api/collections/_superusers/auth-with-password",
            _json({"identity": SUPERUSER_EMAIL, "password": SUPERUSER_PASSWORD}),
            _JSON,
        )
        _check(resp, "superuser login")
        token: str = resp.json()["token"]
        auth = (*_JSON, ("Authorization", token))

        resp = await admin.request("PATCH", "/api/settings", _json({"logs": {"maxDays": 0}}), auth)
        if resp.status == 200 and resp.json().get("logs", {}).get("maxDays") == 0:
            logs = "off"
        else:
            logs = f"not switched off: PATCH /api/settings answered {resp.status}"

        resp = await admin.request("POST", "/api/collections", _json(authors_schema()), auth)
        _check(resp, f"create the {AUTHORS} collection")
        authors_id: str = resp.json()["id"]
        authors: list[str] = []
        for index in range(AUTHOR_COUNT):
            r = await admin.request(
                "POST", f"/api/collections/{AUTHORS}/records", _json(author_body(index)), auth
            )
            _check(r, f"create author {index}")
            authors.append(r.json()["id"])

        resp = await admin.request("POST", "/api/collections", _json(collection_schema(authors_id)), auth)
        _check(resp, f"create the {COLLECTION} collection")

        ids: list[str | None] = [None] * count
        next_index = 0

        async def worker() -> None:
            # Each worker keeps its own connection and takes the next index until all are done.
            nonlocal next_index
            conn = Http1Connection(base_url, timeout=60.0)
            try:
                while next_index < count:
                    index = next_index
                    next_index += 1
                    r = await conn.request(
                        "POST",
                        f"/api/collections/{COLLECTION}/records",
                        _json(record_body(index, authors)),
                        auth,
                    )
                    _check(r, f"create record {index}")
                    ids[index] = r.json()["id"]
            finally:
                await conn.close()

        await asyncio.gather(*(worker() for _ in range(max(1, concurrency))))

        resp = await admin.request("GET", f"/api/collections/{COLLECTION}/records?perPage=1", None, auth)
        _check(resp, "count the seeded records")
        total = resp.json().get("totalItems")
        if total != count:
            raise SeedError(f"seeded {count} records but the server lists {total}")

        body = {**LOGIN_USER, "passwordConfirm": LOGIN_USER["password"], "verified": True}
        resp = await admin.request("POST", "/api/collections/users/records", _json(body), auth)
        _check(resp, "create the login user")

        resp = await admin.request("POST", "/api/collections", _json(media_schema()), auth)
        _check(resp, f"create the {MEDIA} collection")
        media: list[dict[str, str]] = []
        content_type, body = media_body()
        for index in range(MEDIA_COUNT):
            r = await admin.request(
                "POST", f"/api/collections/{MEDIA}/records", body, (("Content-Type", content_type), *auth[1:])
            )
            _check(r, f"create media record {index}")
            media.append(r.json())
    finally:
        await admin.close()
    return SeedReport(
        BenchData(COLLECTION, [i for i in ids if i is not None], authors, media),
        time.perf_counter() - start,
        logs,
        token,
    )


def seed_server(base_url: str, count: int, concurrency: int = 32) -> SeedReport:
    """Log in, switch request logs off, create `authors` (50) and `posts`, and seed `count`
    posts concurrently."""
    return asyncio.run(_seed(base_url, count, concurrency))


def request_log_count(base_url: str, token: str) -> int | None:
    """How many request logs the server keeps (`GET /api/logs` totalItems), None if unknown."""
    try:
        resp = httpx.get(
            f"{base_url}/api/logs", params={"perPage": 1}, headers={"Authorization": token}, timeout=30
        )
    except httpx.HTTPError:
        return None
    if resp.status_code != 200:
        return None
    total = resp.json().get("totalItems")
    return total if isinstance(total, int) else None
