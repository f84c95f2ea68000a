"""Read-only probes of the differential query suite, generated from tables.

Ids are the fixture's fixed ids (`tests.harness.seed_query.FIXED_IDS`), written as `{a1}`
symbols. Filter probes sort by `id` so the order is specified; they pick `fields=id` so a
difference shows up as a different record set rather than a serialisation detail (which
the view/expand/fields probes below compare in full).
"""

from __future__ import annotations

from collections.abc import Iterator

from tests.harness.differential import Probe

__all__ = ["read_probes"]

AUTHS = ("guest", "user1", "user2", "superuser")
_LIST = "/api/collections/{c}/records"
_VIEW = "/api/collections/{c}/records/{id}"
BASIC_OPS = ("=", "!=", ">", ">=", "<", "<=", "~", "!~")
ANY_OPS = ("?=", "?!=", "?>", "?>=", "?<", "?<=", "?~", "?!~")

# field path -> right operands tried with every basic operator (articles, as superuser).
FIELD_OPERANDS: dict[str, tuple[str, ...]] = {
    "title": ("'Hello World'", "''"),
    "body": ("'hello'",),
    "views": ("5", "'10'"),
    "score": ("1.5", "0"),
    "published": ("true",),
    "status": ("'draft'", "null"),
    "tags": ("'a'", '\'["a","b"]\''),
    "author": ("'{u1}'", "''"),
    "editors": ("'{u2}'",),
    "meta": ("null",),
    "meta.k.0": ("1",),
    "meta.s": ("'x'",),
    "due": ("'2025-01-02 10:00:00.000Z'", "''"),
    "contact": ("'c@d.co'",),
    "link": ("'example'",),
    "loc.lon": ("23.3",),
    "doc": ("''",),
    "created": ("@now",),
    "id": ("'{a3}'",),
}

# Operators on multi-valued paths, with the "any" variants.
MULTI_OPERANDS: dict[str, tuple[str, ...]] = {
    "tags:each": ("'c'",),
    "editors.name": ("'User One'",),
    "editors:each": ("'{u1}'",),
    "comments_via_article.rating": ("3",),
    "comments_via_article.likes.name": ("'User Two'",),
}


def _list(coll: str, name: str, auth: str = "guest", **params: str) -> Probe:
    return Probe(name, _LIST.format(c=coll), tuple(params.items()), auth=auth)


def _filtered(coll: str, flt: str, auth: str, name: str = "", sort: str = "id", fields: str = "id") -> Probe:
    title = name or f"{coll} filtered by {flt!r} as {auth} agree."
    params = {"filter": flt, "sort": sort}
    if fields:
        params["fields"] = fields
    return _list(coll, title, auth, **params)


def operator_matrix() -> Iterator[Probe]:
    """Every basic operator on every field type, then the any-of operators on multi values."""
    for path, operands in FIELD_OPERANDS.items():
        for operand in operands:
            for op in BASIC_OPS:
                yield _filtered("articles", f"{path} {op} {operand}", "superuser")
    for path, operands in MULTI_OPERANDS.items():
        for operand in operands:
            for op in (*BASIC_OPS, *ANY_OPS):
                yield _filtered("articles", f"{path} {op} {operand}", "superuser")
    for op in ANY_OPS:
        yield _filtered("articles", f"title {op} 'Hello World'", "superuser")
    # The same comparisons seen through the listRule, by a guest and by a user.
    for flt in ("views > 1", "tags:each ?= 'd'", "author.name ?~ 'user'", "editors.role ?= 'admin'"):
        for auth in AUTHS:
            yield _filtered("articles", flt, auth)


