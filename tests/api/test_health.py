"""`GET|HEAD /api/health` (PocketBase apis/health_test.go)."""

from __future__ import annotations

from collections.abc import Callable

from tests.harness.scenario import ABSENT, Scenario

SCENARIOS = [
    Scenario(
        "A guest gets the healthy message with code 200 and empty data.",
        url="/api/health",
        json={"message": "API is healthy.", "code": 200, "data": {}},
        not_contains=['"status"', "canBackup"],
        expect_headers={"Content-Type": "application/json"},
        hooks={"*": 0},
    ),
    Scenario(
        "A guest health answer carries the standard security headers.",
        url="/api/health",
        expect_headers={
            "X-XSS-Protection": "1; mode=block",
            "X-Content-Type-Options": "nosniff",
            "X-Frame-Options": "SAMEORIGIN",
            "Cross-Origin-Opener-Policy": "same-origin",
            "Vary": "Origin",
        },
    ),
    Scenario(
        "A HEAD request to health answers 200 without a body.",
        method="HEAD",
        url="/api/health",
        status=200,
        not_contains=["healthy"],
    ),
    Scenario(
        "A superuser gets the health details (canBackup, realIP, possibleProxyHeader).",
        url="/api/health",
        auth="superuser",
        json={
            "message": "API is healthy.",
            "code": 200,
            "data": {"canBackup": True, "realIP": "127.0.0.1", "possibleProxyHeader": ""},
        },
    ),
    Scenario(
        "A regular user gets the guest health answer without details.",
        url="/api/health",
        auth="user1",
        json={"message": "API is healthy.", "code": 200, "data": {}},
    ),
    Scenario(
        "An invalid token is ignored and health answers as for a guest.",
        url="/api/health",
        headers={"Authorization": "not-a-jwt"},
        json={"code": 200, "data": {}},
    ),
    Scenario(
        "The fields parameter trims the health answer.",
        url="/api/health",
        params={"fields": "message"},
        json={"message": "API is healthy.", "code": ABSENT, "data": ABSENT},
    ),
    Scenario(
        "A request with an Origin header gets Access-Control-Allow-Origin star.",
        url="/api/health",
        headers={"Origin": "https://example.org"},
        expect_headers={"Access-Control-Allow-Origin": "*"},
    ),
    Scenario(
        "A CORS preflight is answered 204 with the allowed methods and echoed headers.",
        method="OPTIONS",
        url="/api/health",
        headers={
            "Origin": "https://example.org",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "x-custom",
        },
        status=204,
        expect_headers={
            "Access-Control-Allow-Origin": "*",
            "Access-Control-Allow-Methods": "GET,HEAD,PUT,PATCH,POST,DELETE",
            "Access-Control-Allow-Headers": "x-custom",
            "X-Frame-Options": None,
        },
    ),
]


def test_scenario(scenario: Scenario, play: Callable[[Scenario], None]) -> None:
    play(scenario)
