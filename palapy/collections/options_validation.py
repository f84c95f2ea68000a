"""Validation of the type-specific collection options: auth options and the view query."""

from __future__ import annotations

import ipaddress
from typing import Any
from urllib.parse import urlsplit

from palapy.collections.loading import complete_auth_options
from palapy.collections.validation_context import ValidationContext, check_rule, system_rule_change
from palapy.collections.view_fields import ViewQueryError, dry_run_view
from palapy.schema.indexes import find_single_column_unique_index
from palapy.tools import validation_errors as E
from palapy.tools.errors import FieldError, ValidationErrors, field_error
from palapy.tools.oauth2.providers import provider_names

__all__ = ["validate_options", "OAUTH2_PROVIDER_NAMES", "MAX_TOKEN_DURATION"]

MAX_TOKEN_DURATION = 94670856  # ~3 years
# The provider names `oauth2.providers[].name` accepts: one source of truth, the OAuth2 registry.
OAUTH2_PROVIDER_NAMES = provider_names()


def _is_url(value: str) -> bool:
    """A loose absolute-URL check in the spirit of the validation library's `is.URL`."""
    if not value:
        return True
    if len(value) >= 2083 or value.startswith(".") or any(ch.isspace() for ch in value):
        return False
    try:
        parts = urlsplit(value if "://" in value else "http://" + value)
        host = parts.hostname or ""
    except ValueError:
        return False
    if not host:
        return False
    try:
        ipaddress.ip_address(host)
        return True
    except ValueError:
        pass
    return host == "localhost" or ("." in host and not host.endswith(".") and all(host.split(".")))


def _template(value: dict[str, Any]) -> ValidationErrors:
    return {k: E.required() for k in ("subject", "body") if not value.get(k)}


def _bounded(value: int, lo: int, hi: int) -> FieldError | None:
    if not value:
        return E.required()
    if value < lo:
        return E.min_value(lo)
    if value > hi:
        return E.max_value(hi)
    return None


def _token(value: dict[str, Any]) -> ValidationErrors:
    errors: ValidationErrors = {}
    secret = value.get("secret") or ""
    problem = E.required() if not secret else E.length(secret, 30, 255)
    if problem:
        errors["secret"] = problem
    problem = _bounded(int(value.get("duration") or 0), 10, MAX_TOKEN_DURATION)
    if problem:
        errors["duration"] = problem
    return errors


def _provider(value: dict[str, Any]) -> ValidationErrors:
    errors: ValidationErrors = {}
    name = value.get("name") or ""
    if not name:
        errors["name"] = E.required()
    elif name not in OAUTH2_PROVIDER_NAMES:
        errors["name"] = field_error(
            "validation_missing_provider", f"Invalid or missing provider with name {name}.", {"name": name}
        )
    for key in ("clientId", "clientSecret"):
        if not value.get(key):
            errors[key] = E.required()
    for key in ("authURL", "tokenURL", "userInfoURL"):
        if not _is_url(value.get(key) or ""):
            errors[key] = E.is_url()
    return errors


def _oauth2(value: dict[str, Any]) -> ValidationErrors:
    if not value.get("enabled"):
        return {}
    providers = value.get("providers") or []
    seen: set[str] = set()
    for i, p in enumerate(providers):
        name = p.get("name") or ""
        if not name:
            continue
        if name in seen:
            err = field_error(
                "validation_duplicated_provider",
                f"The provider {name} is already registered.",
                {"name": name},
            )
            return {"providers": {str(i): {"name": err}}}
        seen.add(name)
    per_item = {str(i): errs for i, p in enumerate(providers) if (errs := _provider(p))}
    return {"providers": per_item} if per_item else {}


def _timed(value: dict[str, Any], extra: dict[str, int]) -> ValidationErrors:
    """OTP/MFA: `duration` (10s..1 day) and the other bounded keys only matter when enabled."""
    errors: ValidationErrors = {}
    if value.get("enabled"):
        problem = _bounded(int(value.get("duration") or 0), 10, 86400)
        if problem:
            errors["duration"] = problem
        for key, lo in extra.items():
            amount = int(value.get(key) or 0)
            problem = E.required() if not amount else (E.min_value(lo) if amount < lo else None)
            if problem:
                errors[key] = problem
    return errors


