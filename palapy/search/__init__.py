"""PocketBase's filter language (fexpr) compiled to parameterised SQLite.

Modules: `lexer` (tokens), `parser` (AST), `resolver` + `request_fields` (identifiers),
`functions`, `macros`, `compiler` (comparisons, groups, EXISTS wrapping), `sort`, and
`scope` (the join space shared by one query). The public API is `palapy.rules.filters`.
"""

from palapy.rules.resolver import Resolver
from palapy.search.compiler import compile_text, finalize_where
from palapy.search.lexer import FilterSyntaxError
from palapy.search.operand import ResolveError
from palapy.search.parser import parse
from palapy.search.scope import Scope
from palapy.search.sort import SortItem, parse_sort, render_sort, resolve_sort
from palapy.search.sql import Sql

__all__ = [
    "FilterSyntaxError",
    "ResolveError",
    "Resolver",
    "Scope",
    "Sql",
    "compile_text",
    "finalize_where",
    "parse",
    "parse_sort",
    "render_sort",
    "resolve_sort",
    "SortItem",
]
