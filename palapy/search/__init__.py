"""PocketBase's filter language (fexpr) compiled to parameterised SQLite, as its `tools/search`.

`lexer` (tokens) -> `parser` (AST) -> `compiler` (comparisons, groups, EXISTS wrapping) over a
`FieldResolver` (`scope`), with `functions`, `macros`, `sort`, the SQL builder (`sql`) and
`paging`. Nothing here knows about records: `simple` resolves plain columns, and
`palapy.rules` resolves record fields.
"""
