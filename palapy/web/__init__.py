"""The HTTP edge: one route table served over Granian's RSGI interface.

`routing` (the table and its matcher) -> `request` / `response` (what handlers read and return)
-> `headers` (the one place response headers are finished, CORS included) -> `errors` (the one
mapper from exceptions to PocketBase's envelope) -> `rsgi` (the application Granian calls) ->
`server` (Granian embedded in the process). Only this package imports Granian; the handlers
themselves live in `palapy.apis`.
"""
