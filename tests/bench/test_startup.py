"""The start-up bench measures a real start and prints every figure (one quick run from source)."""

from __future__ import annotations

import sys
from pathlib import Path

from tests.bench.startup import StartupFigures, format_table, measure


def test_measure_starts_stops_and_reads_memory_of_palapy_from_source(tmp_path: Path) -> None:
    figures = measure("palapy-source", [sys.executable, "-m", "palapy"], runs=1, workdir=tmp_path)
    assert figures.error == ""
    assert len(figures.start_new_dir_s) == 1 and len(figures.start_existing_dir_s) == 1
    assert 0 < figures.start_new_dir_s[0] < 30
    assert all(10 < rss < 2000 for rss in figures.idle_rss_mib)
    assert figures.size_mb is None  # not one file
    assert (tmp_path / "palapy-source-0" / "pb_data" / "data.db").is_file()


def test_the_table_shows_medians_ranges_and_failures() -> None:
    ok = StartupFigures("palapy", ["x"], size_mb=20.0, start_new_dir_s=[0.5, 0.7, 0.6], idle_rss_mib=[50.0])
    broken = StartupFigures("pocketbase", ["y"], error="exited with rc=1: boom")
    table = format_table([ok, broken])
    assert "0.60 (0.50-0.70)" in table
    assert "20.0" in table
    assert "pocketbase: FAILED: exited with rc=1: boom" in table
