"""Follow-up on items: the model's records and statuses, `hub check` on bad follow-up
(file, line, hint), the catalog's derived status and both-way links, the exports and the
feed read back by their own parsers, and `hub follow-up` round-tripping a file."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, copy_project

from knowledgehub.model.content import ContentModel

DECLARATION = "content/declarations/chennai-declaration-india-wops-2011.md"
UNCONF = "content/events/leading-organisational-transformation-unconference-2012.md"
WORKSHOP = "content/workshops/project-consolidate-group-2.md"


def hub(project: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "knowledgehub.cli", *args],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )


def problems(project: Path, *paths: str) -> list[dict]:
    done = hub(project, "check", "--format", "json", *paths)
    assert "Traceback" not in done.stderr, done.stderr
    return json.loads(done.stdout) if done.stdout.strip() else []


def add_record(project: Path, item: str, record: str, rel: str = DECLARATION) -> int:
    """Insert ``record`` (YAML lines of one follow-up) under item ``item``; its first line's number."""
    path = project / rel
    lines = path.read_text(encoding="utf-8").split("\n")
    start = lines.index(f"  - id: {item}")
    end = start + 1
    while not lines[end].startswith("  - id:") and not re.match(r"^\S", lines[end]):
        end += 1
    block = ["    follow_up:"] + ["      " + line for line in record.strip("\n").split("\n")]
    lines[end:end] = block
    path.write_text("\n".join(lines), encoding="utf-8")
    return end + 2


@pytest.fixture
def project(tmp_path) -> Path:
    return copy_project(tmp_path / "hub")


def test_the_model_says_where_follow_up_lives():
    fu = ContentModel.load(ROOT / "model").follow_up
    assert fu.records and fu.status and fu.responds_to and fu.evidence_entry
    model = ContentModel.load(ROOT / "model")
    statuses = model.vocabulary(fu.vocabulary).terms
    assert {"proposed", "under-way", "done", "dropped", "unknown"} <= set(statuses)
    assert fu.when_none == "unknown"


def test_a_good_record_passes_and_sets_the_status(project):
    add_record(
        project,
        "water-awards",
        '- date: "2011-06"\n  status: proposed\n  text: Proposed.\n'
        '- date: "2012-02"\n  status: under-way\n  text: Begun.\n  evidence:\n'
        "    - entry: leading-organisational-transformation-unconference-2012\n"
        "    - source: A report\n",
    )
    assert problems(project) == []
    from knowledgehub.library.load import load_library
    from knowledgehub.model.project import Project

    catalog = load_library(Project.find(project)).catalog
    entry = catalog.get("declaration", "chennai-declaration-india-wops-2011")
    item = next(i for i in entry.items if i.id == "water-awards")
    assert item.status == "under-way"
    assert [r.status for r in item.follow_ups] == ["proposed", "under-way"]
    assert (
        item.follow_ups[-1].evidence[0].entry.slug
        == "leading-organisational-transformation-unconference-2012"
    )
    other = next(i for i in entry.items if i.id == "major-network")
    assert other.status == "unknown" and not other.has_evidence


@pytest.mark.parametrize(
    "record, message, hint",
    [
        ('- date: "2012-02"\n  text: No status.\n', "missing required field 'status'", ""),
        ('- date: "2012-02"\n  status: finished\n  text: A.\n', "unknown follow-up status 'finished'", ""),
        (
            '- date: "2012-02"\n  status: undr-way\n  text: A.\n',
            "unknown follow-up status",
            "did you mean 'under-way'?",
        ),
        (
            '- date: "2150-01"\n  status: done\n  text: A.\n',
            "after today",
            "a follow-up records what has happened",
        ),
        (
            '- date: "2010-12"\n  status: done\n  text: A.\n',
            "before the entry itself (2011-01-07)",
            "check the date",
        ),
        (
            '- date: "2012-02"\n  status: done\n  text: A.\n  evidence:\n    - url: https://example.org/\n',
            "names neither an entry nor a source",
            "entry: <entry id>",
        ),
        (
            '- date: "2012-02"\n  status: done\n  text: A.\n  evidence:\n'
            "    - entry: leading-organisational-transformation-unconferense-2012\n",
            "evidence names entry",
            "did you mean 'leading-organisational-transformation-unconference-2012'?",
        ),
    ],
)
def test_bad_records_are_reported_with_file_line_and_hint(project, record, message, hint):
    first = add_record(project, "water-awards", record)
    found = problems(project)
    assert len(found) == 1, found
    problem = found[0]
    assert problem["path"] == DECLARATION
    assert message in problem["message"]
    assert hint in (problem.get("hint") or "")
    assert first <= problem["line"] <= first + 6


def _responds(project: Path, value: str, rel: str = UNCONF) -> int:
    path = project / rel
    text = path.read_text(encoding="utf-8")
    text = text.replace("\nsources:\n", f"\nresponds_to: [{value}]\nsources:\n", 1)
    path.write_text(text, encoding="utf-8")
    return text.split("\n").index(f"responds_to: [{value}]") + 1


@pytest.mark.parametrize(
    "value, message, hint",
    [
        (
            "chennai-declaration-india-wops-2011#water-award",
            "has no item 'water-award'",
            "did you mean 'water-awards'?",
        ),
        ("chennai-declaration-india-wops-2011#zzz", "has no item 'zzz'", "its items are: major-network"),
        ("chennai-declaraton-india-wops-2011#water-awards", "which has no items", "did you mean"),
        ("chennai-declaration-india-wops-2011", "must name an item as entry-id#item-id", "e.g."),
    ],
)
def test_bad_responds_to_is_reported(project, value, message, hint):
    line = _responds(project, value)
    found = problems(project)
    assert len(found) == 1, found
    assert found[0]["path"] == UNCONF and found[0]["line"] == line
    assert message in found[0]["message"] and hint in found[0]["hint"]
    # checking the one file reports it too (the library check sees the whole library)
    assert [p["message"] for p in problems(project, UNCONF)] == [found[0]["message"]]


def test_responds_to_a_draft_is_reported(project):
    path = project / DECLARATION
    path.write_text(
        path.read_text(encoding="utf-8").replace("\nsources:\n", "\nstatus: draft\nsources:\n", 1)
    )
    line = _responds(project, "chennai-declaration-india-wops-2011#water-awards")
    found = [p for p in problems(project) if p["path"] == UNCONF]
    assert any("which is a draft" in p["message"] and p["line"] == line for p in found), found


def test_responses_link_both_ways(project):
    _responds(project, "chennai-declaration-india-wops-2011#knowledge-hub")
    from knowledgehub.library.load import load_library
    from knowledgehub.model.project import Project

    catalog = load_library(Project.find(project)).catalog
    event = catalog.get("event", "leading-organisational-transformation-unconference-2012")
    item = event.responds_to[0]
    assert item.address == "chennai-declaration-india-wops-2011#knowledge-hub"
    assert event in item.responses and item.has_evidence
