"""Fuzzing the filter compiler with hypothesis (fixed, derandomized profile: stable and fast).

Inputs are random token streams and mutated valid filters. Properties:
1. `compile_search` / `compile_filter` raise nothing but ApiError (FilterError is one);
2. no literal of the input reaches the SQL text: every text and number literal carries a
   sentinel that must never appear in the SQL (values are bound parameters), and the SQL
   always runs (no syntax error: nothing from the input was pasted into it);
3. on a bounded sample, palapy accepts exactly the filters the real PocketBase 0.40.6
   accepts (200) and rejects the ones it rejects (400), on identical collections and data.
"""

from __future__ import annotations

import shutil
import tempfile
import urllib.parse
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import apsw
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from palapy.rules import filters as rules
from palapy.rules.request_info import RequestInfo
from palapy.schema.model import Collection
from palapy.schema.registry import CollectionRegistry
from palapy.search.lexer import FilterSyntaxError, Token, TokenType
from palapy.search.parser import Expr, Group, parse
from palapy.search.sql import SqlExpr
from palapy.tools.errors import ApiError
from tests.harness.seed_query import seed_query
from tests.harness.targets import Target, prepare_root, start_target
from tests.unit.rules.filter_testdb import World, make_world

FUZZ = settings(
    derandomize=True,
    database=None,
    deadline=None,
    max_examples=300,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
SENTINEL = "zqx"
NUMBER_SENTINEL = "9173"
# Messages of SQLite errors that can only come from SQL text built wrongly.
MALFORMED_SQL = ("syntax error", "no such", "unrecognized token", "ambiguous", "misuse", 'near "')

OPS = ["=", "!=", ">", ">=", "<", "<=", "~", "!~", "?=", "?!=", "?>", "?>=", "?<", "?<=", "?~", "?!~"]
BAD_OPS = ["==", "=!", "<>", "!", "?", "~~", "=>"]
JOINS = ["&&", "||", "&", "|", "|||", "&&&"]
PUNCT = [
    "(",
    ")",
    "((",
    "))",
    ",",
    "//c\n",
    "\t",
    "\n",
    "\r",
    "\\",
    "'",
    '"',
    ".",
    ":",
    "-",
    "#",
    "@",
    "_",
    "\0",
    "$",
]
MACROS = ["@now", "@todayStart", "@yesterday", "@year", "@monthEnd", "@weekday", "@nope"]
REQUEST = [
    "@request.auth.id",
    "@request.auth.role",
    "@request.query.q",
    "@request.query.q:isset",
    "@request.body.title",
    "@request.body.tags:each",
    "@request.body.tags:length",
    "@request.headers.x_token",
    "@request.method",
    "@request.context",
    "@request.nope",
]
KEYWORDS = ["null", "true", "false", "NULL", "True", "nope", "x:y", "_", "#x"]
FUNCS = ["strftime(", "geoDistance(", "nope(", "strftime('%Y', ", "geoDistance(loc.lon, loc.lat, "]

# Identifiers of the in-memory world's `posts` (tests/unit/collections/filter/filter_testdb.py).
WORLD_IDENTS = [
    "id", "title", "views", "published", "tags", "status", "author", "likers", "meta", "meta.a",
    "meta.a.0", "meta..b", "loc.lon", "loc.lat", "due", "secret", "author.name", "author.friends.name",
    "likers.name", "likers.role", "comments_via_post.text", "comments_via_post.post.title", "tags:length",
    "tags:each", "likers:each", "likers:length", "title:lower", "author.email", "author.bio",
    "@collection.users.name", "@collection.users:u.age", "@collection.comments.text", "@collection.nope.x",
]  # fmt: skip
WORLD_VALID = [
    "title = 'Hello'",
    "views > 5 && (tags:each ?= 'a' || author.name = 'User One')",
    "strftime('%Y', due) = '2025' || geoDistance(loc.lon, loc.lat, 1, 2) < 5",
    "comments_via_post.text ?~ 'x' && likers:length >= 2",
    "meta.a.0 = 1 || meta.b != null // comment",
    "(title:lower ~ 'h%' || status = '') && @now > due",
    "@request.auth.id != '' && author = @request.auth.id",
    "@collection.users.age ?> views && likers.role ?= 'admin'",
]

# Identifiers of the differential fixture's `articles` (tests/harness/seed_query.py).
QUERY_IDENTS = [
    "id", "title", "body", "views", "score", "published", "status", "tags", "author", "editors", "meta",
    "meta.k", "meta.k.0", "meta.s", "meta..k", "due", "contact", "link", "loc.lon", "doc", "secret",
    "created", "author.name", "author.team.name", "author.friends.name", "editors.name", "editors.role",
    "comments_via_article.text", "comments_via_article.likes.name", "tags:length", "tags:each",
    "editors:each", "title:lower", "author.email", "author.bio", "@collection.profiles.nickname",
    "@collection.users:u.age", "comments_via_nope.x", "author.nope",
]  # fmt: skip
QUERY_VALID = [
    "title = 'Hello World'",
    "views > 5 && (tags:each ?= 'a' || author.name = 'User One')",
    "strftime('%Y', due) = '2025' || geoDistance(loc.lon, loc.lat, 23.3, 42.7) < 5",
    "comments_via_article.text ?~ 'first' && editors:length >= 2",
    "meta.k.0 = 1 || meta.s != null // comment",
    "(title:lower ~ 'h%' || status = '') && @now > due",
    "author.team.name = 'Alpha' && editors.name ?= 'User Two'",
    "@collection.profiles.user ?= author && score < 2",
]


def _text_literal() -> st.SearchStrategy[str]:
    body = st.text(alphabet="ab%_\\'\" \u00fc\U0001f600", max_size=6)
    quote = st.sampled_from(["'", '"'])
    return st.builds(lambda q, b: f"{q}{SENTINEL}{b}{q}", quote, body)


def _number_literal() -> st.SearchStrategy[str]:
    return st.builds(
        lambda neg, digits, frac: f"{'-' if neg else ''}{NUMBER_SENTINEL}{digits}{frac}",
        st.booleans(),
        st.integers(0, 999),
        st.sampled_from(["", ".5", ".", ".0"]),
    )


def token_streams(idents: list[str]) -> st.SearchStrategy[str]:
    """Random sequences of filter tokens (mostly plausible, some garbage), glued by random spacing."""
    token = st.one_of(
        st.sampled_from(idents),
        st.sampled_from(idents),
        st.sampled_from(OPS),
        st.sampled_from(JOINS),
        _text_literal(),
        _number_literal(),
        st.sampled_from(BAD_OPS + PUNCT + MACROS + REQUEST + KEYWORDS + FUNCS),
    )
    parts = st.lists(st.tuples(token, st.sampled_from(["", " ", " ", "  "])), min_size=1, max_size=24)
    return parts.map(lambda ps: "".join(t + sep for t, sep in ps))


def mutated(valid: list[str], idents: list[str]) -> st.SearchStrategy[str]:
    """A valid filter with a few random insertions, deletions and replacements."""
    piece = st.one_of(
        st.sampled_from(idents + OPS + JOINS + PUNCT + FUNCS), _text_literal(), _number_literal()
    )
    edit = st.tuples(st.sampled_from(["insert", "delete", "replace", "duplicate"]), st.floats(0, 1), piece)

    def apply(base: str, edits: list[tuple[str, float, str]]) -> str:
        text = base
        for kind, where, what in edits:
            i = int(where * len(text))
            if kind == "insert":
                text = text[:i] + what + text[i:]
            elif kind == "delete":
                text = text[:i] + text[i + 1 + len(what) % 4 :]
            elif kind == "replace":
                text = text[:i] + what + text[i + len(what) :]
            else:
                text = text[:i] + text[i : i + 8] + text[i:]
        return text

    return st.builds(apply, st.sampled_from(valid), st.lists(edit, min_size=1, max_size=4))


def well_formed(idents: list[str]) -> st.SearchStrategy[str]:
    """Grammatical filters: comparisons of identifiers and literals, joined and grouped."""
    operand = st.one_of(
        st.sampled_from(idents),
        _text_literal(),
        _number_literal(),
        st.sampled_from(MACROS[:-1] + KEYWORDS[:5]),
    )
    comparison = st.builds(
        lambda a, op, b: f"{a} {op} {b}", st.sampled_from(idents), st.sampled_from(OPS), operand
    )
    expr = st.recursive(
        comparison,
        lambda inner: st.builds(
            lambda items, join, wrap: ("({})" if wrap else "{}").format(f" {join} ".join(items)),
            st.lists(inner, min_size=2, max_size=3),
            st.sampled_from(["&&", "||"]),
            st.booleans(),
        ),
        max_leaves=5,
    )
    return expr


def filters(idents: list[str], valid: list[str]) -> st.SearchStrategy[str]:
    return st.one_of(token_streams(idents), mutated(valid, idents), well_formed(idents))


def _identifiers(group: Group) -> Iterator[str]:
    def tokens(tok: Token) -> Iterator[str]:
        if tok.type in (TokenType.IDENTIFIER, TokenType.FUNCTION):
            yield tok.literal
        for arg in tok.args:
            yield from tokens(arg)

    for _, item in group:
        if isinstance(item, Expr):
            yield from tokens(item.left)
            yield from tokens(item.right)
        else:
            yield from _identifiers(item)


def _check_sql(world_conn: apsw.Connection, text: str, table: str, where: SqlExpr, order: SqlExpr) -> None:
    """No literal in the SQL text, and the SQL runs (runtime JSON errors aside)."""
    try:
        idents = list(_identifiers(parse(text)))
    except FilterSyntaxError:  # the sort made it through, not the filter: nothing of it is in the SQL
        idents = []
    sql = f"SELECT `t`.`id` FROM `{table}` AS `t` WHERE {where.sql}"
    if order.sql:
        sql += f" ORDER BY {order.sql}"
    for marker in (SENTINEL, NUMBER_SENTINEL):
        if not any(marker in i for i in idents):
            assert marker not in sql, f"a literal of {text!r} reached the SQL text:\n{sql}"
    try:
        world_conn.execute(sql, [*where.params, *order.params]).fetchall()
    except apsw.SQLError as err:
        assert not any(m in str(err) for m in MALFORMED_SQL), f"{text!r} compiled to broken SQL: {err}\n{sql}"


# -- 1 and 2: in memory -----------------------------------------------------------------
@pytest.fixture(scope="module")
def world() -> World:
    return make_world()


def _superuser() -> RequestInfo:
    su = Collection(id="pbc_3142635823", name="_superusers", type="auth")
    return RequestInfo(auth={"id": "s"}, auth_collection=su, query={"q": "1"}, headers={"x_token": "t"})


def _requests(world: World) -> dict[str, RequestInfo]:
    return {"guest": RequestInfo(), "user": world.auth("u1"), "superuser": _superuser()}


@FUZZ
@given(text=filters(WORLD_IDENTS, WORLD_VALID), who=st.sampled_from(["guest", "user", "superuser"]))
def test_client_filters_only_fail_as_api_errors_and_bind_every_literal(
    world: World, text: str, who: str
) -> None:
    posts = world.coll("posts")
    try:
        where, order = rules.compile_search(
            posts, world.registry, _requests(world)[who], alias="t", rule=posts.listRule, filter=text
        )
    except ApiError as err:
        assert err.status in (400, 403)
        return
    _check_sql(world.conn, text, "posts", where, order)


@FUZZ
@given(text=filters(WORLD_IDENTS, WORLD_VALID))
def test_rules_only_fail_as_api_errors_and_bind_every_literal(world: World, text: str) -> None:
    posts = world.coll("posts")
    try:
        where = rules.compile_filter(text, posts, world.registry, world.auth("u2"), alias="t", client=False)
    except ApiError as err:
        assert err.status == 400
        return
    _check_sql(world.conn, text, "posts", where, SqlExpr("", []))


@FUZZ
@given(text=filters(WORLD_IDENTS, WORLD_VALID))
def test_sorts_only_fail_as_api_errors_and_bind_every_literal(world: World, text: str) -> None:
    posts = world.coll("posts")
    sort = text.replace("&&", ",").replace("||", ",")
    try:
        where, order = rules.compile_search(
            posts, world.registry, _superuser(), alias="t", rule=None, sort=sort
        )
    except ApiError as err:
        assert err.status == 400
        return
    _check_sql(world.conn, "", "posts", where, order)


# -- 3: the same accept/reject as PocketBase ---------------------------------------------
class _Reference:
    """A seeded PocketBase and palapy's registry and connection over the same data."""

    def __init__(self) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="palapy-fuzz-pb-"))
        prepare_root("pocketbase", self.root)
        self.target: Target = start_target("pocketbase", self.root)
        self.symbols = seed_query(self.target)
        self.conn = apsw.Connection(str(self.root / "pb_data" / "data.db"), flags=apsw.SQLITE_OPEN_READONLY)
        self.registry = CollectionRegistry()
        self.registry.reload(self.conn)
        su = self.registry.find("_superusers")
        assert su is not None
        self.superuser = RequestInfo(auth={"id": self.symbols["su"]}, auth_collection=su)

    def pocketbase_status(self, text: str) -> int:
        query = urllib.parse.urlencode(
            {"filter": text, "perPage": "1", "fields": "id"}, quote_via=urllib.parse.quote
        )
        headers = {"Authorization": self.symbols["superuser_token"]}
        return self.target.request("GET", f"/api/collections/articles/records?{query}", headers, None).status

    def palapy_status(self, text: str) -> int:
        articles = self.registry.find("articles")
        assert articles is not None
        try:
            where, _ = rules.compile_search(
                articles, self.registry, self.superuser, alias="t", rule=None, filter=text
            )
            self.conn.execute(
                f"SELECT `t`.`id` FROM `articles` AS `t` WHERE {where.sql} LIMIT 1", where.params
            ).fetchall()
        except ApiError as err:
            return err.status
        except apsw.Error:
            return 400  # PocketBase answers a query SQLite rejects with 400 as well
        return 200

    def close(self) -> None:
        self.conn.close()
        self.target.close()
        shutil.rmtree(self.root, ignore_errors=True)


@pytest.fixture(scope="module")
def reference() -> Iterator[_Reference]:
    ref = _Reference()
    try:
        yield ref
    finally:
        ref.close()


SAMPLE = settings(FUZZ, max_examples=150)


def test_accepts_and_rejects_what_pocketbase_does(reference: _Reference) -> None:
    """150 fuzzed filters: palapy's status (compile, then run) equals PocketBase's answer;
    the sample must hold both outcomes, so the comparison is not trivially one-sided."""
    seen: Counter[int] = Counter()

    @SAMPLE
    @given(text=filters(QUERY_IDENTS, QUERY_VALID))
    def check(text: str) -> None:
        expected = reference.pocketbase_status(text)
        seen[expected] += 1
        assert reference.palapy_status(text) == expected, f"filter {text!r}: PocketBase answered {expected}"

    check()
    assert seen[200] >= 10 and seen[400] >= 10, seen
