"""``hub from-issue`` on the progress form ("Report progress on a recommendation"): a report
becomes a follow-up record of its item, found by its link as a reader copies it from the
site or by the words quoted from it; the file still passes ``hub check`` and only the new
record differs. A malformed or hostile report changes nothing and the comment says, question
by question, what needs a change. Fixtures in tests/fixtures/issues/ are bodies as GitHub
writes them, with the form's own questions."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, copy_project
from test_followup import _added_lines as added_lines
from test_followup import hub as run_hub

from knowledgehub.library.load import load_library
from knowledgehub.model.content import ContentModel
from knowledgehub.model.project import Project
from knowledgehub.outputs.follow_up_record import entry_of_link, item_address
from knowledgehub.outputs.issue_form import ITEM_LABEL, PROGRESS_CONSENT, progress_asked

ISSUES = ROOT / "tests/fixtures/issues"
DECLARATION = "content/declarations/chennai-declaration-india-wops-2011.md"
WORKSHOP = "content/workshops/project-consolidate-group-2.md"


@pytest.fixture
def project(tmp_path) -> Path:
    return copy_project(tmp_path / "hub")


def from_issue(project: Path, fixture: str | Path, *args: str) -> subprocess.CompletedProcess:
    return run_hub(project, "from-issue", str(ISSUES / fixture), *args)


def snapshot(project: Path) -> dict[str, bytes]:
    return {p.relative_to(project).as_posix(): p.read_bytes() for p in (project / "content").rglob("*.md")}


def item(project: Path, type_name: str, slug: str, item_id: str):
    catalog = load_library(Project.find(project)).catalog
    return next(i for i in catalog.get(type_name, slug).items if i.id == item_id)


def test_the_fixtures_answer_the_forms_questions():
    """The fixtures are bodies of the committed form: their headings are its labels."""
    form = yaml.safe_load((ROOT / ".github/ISSUE_TEMPLATE/follow-up.yml").read_text(encoding="utf-8"))
    labels = [e["attributes"]["label"] for e in form["body"] if e["type"] != "markdown"]
    model = ContentModel.load(ROOT / "model")
    assert labels == [ITEM_LABEL, *(a.label for a in progress_asked(model)), PROGRESS_CONSENT]
    for fixture in sorted(ISSUES.glob("progress-*.md")):
        headings = [
            line[4:] for line in fixture.read_text(encoding="utf-8").splitlines() if line.startswith("### ")
        ]
        assert headings == labels, fixture.name


def test_a_report_with_the_items_link_becomes_its_record(project):
    path = project / DECLARATION
    before = path.read_text(encoding="utf-8")
    others = {k: v for k, v in snapshot(project).items() if k != DECLARATION}
    done = from_issue(project, "progress-report.md", "--author", "alice")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Thank you, @alice!" in done.stdout and "Water Awards" in done.stdout
    assert "under way, March 2013" in done.stdout
    added = added_lines(before, path.read_text(encoding="utf-8"))
    assert [line.strip() for line in added] == [
        "follow_up:",
        '- date: "2013-03"',
        "status: under-way",
        'text: "The first Water Awards were announced at a regional meeting."',
        "evidence:",
        '- source: "India WOPs newsletter"',
        'url: "https://example.org/newsletter.pdf"',
        '- entry: "leading-organisational-transformation-unconference-2012"',
    ]
    assert {k: v for k, v in snapshot(project).items() if k != DECLARATION} == others
    check = run_hub(project, "check", "--format", "json")
    assert check.returncode == 0 and json.loads(check.stdout or "[]") == [], check.stdout + check.stderr
    got = item(project, "declaration", "chennai-declaration-india-wops-2011", "water-awards")
    assert got.status == "under-way"
    # the link to a page of the hub became the entry itself, the document stayed a document
    evidence = got.follow_ups[-1].evidence
    assert [e.entry_id for e in evidence] == [None, "leading-organisational-transformation-unconference-2012"]


def test_a_report_quoting_the_items_words_finds_it_and_says_so(project):
    before = (project / WORKSHOP).read_text(encoding="utf-8")
    done = from_issue(project, "progress-quoted.md")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "project-consolidate-group-2#water-task-team" in done.stdout
    assert "from the words you quoted" in done.stdout
    added = added_lines(before, (project / WORKSHOP).read_text(encoding="utf-8"))
    assert "status: unknown" in [line.strip() for line in added]
    assert (
        item(project, "workshop-outcome", "project-consolidate-group-2", "water-task-team").status
        == "unknown"
    )


def test_a_malformed_report_changes_nothing_and_names_every_question(project):
    before = snapshot(project)
    done = from_issue(project, "progress-malformed.md")
    assert done.returncode == 1 and "Traceback" not in done.stderr
    said = done.stdout
    problems = [line for line in said.splitlines() if line.startswith("- **")]
    assert [line.split("**")[1] for line in problems] == [
        ITEM_LABEL,
        "When?",
        "Where does it stand now?",
        "What was done?",
        PROGRESS_CONSENT,
    ]
    # the nearest item is offered by its words, not by its address
    assert "The nearest: “Institute" in said and "water-award" not in said.split("The nearest")[1]
    assert "“Finished-ish” is not one of the choices" in said
    assert snapshot(project) == before


def test_a_hostile_report_changes_nothing_and_runs_nothing(project, tmp_path):
    before = snapshot(project)
    done = from_issue(project, "progress-hostile.md")
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "What shows it?" in done.stdout and "javascript" in done.stdout
    assert snapshot(project) == before
    # with a harmless document, the markup in the text is refused by the content policy
    body = (ISSUES / "progress-hostile.md").read_text(encoding="utf-8").replace(", javascript:alert(1)", "")
    (tmp_path / "report.md").write_text(body, encoding="utf-8")
    done = from_issue(project, tmp_path / "report.md")
    assert done.returncode == 1 and "Traceback" not in done.stderr
    lines = [line for line in done.stdout.splitlines() if line.startswith("- **")]
    assert lines and all(line.startswith("- **What was done?**") for line in lines), done.stdout
    assert any("<script>" in line for line in lines) and any("onerror" in line for line in lines)
    assert snapshot(project) == before


def test_a_date_after_today_is_named_in_plain_words(project, tmp_path):
    body = (ISSUES / "progress-report.md").read_text(encoding="utf-8").replace("March 2013", "March 2090")
    (tmp_path / "report.md").write_text(body, encoding="utf-8")
    before = snapshot(project)
    done = from_issue(project, tmp_path / "report.md")
    assert done.returncode == 1
    assert "- **When?**: it is dated 2090-03, after today" in done.stdout
    assert "follow_up[" not in done.stdout
    assert snapshot(project) == before


def test_out_writes_the_changed_file_elsewhere(project, tmp_path):
    before = snapshot(project)
    done = from_issue(project, "progress-report.md", "--out", str(tmp_path / "out"))
    assert done.returncode == 0, done.stdout + done.stderr
    assert snapshot(project) == before
    written = tmp_path / "out/declarations/chennai-declaration-india-wops-2011.md"
    assert "status: under-way" in written.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("pasted", "address"),
    [
        (
            "https://water-services-hub.org/declarations/chennai-declaration-india-wops-2011/#water-awards",
            "chennai-declaration-india-wops-2011#water-awards",
        ),
        (
            "file:///E:/hub/declarations/chennai-declaration-india-wops-2011.html#water-awards",
            "chennai-declaration-india-wops-2011#water-awards",
        ),
        ("/workshops/project-consolidate-group-2/index.html#a%2Db", "project-consolidate-group-2#a-b"),
        (
            "chennai-declaration-india-wops-2011#water-awards",
            "chennai-declaration-india-wops-2011#water-awards",
        ),
        ("<https://x.org/events/e/#i>", "e#i"),
    ],
)
def test_item_links_as_readers_copy_them(pasted, address):
    assert item_address(pasted) == address


def test_entry_links_are_told_from_other_addresses():
    folders = {"mile": "organisations", "chennai-declaration-india-wops-2011": "declarations"}
    assert entry_of_link("https://hub.example/organisations/mile/", folders) == "mile"
    assert entry_of_link("file:///E:/hub/organisations/mile.html", folders) == "mile"
    assert entry_of_link("https://example.org/mile", folders) is None
    assert entry_of_link("https://example.org/papers/mile/", folders) is None
    assert entry_of_link("https://example.org/report.pdf", folders) is None
