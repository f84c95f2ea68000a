"""The collections API (PocketBase apis/collection_test.go; pocketbase-api.md §2, T3)."""

from __future__ import annotations

import zlib
from collections.abc import Callable
from typing import Any

from tests.harness.scenario import ABSENT, ANY, DATE, Re, Scenario

UNAUTHORIZED = {
    "data": {},
    "message": "The request requires valid record authorization token.",
    "status": 401,
}
FORBIDDEN = {
    "data": {},
    "message": "The authorized record is not allowed to perform this action.",
    "status": 403,
}
NOT_FOUND = {"data": {}, "message": "The requested resource wasn't found.", "status": 404}
ID_FIELD = {
    "autogeneratePattern": "[a-z0-9]{15}",
    "help": "",
    "hidden": False,
    "id": "text3208210256",
    "max": 15,
    "min": 15,
    "name": "id",
    "pattern": "^[a-z0-9]+$",
    "presentable": False,
    "primaryKey": True,
    "required": True,
    "system": True,
    "type": "text",
}


def field_id(kind: str, name: str) -> str:
    """PocketBase's deterministic field id: type + decimal crc32(name)."""
    return f"{kind}{zlib.crc32(name.encode())}"


def collection_id(kind: str, name: str) -> str:
    """PocketBase's deterministic collection id: pbc_ + decimal crc32(type + name)."""
    return f"pbc_{zlib.crc32((kind + name).encode())}"


def _invalid(name: str, errors: dict[str, Any], action: str = "create") -> dict[str, Any]:
    return {"data": errors, "message": f"Failed to {action} collection.", "status": 400}


_BASE = {"help": "", "hidden": False, "presentable": False, "required": False, "system": False}

# (type, extra options sent, the field JSON PocketBase echoes back besides id/name/type)
FIELD_DEFAULTS: list[tuple[str, dict[str, Any], dict[str, Any]]] = [
    (
        "text",
        {},
        {**_BASE, "autogeneratePattern": "", "max": 0, "min": 0, "pattern": "", "primaryKey": False},
    ),
    ("number", {}, {**_BASE, "max": None, "min": None, "onlyInt": False}),
    ("bool", {}, dict(_BASE)),
    ("email", {}, {**_BASE, "exceptDomains": [], "onlyDomains": []}),
    ("url", {}, {**_BASE, "exceptDomains": [], "onlyDomains": []}),
    ("editor", {}, {**_BASE, "convertURLs": False, "maxSize": 0}),
    ("date", {}, {**_BASE, "max": "", "min": ""}),
    (
        "autodate",
        {"onCreate": True},
        {
            "hidden": False,
            "presentable": False,
            "system": False,
            "onCreate": True,
            "onUpdate": False,
            "help": ABSENT,
            "required": ABSENT,
        },
    ),
    ("select", {"values": ["x", "y"]}, {**_BASE, "maxSelect": 0, "values": ["x", "y"]}),
    ("file", {}, {**_BASE, "maxSelect": 0, "maxSize": 0, "mimeTypes": [], "protected": False, "thumbs": []}),
    (
        "relation",
        {"collectionId": "_pb_users_auth_"},
        {**_BASE, "cascadeDelete": False, "collectionId": "_pb_users_auth_", "maxSelect": 0, "minSelect": 0},
    ),
    ("json", {}, {**_BASE, "maxSize": 0}),
    ("geoPoint", {}, dict(_BASE)),
]


OPTION_FIELDS: list[dict[str, Any]] = [
    {
        "name": "t",
        "type": "text",
        "min": 2,
        "max": 10,
        "pattern": "^[a-z]+$",
        "presentable": True,
        "help": "hi",
    },
    {"name": "n", "type": "number", "min": 1, "max": 9, "onlyInt": True},
    {"name": "s", "type": "select", "values": ["a", "b", "c"], "maxSelect": 2},
    {
        "name": "f",
        "type": "file",
        "maxSelect": 2,
        "maxSize": 100,
        "mimeTypes": ["image/png"],
        "thumbs": ["10x10"],
        "protected": True,
    },
    {
        "name": "r",
        "type": "relation",
        "collectionId": "_pb_users_auth_",
        "cascadeDelete": True,
        "minSelect": 1,
        "maxSelect": 3,
    },
    {"name": "e", "type": "email", "onlyDomains": ["x.co"]},
    {"name": "d", "type": "date", "min": "2020-01-01 00:00:00.000Z", "max": ""},
    {"name": "j", "type": "json", "maxSize": 10, "hidden": True},
]
# The sent options plus every default PocketBase fills in.
ECHOED: dict[str, dict[str, Any]] = {
    "t": {
        **_BASE,
        "name": "t",
        "type": "text",
        "autogeneratePattern": "",
        "help": "hi",
        "max": 10,
        "min": 2,
        "pattern": "^[a-z]+$",
        "presentable": True,
        "primaryKey": False,
    },
    "n": {**_BASE, "name": "n", "type": "number", "max": 9, "min": 1, "onlyInt": True},
    "s": {**_BASE, "name": "s", "type": "select", "maxSelect": 2, "values": ["a", "b", "c"]},
    "f": {
        **_BASE,
        "name": "f",
        "type": "file",
        "maxSelect": 2,
        "maxSize": 100,
        "mimeTypes": ["image/png"],
        "protected": True,
        "thumbs": ["10x10"],
    },
    "r": {
        **_BASE,
        "name": "r",
        "type": "relation",
        "cascadeDelete": True,
        "collectionId": "_pb_users_auth_",
        "maxSelect": 3,
        "minSelect": 1,
    },
    "e": {**_BASE, "name": "e", "type": "email", "exceptDomains": [], "onlyDomains": ["x.co"]},
    "d": {**_BASE, "name": "d", "type": "date", "max": "", "min": "2020-01-01 00:00:00.000Z"},
    "j": {**_BASE, "name": "j", "type": "json", "hidden": True, "maxSize": 10},
}


