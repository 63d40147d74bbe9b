"""The benchmark script runs (at N=100) so that it cannot rot. Its figures are
reported, never asserted against time targets (the machines are shared)."""

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))


def test_benchmark_runs_at_100_entries(tmp_path, capsys):
    import run

    assert run.main(["--sizes", "100", "--out", str(tmp_path), "--no-baseline-a"]) == 0
    [row] = json.loads((tmp_path / "results.json").read_text())
    assert row["N"] == 100
    for key in (
        "check_s",
        "build_s",
        "stage_pagefind_s",
        "stage_load_validate_s",
        "stage_render_s",
        "python_peak_mb",
        "peak_mb",
        "site_mb",
        "avg_entry_page_kb",
        "baseline_b_s",
        "browse_ratio",
        "pagefind_first_result_ms",
        "pagefind_query_kb",
        "material_first_result_ms",
        "material_index_kb",
        "usb_mb",
        "usb_zip_mb",
    ):
        assert isinstance(row[key], (int, float)) and row[key] > 0, key
    # the stages are a timeline within the build: they cannot add up to more than it
    assert 0 <= row["stage_rest_s"] < row["build_s"]
    assert (tmp_path / "results.csv").read_text().count("\n") == 2
    assert "| 100 |" in capsys.readouterr().out
