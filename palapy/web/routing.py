"""The route table: PocketBase's routes with Go's matching rules, and nothing framework-specific.

A route is a method, a path template (`/api/collections/{collection}/records/{id}`) and an async
handler. Matching follows Go's `ServeMux`, which PocketBase's router sits on: a template
segment is a literal or one `{name}` wildcard (one non-empty segment); among the routes of the
request's method the most specific wins (a literal beats a wildcard, segment by segment), and
two routes that could both claim a path without one being more specific are refused, as Go
refuses them; GET routes also answer HEAD. A path some route knows, but not for this method, is
told apart from an unknown path: PocketBase answers them differently.

The table is kept per (method, number of segments), most specific first, so a match compares a
few literals rather than walking a tree (hand-written for speed: it runs on every request).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass

from palapy.web.request import Request
from palapy.web.response import Response

__all__ = ["Route", "RouteTable", "RouteMatch", "Handler", "DEFAULT_BODY_LIMIT", "METHODS"]

Handler = Callable[[Request], Awaitable[Response]]
METHODS = frozenset({"GET", "POST", "PUT", "PATCH", "DELETE"})
# PocketBase's default limit on a request body (record writes set their own per collection).
DEFAULT_BODY_LIMIT = 32 << 20


@dataclass(frozen=True, slots=True)
class Route:
    """One endpoint. `body_limit` caps what `request.body()` reads (413 beyond it)."""

    method: str
    path: str
    handler: Handler
    body_limit: int = DEFAULT_BODY_LIMIT

    def __post_init__(self) -> None:
        if self.method not in METHODS:
            raise ValueError(f"route {self.path}: unknown method {self.method!r}")
        _segments(self.path)  # raises for an invalid template


# A matched route and the values of its wildcards (a plain tuple: it is made on every request).
RouteMatch = tuple[Route, dict[str, str]]


@dataclass(frozen=True, slots=True)
class _Pattern:
    """A route's template, split: literal segments and wildcards by position."""

    route: Route
    segments: tuple[str, ...]
    literals: tuple[tuple[int, str], ...]
    wildcards: tuple[tuple[int, str], ...]

    @property
    def specificity(self) -> tuple[int, ...]:
        """Sorts a literal segment before a wildcard, position by position."""
        return tuple(1 if s.startswith("{") else 0 for s in self.segments)

    def overlaps(self, other: _Pattern) -> bool:
        """Could one path match both (same length, no two different literals at one position)?"""
        return all(
            a == b or a.startswith("{") or b.startswith("{")
            for a, b in zip(self.segments, other.segments, strict=True)
        )

    def narrower(self, other: _Pattern) -> bool:
        """Does every path this matches also match `other`?"""
        return all(b.startswith("{") or a == b for a, b in zip(self.segments, other.segments, strict=True))


def _pattern(route: Route) -> _Pattern:
    segments = tuple(_segments(route.path))
    literals = tuple((i + 1, s) for i, s in enumerate(segments) if not s.startswith("{"))
    wildcards = tuple((i + 1, s[1:-1]) for i, s in enumerate(segments) if s.startswith("{"))
    return _Pattern(route, segments, literals, wildcards)


def _segments(template: str) -> list[str]:
    if not template.startswith("/"):
        raise ValueError(f"route {template!r}: a path starts with /")
    parts = template[1:].split("/")
    for part in parts:
        if "{" in part or "}" in part:
            if not (part.startswith("{") and part.endswith("}") and part[1:-1].isidentifier()):
                raise ValueError(f"route {template!r}: a wildcard is a whole segment, {{name}}")
    return parts


def _matches(pattern: _Pattern, parts: list[str]) -> dict[str, str] | None:
    for i, literal in pattern.literals:
        if parts[i] != literal:
            return None
    params: dict[str, str] = {}
    for i, name in pattern.wildcards:
        value = parts[i]
        if not value:
            return None
        params[name] = value
    return params


class RouteTable:
    """Routes by method and template; `match()` finds the one serving a request."""

    def __init__(self, routes: Iterable[Route] = ()) -> None:
        self._buckets: dict[tuple[str, int], list[_Pattern]] = {}
        self._routes: list[Route] = []
        for route in routes:
            self.add(route)

    @property
    def routes(self) -> list[Route]:
        return list(self._routes)

    def add(self, route: Route) -> None:
        """Register `route`; one that could claim the same paths as a registered route of its
        method, without either being more specific, is refused (a duplicate too)."""
        new = _pattern(route)
        bucket = self._buckets.setdefault((route.method, len(new.segments) + 1), [])
        for old in bucket:
            if old.segments == new.segments or (
                old.overlaps(new) and not old.narrower(new) and not new.narrower(old)
            ):
                raise ValueError(
                    f"route {route.method} {route.path} conflicts with {old.route.method} {old.route.path}"
                )
        bucket.append(new)
        bucket.sort(key=lambda p: p.specificity)
        self._routes.append(route)

    def match(self, method: str, path: str) -> RouteMatch | bool:
        """The route for `method` (GET also for HEAD) and `path`, or whether some route knows
        the path under another method (True) or none does (False)."""
        parts = path.split("/")
        bucket = self._buckets.get(("GET" if method == "HEAD" else method, len(parts)))
        if bucket is not None:
            for pattern in bucket:
                for i, literal in pattern.literals:
                    if parts[i] != literal:
                        break
                else:
                    params = {name: parts[i] for i, name in pattern.wildcards}
                    if "" not in params.values():
                        return pattern.route, params
        # The slow path, for answers that are errors anyway.
        return any(
            _matches(pattern, parts) is not None
            for (_, size), patterns in self._buckets.items()
            if size == len(parts)
            for pattern in patterns
        )