MODIFIER_AND_MACRO_FILTERS = (
    "title:lower = 'hello world'",
    "title:lower ~ 'mixed'",
    "tags:length = 2",
    "tags:length > 1",
    "editors:length = 0",
    "author:length = 1",
    "doc:length = 0",
    "comments_via_article.id:length > 1",
    "tags:each != 'a'",
    "editors:each ?= '{u3}'",
    "title:isset = true",
    "status:lower = 'draft'",
    "due > @now",
    "due < @yesterday",
    "created < @tomorrow",
    "created > @yesterday",
    "due >= @yearStart && due <= @yearEnd",
    "due >= @monthStart || due <= @monthEnd",
    "created >= @todayStart && created <= @todayEnd",
    "@year > 2000",
    "@month >= 1 && @month <= 12",
    "@weekday >= 0 && @weekday < 7",
    "@day > 0 && @hour >= 0 && @minute >= 0 && @second >= 0",
    "strftime('%Y', due) = '2025'",
    "strftime('%m', due) = '06'",
    "strftime('%Y-%m', created) = strftime('%Y-%m', @now)",
    "geoDistance(loc.lon, loc.lat, 23.32, 42.69) < 10",
    "geoDistance(loc.lon, loc.lat, 0, 0) > 1000",
    "@request.auth.id != ''",
    "@request.auth.role = 'admin'",
    "@request.method = 'GET'",
    "@request.context = 'default'",
    "@request.query.flag = '1'",
    "@request.query.flag:isset = true",
    "@request.query.missing:isset = false",
    "@request.headers.x_token = 'abc'",
    "@request.auth.team.name = 'Alpha'",
    "@collection.profiles.user ?= author",
    "@collection.profiles.user ?= author && @collection.profiles.nickname ?= 'one'",
    "@collection.profiles:p1.user ?= author && @collection.profiles:p2.nickname ?= 'two'",
    "@collection.comments.article ?= id && @collection.comments.rating ?> 4",
)


def modifiers_and_macros() -> Iterator[Probe]:
    for flt in MODIFIER_AND_MACRO_FILTERS:
        params = {"filter": flt, "sort": "id", "fields": "id", "flag": "1"}
        yield Probe(
            f"articles filtered by {flt!r} as superuser agree.",
            _LIST.format(c="articles"),
            tuple(params.items()),
            auth="superuser",
            headers=(("X-Token", "abc"),),
        )
    # Non-superusers may not mention @request./@collection. in a client filter or sort.
    for flt in ("@request.auth.id != ''", "title = '@collection.x'"):
        yield _filtered("articles", flt, "user1")
    yield _list(
        "articles", "A user sort through @request answers like PocketBase.", "user1", sort="@request.auth.id"
    )


RELATION_FILTERS: tuple[tuple[str, str], ...] = (
    ("articles", "author.name = 'User One'"),
    ("articles", "author.team.name = 'Alpha'"),
    ("articles", "author.team.org.name = 'Grandchild'"),
    ("articles", "author.team.org.parent.name = 'Child Org'"),
    ("articles", "author.team.org.parent.parent.name = 'Root Org'"),
    ("articles", "author.team.owner.team.org.name ?= 'Grandchild'"),
    ("articles", "author.team.owner.team.org.parent.name ?= 'Child Org'"),
    ("articles", "author.friends.name ?= 'User Two'"),
    ("articles", "author.friends.name = 'User Two'"),
    ("articles", "editors.team.name ?= 'Beta'"),
    ("articles", "author.id = '{u1}'"),
    ("articles", "author.bio ~ 'go'"),
    ("articles", "comments_via_article.text ?~ 'first'"),
    ("articles", "comments_via_article.text = 'deal'"),
    ("articles", "comments_via_article.author.name ?= 'user three'"),
    ("articles", "comments_via_article.reactions_via_comment.kind ?= 'love'"),
    ("users", "profiles_via_user.nickname = 'one'"),
    ("users", "profiles_via_user.nickname ?= 'two'"),
    ("users", "articles_via_author.title ?~ 'hello'"),
    ("users", "articles_via_editors.id ?= '{a5}'"),
    ("users", "teams_via_members.name ?= 'Alpha'"),
    ("users", "team.members.id ?= id"),
    ("comments", "article.author.team.org.parent.name = 'Child Org'"),
    ("comments", "article.published = true && likes.id ?= '{u2}'"),
    ("comments", "likes.name = 'User One'"),
    ("comments", "likes.name ?= 'User Two'"),
    ("comments", "likes:length = 0"),
    ("comments", "text ~ '%'"),
    ("comments", "text ~ '\\%'"),
    ("comments", "text ~ '_'"),
    ("comments", "text ~ '\\\\'"),
    ("reactions", "comment.article.author.team.org.parent.name = 'Child Org'"),
    ("reactions", "comment.article.author.team.org.parent.parent.name = 'Root Org'"),
    ("teams", "members.id ?= '{u3}'"),
    ("teams", "org.parent.country = 'bg'"),
    ("docs", "team.owner.name ?~ 'user'"),
    ("orgs", "orgs_via_parent.name ?= 'Grandchild'"),
    ("orgs", "parent.parent.parent.name = 'Root Org'"),
)


