"""File downloads on top of records and auth: which file a request names, who may read it,
and how it goes out (ranges, conditionals, PocketBase's headers). Storage itself: `palapy.storage`."""
