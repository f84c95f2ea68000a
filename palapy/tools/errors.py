"""The one error type of palapy, shaped like PocketBase's `{"data","message","status"}`."""

from __future__ import annotations

from typing import Any

__all__ = [
    "ApiError",
    "FieldError",
    "ValidationErrors",
    "bad_request",
    "forbidden",
    "not_found",
    "unauthorized",
    "field_error",
    "MSG_BAD_REQUEST",
    "MSG_NOT_FOUND",
    "MSG_FORBIDDEN",
    "MSG_UNAUTHORIZED",
    "MSG_INTERNAL",
]

MSG_BAD_REQUEST = "Something went wrong while processing your request."
MSG_NOT_FOUND = "The requested resource wasn't found."
MSG_FORBIDDEN = "The authorized record is not allowed to perform this action."
MSG_UNAUTHORIZED = "The request requires valid record authorization token."
MSG_INTERNAL = "Something went wrong while processing your request."

# A validation error for one field: {"code": ..., "message": ..., "params"?: {...}}.
FieldError = dict[str, Any]
# Field name (or index, for nested collection field errors) -> FieldError or a nested mapping.
ValidationErrors = dict[str, Any]


def _sentence(message: str) -> str:
    """PocketBase capitalises the first letter and ends messages with punctuation."""
    message = message.strip()
    if not message:
        return message
    message = message[0].upper() + message[1:]
    if message[-1] not in ".?!":
        message += "."
    return message


class ApiError(Exception):
    """An error answered to the client as `{"data": {...}, "message": "...", "status": N}`.

    `data` holds per-field validation errors; everything else stays in logs, never in the body.
    """

    def __init__(self, status: int, message: str, data: ValidationErrors | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = _sentence(message)
        self.data: ValidationErrors = data or {}

    def to_dict(self) -> dict[str, Any]:
        return {"data": self.data, "message": self.message, "status": self.status}

    def __repr__(self) -> str:
        return f"ApiError({self.status}, {self.message!r}, {self.data!r})"


def field_error(code: str, message: str, params: dict[str, Any] | None = None) -> FieldError:
    """One field's validation error; `params` is only present when given."""
    err: FieldError = {"code": code, "message": _sentence(message)}
    if params is not None:
        err["params"] = params
    return err


def bad_request(message: str = MSG_BAD_REQUEST, data: ValidationErrors | None = None) -> ApiError:
    return ApiError(400, message, data)


def not_found(message: str = MSG_NOT_FOUND) -> ApiError:
    return ApiError(404, message)


def forbidden(message: str = MSG_FORBIDDEN) -> ApiError:
    return ApiError(403, message)


def unauthorized(message: str = MSG_UNAUTHORIZED) -> ApiError:
    return ApiError(401, message)