def relation_paths() -> Iterator[Probe]:
    """Relations, back-relations and nested paths for every kind of requester."""
    for coll, flt in RELATION_FILTERS:
        for auth in AUTHS:
            yield _filtered(coll, flt, auth)


SORTS = (
    "title",
    "-title",
    "+views",
    "-views,title",
    "status,-score,id",
    "title:lower",
    "@rowid",
    "-@rowid",
    "author.name,id",
    "-author.team.name,id",
    "meta.k,id",
    "loc.lat",
    "-due,id",
    "published,-views",
    "editors.name,id",
    "comments_via_article.rating,id",
    "tags,id",
    "-created,id",
)


def sorting() -> Iterator[Probe]:
    for sort in SORTS:
        for auth in ("guest", "superuser"):
            yield _list(
                "articles", f"Articles sorted by {sort!r} as {auth} agree.", auth, sort=sort, fields="id"
            )
    yield Probe(
        "A random sort returns the same set of articles.",
        _LIST.format(c="articles"),
        (("sort", "@random"), ("fields", "id")),
        auth="superuser",
        unordered=True,
    )
    for bad in (
        "nope",
        "title,nope",
        "@request.method",
        "a,b,c,d,e,f,g,h,i",
        "-",
        "author.nope",
        "title:upper",
    ):
        yield _list("articles", f"The sort {bad!r} answers like PocketBase.", "superuser", sort=bad)


FIELDS = (
    "id,title",
    "*",
    "id,title:excerpt(5)",
    "body:excerpt(12,true)",
    "body:excerpt(8,false),id",
    "title:excerpt(3,true)",
    "id,expand.author.name",
    "*,expand.author.name",
    "expand.editors.name,id",
    "expand.author.expand.team.name",
    "expand",
    "nope",
    "id,,title",
    " id , title ",
    "body:excerpt(0)",
    "body:excerpt",
    "body:excerpt(x)",
    "body:unknown(3)",
    "meta.k",
    "loc.lat",
)


def field_picking() -> Iterator[Probe]:
    for fields in FIELDS:
        yield _list(
            "articles",
            f"Articles listed with fields {fields!r} agree.",
            "superuser",
            sort="id",
            fields=fields,
            expand="author,author.team,editors",
        )
        yield Probe(
            f"An article viewed with fields {fields!r} agrees.",
            _VIEW.format(c="articles", id="{a1}"),
            (("fields", fields), ("expand", "author.team")),
            auth="user1",
        )


