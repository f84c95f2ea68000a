"""The `?fields=` response picker: keep only the listed (dotted) keys of a JSON answer."""

from __future__ import annotations

from typing import Any

__all__ = ["pick_fields", "parse_fields"]

_LIST_KEYS = ("page", "perPage", "totalItems", "totalPages")


def _split_top(text: str) -> list[str]:
    """Split on commas that are not inside parentheses."""
    parts: list[str] = []
    cur: list[str] = []
    depth = 0
    for ch in text:
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth = max(0, depth - 1)
        if ch == "," and depth == 0:
            parts.append("".join(cur))
            cur = []
        else:
            cur.append(ch)
    parts.append("".join(cur))
    return [p.strip() for p in parts if p.strip()]


def parse_fields(text: str) -> dict[str, Any]:
    """`a,b.c,d:excerpt(5)` -> a nested tree {key: subtree | {} , ...}; modifiers kept in `:mod` keys."""
    tree: dict[str, Any] = {}
    for path in _split_top(text):
        node = tree
        segments = path.split(".")
        for i, seg in enumerate(segments):
            last = i == len(segments) - 1
            modifier = None
            if last and ":" in seg:
                seg, modifier = seg.split(":", 1)
            child = node.setdefault(seg, {})
            if modifier is not None:
                child[":mod"] = modifier
            node = child
    return tree


def _apply_modifier(value: Any, modifier: str) -> Any:
    from palapy.tools.excerpt import excerpt_modifier

    return excerpt_modifier(value, modifier)


def _pick(value: Any, tree: dict[str, Any]) -> Any:
    if isinstance(value, list):
        return [_pick(v, tree) for v in value]
    if not isinstance(value, dict):
        return value
    out: dict[str, Any] = {}
    star = tree.get("*")
    for key, item in value.items():
        spec: dict[str, Any] | None = tree.get(key, star)
        if spec is not None:
            out[key] = _apply(item, spec)
    return out


def _apply(item: Any, spec: dict[str, Any]) -> Any:
    modifier = spec.get(":mod")
    children = {k: v for k, v in spec.items() if k != ":mod"}
    if modifier is not None:
        item = _apply_modifier(item, modifier)
    if children:
        return _pick(item, children)
    return item


def pick_fields(data: Any, fields: str) -> Any:
    """Apply a `fields` expression. List results keep their paging keys and pick inside items."""
    tree = parse_fields(fields)
    if not tree:
        return data
    if isinstance(data, dict) and "items" in data and all(k in data for k in _LIST_KEYS):
        picked = dict(data)
        picked["items"] = _pick(data["items"], tree)
        return picked
    return _pick(data, tree)
