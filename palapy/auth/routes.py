"""Routes (being written)."""

from typing import Any

ROUTES: list[Any] = []
