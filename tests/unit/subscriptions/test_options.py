"""`parse_options`: a subscription's `?options=<JSON>` read as PocketBase 0.40 reads it.

Expected values were checked against the reference PocketBase 0.40.6 binary (a JS hook that
returns `client.subscriptions()` after `POST /api/realtime`).
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

import pytest

from palapy.subscriptions.options import EMPTY_OPTIONS, SubscriptionOptions, parse_options


def encode_uri_component(text: str) -> str:
    """JavaScript's encodeURIComponent."""
    return quote(text, safe="-_.!~*'()")


def sdk_topic(topic: str, query: dict[str, Any] | None = None, headers: dict[str, Any] | None = None) -> str:
    """A subscription as the JS SDK builds it: `encodeURIComponent(JSON.stringify({query, headers}))`."""
    payload = json.dumps({"query": query or {}, "headers": headers or {}}, separators=(",", ":"))
    return f"{topic}?options={encode_uri_component(payload)}"


def raw_options(topic: str, json_text: str) -> str:
    """A subscription carrying `json_text` percent-encoded as its options value."""
    return f"{topic}?options={encode_uri_component(json_text)}"


def test_sdk_encoded_options_give_their_query_and_headers() -> None:
    sub = sdk_topic("posts/*", {"filter": "title ~ 'a&b=c'", "expand": "owner"}, {"X-Token": "abc"})

    assert parse_options(sub) == SubscriptionOptions(
        query={"filter": "title ~ 'a&b=c'", "expand": "owner"}, headers={"x_token": "abc"}
    )


@pytest.mark.parametrize(
    "sub", ["posts/*", "posts/abc", "posts?", "posts?x=1", "posts?options", "posts?options="]
)
def test_a_subscription_without_an_options_value_has_empty_options(sub: str) -> None:
    assert parse_options(sub) == EMPTY_OPTIONS


def test_the_options_parameter_name_is_case_sensitive() -> None:
    sub = "posts?Options=" + encode_uri_component('{"query":{"a":"1"}}')

    assert parse_options(sub) == EMPTY_OPTIONS


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("x", "x"),
        (1, "1"),
        (1.5, "1.5"),
        (-1.5, "-1.5"),
        (1e21, "1000000000000000000000"),
        (1e-7, "0.0000001"),
        (2**53 + 1, "9007199254740992"),  # a JSON number is a float64 in Go
        (123456789012345678, "123456789012345680"),
        (True, "true"),
        (False, "false"),
        (None, ""),
        ([1, 2], ""),
        ({"k": 1}, ""),
        ("\x00", "\x00"),
    ],
)
def test_query_and_header_values_become_strings_as_cast_to_string_prints_them(
    value: Any, expected: str
) -> None:
    options = parse_options(sdk_topic("posts", {"q": value}, {"h": value}))

    assert options.query == {"q": expected}
    assert options.headers == {"h": expected}


@pytest.mark.parametrize(
    ("literal", "expected"),
    [("1.0", "1"), ("1E3", "1000"), ("-1.50", "-1.5"), ("1e2", "100"), ("0.000001", "0.000001")],
)
def test_number_literals_are_printed_as_go_formats_a_float64(literal: str, expected: str) -> None:
    options = parse_options(raw_options("posts", '{"query":{"a":' + literal + "}}"))

    assert options.query == {"a": expected}


def test_negative_zero_is_printed_with_its_sign() -> None:
    options = parse_options(raw_options("posts", '{"query":{"a":-0}}'))

    assert options.query == {"a": "-0"}


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("X-Token", "x_token"),
        ("xToken", "x_token"),
        ("myTestDB", "my_test_db"),
        ("Authorization", "authorization"),
        ("X__Custom--Header", "x_custom_header"),
        ("x1Token", "x1_token"),
        ("ABC", "abc"),
        ("_x_", "x"),
        ("X-Tökén", "x_t_k_n"),  # Go's \W is ASCII-only: non-ASCII letters split words
        ("\u0100B", "b"),
    ],
)
def test_header_names_are_snake_cased_like_pocketbase_inflector(name: str, expected: str) -> None:
    options = parse_options(sdk_topic("posts", headers={name: "v"}))

    assert options.headers == {expected: "v"}


def test_query_names_are_kept_exactly_as_sent() -> None:
    options = parse_options(sdk_topic("posts", {"X-Token": "1", "myKey": "2"}))

    assert options.query == {"X-Token": "1", "myKey": "2"}


def test_a_raw_plus_in_the_query_string_is_a_space_and_an_encoded_plus_is_a_plus() -> None:
    raw = parse_options('posts?options={"query":{"f":"a+b"}}')
    encoded = parse_options(sdk_topic("posts", {"f": "a+b"}))

    assert raw.query == {"f": "a b"}
    assert encoded.query == {"f": "a+b"}


def test_unencoded_json_without_reserved_characters_is_read_as_is() -> None:
    assert parse_options('posts/*?options={"query":{"a":"1"}}').query == {"a": "1"}


def test_only_the_first_options_value_is_used() -> None:
    first = sdk_topic("posts", {"a": "1"})
    second = encode_uri_component('{"query":{"a":"2"}}')

    assert parse_options(f"{first}&options={second}").query == {"a": "1"}


def test_an_empty_first_options_value_means_no_options_even_if_another_follows() -> None:
    second = encode_uri_component('{"query":{"a":"2"}}')

    assert parse_options(f"posts?options=&options={second}") == EMPTY_OPTIONS


