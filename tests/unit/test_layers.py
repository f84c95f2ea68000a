"""Only the HTTP edge imports Litestar: services stay callable from the CLI and hooks."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2] / "palapy"
ALLOWED = re.compile(r"(^|/)(\w*routes\.py|app\.py|http/[^/]+\.py|ui_server\.py)$")


def test_only_routes_and_app_import_litestar() -> None:
    offenders = []
    for path in ROOT.rglob("*.py"):
        rel = path.relative_to(ROOT).as_posix()
        if ALLOWED.search(rel):
            continue
        text = path.read_text()
        if re.search(r"^\s*(from|import)\s+litestar", text, re.M):
            offenders.append(rel)
    assert offenders == []


def test_tools_import_nothing_else_of_palapy() -> None:
    for path in (ROOT / "tools").rglob("*.py"):
        for line in path.read_text().splitlines():
            m = re.match(r"\s*(?:from|import)\s+palapy\.(\w+)", line)
            assert m is None or m.group(1) == "tools", f"{path.name}: {line}"