def _field_default_scenario(kind: str, sent: dict[str, Any], echoed: dict[str, Any]) -> Scenario:
    name = f"f_{kind.lower()}"
    return Scenario(
        f"A {kind} field created with no options is echoed with every default option.",
        method="POST",
        url="/api/collections",
        auth="superuser",
        body={"name": f"t_{kind.lower()}", "fields": [{"name": name, "type": kind, **sent}]},
        json={"fields": [ID_FIELD, {"id": field_id(kind, name), "name": name, "type": kind, **echoed}]},
    )


SCENARIOS = [
    # -- access -----------------------------------------------------------------------------
    Scenario(
        "A guest cannot list collections.",
        url="/api/collections",
        status=401,
        json=UNAUTHORIZED,
        hooks={"*": 0},
    ),
    Scenario(
        "A regular user cannot list collections.",
        url="/api/collections",
        auth="user1",
        status=403,
        json=FORBIDDEN,
        hooks={"*": 0},
    ),
    Scenario(
        "A guest cannot view a collection.", url="/api/collections/posts", status=401, json=UNAUTHORIZED
    ),
    Scenario(
        "A regular user cannot view a collection.",
        url="/api/collections/posts",
        auth="user2",
        status=403,
        json=FORBIDDEN,
    ),
    Scenario(
        "A guest cannot create a collection.",
        method="POST",
        url="/api/collections",
        body={"name": "x"},
        status=401,
        json=UNAUTHORIZED,
        fresh=False,
    ),
    Scenario(
        "A regular user cannot create a collection.",
        method="POST",
        url="/api/collections",
        auth="user1",
        body={"name": "x"},
        status=403,
        json=FORBIDDEN,
        fresh=False,
    ),
    Scenario(
        "A regular user cannot delete a collection.",
        method="DELETE",
        url="/api/collections/locked",
        auth="user1",
        status=403,
        json=FORBIDDEN,
        fresh=False,
    ),
    Scenario(
        "A guest cannot delete a collection.",
        method="DELETE",
        url="/api/collections/locked",
        status=401,
        json=UNAUTHORIZED,
        fresh=False,
    ),
    Scenario(
        "A regular user cannot read the collection scaffolds.",
        url="/api/collections/meta/scaffolds",
        auth="user1",
        status=403,
        json=FORBIDDEN,
    ),
    Scenario(
        "A regular user cannot import collections.",
        method="PUT",
        url="/api/collections/import",
        auth="user1",
        body={"collections": []},
        status=403,
        json=FORBIDDEN,
        fresh=False,
    ),
    # -- list and view ----------------------------------------------------------------------
    Scenario(
        "A superuser lists every collection in insertion order, system collections first.",
        url="/api/collections",
        auth="superuser",
        params={"fields": "name"},
        json={
            "page": 1,
            "perPage": 30,
            "totalItems": 10,
            "totalPages": 1,
            "items": [
                {"name": n}
                for n in (
                    "_mfas",
                    "_otps",
                    "_externalAuths",
                    "_authOrigins",
                    "_superusers",
                    "users",
                    "posts",
                    "comments",
                    "notes",
                    "locked",
                )
            ],
        },
    ),
    Scenario(
        "A superuser filters collections by name.",
        url="/api/collections",
        auth="superuser",
        params={"filter": "name='posts'", "fields": "id,name,type"},
        json={"totalItems": 1, "items": [{"id": "{posts_id}", "name": "posts", "type": "base"}]},
    ),
    Scenario(
        "A superuser filters and sorts the system collections.",
        url="/api/collections",
        auth="superuser",
        params={"filter": "system=true", "sort": "name", "fields": "name"},
        json={
            "items": [
                {"name": n} for n in ("_authOrigins", "_externalAuths", "_mfas", "_otps", "_superusers")
            ]
        },
    ),
    Scenario(
        "Filtering collections by a rule column is not allowed and answers 400.",
        url="/api/collections",
        auth="superuser",
        params={"filter": "listRule=''"},
        status=400,
        json={"data": {}, "message": "Something went wrong while processing your request.", "status": 400},
    ),
    Scenario(
        "The collections list paginates with perPage.",
        url="/api/collections",
        auth="superuser",
        params={"perPage": "2", "page": "3", "fields": "name"},
        json={
            "page": 3,
            "perPage": 2,
            "totalItems": 10,
            "totalPages": 5,
            "items": [{"name": "_superusers"}, {"name": "users"}],
        },
    ),
    Scenario(
        "A superuser views the users collection by name with its auth options and rules.",
        url="/api/collections/users",
        auth="superuser",
        json={
            "id": "_pb_users_auth_",
            "name": "users",
            "type": "auth",
            "system": False,
            "listRule": "id = @request.auth.id",
            "viewRule": "id = @request.auth.id",
            "createRule": "",
            "updateRule": "id = @request.auth.id",
            "deleteRule": "id = @request.auth.id",
            "authRule": "",
            "manageRule": None,
            "passwordAuth": {"enabled": True, "identityFields": ["email"]},
            "authToken": {"duration": 432000},
        },
        not_contains=['"secret"'],
    ),
    Scenario(
        "A superuser views a collection by id.",
        url="/api/collections/{posts_id}",
        auth="superuser",
        json={
            "id": "{posts_id}",
            "name": "posts",
            "created": DATE,
            "updated": DATE,
            "indexes": [],
            "listRule": "",
            "viewRule": "",
            "createRule": "@request.auth.id != ''",
            "updateRule": "author = @request.auth.id",
            "deleteRule": "author = @request.auth.id",
        },
    ),
    Scenario(
        "The posts collection lists its fields in the order they were created.",
        url="/api/collections/posts",
        auth="superuser",
        params={"fields": "fields.name"},
        json={
            "fields": [
                {"name": n}
                for n in (
                    "id",
                    "title",
                    "body",
                    "views",
                    "score",
                    "published",
                    "status",
                    "tags",
                    "author",
                    "meta",
                    "due",
                    "contact",
                    "link",
                    "loc",
                    "doc",
                    "files",
                    "secret",
                    "created",
                    "updated",
                )
            ]
        },
    ),
    Scenario(
        "The hidden flag of a field is echoed in the collection.",
        url="/api/collections/posts",
        auth="superuser",
        contains=[
            '"hidden":true,"id":"text' + str(zlib.crc32(b"secret")) + '","max":0,"min":0,"name":"secret"'
        ],
    ),
    Scenario(
        "Viewing an unknown collection answers 404.",
        url="/api/collections/nope",
        auth="superuser",
        status=404,
        json=NOT_FOUND,
    ),
    # -- create -----------------------------------------------------------------------------
    Scenario(
        "A base collection created with no fields has only the id field.",
        method="POST",
        url="/api/collections",
        auth="superuser",
        body={"name": "articles", "type": "base"},
        json={
            "id": collection_id("base", "articles"),
            "listRule": None,
            "viewRule": None,
            "createRule": None,
            "updateRule": None,
            "deleteRule": None,
            "name": "articles",
            "type": "base",
            "fields": [ID_FIELD],
            "indexes": [],
            "created": DATE,
            "updated": DATE,
            "system": False,
        },
        then=[
            Scenario(
                "The new collection is empty.",
                url="/api/collections/articles/records",
                auth="superuser",
                json={"items": [], "totalItems": 0},
            )
        ],
    ),
    Scenario(
        "An auth collection gets its system fields, unique indexes and default auth options.",
        method="POST",
        url="/api/collections",
        auth="superuser",
        body={"name": "members", "type": "auth"},
        json={
            "id": collection_id("auth", "members"),
            "type": "auth",
            "authRule": "",
            "manageRule": None,
            "fields": [
                ID_FIELD,
                {
                    "cost": 0,
                    "help": "",
                    "hidden": True,
                    "id": "password901924565",
                    "max": 0,
                    "min": 8,
                    "name": "password",
                    "pattern": "",
                    "presentable": False,
                    "required": True,
                    "system": True,
                    "type": "password",
                },
                {
                    "autogeneratePattern": "[a-zA-Z0-9]{50}",
                    "help": "",
                    "hidden": True,
                    "id": "text2504183744",
                    "max": 60,
                    "min": 30,
                    "name": "tokenKey",
                    "pattern": "",
                    "presentable": False,
                    "primaryKey": False,
                    "required": True,
                    "system": True,
                    "type": "text",
                },
                {
                    "exceptDomains": [],
                    "help": "",
                    "hidden": False,
                    "id": "email3885137012",
                    "name": "email",
                    "onlyDomains": [],
                    "presentable": False,
                    "required": True,
                    "system": True,
                    "type": "email",
                },
                {
                    "help": "",
                    "hidden": False,
                    "id": "bool1547992806",
                    "name": "emailVisibility",
                    "presentable": False,
                    "required": False,
                    "system": True,
                    "type": "bool",
                },
                {
                    "help": "",
                    "hidden": False,
                    "id": "bool256245529",
                    "name": "verified",
                    "presentable": False,
                    "required": False,
                    "system": True,
                    "type": "bool",
                },
            ],
            "indexes": [
                f"CREATE UNIQUE INDEX `idx_tokenKey_{collection_id('auth', 'members')}` ON `members` (`tokenKey`)",
                f"CREATE UNIQUE INDEX `idx_email_{collection_id('auth', 'members')}` ON `members` (`email`) "
                "WHERE `email` != ''",
            ],
            "passwordAuth": {"enabled": True, "identityFields": ["email"]},
            "mfa": {"enabled": False, "duration": 600, "rule": ""},
            "otp": {"enabled": False, "duration": 180, "length": 8, "emailTemplate": ANY},
            "oauth2": {
                "providers": [],
                "mappedFields": {"id": "", "name": "", "username": "", "avatarURL": ""},
                "enabled": False,
            },
            "authToken": {"duration": 432000},
            "passwordResetToken": {"duration": 1800},
            "emailChangeToken": {"duration": 1800},
            "verificationToken": {"duration": 86400},
            "fileToken": {"duration": 180},
            "authAlert": {
                "enabled": True,
                "emailTemplate": {"subject": "Login from a new location", "body": ANY},
            },
            "verificationTemplate": {"subject": ANY, "body": ANY},
        },
        not_contains=['"secret"'],
    ),
    *[_field_default_scenario(kind, sent, echoed) for kind, sent, echoed in FIELD_DEFAULTS],
    Scenario(
        "Field options that are sent are echoed back and then enforced on records.",
        method="POST",
        url="/api/collections",
        auth="superuser",
        body={"name": "opts", "createRule": "", "fields": OPTION_FIELDS},
        json={
            "fields": [
                ID_FIELD,
                *[{"id": field_id(f["type"], f["name"]), **ECHOED[f["name"]]} for f in OPTION_FIELDS],
            ]
        },
        then=[
            Scenario(
                "Min, max, domain, date and maxSelect limits are all reported.",
                method="POST",
                url="/api/collections/opts/records",
                body={"t": "A", "n": 10, "s": ["a", "b", "c"], "e": "a@y.co", "d": "2019-01-01"},
                status=400,
                json={
                    "message": "Failed to create record.",
                    "data": {
                        "t": {
                            "code": "validation_min_text_constraint",
                            "message": "Must be at least 2 character(s).",
                            "params": {"min": 2},
                        },
                        "n": {
                            "code": "validation_max_number_constraint",
                            "message": "Must be less or equal than 9.",
                            "params": {"max": 9},
                        },
                        "s": {
                            "code": "validation_too_many_values",
                            "message": "Select no more than 2.",
                            "params": {"maxSelect": 2},
                        },
                        "e": {
                            "code": "validation_email_domain_not_allowed",
                            "message": "Email domain is not allowed.",
                        },
                        "d": {"code": "validation_min_greater_equal_than_required", "message": ANY},
                    },
                },
            ),
            Scenario(
                "A value outside the pattern and a number under min are reported.",
                method="POST",
                url="/api/collections/opts/records",
                body={"t": "AB", "n": -1},
                status=400,
                json={
                    "data": {
                        "t": {"code": "validation_invalid_format", "message": "Invalid value format."},
                        "n": {
                            "code": "validation_min_number_constraint",
                            "message": "Must be greater or equal than 1.",
                            "params": {"min": 1},
                        },
                    }
                },
            ),
            Scenario(
                "Valid values are stored and zero counts as an empty number.",
                method="POST",
                url="/api/collections/opts/records",
                body={
                    "t": "ab",
                    "n": 0,
                    "s": ["b", "a"],
                    "e": "a@x.co",
                    "d": "2021-01-01",
                    "r": ["{u1}", "{u2}", "{u1}"],
                },
                params={"fields": "t,n,s,e,d,r"},
                json={
                    "t": "ab",
                    "n": 0,
                    "s": ["b", "a"],
                    "e": "a@x.co",
                    "d": "2021-01-01 00:00:00.000Z",
                    "r": ["{u1}", "{u2}"],
                },
            ),
        ],
    ),
    Scenario(
        "A fractional max on an integer-only number field is refused.",
        method="POST",
        url="/api/collections",
        auth="superuser",
        body={"name": "t8", "fields": [{"name": "n", "type": "number", "onlyInt": True, "max": 9.5}]},
        status=400,
        json=_invalid(
            "t8",
            {
                "fields": {
                    "1": {
                        "max": {
                            "code": "validation_only_int_constraint",
                            "message": "Decimal numbers are not allowed.",
                        }
                    }
                }
            },
        ),
        fresh=False,
    ),
    Scenario(
        "A view collection infers its fields from the query and keeps their types and options.",
        method="POST",
        url="/api/collections",
        auth="superuser",
        body={
            "name": "post_titles",
            "type": "view",
            "listRule": "",
            "viewQuery": "SELECT id, title, views FROM posts",
        },
        json={
            "type": "view",
            "viewQuery": "SELECT id, title, views FROM posts",
            "fields": [
                {"name": "id", "type": "text", "primaryKey": True, "id": "text3208210256"},
                {"name": "title", "type": "text", "max": 200, "required": True, "id": Re("_clone_.+")},
                {"name": "views", "type": "number", "onlyInt": True, "id": Re("_clone_.+")},
            ],
        },
        then=[
            Scenario(
                "A guest lists the view records sorted by views.",
                url="/api/collections/post_titles/records",
                params={"sort": "-views", "fields": "id,title,views"},
                json={
                    "totalItems": 4,
                    "items": [
                        {"id": "{post2}", "title": "P2", "views": 20},
                        {"id": "{post3}", "title": "P3", "views": 10},
                        {"id": "{post1}", "title": "Hello", "views": 5},
                        {"id": "{post4}", "title": "P4", "views": 0},
                    ],
                },
            ),
            Scenario(
                "Creating a record in a view collection is refused.",
                method="POST",
                url="/api/collections/post_titles/records",
                auth="superuser",
                body={"title": "x"},
                status=400,
                json={"data": {}, "message": "Unsupported collection type.", "status": 400},
            ),
            Scenario(
                "A view collection cannot be truncated.",
                method="DELETE",
                url="/api/collections/post_titles/truncate",
                auth="superuser",
                status=400,
                json={
                    "data": {},
                    "status": 400,
                    "message": "View collections cannot be truncated since they don't store their own records.",
                },
            ),
        ],
    ),
    Scenario(
        "A view query without an id column is refused.",
        method="POST",
        url="/api/collections",
        auth="superuser",
        body={"name": "no_id_view", "type": "view", "viewQuery": "SELECT title FROM posts"},
        status=400,
        json=_invalid(
            "no_id_view",
            {
                "viewQuery": {"code": "validation_invalid_view_query", "message": ANY},
                "fields": {"code": "validation_missing_primary_key", "message": ANY},
            },
        ),
    ),
    Scenario(
        "A unique index has its table name rewritten to the collection and rejects duplicates.",
        method="POST",
        url="/api/collections",
        auth="superuser",
        body={
            "name": "slugs",
            "listRule": "",
            "createRule": "",
            "fields": [{"name": "slug", "type": "text"}],
            "indexes": ["CREATE UNIQUE INDEX idx_slug ON anything (slug)"],
        },
        json={"indexes": ["CREATE UNIQUE INDEX `idx_slug` ON `slugs` (`slug`)"]},
        then=[
            Scenario(
                "The first slug is accepted.",
                method="POST",
                url="/api/collections/slugs/records",
                body={"slug": "a"},
            ),
            Scenario(
                "A duplicate slug is reported not unique.",
                method="POST",
                url="/api/collections/slugs/records",
                body={"slug": "a"},
                status=400,
                json={
                    "data": {"slug": {"code": "validation_not_unique", "message": "Value must be unique."}},
                    "message": "Failed to create record.",
                    "status": 400,
                },
            ),
        ],
    ),
    Scenario(
        "An invalid index expression is refused per index.",
        method="POST",
        url="/api/collections",
        auth="superuser",
        body={
            "name": "bad_idx",
            "fields": [{"name": "slug", "type": "text"}],
            "indexes": ["CREATE INDEX bad"],
        },
        status=400,
        json=_invalid(
            "bad_idx",
            {
                "indexes": {
                    "0": {
                        "code": "validation_invalid_index_expression",
                        "message": "Invalid CREATE INDEX expression.",
                    }
                }
            },
        ),
    ),
    Scenario(
        "A duplicate collection name is refused.",
        method="POST",
        url="/api/collections",
        auth="superuser",
        body={"name": "posts"},
        status=400,
        json=_invalid(
            "posts",
            {
                "name": {
                    "code": "validation_collection_name_exists",
                    "message": "Collection name must be unique (case insensitive).",
                }
            },
        ),
        fresh=False,
    ),
    Scenario(
        "A collection name that differs only in case is refused as a duplicate.",
        method="POST",
        url="/api/collections",
        auth="superuser",
        body={"name": "POSTS"},
        status=400,
        json=_invalid("POSTS", {"name": {"code": "validation_collection_name_exists", "message": ANY}}),
        fresh=False,
    ),
    Scenario(
        "A collection name with a space is refused as an invalid format.",
        method="POST",
        url="/api/collections",
        auth="superuser",
        body={"name": "bad name"},
        status=400,
        json=_invalid(
            "bad name",
            {"name": {"code": "validation_match_invalid", "message": "Must be in a valid format."}},
        ),
        fresh=False,
    ),
    Scenario(
        "A collection name that looks like SQL injection is refused as an invalid format.",
        method="POST",
        url="/api/collections",
        auth="superuser",
        body={"name": "posts; DROP TABLE users"},
        status=400,
        json=_invalid(
            "x", {"name": {"code": "validation_match_invalid", "message": "Must be in a valid format."}}
        ),
        then=[
            Scenario(
                "The users table still answers.",
                url="/api/collections/users/records",
                auth="superuser",
                json={"totalItems": 2},
            )
        ],
    ),
    Scenario(
        "A collection name with a quote and a comment marker is refused as an invalid format.",
        method="POST",
        url="/api/collections",
        auth="superuser",
        body={"name": "users'--"},
        status=400,
        json=_invalid(
            "x", {"name": {"code": "validation_match_invalid", "message": "Must be in a valid format."}}
        ),
        fresh=False,
    ),
    Scenario(
        "An empty collection name is reported blank.",
        method="POST",
        url="/api/collections",
        auth="superuser",
        body={"name": ""},
        status=400,
        json=_invalid("", {"name": {"code": "validation_required", "message": "Cannot be blank."}}),
        fresh=False,
    ),
    Scenario(
        "A collection name longer than 255 characters is refused.",
        method="POST",
        url="/api/collections",
        auth="superuser",
        body={"name": "a" * 256},
        status=400,
        json=_invalid(
            "a",
            {
                "name": {
                    "code": "validation_length_out_of_range",
                    "message": "The length must be between 1 and 255.",
                    "params": {"max": 255, "min": 1},
                }
            },
        ),
        fresh=False,
    ),
    Scenario(
        "A collection name containing _via_ is refused.",
        method="POST",
        url="/api/collections",
        auth="superuser",
        body={"name": "x_via_y"},
        status=400,
        json=_invalid(
            "x_via_y",
            {"name": {"code": "validation_found_via", "message": 'The value cannot contain "_via_".'}},
        ),
        fresh=False,
    ),
    Scenario(
        "A collection named like an internal table is refused.",
        method="POST",
        url="/api/collections",
        auth="superuser",
        body={"name": "_params"},
        status=400,
        json=_invalid(
            "_params",
            {
                "name": {
                    "code": "validation_collection_name_invalid",
                    "message": "The name shouldn't match with an existing internal table.",
                }
            },
        ),
        fresh=False,
    ),
    Scenario(
        "A collection named like another collection's id is refused.",
        method="POST",
        url="/api/collections",
        auth="superuser",
        body={"name": "{posts_id}"},
        status=400,
        json=_invalid(
            "x",
            {
                "name": {
                    "code": "validation_collection_name_id_duplicate",
                    "message": "The name must not match an existing collection id.",
                }
            },
        ),
        fresh=False,
    ),
    Scenario(
        "An unknown collection type is refused.",
        method="POST",
        url="/api/collections",
        auth="superuser",
        body={"name": "t1", "type": "nope"},
        status=400,
        json=_invalid("t1", {"type": {"code": "validation_in_invalid", "message": "Must be a valid value."}}),
        fresh=False,
    ),
    Scenario(
        "An unknown field type cannot be decoded and answers the formatting error.",
        method="POST",
        url="/api/collections",
        auth="superuser",
        body={"name": "t1", "fields": [{"name": "a", "type": "nope"}]},
        status=400,
        json={
            "data": {},
            "message": "Failed to load the submitted data due to invalid formatting.",
            "status": 400,
        },
        fresh=False,
    ),
    Scenario(
        "A select field without values is refused with the error nested under its index.",
        method="POST",
        url="/api/collections",
        auth="superuser",
        body={"name": "t2", "fields": [{"name": "s", "type": "select"}]},
        status=400,
        json=_invalid(
            "t2",
            {"fields": {"1": {"values": {"code": "validation_required", "message": "Cannot be blank."}}}},
        ),
        fresh=False,
    ),
    Scenario(
        "A relation to an unknown collection is refused.",
        method="POST",
        url="/api/collections",
        auth="superuser",
        body={"name": "t3", "fields": [{"name": "r", "type": "relation", "collectionId": "nope"}]},
        status=400,
        json=_invalid(
            "t3",
            {
                "fields": {
                    "1": {
                        "collectionId": {
                            "code": "validation_field_relation_missing_collection",
                            "message": "The relation collection doesn't exist.",
                        }
                    }
                }
            },
        ),
        fresh=False,
    ),
    Scenario(
        "Field names that differ only in case are refused as duplicates.",
        method="POST",
        url="/api/collections",
        auth="superuser",
        body={"name": "t5", "fields": [{"name": "a", "type": "text"}, {"name": "A", "type": "text"}]},
        status=400,
        json=_invalid(
            "t5",
            {
                "fields": {
                    "2": {
                        "name": {
                            "code": "validation_duplicated_field_name",
                            "message": "Duplicated or invalid field name A.",
                            "params": {"fieldName": "A"},
                        }
                    }
                }
            },
        ),
        fresh=False,
    ),
    Scenario(
        "A field named expand is refused as a reserved name.",
        method="POST",
        url="/api/collections",
        auth="superuser",
        body={"name": "t7", "fields": [{"name": "expand", "type": "text"}]},
        status=400,
        json=_invalid(
            "t7",
            {
                "fields": {
                    "1": {"name": {"code": "validation_not_in_invalid", "message": "Must not be in list."}}
                }
            },
        ),
        fresh=False,
    ),
    Scenario(
        "A rule on an unknown field is refused with the parser error.",
        method="POST",
        url="/api/collections",
        auth="superuser",
        body={"name": "t4", "listRule": "nope = 1"},
        status=400,
        json=_invalid(
            "t4",
            {
                "listRule": {
                    "code": "validation_invalid_rule",
                    "message": Re(r"Invalid rule\. Raw error: .*nope.*"),
                }
            },
        ),
        fresh=False,
    ),
    # -- update -----------------------------------------------------------------------------
    Scenario(
        "Updating the rules of a collection changes only the rules sent.",
        method="PATCH",
        url="/api/collections/locked",
        auth="superuser",
        body={"listRule": "", "viewRule": ""},
        json={"name": "locked", "listRule": "", "viewRule": "", "createRule": None},
        then=[
            Scenario(
                "A guest can now list the formerly locked records.",
                url="/api/collections/locked/records",
                json={"totalItems": 1, "items": [{"id": "{locked1}", "title": "L1"}]},
            )
        ],
    ),
    Scenario(
        "Sending fields replaces the whole list, drops the missing fields and re-adds the id field.",
        method="PATCH",
        url="/api/collections/notes",
        auth="superuser",
        body={
            "fields": [
                {
                    "id": field_id("relation", "owner"),
                    "name": "owner",
                    "type": "relation",
                    "collectionId": "_pb_users_auth_",
                    "maxSelect": 1,
                    "required": True,
                },
                {"name": "extra", "type": "bool"},
            ]
        },
        json={"fields": [{"name": "id"}, {"name": "owner"}, {"name": "extra", "type": "bool"}]},
        then=[
            Scenario(
                "The dropped column is gone from the records.",
                url="/api/collections/notes/records/{note1}",
                auth="superuser",
                json={"id": "{note1}", "owner": "{u1}", "extra": False, "body": ABSENT},
            )
        ],
    ),
    Scenario(
        "A changed name on a known field id renames the field and keeps its data.",
        method="PATCH",
        url="/api/collections/notes",
        auth="superuser",
        body={
            "fields": [
                {"id": field_id("text", "body"), "name": "content", "type": "text"},
                {
                    "id": field_id("relation", "owner"),
                    "name": "owner",
                    "type": "relation",
                    "collectionId": "_pb_users_auth_",
                    "maxSelect": 1,
                    "required": True,
                },
            ]
        },
        json={
            "fields": [{"name": "id"}, {"name": "content", "id": field_id("text", "body")}, {"name": "owner"}]
        },
        then=[
            Scenario(
                "The renamed field keeps its value.",
                url="/api/collections/notes/records/{note1}",
                auth="superuser",
                json={"content": "n1", "body": ABSENT},
            )
        ],
    ),
    Scenario(
        "Changing a field type is refused.",
        method="PATCH",
        url="/api/collections/comments",
        auth="superuser",
        body={"fields": [{"id": field_id("text", "text"), "name": "text", "type": "number"}]},
        status=400,
        json=_invalid(
            "comments",
            {
                "fields": {
                    "1": {"code": "validation_field_type_change", "message": "Field type cannot be changed."}
                }
            },
            "update",
        ),
        fresh=False,
    ),
    Scenario(
        "Dropping a field that a rule uses makes the rule invalid.",
        method="PATCH",
        url="/api/collections/posts",
        auth="superuser",
        body={"fields": [{"name": "title", "type": "text"}]},
        status=400,
        json=_invalid(
            "posts",
            {
                "updateRule": {"code": "validation_invalid_rule", "message": ANY},
                "deleteRule": {"code": "validation_invalid_rule", "message": ANY},
            },
            "update",
        ),
        fresh=False,
    ),
    Scenario(
        "A system collection cannot be renamed.",
        method="PATCH",
        url="/api/collections/_superusers",
        auth="superuser",
        body={"name": "admins"},
        status=400,
        json=_invalid(
            "x",
            {
                "name": {
                    "code": "validation_collection_system_name_change",
                    "message": "System collection name cannot be changed.",
                }
            },
            "update",
        ),
        fresh=False,
    ),
    Scenario(
        "The system flag of a collection cannot be changed.",
        method="PATCH",
        url="/api/collections/posts",
        auth="superuser",
        body={"system": True},
        status=400,
        json=_invalid(
            "x",
            {
                "system": {
                    "code": "validation_collection_system_flag_change",
                    "message": "System collection state cannot be changed.",
                }
            },
            "update",
        ),
        fresh=False,
    ),
    Scenario(
        "The type of a collection cannot be changed.",
        method="PATCH",
        url="/api/collections/locked",
        auth="superuser",
        body={"type": "auth"},
        status=400,
        contains=[
            '"type":{"code":"validation_collection_type_change","message":"Collection type cannot be changed."}'
        ],
        fresh=False,
    ),
    Scenario(
        "Updating an unknown collection answers 404.",
        method="PATCH",
        url="/api/collections/nope",
        auth="superuser",
        body={"listRule": ""},
        status=404,
        json=NOT_FOUND,
        fresh=False,
    ),
    Scenario(
        "Renaming a collection keeps its records reachable under the new name.",
        method="PATCH",
        url="/api/collections/locked",
        auth="superuser",
        body={"name": "vault"},
        json={"id": "{locked_id}", "name": "vault"},
        then=[
            Scenario(
                "The records answer under the new name.",
                url="/api/collections/vault/records",
                auth="superuser",
                json={"totalItems": 1, "items": [{"title": "L1", "collectionName": "vault"}]},
            ),
            Scenario(
                "The old name is unknown.",
                url="/api/collections/locked/records",
                auth="superuser",
                status=404,
                json={"message": "Missing collection context."},
            ),
        ],
    ),
    # -- auth options and views -------------------------------------------------------------
    Scenario(
        "An auth token duration can be changed and is echoed back.",
        method="PATCH",
        url="/api/collections/users",
        auth="superuser",
        body={"authToken": {"duration": 100}},
        params={"fields": "authToken"},
        json={"authToken": {"duration": 100}},
    ),
    Scenario(
        "An auth token duration under 10 seconds is refused.",
        method="PATCH",
        url="/api/collections/users",
        auth="superuser",
        body={"authToken": {"duration": 5}},
        status=400,
        json=_invalid(
            "users",
            {
                "authToken": {
                    "duration": {
                        "code": "validation_min_greater_equal_than_required",
                        "message": "Must be no less than 10.",
                        "params": {"threshold": 10},
                    }
                }
            },
            "update",
        ),
        fresh=False,
    ),
    Scenario(
        "An empty manage rule is refused; null must be used instead.",
        method="PATCH",
        url="/api/collections/users",
        auth="superuser",
        body={"manageRule": ""},
        status=400,
        json=_invalid(
            "users",
            {"manageRule": {"code": "validation_nil_or_not_empty_required", "message": "Cannot be blank."}},
            "update",
        ),
        fresh=False,
    ),
    Scenario(
        "MFA with only password auth enabled is refused.",
        method="PATCH",
        url="/api/collections/users",
        auth="superuser",
        body={"mfa": {"enabled": True}},
        status=400,
        json=_invalid(
            "users",
            {
                "mfa": {
                    "enabled": {
                        "code": "validation_mfa_not_enough_auths",
                        "message": "MFA requires at least 2 auth methods to be enabled.",
                    }
                }
            },
            "update",
        ),
        fresh=False,
    ),
    Scenario(
        "An identity field without a unique index is refused.",
        method="PATCH",
        url="/api/collections/users",
        auth="superuser",
        body={"passwordAuth": {"identityFields": ["name"]}},
        status=400,
        json=_invalid(
            "users",
            {
                "passwordAuth": {
                    "identityFields": {
                        "code": "validation_missing_unique_constraint",
                        "message": "The field name doesn't have a UNIQUE constraint.",
                        "params": {"fieldName": "name"},
                    }
                }
            },
            "update",
        ),
        fresh=False,
    ),
    Scenario(
        "A view collection may not have a create rule.",
        method="POST",
        url="/api/collections",
        auth="superuser",
        body={"name": "vv", "type": "view", "viewQuery": "SELECT id, title FROM posts", "createRule": ""},
        status=400,
        json=_invalid("vv", {"createRule": {"code": "validation_nil", "message": "Must be blank."}}),
        fresh=False,
    ),
    Scenario(
        "A view query that is not a SELECT is refused and changes nothing.",
        method="POST",
        url="/api/collections",
        auth="superuser",
        body={"name": "vv2", "type": "view", "viewQuery": "DELETE FROM posts"},
        status=400,
        json=_invalid("vv2", {"viewQuery": {"code": "validation_invalid_view_query", "message": ANY}}),
        then=[
            Scenario(
                "Every post is still there.",
                url="/api/collections/posts/records",
                params={"fields": "id"},
                json={"totalItems": 4},
            )
        ],
    ),
    Scenario(
        "A dry run of a view query infers the fields and returns sample records.",
        method="POST",
        url="/api/collections/meta/dry-run-view",
        auth="superuser",
        body={"query": "SELECT id, title FROM posts LIMIT 1"},
        json={
            "fields": [
                {"name": "id", "type": "text", "primaryKey": True},
                {"name": "title", "type": "text", "max": 200, "id": Re("_clone_.+")},
            ],
            "sample": [{"id": "{post1}", "title": "Hello"}],
        },
        fresh=False,
    ),
    # -- delete and truncate ----------------------------------------------------------------
    Scenario(
        "A collection referenced by a relation of another collection cannot be deleted.",
        method="DELETE",
        url="/api/collections/posts",
        auth="superuser",
        status=400,
        json={
            "data": {},
            "status": 400,
            "message": "Failed to delete collection probably due to existing reference in comments.",
        },
        fresh=False,
    ),
    Scenario(
        "A system collection cannot be deleted.",
        method="DELETE",
        url="/api/collections/_superusers",
        auth="superuser",
        status=400,
        json={"data": {}, "message": "Failed to delete collection.", "status": 400},
        fresh=False,
    ),
    Scenario(
        "Deleting an unknown collection answers 404.",
        method="DELETE",
        url="/api/collections/nope",
        auth="superuser",
        status=404,
        json=NOT_FOUND,
        fresh=False,
    ),
    Scenario(
        "A superuser deletes an unreferenced collection with 204 and it is gone.",
        method="DELETE",
        url="/api/collections/comments",
        auth="superuser",
        status=204,
        then=[
            Scenario(
                "The deleted collection answers 404.",
                url="/api/collections/comments",
                auth="superuser",
                status=404,
                json=NOT_FOUND,
            ),
            Scenario(
                "Its records route answers Missing collection context.",
                url="/api/collections/comments/records",
                status=404,
                json={"message": "Missing collection context."},
            ),
            Scenario(
                "Now posts is unreferenced and can be deleted.",
                method="DELETE",
                url="/api/collections/posts",
                auth="superuser",
                status=204,
            ),
        ],
    ),
    Scenario(
        "Truncating posts deletes every post and cascades to the comments.",
        method="DELETE",
        url="/api/collections/posts/truncate",
        auth="superuser",
        status=204,
        then=[
            Scenario(
                "No posts are left.",
                url="/api/collections/posts/records",
                json={"totalItems": 0, "items": []},
            ),
            Scenario(
                "The cascade removed every comment.",
                url="/api/collections/comments/records",
                json={"totalItems": 0},
            ),
            Scenario(
                "The collection itself is kept.",
                url="/api/collections/posts",
                auth="superuser",
                json={"name": "posts"},
            ),
        ],
    ),
    Scenario(
        "Truncating an unknown collection answers 404.",
        method="DELETE",
        url="/api/collections/nope/truncate",
        auth="superuser",
        status=404,
        json=NOT_FOUND,
        fresh=False,
    ),
    # -- import and meta --------------------------------------------------------------------
    Scenario(
        "Importing a new collection answers 204 and creates it.",
        method="PUT",
        url="/api/collections/import",
        auth="superuser",
        body={
            "collections": [
                {"name": "imported", "type": "base", "fields": [{"name": "label", "type": "text"}]}
            ]
        },
        status=204,
        then=[
            Scenario(
                "The imported collection exists with its field.",
                url="/api/collections/imported",
                auth="superuser",
                json={"name": "imported", "fields": [ID_FIELD, {"name": "label"}]},
            )
        ],
    ),
    Scenario(
        "Importing an existing collection by name updates it and keeps its records.",
        method="PUT",
        url="/api/collections/import",
        auth="superuser",
        body={
            "collections": [
                {
                    "name": "locked",
                    "fields": [{"name": "title", "type": "text"}, {"name": "extra", "type": "bool"}],
                }
            ]
        },
        status=204,
        then=[
            Scenario(
                "The collection keeps its id and gains the field.",
                url="/api/collections/locked",
                auth="superuser",
                params={"fields": "id,fields.name"},
                json={"id": "{locked_id}", "fields": [{"name": "title"}, {"name": "extra"}, {"name": "id"}]},
            ),
            Scenario(
                "The record is still there with the new field empty.",
                url="/api/collections/locked/records",
                auth="superuser",
                json={"items": [{"id": "{locked1}", "title": "L1", "extra": False}]},
            ),
        ],
    ),
    Scenario(
        "Importing an empty list is refused as blank.",
        method="PUT",
        url="/api/collections/import",
        auth="superuser",
        body={"collections": []},
        status=400,
        json={
            "data": {"collections": {"code": "validation_required", "message": "Cannot be blank."}},
            "message": "An error occurred while validating the submitted data.",
            "status": 400,
        },
        fresh=False,
    ),
    Scenario(
        "Importing an invalid collection fails the whole import.",
        method="PUT",
        url="/api/collections/import",
        auth="superuser",
        body={"collections": [{"name": "good_one"}, {"name": "bad name"}]},
        status=400,
        json={
            "data": {"collections": {"code": "validation_collections_import_failure", "message": ANY}},
            "message": "Failed to import collections.",
            "status": 400,
        },
        then=[
            Scenario(
                "Nothing of the failed import was kept.",
                url="/api/collections/good_one",
                auth="superuser",
                status=404,
            )
        ],
    ),
    Scenario(
        "The scaffolds hold a blank collection of each type.",
        url="/api/collections/meta/scaffolds",
        auth="superuser",
        json={
            "base": {
                "id": "",
                "name": "",
                "type": "base",
                "fields": [ID_FIELD],
                "indexes": [],
                "listRule": None,
                "created": "",
                "updated": "",
            },
            "auth": {"id": "", "name": "", "type": "auth", "authRule": "", "manageRule": None},
            "view": {"id": "", "name": "", "type": "view", "viewQuery": ""},
        },
    ),
    Scenario(
        "The OAuth2 providers list names each provider with a display name and logo.",
        url="/api/collections/meta/oauth2-providers",
        auth="superuser",
        contains=['"name":"google"', '"displayName":"Google"', '"logo":"'],
    ),
]


def test_scenario(scenario: Scenario, play: Callable[[Scenario], None]) -> None:
    play(scenario)
