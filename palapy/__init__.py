"""palapy: a PocketBase-compatible backend in Python with the Pala website builder inside."""

__version__ = "0.1.0"
# PocketBase version whose behaviour and storage layout palapy follows.
POCKETBASE_COMPAT = "0.40.6"
