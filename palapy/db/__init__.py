"""SQLite through APSW: connections with PocketBase's pragmas, and the one executor."""

from palapy.db.connection import open_connection, query_all, query_one
from palapy.db.executor import Database

__all__ = ["Database", "open_connection", "query_all", "query_one"]