def test_an_options_pair_with_a_bad_escape_is_skipped_and_the_next_one_is_used() -> None:
    second = encode_uri_component('{"query":{"a":"2"}}')

    assert parse_options(f"posts?options=%zz&options={second}").query == {"a": "2"}


def test_an_options_pair_containing_a_semicolon_is_skipped() -> None:
    assert parse_options('posts?options={"query":{"a":"1;2"}}') == EMPTY_OPTIONS


def test_other_query_pairs_do_not_hide_the_options_even_with_semicolons_or_bad_escapes() -> None:
    value = encode_uri_component('{"query":{"a":"1"}}')

    assert parse_options(f"posts/x/y?x=1;y=2&z=%zz&options={value}&b=2").query == {"a": "1"}


def test_a_bad_escape_in_the_path_makes_the_url_unreadable() -> None:
    assert parse_options(raw_options("posts%zz", '{"query":{"a":"1"}}')) == EMPTY_OPTIONS


def test_a_control_character_before_the_fragment_makes_the_url_unreadable() -> None:
    assert parse_options(raw_options("posts\x01", '{"query":{"a":"1"}}')) == EMPTY_OPTIONS


def test_a_fragment_is_not_part_of_the_options() -> None:
    assert parse_options(raw_options("posts", '{"query":{"a":"1"}}') + "#frag").query == {"a": "1"}


def test_a_question_mark_inside_the_fragment_does_not_start_a_query() -> None:
    assert parse_options("posts#x?options=" + encode_uri_component('{"query":{"a":"1"}}')) == EMPTY_OPTIONS


@pytest.mark.parametrize("topic", ["chat:1", "//host/posts", "posts/*"])
def test_topics_that_go_parses_as_urls_keep_their_options(topic: str) -> None:
    assert parse_options(raw_options(topic, '{"query":{"a":"1"}}')).query == {"a": "1"}


@pytest.mark.parametrize(
    "json_text", ["not json", "{", '{"query":', "[1]", '"str"', "null", "5", " ", '[{"query":{"a":"1"}}]']
)
def test_unreadable_json_or_a_non_object_gives_empty_options(json_text: str) -> None:
    assert parse_options(raw_options("posts", json_text)) == EMPTY_OPTIONS


@pytest.mark.parametrize(
    ("json_text", "query", "headers"),
    [
        ('{"headers":{"h":"1"},"query":"x"}', {}, {"h": "1"}),
        ('{"headers":{"H":"1"},"query":[1]}', {}, {"h": "1"}),
        ('{"query":{"a":"1"},"headers":5}', {"a": "1"}, {}),
        ('{"query":null,"headers":{"h":"1"}}', {}, {"h": "1"}),
        ('{"query":{"a":"1"},"other":5,"headers":{"h":2}}', {"a": "1"}, {"h": "2"}),
        ('  {"query":{"a":"1"}}  ', {"a": "1"}, {}),
    ],
)
def test_null_unknown_or_trailing_mistyped_members_do_not_hide_the_others(
    json_text: str, query: dict[str, str], headers: dict[str, str]
) -> None:
    assert parse_options(raw_options("posts", json_text)) == SubscriptionOptions(query=query, headers=headers)


# --- Go's encoding/json/v2 and url.Parse, as the PocketBase 0.40.6 binary behaves ---------


@pytest.mark.parametrize(
    "json_text",
    ['{"Query":{"a":"1"}}', '{"QUERY":{"a":"1"}}', '{"Headers":{"a":"1"}}', '{"HEADERS":{"a":"1"}}'],
)
def test_the_query_and_headers_keys_are_case_sensitive(json_text: str) -> None:
    assert parse_options(raw_options("posts", json_text)) == EMPTY_OPTIONS


@pytest.mark.parametrize(
    ("json_text", "query", "headers"),
    [
        ('{"query":"x","headers":{"h":"1"}}', {}, {}),
        ('{"query":{"a":"1"},"query":{"b":"2"},"headers":{"h":"1"}}', {"a": "1"}, {}),
        ('{"headers":{"h":"1"},"query":{"a":"1","a":"2","b":"3"}}', {"a": "1"}, {"h": "1"}),
        ('{"query":{"a":"1"}', {"a": "1"}, {}),
        ('{"query":{"a":"1",}}', {"a": "1"}, {}),
        ('{"query":{"a":"1"}}garbage{', {"a": "1"}, {}),
        ('{"query":{"a":"1","b":"\\ud800","c":"3"}}', {"a": "1", "b": ""}, {}),
    ],
)
def test_malformed_json_keeps_what_was_decoded_before_the_error(
    json_text: str, query: dict[str, str], headers: dict[str, str]
) -> None:
    assert parse_options(raw_options("posts", json_text)) == SubscriptionOptions(query=query, headers=headers)


@pytest.mark.parametrize(
    "sub",
    [
        # a relative URL whose first path segment has a colon (not a valid scheme: `_`)
        "chat_room:1?options=" + encode_uri_component('{"query":{"a":"1"}}'),
        # "missing protocol scheme"
        ":x?options=" + encode_uri_component('{"query":{"a":"1"}}'),
        # a bad escape in the fragment
        "posts?options=" + encode_uri_component('{"query":{"a":"1"}}') + "#%zz",
    ],
)
def test_subscriptions_that_go_cannot_parse_as_urls_have_no_options(sub: str) -> None:
    assert parse_options(sub) == EMPTY_OPTIONS


def test_a_control_character_in_the_fragment_does_not_drop_the_options() -> None:
    sub = "posts?options=" + encode_uri_component('{"query":{"a":"1"}}') + "#\x01"

    assert parse_options(sub).query == {"a": "1"}