EXPANDS: tuple[tuple[str, str, str], ...] = (
    ("articles", "{a1}", "author"),
    ("articles", "{a1}", "editors"),
    ("articles", "{a1}", "author,editors"),
    ("articles", "{a1}", "author,author.team"),
    ("articles", "{a1}", "author.team.org.parent"),
    ("articles", "{a1}", "comments_via_article"),
    ("articles", "{a1}", "comments_via_article.author,comments_via_article.likes"),
    ("articles", "{a1}", "comments_via_article.reactions_via_comment.by"),
    ("articles", "{a1}", "comments(article)"),
    ("articles", "{a1}", "nope"),
    ("articles", "{a1}", "author.nope"),
    ("articles", "{a1}", " author . , "),
    ("articles", "{a4}", "author,editors"),
    ("users", "{u1}", "profiles_via_user"),
    ("users", "{u1}", "team.members,friends"),
    ("users", "{u1}", "articles_via_author.editors"),
    ("users", "{u3}", "profiles_via_user,team"),
    ("comments", "{c1}", "article.author.team.org"),
    ("comments", "{c5}", "article"),
    ("comments", "{c1}", "likes.articles_via_editors"),
    ("reactions", "{r1}", "comment.article.author.team.org.parent"),
    ("reactions", "{r1}", "comment.article.author.team.org.parent.parent"),
    ("reactions", "{r1}", "comment.article.author.team.org.parent,comment.likes.team"),
    ("orgs", "{o4}", "parent.parent.parent"),
    ("orgs", "{o1}", "orgs_via_parent.orgs_via_parent.orgs_via_parent"),
    ("teams", "{t1}", "members,owner.team,org"),
    ("docs", "{d1}", "team.members"),
    ("article_stats", "{a1}", "author"),
)


def expanding() -> Iterator[Probe]:
    """Expand on views and lists; each expanded record passes its own view rule."""
    for coll, rec, expand in EXPANDS:
        for auth in AUTHS:
            yield Probe(
                f"{coll} {rec} expanded with {expand!r} as {auth} agrees.",
                _VIEW.format(c=coll, id=rec),
                (("expand", expand),),
                auth=auth,
            )
    for coll, expand in (("comments", "article,likes"), ("articles", "author.team,comments_via_article")):
        for auth in ("guest", "user2"):
            yield _list(
                coll, f"{coll} listed with expand {expand!r} as {auth} agree.", auth, sort="id", expand=expand
            )


PAGINATION: tuple[dict[str, str], ...] = (
    {"page": "2", "perPage": "2"},
    {"page": "3", "perPage": "2"},
    {"page": "100", "perPage": "1"},
    {"perPage": "0"},
    {"perPage": "5000"},
    {"perPage": "-3", "page": "-1"},
    {"skipTotal": "1"},
    {"skipTotal": "true", "perPage": "2"},
    {"skipTotal": "false"},
    {"skipTotal": "yes"},
    {"page": "abc"},
    {"perPage": "1.5"},
    {"page": "+2", "perPage": "2"},
)


def pagination() -> Iterator[Probe]:
    for params in PAGINATION:
        for auth in ("guest", "superuser"):
            text = "&".join(f"{k}={v}" for k, v in params.items())
            yield _list(
                "articles",
                f"Articles paged with {text} as {auth} agree.",
                auth,
                sort="id",
                fields="id",
                **params,
            )


COLLECTIONS = (
    "snippets",
    "users",
    "orgs",
    "teams",
    "articles",
    "comments",
    "profiles",
    "reactions",
    "docs",
    "vault",
    "tasks",
    "article_stats",
    "user_totals",
)
VIEWS: tuple[tuple[str, str], ...] = (
    *(("articles", f"{{a{i}}}") for i in range(1, 7)),
    *(("users", f"{{u{i}}}") for i in range(1, 5)),
    *(("teams", f"{{t{i}}}") for i in range(1, 4)),
    *(("docs", f"{{d{i}}}") for i in range(1, 4)),
    ("tasks", "{k1}"),
    ("tasks", "{k3}"),
    ("vault", "{v1}"),
    ("article_stats", "{a1}"),
    ("article_stats", "{a5}"),
    ("user_totals", "{u4}"),
    ("articles", "nope"),
)


def rules() -> Iterator[Probe]:
    """List and view of every collection for every requester: rules filter or refuse."""
    for coll in COLLECTIONS:
        for auth in ("guest", "user1", "user2", "user3", "superuser"):
            yield _list(coll, f"The {coll} list as {auth} agrees.", auth, sort="id")
    for coll, rec in VIEWS:
        for auth in ("guest", "user1", "user2", "user3", "superuser"):
            yield Probe(
                f"The {coll} record {rec} viewed as {auth} agrees.", _VIEW.format(c=coll, id=rec), auth=auth
            )


