"""The generated provider logos: well-formed SVG, stable, distinct per provider, never brand art."""

from __future__ import annotations

import os
import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest

from palapy.tools.oauth2 import PROVIDERS
from palapy.tools.oauth2.logos import logo_colour, logo_initials, provider_logo

SVG = "{http://www.w3.org/2000/svg}"


@pytest.mark.parametrize(
    ("display_name", "initials"),
    [("Google", "G"), ("Planning Center", "PC"), ("monday.com", "M"), ("X/Twitter", "X"),
     ("ВКонтакте", "В"), ("", "?"), ("  ", "?")],
)  # fmt: skip
def test_initials(display_name: str, initials: str) -> None:
    assert logo_initials(display_name) == initials


def test_every_logo_is_a_parseable_badge_with_the_initials() -> None:
    for p in PROVIDERS.values():
        root = ET.fromstring(p.logo)
        assert root.tag == SVG + "svg" and root.get("viewBox") == "0 0 64 64"
        rect = root.find(SVG + "rect")
        assert rect is not None and rect.get("fill") == logo_colour(p.name)
        text = root.find(SVG + "text")
        assert text is not None and text.text == logo_initials(p.display_name)


def test_colour_is_the_same_in_every_process_and_name_based() -> None:
    # Python salts str hashes per process: the colour must not depend on them.
    script = "from palapy.tools.oauth2.logos import logo_colour; print(logo_colour('google'))"
    colours = {
        subprocess.run(
            [sys.executable, "-c", script],
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        for seed in ("1", "2")
    }
    assert colours == {logo_colour("google")}
    assert len({logo_colour(name) for name in ("oidc", "oidc2", "oidc3")}) == 3
    r, g, b = (int(logo_colour("github")[i : i + 2], 16) for i in (1, 3, 5))
    # Mid-tone: white initials stay readable.
    assert 0.2 < (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255 < 0.6


def test_markup_in_a_display_name_cannot_leak_into_the_svg() -> None:
    root = ET.fromstring(provider_logo("x", "<b> &c <script>"))
    text = root.find(SVG + "text")
    assert text is not None and text.text == "BC" and root.find(SVG + "script") is None
    assert logo_initials("<> &") == "?"
