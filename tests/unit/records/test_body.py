"""Body decoding: JSON, urlencoded and multipart with PocketBase's value inference."""

from __future__ import annotations

import pytest

from palapy.records.body import infer_value, parse_body, parse_urlencoded
from palapy.tools.errors import ApiError


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("", ""),
        ("true", True),
        ("false", False),
        ("True", "True"),
        ("12", 12.0),
        ("1.5", 1.5),
        ("-3", -3.0),
        ("-0", -0.0),
        ("007", "007"),
        ("1.50", "1.50"),
        ("1e3", "1e3"),
        ("1.", "1."),
        (".5", ".5"),
        ("-", "-"),
        ("1_000", "1_000"),
        ("12abc", "12abc"),
        ("100000000000000000000000", 1e23),
        ("٣", "٣"),
    ],
)
def test_infer_value_matches_go_float_printing(raw: str, expected: object) -> None:
    value = infer_value(raw)
    assert value == expected
    assert type(value) is type(expected)


def test_json_object_is_decoded_and_trailing_junk_is_tolerated() -> None:
    body = parse_body("application/json; charset=utf-8", b' {"a": 1, "b": [1, "x"]} ,garbage')
    assert body.data == {"a": 1, "b": [1, "x"]}
    assert body.files == {}


@pytest.mark.parametrize("raw", [b"{", b"[1,2]", b'"text"', b"{'a':1}", b'{"a": NaN}', b'{"n": 1e400}'])
def test_invalid_or_non_object_json_is_a_generic_400(raw: bytes) -> None:
    with pytest.raises(ApiError) as exc:
        parse_body("application/json", raw)
    assert exc.value.status == 400
    assert exc.value.message == "Something went wrong while processing your request."


def test_json_null_and_empty_body_mean_no_data() -> None:
    assert parse_body("application/json", b"null").data == {}
    assert parse_body("text/plain", b"").data == {}
    assert parse_body("", b"").data == {}


@pytest.mark.parametrize("ctype", ["text/plain", "Application/JSON", "", "application/octet-stream"])
def test_unknown_content_type_with_a_body_is_rejected(ctype: str) -> None:
    with pytest.raises(ApiError) as exc:
        parse_body(ctype, b"x=1")
    assert (exc.value.status, exc.value.message) == (400, "Unsupported Content-Type.")


def test_xml_is_a_generic_400() -> None:
    with pytest.raises(ApiError) as exc:
        parse_body("application/xml", b"<a>1</a>")
    assert exc.value.message == "Something went wrong while processing your request."


def test_urlencoded_values_are_inferred_and_repeated_keys_become_lists() -> None:
    body = parse_body(
        "application/x-www-form-urlencoded",
        b"title=Hello+World&views=12&tags=a&tags=b&flag=true&code=007&empty=&pct=%41%2B",
    )
    assert body.data == {
        "title": "Hello World",
        "views": 12.0,
        "tags": ["a", "b"],
        "flag": True,
        "code": "007",
        "empty": "",
        "pct": "A+",
    }


@pytest.mark.parametrize("raw", [b"a=%zz", b"a=1;b=2", b"a=%4"])
def test_urlencoded_rejects_what_go_rejects(raw: bytes) -> None:
    with pytest.raises(ValueError):
        parse_urlencoded(raw)
    with pytest.raises(ApiError):
        parse_body("application/x-www-form-urlencoded", raw)


def _multipart(parts: list[tuple[str, str | None, bytes]], boundary: str = "XyZ") -> tuple[str, bytes]:
    chunks = []
    for name, filename, data in parts:
        disp = f'form-data; name="{name}"' + (f'; filename="{filename}"' if filename is not None else "")
        head = f"--{boundary}\r\nContent-Disposition: {disp}\r\n"
        if filename is not None:
            head += "Content-Type: application/octet-stream\r\n"
        chunks.append(head.encode() + b"\r\n" + data + b"\r\n")
    return f"multipart/form-data; boundary={boundary}", b"".join(chunks) + f"--{boundary}--\r\n".encode()


def test_multipart_values_files_and_json_payload() -> None:
    ctype, raw = _multipart(
        [
            ("title", None, b"With Files"),
            ("views", None, b"7"),
            ("tags", None, b"a"),
            ("tags", None, b"b"),
            ("@jsonPayload", None, b'{"meta": {"x": 1}, "views": "8"}'),
            ("@jsonPayload", None, b'{"extra": [1, 2]}'),
            ("files", "red.png", b"\x89PNG\r\n\x1a\nrest"),
            ("files", "My Blue File.PNG", b"\x89PNG\r\n\x1a\nmore"),
            ("doc+", "doc.txt", b"hello"),
        ]
    )
    body = parse_body(ctype, raw)
    assert body.is_multipart
    # @jsonPayload wins over the inferred form value, without inference.
    assert body.data == {
        "title": "With Files",
        "views": "8",
        "tags": ["a", "b"],
        "meta": {"x": 1},
        "extra": [1, 2],
    }
    assert [f.original_name for f in body.files["files"]] == ["red.png", "My Blue File.PNG"]
    assert body.files["files"][1].name.startswith("my_blue_file_")
    assert body.files["files"][1].name.endswith(".PNG")
    assert body.files["doc+"][0].content == b"hello"


def test_multipart_without_boundary_or_with_bad_json_payload_is_400() -> None:
    with pytest.raises(ApiError):
        parse_body("multipart/form-data", b"--x\r\n")
    ctype, raw = _multipart([("@jsonPayload", None, b"[1]")])
    with pytest.raises(ApiError):
        parse_body(ctype, raw)


def test_form_bodies_also_receive_the_query_values_like_go() -> None:
    body = parse_body("application/x-www-form-urlencoded", b"n=5&t=body", b"t=query&expand=x")
    assert body.data == {"n": 5.0, "t": ["body", "query"], "expand": "x"}
    ctype, raw = _multipart([("t", None, b"body")])
    assert parse_body(ctype, raw, b"t=query").data == {"t": ["query", "body"]}
    # JSON bodies never see the query.
    assert parse_body("application/json", b'{"t": 1}', b"t=query").data == {"t": 1}
