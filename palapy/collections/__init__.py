"""The collections service: create, update, delete and import collections, with PocketBase's
validation, dependent views and listing. Callable without HTTP."""
