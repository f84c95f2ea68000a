"""Where bundled files live, for source runs and for the frozen (PyInstaller) binary alike."""

from __future__ import annotations

import json
import sys
from functools import cache
from pathlib import Path

__all__ = ["bundle_root", "ui_dist_dir", "build_info", "is_frozen"]


def is_frozen() -> bool:
    return bool(getattr(sys, "frozen", False))


def bundle_root() -> Path:
    """The folder holding `ui_dist/` and `build_info.json`: `sys._MEIPASS` when frozen, else the repo root."""
    meipass = getattr(sys, "_MEIPASS", None)
    if meipass:
        return Path(meipass)
    return Path(__file__).resolve().parent.parent


def ui_dist_dir() -> Path:
    """The committed build of the UI (served at /admin and /_/ in later issues)."""
    return bundle_root() / "ui_dist"


@cache
def build_info() -> dict[str, str]:
    """What the binary was built from (`build_info.json`, written by build_binary.spec); "source" otherwise."""
    path = bundle_root() / "build_info.json"
    if is_frozen() and path.is_file():
        try:
            data = json.loads(path.read_text())
            return {str(k): str(v) for k, v in data.items()}
        except (OSError, ValueError):
            pass
    return {"build": "source"}
