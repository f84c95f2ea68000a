"""Who is asking and what they sent: the `@request.*` side of rules and hooks."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from palapy.schema.model import Collection
from palapy.schema.system import SUPERUSERS

__all__ = ["RequestInfo"]


@dataclass
class RequestInfo:
    """The request as rules see it. `auth` is the authenticated record (canonical values) or None.

    `headers` keys are lower snake_case (`X-Token` -> `x_token`), as `@request.headers.*` uses them.
    """

    auth: dict[str, Any] | None = None
    auth_collection: Collection | None = None
    method: str = "GET"
    headers: dict[str, str] = field(default_factory=dict)
    query: dict[str, str] = field(default_factory=dict)
    body: dict[str, Any] = field(default_factory=dict)
    context: str = "default"

    @property
    def is_superuser(self) -> bool:
        return (
            self.auth is not None
            and self.auth_collection is not None
            and self.auth_collection.name == SUPERUSERS
        )

    @property
    def is_guest(self) -> bool:
        return self.auth is None
