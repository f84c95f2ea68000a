"""Neutral, generated logos for the OAuth2 providers.

PocketBase ships each provider's brand artwork as an inline SVG. palapy does not copy or
reproduce any brand artwork: every provider gets the same plain badge, a rounded square in a
colour derived from the provider's name with the initial(s) of its display name. The admin UI
uses the logo only as a visual hint next to the name, so any small SVG is enough.
"""

from __future__ import annotations

import colorsys
import hashlib
from xml.sax.saxutils import escape

__all__ = ["provider_logo", "logo_initials", "logo_colour"]

_SIZE = 64


def logo_initials(display_name: str) -> str:
    """The first letter of each of the first two space-separated words, upper-cased."""
    words = [w for w in display_name.split() if w]
    letters = "".join(next((ch for ch in w if ch.isalnum()), "") for w in words[:2])
    return (letters or "?").upper()


def logo_colour(name: str) -> str:
    """A stable mid-tone colour (`#rrggbb`) for `name`, dark enough for white text.

    A digest rather than `hash()`: Python salts string hashes per process.
    """
    digest = hashlib.sha256(name.encode()).digest()
    hue = int.from_bytes(digest[:2], "big") % 360
    r, g, b = colorsys.hls_to_rgb(hue / 360, 0.40, 0.55)
    return f"#{round(r * 255):02x}{round(g * 255):02x}{round(b * 255):02x}"


def provider_logo(name: str, display_name: str) -> str:
    """A small inline SVG badge for the provider `name` (never the provider's brand artwork)."""
    initials = escape(logo_initials(display_name))
    font_size = 28 if len(initials) > 1 else 34
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{_SIZE}" height="{_SIZE}" '
        f'viewBox="0 0 {_SIZE} {_SIZE}">'
        f'<rect width="{_SIZE}" height="{_SIZE}" rx="14" fill="{logo_colour(name)}"/>'
        f'<text x="50%" y="50%" dy=".35em" text-anchor="middle" fill="#fff" '
        f'font-family="system-ui,sans-serif" font-size="{font_size}" font-weight="600">{initials}</text>'
        "</svg>"
    )
