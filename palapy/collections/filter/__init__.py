"""PocketBase's filter language (fexpr) compiled to parameterised SQLite.

Modules: `lexer` (tokens), `parser` (AST), `resolver` + `request_fields` (identifiers),
`functions`, `macros`, `compiler` (comparisons, groups, EXISTS wrapping), `sort`, and
`scope` (the join space shared by one query). The public API is `palapy.collections.rules`.
"""

from palapy.collections.filter.compiler import compile_text, finalize_where
from palapy.collections.filter.lexer import FilterSyntaxError
from palapy.collections.filter.operand import ResolveError
from palapy.collections.filter.parser import parse
from palapy.collections.filter.resolver import Resolver
from palapy.collections.filter.scope import Scope
from palapy.collections.filter.sort import SortItem, parse_sort, render_sort, resolve_sort
from palapy.collections.filter.sql import Sql

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
