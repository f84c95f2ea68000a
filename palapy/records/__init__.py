"""Records: body parsing, the record service, queries, serialisation and the records API."""
