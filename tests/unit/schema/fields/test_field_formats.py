"""Domain names and Go URL parsing (email and URL formats are in the field case tables)."""

from __future__ import annotations

import pytest

from palapy.schema.fields._formats import is_domain, parse_go_url
from tests.unit.schema.fields.field_cases import BAD_DOMAINS

GOOD = {"X.CO", "xn--80ak6aa92e.com", "a" * 63 + ".co", "a." + "b" * 63}


@pytest.mark.parametrize("domain", [d for d in BAD_DOMAINS if d])
def test_domains(domain: str) -> None:
    assert is_domain(domain) is (domain in GOOD)


def test_domain_length_limit() -> None:
    label = "a" * 60 + "."
    assert is_domain(label * 4 + "co")
    assert not is_domain(label * 5 + "co")


@pytest.mark.parametrize(
    ("url", "host"),
    [
        ("https://x.co:80/a", "x.co:80"),
        ("https://a@x.co", "x.co"),
        ("x.co", ""),
        ("mailto:a@b.co", ""),
        ("http://[::1]:80/", "[::1]:80"),
        ("http://[fe80::1%25en0]/", "[fe80::1%25en0]"),
    ],
)
def test_parse_go_url_host(url: str, host: str) -> None:
    parsed = parse_go_url(url)
    assert parsed is not None and parsed.host == host


@pytest.mark.parametrize(
    "url",
    [
        "https://x.co/%zz",
        "http://a b.co",
        ":x",
        "1a:b/c",
        "http://x.co:8a",
        "http://[::1",
        "http://a^b@x.co",
        "x\x7f",
    ],
)
def test_parse_go_url_errors(url: str) -> None:
    assert parse_go_url(url) is None
