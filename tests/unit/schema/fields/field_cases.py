"""Input -> answer tables for every field type, as real PocketBase 0.40.6 answered them.

Each FIELD is one field's options; each case sends `input` for that field in a record create
and expects either the canonical value PocketBase returned (`Ok(value)`) or the validation
error it reported for that field (`Err(error)`). The unit tests check palapy's
`normalize` + `validate_value` against these tables; `test_field_pocketbase_parity.py` replays
them against the real binary to prove them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

# The related collection of the relation fields: three records with these ids.
TARGET_IDS = ("target000000000", "target000000001", "target000000002")
TARGET = "@target"  # replaced by the target collection's id

FIELDS: dict[str, dict[str, Any]] = {
    "txt": {"type": "text"},
    "txtopt": {"type": "text", "min": 3, "max": 5, "pattern": "^[a-z]+$"},
    "txtreq": {"type": "text", "required": True},
    "num": {"type": "number"},
    "numint": {"type": "number", "min": -2, "max": 10, "onlyInt": True},
    "numf": {"type": "number", "min": -2.5, "max": 10.5},
    "numbig": {"type": "number", "min": 1000000, "max": 1e21},
    "numsmall": {"type": "number", "min": 0.00001, "max": 123456},
    "numfmt": {"type": "number", "min": 1234567.5, "max": 2e7},
    "numneg": {"type": "number", "max": -0.00012},
    "numreq": {"type": "number", "required": True},
    "b": {"type": "bool"},
    "breq": {"type": "bool", "required": True},
    "em": {"type": "email"},
    "emonly": {"type": "email", "onlyDomains": ["x.co"]},
    "emexc": {"type": "email", "exceptDomains": ["x.co"]},
    "u": {"type": "url"},
    "uonly": {"type": "url", "onlyDomains": ["x.co"]},
    "ed": {"type": "editor", "maxSize": 10},
    "dt": {"type": "date"},
    "dtopt": {"type": "date", "min": "2020-01-01 10:00:00.123Z", "max": "2021-01-01T01:00:00+01:00"},
    "s1": {"type": "select", "values": ["a", "b", "c", "1", "true", "x."], "maxSelect": 1},
    "sm": {"type": "select", "values": ["a", "b", "c", "1", "true"], "maxSelect": 2},
    "sreq": {"type": "select", "values": ["a"], "required": True},
    "f1": {"type": "file", "maxSelect": 1},
    "fm": {"type": "file", "maxSelect": 3},
    "r1": {"type": "relation", "collectionId": TARGET, "maxSelect": 1},
    "rm": {"type": "relation", "collectionId": TARGET, "maxSelect": 3, "minSelect": 2},
    "j": {"type": "json"},
    "jsmall": {"type": "json", "maxSize": 5},
    "jreq": {"type": "json", "required": True},
    "pw": {"type": "password", "min": 3, "max": 6, "pattern": "^[a-z0-9]+$"},
    "g": {"type": "geoPoint"},
    "greq": {"type": "geoPoint", "required": True},
}


@dataclass(frozen=True)
class Ok:
    """Accepted; `value` is the canonical value (None for password, which is never returned)."""

    value: Any


@dataclass(frozen=True)
class Err:
    code: str
    message: str
    params: dict[str, Any] | None = None

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.params is not None:
            out["params"] = self.params
        return out


REQUIRED = Err("validation_required", "Cannot be blank.")
NAN = Err("validation_not_a_number", "The submitted number is not properly formatted.")
ONLY_INT = Err("validation_only_int_constraint", "Decimal numbers are not allowed.")
BAD_EMAIL = Err("validation_is_email", "Must be a valid email address.")
EMAIL_DOMAIN = Err("validation_email_domain_not_allowed", "Email domain is not allowed.")
BAD_URL = Err("validation_invalid_url", "Must be a valid url.")
URL_DOMAIN = Err("validation_url_domain_not_allowed", "Url domain is not allowed.")
BAD_FORMAT = Err("validation_invalid_format", "Invalid value format.")
MISSING_REL = Err(
    "validation_missing_rel_records", "Failed to find all relation records with the provided ids."
)
BAD_LON = Err("validation_invalid_longitude", "Longitude must be between -180 and 180 degrees.")
BAD_LAT = Err("validation_invalid_latitude", "Latitude must be between -90 and 90 degrees.")


def invalid_value(value: str, message: str | None = None) -> Err:
    text = message if message is not None else f"Invalid value {value}."
    return Err("validation_invalid_value", text, {"value": value})


def too_many(limit: int) -> Err:
    return Err("validation_too_many_values", f"Select no more than {limit}.", {"maxSelect": limit})


def invalid_files(names: list[str]) -> Err:
    return Err("validation_invalid_file", f"Invalid new files: [{' '.join(names)}].", {"invalidFiles": names})


T = TARGET_IDS
CASES: list[tuple[str, Any, Ok | Err]] = [
    # -- text: anything becomes a string ---------------------------------------------------
    ("txt", "x", Ok("x")),
    ("txt", 12, Ok("12")),
    ("txt", 1.5, Ok("1.5")),
    ("txt", 1e21, Ok("1000000000000000000000")),
    ("txt", 1e-7, Ok("0.0000001")),
    ("txt", 12345678901234567890, Ok("12345678901234567000")),
    ("txt", 100.0, Ok("100")),
    ("txt", -0.0, Ok("-0")),
    ("txt", True, Ok("true")),
    ("txt", None, Ok("")),
    ("txt", [1, 2], Ok("")),
    ("txt", {"a": 1}, Ok("")),
    ("txt", "é" * 5000, Ok("é" * 5000)),
    (
        "txt",
        "x" * 5001,
        Err("validation_max_text_constraint", "Must be no more than 5000 character(s).", {"max": 5000}),
    ),
    ("txtopt", "ab", Err("validation_min_text_constraint", "Must be at least 3 character(s).", {"min": 3})),
    (
        "txtopt",
        "abcdef",
        Err("validation_max_text_constraint", "Must be no more than 5 character(s).", {"max": 5}),
    ),
    ("txtopt", "ab1", BAD_FORMAT),
    ("txtopt", "ééé", BAD_FORMAT),
    ("txtopt", "abc", Ok("abc")),
    ("txtopt", "", Ok("")),
    ("txtreq", "", REQUIRED),
    ("txtreq", None, REQUIRED),
    # -- number: a loose cast to float64; 0 is empty ----------------------------------------
    ("num", "12", Ok(12)),
    ("num", "1e3", Ok(1000)),
    ("num", "abc", Ok(0)),
    ("num", True, Ok(1)),
    ("num", False, Ok(0)),
    ("num", None, Ok(0)),
    ("num", "", Ok(0)),
    ("num", "  12", Ok(0)),
    ("num", " 5 ", Ok(0)),
    ("num", "1_000", Ok(1000)),
    ("num", "1__0", Ok(0)),
    ("num", "_1", Ok(0)),
    ("num", "1_", Ok(0)),
    ("num", "1e1_0", Ok(10000000000)),
    ("num", "0x1p-2", Ok(0.25)),
    ("num", "0x1.8p1", Ok(3)),
    ("num", "0x.8p1", Ok(1)),
    ("num", "0X1P2", Ok(4)),
    ("num", "0x_1p0", Ok(1)),
    ("num", "0x10", Ok(0)),
    ("num", "0x1p", Ok(0)),
    ("num", "0b101", Ok(0)),
    ("num", "inf", NAN),
    ("num", "NaN", NAN),
    ("num", "Infinity", NAN),
    ("num", "-inf", NAN),
    ("num", "+nan", Ok(0)),
    ("num", [1], Ok(0)),
    ("num", {"a": 1}, Ok(0)),
    ("num", "1.5e400", Ok(0)),
    ("num", 1.5, Ok(1.5)),
    ("num", 10**20, Ok(100000000000000000000)),
    ("num", "12.50", Ok(12.5)),
    ("num", "5.", Ok(5)),
    ("num", ".5", Ok(0.5)),
    ("num", "+5", Ok(5)),
    ("num", "-.5e-1", Ok(-0.05)),
    ("num", "1E3", Ok(1000)),
    ("num", "1e", Ok(0)),
    ("num", "-", Ok(0)),
    ("num", "\u0661", Ok(0)),
    ("numint", 1.5, ONLY_INT),
    ("numint", -3, Err("validation_min_number_constraint", "Must be greater or equal than -2.", {"min": -2})),
    ("numint", 11, Err("validation_max_number_constraint", "Must be less or equal than 10.", {"max": 10})),
    ("numint", 10, Ok(10)),
    ("numint", -2, Ok(-2)),
    ("numint", 0, Ok(0)),
    (
        "numf",
        -3,
        Err("validation_min_number_constraint", "Must be greater or equal than -2.5.", {"min": -2.5}),
    ),
    (
        "numf",
        10.6,
        Err("validation_max_number_constraint", "Must be less or equal than 10.5.", {"max": 10.5}),
    ),
    ("numf", 0.5, Ok(0.5)),
    (
        "numbig",
        5,
        Err("validation_min_number_constraint", "Must be greater or equal than 1e+06.", {"min": 1000000}),
    ),
    (
        "numbig",
        2e21,
        Err("validation_max_number_constraint", "Must be less or equal than 1e+21.", {"max": 1e21}),
    ),
    (
        "numsmall",
        0.000001,
        Err("validation_min_number_constraint", "Must be greater or equal than 1e-05.", {"min": 1e-05}),
    ),
    (
        "numsmall",
        123457,
        Err("validation_max_number_constraint", "Must be less or equal than 123456.", {"max": 123456}),
    ),
    (
        "numfmt",
        5,
        Err(
            "validation_min_number_constraint",
            "Must be greater or equal than 1.2345675e+06.",
            {"min": 1234567.5},
        ),
    ),
    (
        "numfmt",
        3e7,
        Err("validation_max_number_constraint", "Must be less or equal than 2e+07.", {"max": 20000000}),
    ),
    (
        "numneg",
        5,
        Err("validation_max_number_constraint", "Must be less or equal than -0.00012.", {"max": -0.00012}),
    ),
    ("numreq", 0, REQUIRED),
    ("numreq", "abc", REQUIRED),
    # -- bool: strconv.ParseBool for strings, non-zero numbers -------------------------------
    *[("b", v, Ok(True)) for v in ("1", 1, "t", "true", "TRUE", "True", "T", 2, 0.5, -1)],
    *[
        ("b", v, Ok(False))
        for v in ("yes", "0", "f", "F", "FALSE", "tRue", "", None, 0, [1], {"a": 1}, "on", " true")
    ],
    ("breq", False, REQUIRED),
    ("breq", "yes", REQUIRED),
    ("breq", "1", Ok(True)),
    # -- email --------------------------------------------------------------------------------
    *[
        ("em", v, Ok(v))
        for v in (
            "a@b.co",
            "A@B.CO",
            "a@b.c",
            "é@b.co",
            "a@é.co",
            "a+b@c.co",
            "a@b_c.co",
            "a@b.co.",
            "a!#$%&'*+-/=?^_`{|}~@b.co",
            "a@b.co.uk",
            "a@b-c.co",
            "a@b.c-o",
            "a@b~c.co",
            "a@\u00ff.co",
            "a\u00a0@b.co",
            "a@b.c.d",
            "a@bc.d-e.fg",
            "a@b.\u4e2d\u56fd",
            "x" * 65 + "@b.co",
        )
    ],
    *[
        ("em", v, BAD_EMAIL)
        for v in (
            "bad",
            "a@b",
            "a b@c.co",
            '"a b"@c.co',
            '"ab"@c.co',
            "a@[127.0.0.1]",
            "a@localhost",
            "a.@b.co",
            "a..b@c.co",
            "a@b..co",
            "a@-b.co",
            "Name <a@b.co>",
            "a@b.co ",
            " a@b.co",
            "a@1.2.3.4",
            "a@b.c1",
            "a@b.123",
            "a@b.co..",
            "a@.b.co",
            "@b.co",
            "a@",
            "a@b.c-",
            "a@bb-.co",
            "a@b.co\n",
            "a@b@c.co",
            "a(b)@c.co",
            "a\\b@c.co",
            "a@b-.c",
            "a@b..c",
            "a@b.\U0001f600",
            "\U0001f600@b.co",
        )
    ],
    ("em", None, Ok("")),
    ("emonly", "a@x.co", Ok("a@x.co")),
    ("emonly", "a@X.CO", EMAIL_DOMAIN),
    ("emonly", "a@sub.x.co", EMAIL_DOMAIN),
    ("emexc", "a@x.co", EMAIL_DOMAIN),
    ("emexc", "a@y.co", Ok("a@y.co")),
    # -- url ----------------------------------------------------------------------------------
    *[
        ("u", v, Ok(v))
        for v in (
            "https://example.com",
            "example.com",
            "http://localhost",
            "http://localhost:8090/x",
            "localhost:8090",
            "mailto:a@b.co",
            "ftp://x.co",
            "http://x",
            "http://a_b.co",
            "http://1.2.3.4",
            "http://[::1]/",
            "http://[::1]:80/",
            "http://user:pw@x.co",
            "https://x.co?q=1",
            "https://x.co#f",
            "x.co/",
            "https://\u00ff.co",
            "https://x.co:99999",
            "https://x.co.",
            "a.b.",
            "http://x.co/\u00fc",
            "wss://x.co",
            "tcp://x.co",
            "http://xn--80ak6aa92e.com",
        )
    ],
    *[
        ("u", v, BAD_URL)
        for v in (
            "notaurl",
            "javascript:alert(1)",
            "file:///etc/passwd",
            "custom://x.co",
            "https://ex ample.com",
            "https://example.com/a b",
            "http://256.1.1.1",
            "//x.co",
            ".x.co",
            "http://.x.co",
            "https://x.co:",
            "http://-x.co",
            "http://x-.co",
            "https://x..co",
            "a.b",
            "ab",
            "http://x.c0",
            "HTTP://X.CO",
            "http:/x.co",
            "http:x.co",
            "https://x.co\\y",
            "x",
            "https://1.2.3",
            "https://0.1.2.3",
            "https://x.co/%zz",
        )
    ],
    ("uonly", "https://x.co", Ok("https://x.co")),
    ("uonly", "https://a@x.co", Ok("https://a@x.co")),
    ("uonly", "https://x.co:80", URL_DOMAIN),
    ("uonly", "x.co", URL_DOMAIN),
    ("uonly", "https://X.CO", URL_DOMAIN),
    # -- editor: a byte limit --------------------------------------------------------------
    ("ed", "ééééé", Ok("ééééé")),
    ("ed", 1234567890, Ok("1234567890")),
    (
        "ed",
        "12345678901",
        Err(
            "validation_content_size_limit", "The maximum allowed content size is 10 bytes.", {"maxSize": 10}
        ),
    ),
    (
        "ed",
        "éééééé",
        Err(
            "validation_content_size_limit", "The maximum allowed content size is 10 bytes.", {"maxSize": 10}
        ),
    ),
    # -- date: unparseable input silently becomes "" ---------------------------------------
    ("dt", "2025-01-02", Ok("2025-01-02 00:00:00.000Z")),
    ("dt", "2025-01-02 10:00:00", Ok("2025-01-02 10:00:00.000Z")),
    ("dt", "2025-01-02T10:00:00Z", Ok("2025-01-02 10:00:00.000Z")),
    ("dt", "2025-01-02T10:00:00+02:00", Ok("2025-01-02 08:00:00.000Z")),
    ("dt", "2025-01-02 10:00:00.123456Z", Ok("2025-01-02 10:00:00.123Z")),
    ("dt", "2025-01-02 10:00:00.1Z", Ok("2025-01-02 10:00:00.100Z")),
    ("dt", "2025-01-02T10:00:00", Ok("2025-01-02 10:00:00.000Z")),
    ("dt", "2025-01-02 10:00:00 +0200", Ok("2025-01-02 08:00:00.000Z")),
    ("dt", "2025-01-02 10:00:00 +02:00", Ok("2025-01-02 08:00:00.000Z")),
    ("dt", "2025-01-02 10:00:00Z", Ok("2025-01-02 10:00:00.000Z")),
    ("dt", "2025-01-02 10:00:00+02:00", Ok("2025-01-02 08:00:00.000Z")),
    ("dt", "2025-01-02T10:00:00-0700", Ok("2025-01-02 17:00:00.000Z")),
    ("dt", "2025-01-02 10:00:00 -0700 MST", Ok("2025-01-02 17:00:00.000Z")),
    ("dt", "2025-01-02T10:00:00.999999999Z", Ok("2025-01-02 10:00:00.999Z")),
    ("dt", "02 Jan 2025", Ok("2025-01-02 00:00:00.000Z")),
    ("dt", "Mon, 02 Jan 2006 15:04:05 MST", Ok("2006-01-02 15:04:05.000Z")),
    ("dt", "Mon, 02 Jan 2006 15:04:05 -0700", Ok("2006-01-02 22:04:05.000Z")),
    ("dt", "3:04PM", Ok("0000-01-01 15:04:00.000Z")),
    ("dt", "Jan  2 15:04:05", Ok("0000-01-02 15:04:05.000Z")),
    *[
        ("dt", v, Ok(""))
        for v in (
            "01/02/2025",
            1700000000,
            "1700000000",
            True,
            None,
            "",
            "2025-01-02 10:00",
            "2025-01-02T10:00",
            "2025-13-02",
            "2025-02-30",
            "0001-01-01 00:00:00.000Z",
            "2025-1-2",
            " 2025-01-02",
            "2025-01-02T10:00:00z",
            "2025-01-02t10:00:00Z",
            "2025-01-02 10:00:00 UTC",
            "2025-01-02T24:00:00Z",
            "2025-01-02T10:00:60Z",
            "garbage",
        )
    ],
    (
        "dtopt",
        "2020-01-01 10:00:00.122Z",
        Err(
            "validation_min_greater_equal_than_required",
            "Must be no less than 2020-01-01 10:00:00.123 +0000 UTC.",
            {"threshold": "2020-01-01T10:00:00.123Z"},
        ),
    ),
    (
        "dtopt",
        "2021-01-01 00:00:00.001Z",
        Err(
            "validation_max_less_equal_than_required",
            "Must be no greater than 2021-01-01 00:00:00 +0000 UTC.",
            {"threshold": "2021-01-01T00:00:00Z"},
        ),
    ),
    ("dtopt", "2020-06-01", Ok("2020-06-01 00:00:00.000Z")),
    ("dtopt", "2021-01-01 00:00:00.000Z", Ok("2021-01-01 00:00:00.000Z")),
    ("dtopt", "garbage", Ok("")),
    # -- select: no comma splitting, JSON arrays in strings, single keeps the last ---------
    ("s1", "a", Ok("a")),
    ("s1", "a,b", invalid_value("a,b")),
    ("s1", ["a", "b"], Ok("b")),
    ("s1", ["b", "a", "b"], Ok("a")),
    ("s1", '["a","b"]', Ok("b")),
    ("s1", '["a"', too_many(1)),
    ("s1", '["a",1]', too_many(1)),
    ("s1", '["a",null]', Ok("a")),
    ("s1", "[", invalid_value("[")),
    ("s1", "x[y", invalid_value("x[y")),
    ("s1", "[a]", invalid_value("[a]")),
    ("s1", ' ["a"]', Ok("a")),
    ("s1", 1, Ok("1")),
    ("s1", True, Ok("true")),
    ("s1", [1, "a"], Ok("a")),
    ("s1", [], Ok("")),
    ("s1", "", Ok("")),
    ("s1", None, Ok("")),
    ("s1", ["", "a"], Ok("a")),
    ("s1", [None, "a"], Ok("a")),
    ("s1", {"a": 1}, Ok("")),
    ("s1", [["a"]], Ok("")),
    ("s1", [1.5], invalid_value("1.5")),
    ("s1", "zz", invalid_value("zz")),
    ("s1", "x.", Ok("x.")),
    ("sm", "x.", invalid_value("x.", "Invalid value x.")),
    ("s1", "x!", invalid_value("x!", "Invalid value x!")),
    ("s1", " x ", invalid_value(" x ", "Invalid value  x.")),
    ("sm", "a", Ok(["a"])),
    ("sm", ["a", "b"], Ok(["a", "b"])),
    ("sm", ["b", "a", "b"], Ok(["b", "a"])),
    ("sm", '["a","a","b"]', Ok(["a", "b"])),
    ("sm", '["a",null]', Ok(["a"])),
    ("sm", '["a",""]', Ok(["a"])),
    ("sm", '["a"] ', Ok(["a"])),
    ("sm", '["a" , "b"]', Ok(["a", "b"])),
    ("sm", '["a","\\u0062"]', Ok(["a", "b"])),
    ("sm", "[]", Ok([])),
    ("sm", [True, 1], Ok(["true", "1"])),
    ("sm", [{"x": 1}], Ok([])),
    ("sm", ["a", None], Ok(["a"])),
    ("sm", ["a", "b", "c"], too_many(2)),
    ("sm", '["a","b"', too_many(2)),
    ("sm", '["a","b",]', too_many(2)),
    ("sm", ["a", "zz"], invalid_value("zz")),
    ("sm", '["a"', invalid_value('["a"')),
    ("sm", '["a","b', invalid_value('["a","b')),
    ("sm", '["a"]x', invalid_value('["a"]x')),
    ("sm", '[1,"a"]', invalid_value('[1,"a"]')),
    ("sm", '["a",1]', invalid_value('["a",1]')),
    ("sm", '["a",true]', invalid_value('["a",true]')),
    ("sm", '["a",["b"]]', invalid_value('["a",["b"]]')),
    ("sm", '["a"]["b"]', invalid_value('["a"]["b"]')),
    ("sm", "null", invalid_value("null")),
    ("sm", "{}", invalid_value("{}")),
    ("sm", '"a"', invalid_value('"a"')),
    ("sreq", [], REQUIRED),
    ("sreq", "a", Ok("a")),
    # -- file: plain names must already belong to the record --------------------------------
    ("f1", "", Ok("")),
    ("f1", None, Ok("")),
    ("f1", [], Ok("")),
    ("f1", "x.png", invalid_files(["x.png"])),
    ("f1", ["a.png", "b.png"], invalid_files(["b.png"])),
    ("f1", 5, invalid_files(["5"])),
    ("f1", ["", "a"], invalid_files(["a"])),
    ("f1", '["a.png","b"]', invalid_files(["b"])),
    ("f1", "x.", invalid_files(["x."])),
    ("fm", ["a.png", "b.png"], invalid_files(["a.png", "b.png"])),
    ("fm", "a.png", invalid_files(["a.png"])),
    ("fm", [["a"]], invalid_files(["a"])),
    ("fm", [1, "a", "a"], invalid_files(["1", "a"])),
    ("fm", [{"x": 1}], Ok([])),
    # -- relation --------------------------------------------------------------------------
    ("r1", T[0], Ok(T[0])),
    ("r1", [T[0], T[1]], Ok(T[1])),
    ("r1", "", Ok("")),
    ("r1", None, Ok("")),
    ("r1", "nope", MISSING_REL),
    ("r1", f"{T[0]},{T[1]}", MISSING_REL),
    ("r1", 1, MISSING_REL),
    ("rm", [T[0], T[1]], Ok([T[0], T[1]])),
    ("rm", list(T), Ok(list(T))),
    ("rm", [], Ok([])),
    ("rm", T[0], Err("validation_not_enough_values", "Select at least 2.", {"minSelect": 2})),
    ("rm", [T[0], T[0]], Err("validation_not_enough_values", "Select at least 2.", {"minSelect": 2})),
    ("rm", [T[0], "nope"], MISSING_REL),
    ("rm", ["a", "b", "c", "d"], too_many(3)),
    # -- json ------------------------------------------------------------------------------
    ("j", "hello", Ok("hello")),
    ("j", "123", Ok(123)),
    ("j", "[1,2", Ok("[1,2")),
    ("j", "", Ok("")),
    ("j", "null", Ok(None)),
    ("j", "true", Ok(True)),
    ("j", "false", Ok(False)),
    ("j", "-1", Ok(-1)),
    ("j", '"q"', Ok("q")),
    ("j", '{"a":1}', Ok({"a": 1})),
    ("j", "[1,2]", Ok([1, 2])),
    ("j", "[1, 2]", Ok([1, 2])),
    ("j", " 1", Ok(" 1")),
    ("j", "1 ", Ok(1)),
    ("j", "nulll", Ok("nulll")),
    ("j", "01", Ok("01")),
    ("j", "-", Ok("-")),
    ("j", '{"a":1', Ok('{"a":1')),
    ("j", "NaN", Ok("NaN")),
    ("j", "-Infinity", Ok("-Infinity")),
    ("j", "1.0", Ok(1.0)),
    ("j", "12345678901234567890", Ok(12345678901234567890)),
    ("j", ".5", Ok(".5")),
    ("j", "+1", Ok("+1")),
    ("j", "0x10", Ok("0x10")),
    ("j", "True", Ok("True")),
    ("j", '"a\tb"', Ok('"a\tb"')),
    ("j", '"\\ud800"', Ok("\ufffd")),
    ("j", '"\\ud800\\udc00"', Ok("\U00010000")),
    ("j", '{"b":1,"a":2}', Ok({"b": 1, "a": 2})),
    ("j", '{"a":1,"a":2}', Err("validation_invalid_json", "Must be a valid json value.")),
    ("j", '{"a":{"x":1,"x":2}}', Err("validation_invalid_json", "Must be a valid json value.")),
    ("j", 123, Ok(123)),
    ("j", 1.5, Ok(1.5)),
    ("j", 12345678901234567890, Ok(12345678901234567000)),
    ("j", None, Ok(None)),
    ("j", True, Ok(True)),
    ("j", [1, "a"], Ok([1, "a"])),
    ("j", {"b": 1, "a": {"d": 1, "c": 2}}, Ok({"a": {"c": 2, "d": 1}, "b": 1})),
    ("j", {"x": 1.0, "y": [1e5, 0.1]}, Ok({"x": 1, "y": [100000, 0.1]})),
    ("j", {}, Ok({})),
    ("j", [], Ok([])),
    (
        "jsmall",
        "123456",
        Err("validation_json_size_limit", "The maximum allowed JSON size is 5 bytes.", {"maxSize": 5}),
    ),
    ("jsmall", [1, 2], Ok([1, 2])),
    ("jreq", None, REQUIRED),
    ("jreq", "", REQUIRED),
    ("jreq", [], REQUIRED),
    ("jreq", {}, REQUIRED),
    ("jreq", "null", REQUIRED),
    ("jreq", '""', REQUIRED),
    ("jreq", 0, Ok(0)),
    ("jreq", False, Ok(False)),
    # -- password: rules on the plain text ---------------------------------------------------
    ("pw", "ab", Err("validation_min_text_constraint", "Must be at least 3 character(s).")),
    ("pw", "abcdefg", Err("validation_max_text_constraint", "Must be less than 6 character(s).")),
    ("pw", "ab-c", BAD_FORMAT),
    ("pw", "abc1", Ok(None)),
    ("pw", "", Ok(None)),
    # -- geoPoint ----------------------------------------------------------------------------
    ("g", {"lon": 1, "lat": 2}, Ok({"lon": 1, "lat": 2})),
    ("g", {"lat": 2}, Ok({"lon": 0, "lat": 2})),
    ("g", {}, Ok({"lon": 0, "lat": 0})),
    ("g", [1, 2], Ok({"lon": 0, "lat": 0})),
    ("g", '{"lon":1,"lat":2}', Ok({"lon": 1, "lat": 2})),
    ("g", '{"lon":"1"}', Ok({"lon": 0, "lat": 0})),
    ("g", "x", Ok({"lon": 0, "lat": 0})),
    ("g", "", Ok({"lon": 0, "lat": 0})),
    ("g", None, Ok({"lon": 0, "lat": 0})),
    ("g", 5, Ok({"lon": 0, "lat": 0})),
    ("g", True, Ok({"lon": 0, "lat": 0})),
    # (An object mixing a bad member with a good one, such as {"lon": "1", "lat": 2}, is decoded
    # by PocketBase in random member order, so its answer varies between {0,0} and {0,2}.)
    ("g", {"lon": "1"}, Ok({"lon": 0, "lat": 0})),
    ("g", {"lon": None, "lat": 2}, Ok({"lon": 0, "lat": 2})),
    ("g", {"lon": 1, "lat": 2, "x": 3}, Ok({"lon": 1, "lat": 2})),
    ("g", {"LON": 5, "Lat": 6}, Ok({"lon": 0, "lat": 0})),
    ("g", {"lon": True}, Ok({"lon": 0, "lat": 0})),
    ("g", {"lon": [1]}, Ok({"lon": 0, "lat": 0})),
    ("g", "[1,2]", Ok({"lon": 0, "lat": 0})),
    ("g", "null", Ok({"lon": 0, "lat": 0})),
    ("g", '{"lon":1}x', Ok({"lon": 1, "lat": 0})),
    ("g", ' {"lon":1}', Ok({"lon": 1, "lat": 0})),
    ("g", '{"lon":1,"lon":2}', Ok({"lon": 1, "lat": 0})),
    ("g", '{"lon":1e400}', Ok({"lon": 0, "lat": 0})),
    ("g", '{"lat":2,"lon":"x"}', Ok({"lon": 0, "lat": 2})),
    ("g", '{"lat":2,"x":[1,}', Ok({"lon": 0, "lat": 2})),
    ("g", '{"lat":2,"x":1,"x":2}', Ok({"lon": 0, "lat": 2})),
    ("g", '{"lat":2,"lon":null}', Ok({"lon": 0, "lat": 2})),
    ("g", '{"lat":2.5e-3,"lon":-1E2}', Ok({"lon": -100, "lat": 0.0025})),
    ("g", {"lon": 181, "lat": 0}, BAD_LON),
    ("g", {"lon": 0, "lat": 91}, BAD_LAT),
    ("g", {"lon": 200, "lat": 100}, BAD_LAT),
    ("g", {"lon": 1.5e300, "lat": 0}, BAD_LON),
    ("greq", {"lon": 0, "lat": 0}, REQUIRED),
    ("greq", {"lon": 0.5, "lat": 0}, Ok({"lon": 0.5, "lat": 0})),
]


# -- settings: the errors PocketBase reported for one field (data.fields.<index>) -------------
VIEW = "@view"  # replaced by a view collection's id


def _min(threshold: int) -> dict[str, Any]:
    return {
        "code": "validation_min_greater_equal_than_required",
        "message": f"Must be no less than {threshold}.",
        "params": {"threshold": threshold},
    }


def _max(threshold: int) -> dict[str, Any]:
    return {
        "code": "validation_max_less_equal_than_required",
        "message": f"Must be no greater than {threshold}.",
        "params": {"threshold": threshold},
    }


def _regex(message: str) -> dict[str, Any]:
    return {"code": "validation_invalid_regex", "message": message}


_REQ = REQUIRED.as_dict()
_ONLY_INT = ONLY_INT.as_dict()
_BLANK = {"code": "validation_empty", "message": "Must be blank."}
_DOMAIN = {"code": "validation_is_domain", "message": "Must be a valid domain."}
_NOT_IN = {"code": "validation_not_in_invalid", "message": "Must not be in list."}
_MATCH = {"code": "validation_match_invalid", "message": "Must be in a valid format."}
_LENGTH = {
    "code": "validation_length_out_of_range",
    "message": "The length must be between 1 and 100.",
    "params": {"max": 100, "min": 1},
}
_NEED_ONE = {"code": "validation_required", "message": "Either onCreate or onUpdate must be enabled."}
MAX_SAFE = 2**53 - 1
BAD_DOMAINS = [
    "localhost",
    "a_b.co",
    "x.co.",
    "X.CO",
    "-a.co",
    "a",
    "a..b",
    "é.co",
    "1.2.3.4",
    "x.c0",
    "xn--80ak6aa92e.com",
    "a.xn--p1ai",
    "a.XN--P1AI",
    "a-.co",
    "a.b-c",
    "a" * 63 + ".co",
    "a" * 64 + ".co",
    "a." + "b" * 63,
    "a." + "b" * 64,
    "",
    " a.co",
    "a.co ",
    "x.co\n",
]
_GOOD_DOMAIN_INDEXES = {3, 10, 15, 17, 19}

SETTINGS_CASES: list[tuple[dict[str, Any], dict[str, Any]]] = [
    # text
    (
        {"name": "x", "type": "text", "pattern": "(abc"},
        {"pattern": _regex("Error parsing regexp: missing closing ): `(abc`.")},
    ),
    (
        {"name": "x", "type": "text", "pattern": "a\\Z"},
        {"pattern": _regex("Error parsing regexp: invalid escape sequence: `\\Z`.")},
    ),
    (
        {"name": "x", "type": "text", "pattern": "(?=a)"},
        {"pattern": _regex("Error parsing regexp: invalid or unsupported Perl syntax: `(?=`.")},
    ),
    (
        {"name": "x", "type": "text", "pattern": "[[:foo:]]"},
        {"pattern": _regex("Error parsing regexp: invalid character class range: `[:foo:]`.")},
    ),
    ({"name": "x", "type": "text", "pattern": "(?P<1>a)"}, {}),
    ({"name": "x", "type": "text", "min": -1}, {"min": _min(0)}),
    ({"name": "x", "type": "text", "min": 5, "max": 3}, {"max": _min(5)}),
    ({"name": "x", "type": "text", "max": -1}, {"max": _min(0)}),
    ({"name": "x", "type": "text", "max": 2**53}, {"max": _max(MAX_SAFE)}),
    (
        {"name": "x", "type": "text", "autogeneratePattern": "(abc"},
        {"autogeneratePattern": _regex("Error parsing regexp: missing closing ): `(abc`.")},
    ),
    ({"name": "x", "type": "text", "autogeneratePattern": "a*"}, {}),
    ({"name": "x", "type": "text", "autogeneratePattern": "a?", "min": 1}, {}),
    ({"name": "x", "type": "text", "autogeneratePattern": "\\pL{5}"}, {}),
    (
        {"name": "x", "type": "text", "autogeneratePattern": "^[a-z]{3}$"},
        {
            "autogeneratePattern": {
                "code": "validation_invalid_autogenerate_pattern",
                "message": "Unsupported pattern operator 9.",
            }
        },
    ),
    (
        {"name": "x", "type": "text", "autogeneratePattern": "\\b[a-z]"},
        {
            "autogeneratePattern": {
                "code": "validation_invalid_autogenerate_pattern",
                "message": "Unsupported pattern operator 11.",
            }
        },
    ),
    (
        {"name": "x", "type": "text", "autogeneratePattern": "()"},
        {
            "autogeneratePattern": {
                "code": "validation_invalid_autogenerate_pattern",
                "message": "Unsupported pattern operator 2.",
            }
        },
    ),
    (
        {"name": "x", "type": "text", "primaryKey": True},
        {
            "name": {"code": "validation_in_invalid", "message": 'The primary key must be named "id".'},
            "pattern": _REQ,
            "primaryKey": {
                "code": "validation_unsupported_composite_pk",
                "message": "Composite PKs are not supported and the collection must have only 1 PK.",
            },
            "required": _REQ,
        },
    ),
    (
        {"name": "x", "type": "text", "help": "h" * 301},
        {
            "help": {
                "code": "validation_length_out_of_range",
                "message": "The length must be between 1 and 300.",
                "params": {"max": 300, "min": 1},
            }
        },
    ),
    ({"name": "x", "type": "text", "help": "h" * 300}, {}),
    ({"name": "", "type": "text"}, {"name": _REQ}),
    ({"name": "a b", "type": "text"}, {"name": _MATCH}),
    ({"name": "é", "type": "text"}, {"name": _MATCH}),
    ({"name": "null", "type": "text"}, {"name": _NOT_IN}),
    ({"name": "expand", "type": "text"}, {"name": _NOT_IN}),
    (
        {"name": "a_via_b", "type": "text"},
        {"name": {"code": "validation_found_via", "message": 'The value cannot contain "_via_".'}},
    ),
    ({"name": "x" * 101, "type": "text"}, {"name": _LENGTH}),
    ({"name": "x", "id": "i" * 101, "type": "text"}, {"id": _LENGTH}),
    # number
    (
        {"name": "x", "type": "number", "min": 5, "max": 3},
        {
            "max": {
                "code": "validation_min_number_constraint",
                "message": "Must be greater or equal than 5.",
                "params": {"min": 5},
            }
        },
    ),
    (
        {"name": "x", "type": "number", "min": 1.5, "onlyInt": True, "max": 2.5},
        {"max": _ONLY_INT, "min": _ONLY_INT},
    ),
    ({"name": "x", "type": "number", "max": 2.5, "onlyInt": True}, {"max": _ONLY_INT}),
    ({"name": "x", "type": "number", "min": -1e300, "max": 1e300}, {}),
    # select
    ({"name": "x", "type": "select"}, {"values": _REQ}),
    ({"name": "x", "type": "select", "values": ["a"], "maxSelect": 2}, {"maxSelect": _max(1)}),
    ({"name": "x", "type": "select", "values": ["a", "b"], "maxSelect": -1}, {"maxSelect": _min(0)}),
    ({"name": "x", "type": "select", "values": [], "maxSelect": 2}, {"maxSelect": _max(1), "values": _REQ}),
    ({"name": "x", "type": "select", "values": ["a", "a"], "maxSelect": 2}, {}),
    ({"name": "x", "type": "select", "values": ["a", ""], "maxSelect": 1}, {}),
    # email / url
    (
        {"name": "x", "type": "email", "onlyDomains": ["x.co"], "exceptDomains": ["y.co"]},
        {"exceptDomains": _BLANK, "onlyDomains": _BLANK},
    ),
    ({"name": "x", "type": "email", "onlyDomains": ["bad domain", "ok.co"]}, {"onlyDomains": {"0": _DOMAIN}}),
    (
        {"name": "x", "type": "url", "exceptDomains": BAD_DOMAINS},
        {
            "exceptDomains": {
                str(i): _DOMAIN for i in range(len(BAD_DOMAINS)) if i not in _GOOD_DOMAIN_INDEXES
            }
        },
    ),
    # editor / json
    ({"name": "x", "type": "editor", "maxSize": -1}, {"maxSize": _min(0)}),
    ({"name": "x", "type": "json", "maxSize": -5}, {"maxSize": _min(0)}),
    ({"name": "x", "type": "json", "maxSize": 2**53}, {"maxSize": _max(MAX_SAFE)}),
    # password
    ({"name": "x", "type": "password", "cost": 3}, {"cost": _min(4)}),
    ({"name": "x", "type": "password", "cost": 32}, {"cost": _max(31)}),
    ({"name": "x", "type": "password", "max": 72}, {"max": _max(71)}),
    ({"name": "x", "type": "password", "min": 72}, {"min": _max(71)}),
    ({"name": "x", "type": "password", "min": 10, "max": 5}, {"max": _min(10)}),
    ({"name": "x", "type": "password", "min": -1}, {"min": _min(1)}),
    (
        {"name": "x", "type": "password", "pattern": "(a"},
        {"pattern": _regex("Error parsing regexp: missing closing ): `(a`.")},
    ),
    # autodate / date / others
    (
        {"name": "x", "type": "autodate", "onCreate": False, "onUpdate": False},
        {"onCreate": _NEED_ONE, "onUpdate": _NEED_ONE},
    ),
    ({"name": "x", "type": "autodate", "onCreate": False, "onUpdate": True}, {}),
    ({"name": "x", "type": "date", "min": "2021-01-01 00:00:00.000Z", "max": "2020-01-01 00:00:00.000Z"}, {}),
    ({"name": "x", "type": "date", "min": "garbage"}, {}),
    ({"name": "x", "type": "geoPoint", "help": "x"}, {}),
    ({"name": "x", "type": "bool", "hidden": True, "presentable": True}, {}),
    # relation
    ({"name": "x", "type": "relation"}, {"collectionId": _REQ}),
    (
        {"name": "x", "type": "relation", "collectionId": "nope"},
        {
            "collectionId": {
                "code": "validation_field_relation_missing_collection",
                "message": "The relation collection doesn't exist.",
            }
        },
    ),
    (
        {"name": "x", "type": "relation", "collectionId": "target"},
        {
            "collectionId": {
                "code": "validation_field_relation_missing_collection",
                "message": "The relation collection doesn't exist.",
            }
        },
    ),
    (
        {"name": "x", "type": "relation", "collectionId": VIEW},
        {
            "collectionId": {
                "code": "validation_relation_field_non_view_base_collection",
                "message": "Only view collections are allowed to have relations to other views.",
            }
        },
    ),
    (
        {"name": "x", "type": "relation", "collectionId": TARGET, "minSelect": 3, "maxSelect": 2},
        {"maxSelect": _min(3)},
    ),
    ({"name": "x", "type": "relation", "collectionId": TARGET, "minSelect": 2}, {"maxSelect": _REQ}),
    ({"name": "x", "type": "relation", "collectionId": TARGET, "minSelect": -1}, {"minSelect": _min(0)}),
    ({"name": "x", "type": "relation", "collectionId": TARGET, "maxSelect": -1}, {"maxSelect": _min(0)}),
    ({"name": "x", "type": "relation", "collectionId": TARGET, "minSelect": 1, "maxSelect": 1}, {}),
    # file
    (
        {"name": "x", "type": "file", "maxSelect": -1, "maxSize": -1},
        {"maxSelect": _min(0), "maxSize": _min(0)},
    ),
    (
        {
            "name": "x",
            "type": "file",
            "thumbs": ["100x100", "0x0", "0x0t", "100x", "abc", "100x100z", "0x100", "100x100f", " 1x1", ""],
        },
        {"thumbs": {"1": _NOT_IN, "2": _NOT_IN, "3": _MATCH, "4": _MATCH, "5": _MATCH, "8": _MATCH}},
    ),
]


def cases_for(*names: str) -> list[tuple[str, Any, Ok | Err]]:
    """The cases of the given fields, for one type's test module."""
    return [c for c in CASES if c[0] in names]


def case_id(case: tuple[str, Any, Ok | Err]) -> str:
    name, value, _ = case
    text = repr(value)
    return f"{name}:{text[:40]}"
