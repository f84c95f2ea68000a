"""The layers import one way only: the import-linter contract in pyproject.toml holds.

It counts every import of a palapy module, function-local and TYPE_CHECKING ones included; its
allow-list (`ignore_imports`) is empty and stays so. `make lint` runs the same check.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def test_the_layers_contract_is_kept() -> None:
    result = subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 kept, 0 broken" in result.stdout


def test_the_contract_allows_no_exceptions() -> None:
    config = (ROOT / "pyproject.toml").read_text()
    assert "[tool.importlinter]" in config
    assert "ignore_imports" not in config


def test_only_the_edge_imports_granian() -> None:
    offenders = [
        path.relative_to(ROOT).as_posix()
        for path in (ROOT / "palapy").rglob("*.py")
        if not path.is_relative_to(ROOT / "palapy" / "web")
        and re.search(r"^\s*(from|import)\s+granian\b", path.read_text(), re.M)
    ]
    assert offenders == []
