"""`geoPoint`: `{"lon": float, "lat": float}`; `{0, 0}` counts as empty."""

from __future__ import annotations

from typing import Any

from palapy.schema.fields._rules import common_settings_errors, required
from palapy.schema.fields.base import CommonField, SettingsContext, ValueContext
from palapy.tools import jsonx
from palapy.tools.errors import FieldError, ValidationErrors, field_error
from palapy.tools.gocast import JSON_DECODER, json_number, sqlite_text

__all__ = ["GeoPointField", "parse_geo_point"]

_WS = " \t\n\r"


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _apply_members(members: Any, point: dict[str, float]) -> None:
    """Take `lon`/`lat` (exact, case-sensitive names) in order; a member of the wrong type stops
    the decoding but keeps what was read before it, like Go's JSON decoder. Null is skipped."""
    for key, value in members:
        if key not in ("lon", "lat") or value is None:
            continue
        if not _is_number(value):
            return
        try:
            point[key] = float(value)
        except OverflowError:  # out of float64 range
            return


def _object_members(text: str) -> list[tuple[str, Any]]:
    """The members of a JSON object text, read one by one until the first error (syntax error,
    duplicate name or trailing data)."""
    members: list[tuple[str, Any]] = []
    i = len(text) - len(text.lstrip(_WS))
    if text[i : i + 1] != "{":
        return members
    seen: set[str] = set()
    i += 1
    try:
        while True:
            while i < len(text) and text[i] in _WS:
                i += 1
            if text[i] == "}" and not members:
                return members
            key, i = JSON_DECODER.raw_decode(text, i)
            if not isinstance(key, str) or key in seen:
                return members
            seen.add(key)
            while text[i] in _WS:
                i += 1
            if text[i] != ":":
                return members
            i += 1
            while text[i] in _WS:
                i += 1
            value, i = JSON_DECODER.raw_decode(text, i)
            if key in ("lon", "lat") and value is not None and not _is_number(value):
                return members
            members.append((key, value))
            while text[i] in _WS:
                i += 1
            if text[i] == ",":
                i += 1
                continue
            if text[i] == "}":
                return members
            return members
    except (ValueError, IndexError, RecursionError):
        return members


def parse_geo_point(value: Any) -> dict[str, int | float]:
    """`{"lon": x, "lat": y}` from an object or its JSON text; missing members are 0 and
    anything that is not an object (arrays, numbers, other strings) gives `{0, 0}`."""
    point = {"lon": 0.0, "lat": 0.0}
    if isinstance(value, bytes | bytearray):
        value = bytes(value).decode("utf-8", "replace")
    if isinstance(value, dict):
        _apply_members(value.items(), point)
    elif isinstance(value, str) and value:
        _apply_members(_object_members(value), point)
    return {"lon": json_number(point["lon"]), "lat": json_number(point["lat"])}


class GeoPointField(CommonField, tag="geoPoint", kw_only=True):
    def column_definition(self) -> str:
        return 'JSON DEFAULT \'{"lon":0,"lat":0}\' NOT NULL'

    def empty_value(self) -> Any:
        return {"lon": 0, "lat": 0}

    def normalize(self, value: Any) -> dict[str, int | float]:
        return parse_geo_point(value)

    def to_db(self, value: Any) -> str:
        return jsonx.encode(parse_geo_point(value)).decode()

    def from_db(self, raw: Any) -> dict[str, int | float]:
        return parse_geo_point(sqlite_text(raw))

    def validate_value(self, value: Any, ctx: ValueContext) -> FieldError | None:
        point = parse_geo_point(value)
        lon, lat = point["lon"], point["lat"]
        if lon == 0 and lat == 0:
            return required() if self.required else None
        if not -90 <= lat <= 90:
            return field_error("validation_invalid_latitude", "Latitude must be between -90 and 90 degrees.")
        if not -180 <= lon <= 180:
            return field_error(
                "validation_invalid_longitude", "Longitude must be between -180 and 180 degrees."
            )
        return None

    def validate_settings(self, ctx: SettingsContext) -> ValidationErrors:
        return common_settings_errors(self)
