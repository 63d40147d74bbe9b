"""The shape of the engine: stages import one way (import-linter's contracts in
pyproject.toml), the code is formatted and linted (ruff), the hooks stay an adapter and
no module grows past what a reader can hold."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
PACKAGES = ("model", "policy", "library", "site", "outputs", "commands")


def run(*command: str) -> subprocess.CompletedProcess:
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300)


def test_the_stages_import_one_way():
    done = run(str(BIN / "lint-imports"), "--no-cache")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 broken" in done.stdout


def test_a_higher_stage_imported_from_a_lower_one_breaks_the_contract(tmp_path):
    """The contract can fail: a copy of the engine whose model imports the site is refused."""
    copy = tmp_path / "project"
    copy.mkdir()
    (copy / "pyproject.toml").write_text(
        (ROOT / "pyproject.toml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    subprocess.run(["cp", "-r", str(ROOT / "knowledgehub"), str(copy / "knowledgehub")], check=True)
    walk = copy / "knowledgehub" / "model" / "walk.py"
    walk.write_text(
        walk.read_text(encoding="utf-8") + "\nfrom knowledgehub.site import urls  # noqa\n", encoding="utf-8"
    )
    done = subprocess.run(
        [str(BIN / "lint-imports"), "--no-cache"],
        cwd=copy,
        capture_output=True,
        text=True,
        timeout=300,
        env={"PYTHONPATH": str(copy), "PATH": "/usr/bin:/bin"},
    )
    assert done.returncode != 0
    assert "knowledgehub.model.walk -> knowledgehub.site.urls" in done.stdout


def test_ruff_finds_nothing():
    lint = run(str(BIN / "ruff"), "check", ".")
    assert lint.returncode == 0, lint.stdout
    form = run(str(BIN / "ruff"), "format", "--check", ".")
    assert form.returncode == 0, form.stdout


def test_the_hooks_are_a_thin_adapter():
    lines = (ROOT / "hooks" / "hub.py").read_text(encoding="utf-8").splitlines()
    assert len(lines) < 120


@pytest.mark.parametrize(
    "path", sorted((ROOT / "knowledgehub").rglob("*.py")), ids=lambda p: p.relative_to(ROOT).as_posix()
)
def test_no_engine_module_is_over_500_lines(path):
    assert len(path.read_text(encoding="utf-8").splitlines()) <= 500


@pytest.mark.parametrize("package", PACKAGES)
def test_each_stage_says_what_it_holds(package):
    init = ROOT / "knowledgehub" / package / "__init__.py"
    doc = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8")))
    assert doc and 1 <= len(doc.splitlines()) <= 3


def test_every_engine_module_has_a_docstring():
    missing = [
        p.relative_to(ROOT).as_posix()
        for p in (ROOT / "knowledgehub").rglob("*.py")
        if not ast.get_docstring(ast.parse(p.read_text(encoding="utf-8")))
    ]
    assert missing == []