BAD_FILTERS = (
    "title",
    "title =",
    "= 'x'",
    "title = 'x' &&",
    "(title = 'x'",
    "title = 'x')",
    "title == 'x'",
    "title =! 'x'",
    "title = 'unterminated",
    "title = \"mixed'",
    "   ",
    "// only a comment",
    "title = 'a' title = 'b'",
    "title = 1e5",
    "title = .5",
    "title = 5.",
    "title = -",
    "nope = 1",
    "title.x = 1",
    "secret = 's3cret'",
    "author.nope = 1",
    "nope_via_author.id = 1",
    "comments_via_nope.id = 1",
    "title:unknown = 1",
    "tags:length:lower = 1",
    "meta:length = 1",
    "comments_via_article:length = 1",
    "unknownfn(title) = 1",
    "strftime() = 1",
    "strftime(1, due) = 1",
    "geoDistance(1,2,3) = 1",
    "geoDistance('a', 1, 2, 3) > 1",
    "a(b(c(d(e)))) = 1",
    "title = 'x' || || views = 1",
    "title = 'x' & views = 1",
    "title = 'x' ||| views = 1",
    "title ~ ",
    "title = 'caf\u00e9 \u65e5\u672c \U0001f600'",
    "title = 'it\\'s \"quoted\"'",
    'title = "it\'s \\"quoted\\""',
    "title ~ '100%'",
    "title ~ '100\\%'",
    "title ~ 'real_deal'",
    "title ~ 'l\\_d'",
    "body ~ '\\\\'",
    "title = 'x'\r",
    "title = 'x' \t\n && views > 1",
    "((((((((((title = 'P4'))))))))))",
    "#id = 1",
    "@ = 1",
    "_ = 1",
    "title. = 1",
    "title: = 1",
    "author..name = 1",
    "@request.auth.id = @request.auth.nope.deeper",
    "@collection.nope.id ?= 1",
    "@collection.users = 1",
    "id = 'x' // trailing comment\n && views > 0",
)


def bad_input() -> Iterator[Probe]:
    """Garbage, edge and limit filters: a 400 with PocketBase's message (or the same rows)."""
    for flt in BAD_FILTERS:
        yield _filtered("articles", flt, "superuser", name=f"The filter {flt!r} answers like PocketBase.")
    in_list = " || ".join(f"id = 'x{i:014d}'" for i in range(150))
    over = " || ".join(f"id = 'x{i:014d}'" for i in range(201))
    long_text = "title = '" + "x" * 3490 + "'"
    too_long = "title = '" + "x" * 3500 + "'"
    deep = "(" * 120 + "title = 'P4'" + ")" * 120
    wide_groups = " && ".join(["(views >= 0 || views < 0)"] * 90)
    for label, flt in (
        ("A 150-term id list", in_list),
        ("A 201-expression filter", over),
        ("A 3499-byte filter", long_text),
        ("A 3509-byte filter", too_long),
        ("A 120-deep parenthesised filter", deep),
        ("A filter of 90 grouped pairs", wide_groups),
    ):
        for auth in ("guest", "superuser"):
            yield _filtered("articles", flt, auth, name=f"{label} as {auth} answers like PocketBase.")
    yield _list("nope", "An unknown collection answers 404 like PocketBase.")
    yield _list(
        "articles", "An empty filter lists like PocketBase.", "superuser", filter="", sort="id", fields="id"
    )


