"""Records: bodies, rules on writes, the record service, queries, serialisation and the flows of
the records API, callable without HTTP.

body (request bodies) -> upsert (rules, body resolution) -> forms (auth form rules)
-> service (hooks + validation + SQL in the writer thread, cascades; record_files)
-> enrich (serialize + expand + enrich hooks); query (the paged SELECT); api (the flows).
"""
