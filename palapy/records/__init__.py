"""Records: body parsing, the record service, queries, serialisation and the records API.

body (request bodies) -> upsert (rules, body resolution) -> forms (auth form rules)
-> service (hooks + validation + SQL in the writer thread; cascade, storage_ops)
-> enrich (serialize + expand + enrich hooks) ; query (list paging/filter/sort) ; api (flows) ; routes (Litestar).
"""
