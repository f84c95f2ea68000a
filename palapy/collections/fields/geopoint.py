"""`geoPoint`: `{"lon": float, "lat": float}`; `{0, 0}` counts as empty."""

from __future__ import annotations

from typing import Any

from palapy.collections.fields.base import CommonField

__all__ = ["GeoPointField"]


class GeoPointField(CommonField, tag="geoPoint", kw_only=True):
    def column_definition(self) -> str:
        return "JSON DEFAULT '{\"lon\":0,\"lat\":0}' NOT NULL"

    def empty_value(self) -> Any:
        return {"lon": 0, "lat": 0}
