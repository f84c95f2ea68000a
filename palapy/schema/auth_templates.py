"""Default email templates of auth collections, byte-identical to PocketBase 0.40's defaults.

They are stored inside `_collections.options`, so any difference (a space, a newline) would make
a palapy-made `pb_data` differ from a PocketBase-made one. Placeholders (`{APP_NAME}`, `{APP_URL}`,
`{TOKEN}`, `{OTP}`, `{ALERT_INFO}`) are filled in by the mailer.
"""

from __future__ import annotations

__all__ = [
    "AUTH_ALERT_TEMPLATE",
    "OLD_AUTH_ALERT_BODY",
    "OTP_TEMPLATE",
    "VERIFICATION_TEMPLATE",
    "RESET_PASSWORD_TEMPLATE",
    "CONFIRM_EMAIL_CHANGE_TEMPLATE",
    "template",
]

_SIGNATURE = "<p>\n  Thanks,<br/>\n  {APP_NAME} team\n</p>"


def _body(*paragraphs: str) -> str:
    """`<p>Hello,</p>`, the given lines, then the common signature, joined by newlines."""
    return "\n".join(("<p>Hello,</p>", *paragraphs, _SIGNATURE))


def _button(path: str, label: str) -> str:
    return f'<p>\n  <a class="btn" href="{{APP_URL}}/_/#/auth/{path}/{{TOKEN}}" target="_blank" rel="noopener">{label}</a>\n</p>'


def template(subject: str, body: str) -> dict[str, str]:
    """An `{"subject", "body"}` object in PocketBase's key order."""
    return {"subject": subject, "body": body}


_CHANGE_PASSWORD_WARNING = (
    "<p><strong>If this wasn't you, you should immediately change your {APP_NAME} account password"
    " to revoke access from all other locations.</strong></p>"
)

AUTH_ALERT_TEMPLATE = template(
    "Login from a new location",
    _body(
        "<p>We noticed a login to your {APP_NAME} account from a new location:</p>",
        "<p><em>{ALERT_INFO}</em></p>",
        _CHANGE_PASSWORD_WARNING,
        "<p>If this was you, you may disregard this email.</p>",
    ),
)

# The auth alert body used before PocketBase's 1763020353 system migration replaced it.
OLD_AUTH_ALERT_BODY = _body(
    "<p>We noticed a login to your {APP_NAME} account from a new location.</p>",
    "<p>If this was you, you may disregard this email.</p>",
    _CHANGE_PASSWORD_WARNING,
)

OTP_TEMPLATE = template(
    "OTP for {APP_NAME}",
    _body(
        "<p>Your one-time password is: <strong>{OTP}</strong></p>",
        "<p><i>If you didn't ask for the one-time password, you can ignore this email.</i></p>",
    ),
)

VERIFICATION_TEMPLATE = template(
    "Verify your {APP_NAME} email",
    _body(
        "<p>Thank you for joining us at {APP_NAME}.</p>",
        "<p>Click on the button below to verify your email address.</p>",
        _button("confirm-verification", "Verify"),
        "<p><i>If you didn't recently register, please ignore this email.</i></p>",
    ),
)

RESET_PASSWORD_TEMPLATE = template(
    "Reset your {APP_NAME} password",
    _body(
        "<p>Click on the button below to reset your password.</p>",
        _button("confirm-password-reset", "Reset password"),
        "<p><i>If you didn't ask to reset your password, please ignore this email.</i></p>",
    ),
)

CONFIRM_EMAIL_CHANGE_TEMPLATE = template(
    "Confirm your {APP_NAME} new email address",
    _body(
        "<p>Click on the button below to confirm your new email address.</p>",
        _button("confirm-email-change", "Confirm new email"),
        "<p><i>If you didn't ask to change your email address, please ignore this email.</i></p>",
    ),
)