PICKER_FIELDS = (
    "title:excerpt(5 true)",
    "title:excerpt 5",
    "title:excerpt(5)(1)",
    "title:excerpt(5,true,)",
    "title:excerpt(5,tRuE)",
    "title:excerpt(5,TRUE)",
    "title:excerpt(010,true)",
    "title:excerpt(0x5,true)",
    "title:excerpt(5.9)",
    "title:excerpt(-5)",
    "title:excerpt(99999999999999999999)",
    "nope:excerpt(0)",
    "nope:bad",
    "title:excerpt(5),title",
    "title,title:excerpt(5)",
    "*:excerpt(4)",
    "title:excerpt('5')",
    "title:excerpt(5,true,x)",
    "title.x:excerpt(3)",
    "title:excerpt(3).x",
    "(title)",
    "'title'",
    "title'",
    "id,(",
    'id,"x"',
    "id,`x`",
    "a\\,b",
    "title:",
    ":excerpt(3)",
    "title::excerpt(3)",
    "title:excerpt()",
    "id\0,title",
    "\0id",
    "title,\0",
    "meta.k,meta",
    "meta.k.0",
    "expand.editors.*",
    "*,expand.*:excerpt(2)",
    "id,expand.editors.name:excerpt(4,true)",
)


def picker_and_excerpt() -> Iterator[Probe]:
    """`?fields=` parsing (quotes, parentheses, modifier syntax) and excerpts of varied HTML."""
    for fields in PICKER_FIELDS:
        yield Probe(
            f"The fields {fields!r} pick like PocketBase.",
            _VIEW.format(c="articles", id="{a1}"),
            (("fields", fields), ("expand", "editors")),
            auth="superuser",
        )
    for size in (1, 3, 5, 8, 12, 20, 40):
        for ellipsis in ("true", "false"):
            yield _list(
                "snippets",
                f"Snippet excerpts of {size} runes with ellipsis {ellipsis} agree.",
                sort="n",
                fields=f"n,html:excerpt({size},{ellipsis})",
            )
    yield _list("snippets", "Whole snippets list like PocketBase.", sort="n")


ODD_FILTERS = (
    "title = 'x'\0garbage",
    "title = 'x' \0garbage",
    "title !=\0'x'",
    "title !=\0",
    "title\0 = 'x'",
    "title = 'a\0b'",
    "\0",
    "(title != 'x'\0)",
    "strftime('%Y', \0due) = '2025'",
    "strftime('%Y',\0due) = '2025'",
    "views > 1 //\0 comment\n && views < 9",
    "meta..k.0 = 1",
    "meta.k..0 = 1",
    "meta.:x = 1",
    "meta.k.:0 = 1",
    "loc..lon > 0",
)


def odd_input() -> Iterator[Probe]:
    """NUL characters (Go's end marker), empty JSON path segments, extreme nesting and pages."""
    for flt in ODD_FILTERS:
        yield _filtered("articles", flt, "superuser", name=f"The odd filter {flt!r} answers like PocketBase.")
    deepest = "(" * 1700 + "title != ''" + ")" * 1700
    or_chain = "(views > 100 || " * 480 + "views >= 0" + ")" * 480
    for label, flt in (("A 1700-deep parenthesised filter", deepest), ("A 480-level or-chain", or_chain)):
        yield _filtered("articles", flt, "superuser", name=f"{label} answers like PocketBase.")
    for page, per_page, fields in (
        ("9223372036854775807", "1000", "id"),
        ("9223372036854775807", "7", ""),
        ("4611686018427387904", "2", "id"),
        ("4611686018427387904", "2", ""),
        ("9223372036854775808", "1", "id"),
    ):
        params = {"page": page, "perPage": per_page, "sort": "id"}
        if fields:
            params["fields"] = fields
        yield _list(
            "articles", f"Page {page} of {per_page} with fields {fields!r} agrees.", "guest", **params
        )
    for flt in ("@request.body.x = 1", "@request.body.x:isset = true", "@request.body.title = title"):
        yield Probe(
            f"A list filtered by {flt!r} with a GET body agrees.",
            _LIST.format(c="articles"),
            (("filter", flt), ("sort", "id"), ("fields", "id")),
            auth="superuser",
            body={"x": 1, "title": "P4"},
        )


def read_probes() -> list[Probe]:
    """Every read-only probe, in a stable order."""
    return [
        *operator_matrix(),
        *modifiers_and_macros(),
        *relation_paths(),
        *sorting(),
        *field_picking(),
        *expanding(),
        *pagination(),
        *rules(),
        *bad_input(),
        *picker_and_excerpt(),
        *odd_input(),
    ]
