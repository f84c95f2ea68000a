"""API rules and client filters over records: the `@request.*` side (`RequestInfo`), the record
field resolver, the join space of one query, compiling rules/filters/sorts into SQL, and rules
evaluated on stored or would-be rows. Built on `palapy.search`."""
