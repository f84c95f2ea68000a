"""multipart/form-data read as Go's mime/multipart reads it (the cases PocketBase 0.40.6 was
observed on are in tests/api/test_record_crud_files.py)."""

from __future__ import annotations

import pytest

from palapy.tools.multipart import MAX_PARTS, MultipartError, Part, PartHead, PartStream, parse_multipart

CT = "multipart/form-data; boundary=XyZ"


def _body(*parts: tuple[bytes, bytes], end: bool = True) -> bytes:
    out = b"".join(b"--XyZ\r\n" + head + b"\r\n\r\n" + data + b"\r\n" for head, data in parts)
    return out + (b"--XyZ--\r\n" if end else b"")


def _named(name: bytes, data: bytes, filename: bytes | None = None) -> tuple[bytes, bytes]:
    head = b'Content-Disposition: form-data; name="' + name + b'"'
    if filename is not None:
        head += b'; filename="' + filename + b'"'
    return head, data


def test_values_and_files_in_order() -> None:
    body = _body(_named(b"a", b"1"), _named(b"f", b"PNG", b"x.png"), _named(b"a", b"2"))
    assert parse_multipart(body, CT) == [
        Part("a", None, "", b"1"),
        Part("f", "x.png", "", b"PNG"),
        Part("a", None, "", b"2"),
    ]


@pytest.mark.parametrize(
    ("sent", "read"),
    [
        (b"../../evil.png", "evil.png"),
        (b"a/b/c.png", "c.png"),
        (b"dir/", "dir"),
        (b"..", ".."),
        (b"/", "/"),
        (b"", None),  # no file name: a plain value
    ],
)
def test_file_names_keep_their_last_path_element(sent: bytes, read: str | None) -> None:
    assert parse_multipart(_body(_named(b"f", b"x", sent)), CT)[0].filename == read


def test_rfc_2231_file_names_and_utf8_headers() -> None:
    head = b"Content-Disposition: form-data; name=\"f\"; filename*=UTF-8''caf%C3%A9.txt"
    assert parse_multipart(_body((head, b"x")), CT)[0].filename == "café.txt"
    raw = _named(b"f", b"x", "naïve.txt".encode())
    assert parse_multipart(_body(raw), CT)[0].filename == "naïve.txt"


def test_parts_without_a_form_name_are_skipped() -> None:
    body = _body(
        (b'Content-Disposition: form-data; filename="x.png"', b"no name"),
        (b"Content-Type: text/plain", b"no disposition"),
        (b'Content-Disposition: attachment; name="a"', b"not form-data"),
        _named(b"kept", b"1"),
    )
    assert [p.name for p in parse_multipart(body, CT)] == ["kept"]


@pytest.mark.parametrize(
    "body",
    [
        _body(_named(b"a", b"1"), end=False),  # no closing boundary
        _body(_named(b"a", b"1"))[:-12],  # cut inside the last part
        b"no boundary at all",
        _body(_named(b"f", b"x", b"a\x00b.png")),  # Go refuses control bytes in header values
        _body(*[_named(b"a", b"1")] * (MAX_PARTS + 1)),
    ],
    ids=["unclosed", "cut", "garbage", "nul-in-header", "too-many-parts"],
)
def test_malformed_bodies_are_errors(body: bytes) -> None:
    with pytest.raises(MultipartError):
        parse_multipart(body, CT)


def test_exactly_the_part_limit_is_read() -> None:
    assert len(parse_multipart(_body(*[_named(b"a", b"1")] * MAX_PARTS), CT)) == MAX_PARTS


def test_a_missing_boundary_parameter_is_an_error() -> None:
    with pytest.raises(MultipartError):
        PartStream("multipart/form-data")


def test_chunks_of_one_byte_give_the_same_parts() -> None:
    body = _body(_named(b"a", b"hello"), _named(b"f", b"\r\n--Xy not a boundary\r\n", b"f.bin"))
    stream = PartStream(CT)
    events: list[PartHead | bytes | None] = []
    for i in range(len(body)):
        events.extend(stream.feed(body[i : i + 1]))
    events.extend(stream.feed(b""))
    stream.close()
    heads = [e for e in events if isinstance(e, PartHead)]
    assert [(h.name, h.filename) for h in heads] == [("a", None), ("f", "f.bin")]
    content = b"".join(e for e in events if isinstance(e, bytes))
    assert content == b"hello" + b"\r\n--Xy not a boundary\r\n"
    assert events.count(None) == 2