def _identity_fields(ctx: ValidationContext, names: list[str]) -> FieldError | None:
    for name in names:
        if ctx.new.field(name) is None:
            return field_error(
                "validation_missing_field", f"Invalid or missing field {name}", {"fieldName": name}
            )
        if find_single_column_unique_index(ctx.new.indexes, name) is None:
            return field_error(
                "validation_missing_unique_constraint",
                f"The field {name} doesn't have a UNIQUE constraint.",
                {"fieldName": name},
            )
    return None


def _auth_options(ctx: ValidationContext) -> ValidationErrors:
    o = complete_auth_options(ctx.new.options)
    old = complete_auth_options(ctx.old.options) if ctx.original is not None else {}
    errors: ValidationErrors = {}

    problem = check_rule(ctx, o["authRule"]) or system_rule_change(ctx, o["authRule"], old.get("authRule"))
    if problem:
        errors["authRule"] = problem
    manage = o["manageRule"]
    problem = (
        (E.nil_or_not_empty() if manage == "" else None)
        or check_rule(ctx, manage)
        or system_rule_change(ctx, manage, old.get("manageRule"))
    )
    if problem:
        errors["manageRule"] = problem
    nested: dict[str, ValidationErrors] = {
        "authAlert": {"emailTemplate": t} if (t := _template(o["authAlert"]["emailTemplate"])) else {},
        "passwordAuth": {"identityFields": E.required()}
        if o["passwordAuth"]["enabled"] and not o["passwordAuth"]["identityFields"]
        else {},
        "oauth2": _oauth2(o["oauth2"]),
        "otp": {
            **_timed(o["otp"], {"length": 4}),
            **({"emailTemplate": t} if (t := _template(o["otp"]["emailTemplate"])) else {}),
        },
        "mfa": _timed(o["mfa"], {}),
    }
    for key in ("authToken", "passwordResetToken", "emailChangeToken", "verificationToken", "fileToken"):
        nested[key] = _token(o[key])
    for key in ("verificationTemplate", "resetPasswordTemplate", "confirmEmailChangeTemplate"):
        nested[key] = _template(o[key])
    errors.update({k: v for k, v in nested.items() if v})
    if errors:
        return errors

    mfa = o["mfa"]
    if mfa["enabled"]:
        enabled = sum(bool(o[k]["enabled"]) for k in ("passwordAuth", "oauth2", "otp"))
        if enabled < 2:
            err = field_error(
                "validation_mfa_not_enough_auths", "MFA requires at least 2 auth methods to be enabled."
            )
            return {"mfa": {"enabled": err}}
        if mfa["rule"]:
            problem = check_rule(ctx, mfa["rule"]) or system_rule_change(
                ctx, mfa["rule"], (old.get("mfa") or {}).get("rule")
            )
            if problem:
                return {"mfa": {"rule": problem}}
    if o["passwordAuth"]["enabled"]:
        problem = _identity_fields(ctx, list(o["passwordAuth"]["identityFields"]))
        if problem:
            return {"passwordAuth": {"identityFields": problem}}
    return {}


def _view_options(ctx: ValidationContext) -> ValidationErrors:
    query = ctx.new.view_query
    if not query:
        return {"viewQuery": E.required()}
    try:
        dry_run_view(ctx.conn, ctx.registry.all(), query, 10)
    except (ViewQueryError, ValueError) as exc:
        return {
            "viewQuery": field_error("validation_invalid_view_query", "Invalid query - " + str(exc)[:500])
        }
    return {}


def validate_options(ctx: ValidationContext) -> ValidationErrors:
    """Errors of the auth options or of the view query (nothing for base collections)."""
    if ctx.new.is_auth:
        return _auth_options(ctx)
    if ctx.new.is_view:
        return _view_options(ctx)
    return {}
