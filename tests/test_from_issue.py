"""``hub from-issue``: a submitted issue form becomes an entry that ``hub check`` passes, or
nothing is written and the comment says, question by question and in plain words, what
needs a change. Fixtures in tests/fixtures/issues/ are bodies as GitHub writes them."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, copy_project

from knowledgehub.cli import main
from knowledgehub.library.loader import load_file, split_front_matter
from knowledgehub.model.content import ContentModel
from knowledgehub.model.project import Project, entry_files
from knowledgehub.model.questions import contributed_types
from knowledgehub.outputs.from_issue import from_issue, guess_type, library_names
from knowledgehub.outputs.issue_answers import Reader, parse_date, split_choices
from knowledgehub.outputs.submission_form import (
    ATTACHMENTS_LABEL,
    CONSENT_LABEL,
    NO,
    YES,
    asked,
    item_parts,
    line_parts,
)

ISSUES = ROOT / "tests/fixtures/issues"


@pytest.fixture
def project(tmp_path) -> Path:
    return copy_project(tmp_path / "hub")


def hub(project: Path, *args: str) -> int:
    return main(["-f", str(project / "mkdocs.yml"), *args])


def new_files(project: Path, before: set[Path]) -> set[Path]:
    return {p for p in (project / "content").rglob("*") if p.is_file()} - before


def files_of(project: Path) -> set[Path]:
    return {p for p in (project / "content").rglob("*") if p.is_file()}


def front_matter(path: Path) -> dict:
    return yaml.safe_load(split_front_matter(path.read_text(encoding="utf-8"))[0])


# -- a complete form -------------------------------------------------------------------------
def test_a_complete_case_study_becomes_an_entry_hub_check_passes(project, tmp_path, capsys):
    before = files_of(project)
    comment = tmp_path / "comment.md"
    code = hub(
        project,
        "from-issue",
        str(ISSUES / "complete-case-study.md"),
        "--comment",
        str(comment),
        "--author",
        "alice",
    )
    out = capsys.readouterr()
    assert code == 0, out.out
    written = new_files(project, before)
    assert written == {project / "content/case-studies/pressure-management-in-drakenstein.md"}
    path = written.pop()
    assert comment.read_text(encoding="utf-8") == out.out
    assert "@alice" in out.out and "content/case-studies/pressure-management-in-drakenstein.md" in out.out
    # names the library does not know yet are listed, not invented
    assert "Drakenstein Water Users Forum" in out.out and "Water services master class 1" in out.out
    assert "drakenstein-report.pdf" in out.out
    data = front_matter(path)
    assert data["title"] == "Pressure management in Drakenstein"
    assert data["date"] == "2013-03"
    assert data["countries"] == ["ZA"]
    assert data["themes"] == ["water-loss", "service-delivery"]
    assert data["challenges"] == ["high-water-losses", "ageing-infrastructure"]
    assert data["organisations"] == ["mile", "ethekwini-municipality"]
    assert data["sources"][0] == {
        "title": "Pressure management in Drakenstein",
        "publisher": "Municipal Institute of Learning",
        "year": 2013,
        "url": "https://example.org/drakenstein.pdf",
    }
    assert data["sources"][1] == {"title": "Notes from the master class", "year": 2012}
    assert data["place"] == {
        "city": "Paarl",
        "utility": "Drakenstein Local Municipality",
        "province": "Western Cape",
        "country": "ZA",
    }
    assert data["indicators"] == [
        {
            "name": "Non-revenue water",
            "unit": "%",
            "baseline": 32,
            "baseline_year": 2009,
            "value": 21,
            "year": 2013,
            "better": "lower",
        }
    ]
    assert data["lessons"] == [
        "Start with the district that loses most.",
        "Tell residents before pressure changes.",
    ]
    assert "event" not in data and "contact" not in data
    text = path.read_text(encoding="utf-8")
    assert "## Context\n\nDrakenstein" in text and "## Results\n\nLosses fell" in text
    assert 'date: "2013-03"' in text
    # the file as written passes hub check, unchanged
    assert hub(project, "check", str(path)) == 0
    assert path.read_text(encoding="utf-8") == text


def test_a_workshop_outcome_gets_item_ids_from_the_text(project, capsys):
    assert hub(project, "from-issue", str(ISSUES / "complete-workshop-outcome.md")) == 0
    capsys.readouterr()
    path = project / "content/workshops/round-table-on-leakage-in-harare.md"
    data = front_matter(path)
    assert [(i["kind"], i["id"]) for i in data["items"]] == [
        ("recommendation", "measure-night-flows-in-every-district"),
        ("finding", "most-losses-were-in-the-oldest-third-of"),
        ("recommendation", "share-results-with-the-council-every"),
    ]
    assert data["items"][2]["text"] == "Share results with the council every quarter."
    assert hub(project, "check", str(path)) == 0


def test_out_writes_elsewhere_and_an_existing_title_is_refused(project, tmp_path, capsys):
    out = tmp_path / "out"
    before = files_of(project)
    assert hub(project, "from-issue", str(ISSUES / "complete-case-study.md"), "--out", str(out)) == 0
    assert (out / "case-studies/pressure-management-in-drakenstein.md").is_file()
    assert files_of(project) == before
    assert hub(project, "from-issue", str(ISSUES / "complete-case-study.md")) == 0
    capsys.readouterr()
    assert hub(project, "from-issue", str(ISSUES / "complete-case-study.md")) == 1
    said = capsys.readouterr().out
    assert "**Title**" in said and "already has an entry with this title" in said


# -- forms that need a change ----------------------------------------------------------------------
def refused(project, fixture: str, capsys, *extra: str) -> str:
    before = files_of(project)
    code = hub(project, "from-issue", str(ISSUES / fixture), *extra)
    out = capsys.readouterr()
    assert code == 1
    assert files_of(project) == before, "nothing is written when something needs a change"
    assert "Traceback" not in out.out + out.err
    return out.out


def test_missing_answers_are_named(project, capsys):
    said = refused(project, "partial-case-study.md", capsys)
    for question in (
        "Summary",
        "Date",
        "What is it about?",
        "Which documents is it written from?",
        "Context",
    ):
        assert f"- **{question}**: this question needs an answer." in said, question
    assert f"**{CONSENT_LABEL}**" in said
    assert "**Title**" not in said and "Which countries?" not in said


def test_wrong_answers_are_named_in_plain_words(project, capsys):
    said = refused(project, "malformed-case-study.md", capsys)
    assert "- **Date**: “sometime last spring” is not a date we can read" in said
    assert "- **Which countries?**: “Atlantis” is not a country we know." in said
    assert "- **What is it about?**: “Unicorn husbandry” is not one of the choices." in said
    assert "**Which documents is it written from?, line 1 (year)**" in said
    assert "not a web address" in said
    assert "**Results in figures, line 1 (before)**: “forty” is not a number." in said
    for jargon in ("ISO", "YYYY", "front matter", "taxonomy"):
        assert jargon not in said


def test_hostile_answers_write_nothing_and_say_why(project, capsys):
    said = refused(project, "hostile-case-study.md", capsys)
    assert "**Who can readers ask?**: the answer is too long" in said
    assert "javascript" in said
    # what the issue says is quoted as text, with Markdown's marks escaped
    assert "$\\(rm -rf /\\)" in said and "\\`touch /tmp/pwned\\`" in said
    assert "<script>" not in said


def test_hostile_markup_is_refused_by_the_content_policy(project, tmp_path, capsys):
    """With the obvious mistakes fixed, the policy of hub check still refuses the markup,
    each refusal under the question whose answer holds it."""
    text = (ISSUES / "hostile-case-study.md").read_text(encoding="utf-8")
    head, rest = text.split("### Who can readers ask?\n\n", 1)
    text = head + "### Who can readers ask?\n\nA. Person\n\n###" + rest.split("\n\n###", 1)[1]
    text = text.replace(", javascript:alert(1)\n", ", https://example.org/b\n")
    body = tmp_path / "hostile.md"
    body.write_text(text, encoding="utf-8")
    before = files_of(project)
    assert hub(project, "from-issue", str(body)) == 1
    said = capsys.readouterr().out
    assert files_of(project) == before
    assert "- **Title**: a <script> element is not allowed" in said
    assert "- **Summary**: event attribute 'onclick' is not allowed" in said
    assert "- **Context**: an <iframe> element is not allowed" in said
    assert "- **What was done**: event attribute 'onerror' is not allowed" in said


def test_text_that_breaks_yaml_stays_text(project, capsys):
    before = files_of(project)
    assert hub(project, "from-issue", str(ISSUES / "yaml-breaking-case-study.md")) == 0
    capsys.readouterr()
    (path,) = new_files(project, before)
    assert path.parent == project / "content/case-studies"
    assert path.name == "etc-passwd-key-value.md"
    data = front_matter(path)
    assert data["title"] == "../../../etc/passwd --- key: value"
    assert data["summary"] == "---\nstatus: draft\ntitle: Something else\n---"
    assert "status" not in data
    assert data["countries"] == ["KR", "CD"]
    assert data["lessons"][:3] == [
        "key: value",
        "---",
        '&anchor *alias !!python/object/apply:os.system ["touch /tmp/pwned"]',
    ]
    assert data["sources"][0]["title"] == "Notes: part 1, quoted, and more"
    assert not Path("/tmp/pwned").exists()
    assert hub(project, "check", str(path)) == 0


def test_a_heading_inside_an_answer_cannot_replace_another_answer(project, tmp_path, capsys):
    text = (ISSUES / "complete-case-study.md").read_text(encoding="utf-8")
    text = text.replace("### Period\n\n2009-2013", "### Period\n\n2009-2013\n\n### Title\n\nSomething else")
    body = tmp_path / "twice.md"
    body.write_text(text, encoding="utf-8")
    assert hub(project, "from-issue", str(body)) == 1
    assert "“### Title” appears twice" in capsys.readouterr().out


def test_usage_mistakes_are_plain(project, tmp_path, capsys):
    assert hub(project, "from-issue", str(tmp_path / "missing.md")) == 2
    assert "cannot read" in capsys.readouterr().err
    assert hub(project, "from-issue", str(ISSUES / "complete-case-study.md"), "--type", "podcast") == 2
    assert "unknown content type" in capsys.readouterr().err
    other = tmp_path / "other.md"
    other.write_text("### Something\n\nhello\n", encoding="utf-8")
    assert hub(project, "from-issue", str(other)) == 1
    assert "do not follow one of the hub's forms" in capsys.readouterr().out


def test_the_command_runs_as_a_program(project, tmp_path):
    """As the workflow runs it: a separate process, the comment in a file, no traceback."""
    comment = tmp_path / "comment.md"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "knowledgehub.cli",
            "-f",
            str(project / "mkdocs.yml"),
            "from-issue",
            str(ISSUES / "malformed-case-study.md"),
            "--comment",
            str(comment),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "“Atlantis” is not a country we know." in comment.read_text(encoding="utf-8")


# -- small parts ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("2012", "2012"),
        ("2012-02", "2012-02"),
        ("March 2012", "2012-03"),
        ("14 March 2012", "2012-03-14"),
        ("March 14, 2012", "2012-03-14"),
        ("2012-02-30", None),
        ("last spring", None),
        ("14 2012", None),
    ],
)
def test_dates_as_people_write_them(text, date):
    assert parse_date(text) == date


def test_options_holding_commas_are_told_apart():
    options = ["Congo", "Congo, The Democratic Republic of the", "Zambia"]
    assert split_choices("Congo, The Democratic Republic of the, Zambia, Congo", options) == [
        "Congo, The Democratic Republic of the",
        "Zambia",
        "Congo",
    ]


# -- round trip ----------------------------------------------------------------------------------
def render_body(model: ContentModel, type_name: str, data: dict, names: dict) -> str:
    """The body GitHub would write for a form answered with ``data``."""
    title_of = {entry_id: called[0] for entries in names.values() for entry_id, called in entries}

    def say(q, value) -> str:
        kind = q.kind
        if kind in ("choices", "countries"):
            return ", ".join(next(c.label for c in q.choices if c.value == v) for v in value)
        if kind in ("choice", "country"):
            return next(c.label for c in q.choices if c.value == value)
        if kind == "boolean":
            return YES if value else NO
        if kind == "entries":
            return "\n".join(title_of[v] for v in value)
        if kind == "entry":
            return title_of[value]
        if kind == "lines":
            return "\n".join(f"- {v}" for v in value)
        if kind == "records":
            parts = line_parts(q)
            return "\n".join(
                ", ".join(piece(say(p, r[p.field])) if p.field in r else "" for p in parts) for r in value
            )
        if kind == "items":
            sort, text = item_parts(q)
            return "\n".join(f"{say(sort, r[sort.field])}: {r[text.field]}" for r in value)
        return str(value)

    def piece(text: str) -> str:
        return '"' + text.replace('"', '""') + '"' if "," in text or '"' in text else text

    out = []
    for a in asked(model, type_name):
        value = data.get(a.parent.field, {}).get(a.question.field) if a.parent else data.get(a.question.field)
        if a.question.kind == "body":
            value = "Some text."
        out.append(
            f"### {a.label}\n\n{'_No response_' if value in (None, [], {}) else say(a.question, value)}\n"
        )
    out.append(f"### {ATTACHMENTS_LABEL}\n\n_No response_\n")
    out.append(f"### {CONSENT_LABEL}\n\n- [X] one\n- [X] two\n")
    return "\n".join(out)


def asked_part(model, type_name, data: dict) -> dict:
    """``data`` without what the form does not ask (item ids, their themes, archive files...)."""
    kept = {}
    for a in asked(model, type_name):
        q = a.question
        if a.parent:
            if q.field in data.get(a.parent.field, {}):
                kept.setdefault(a.parent.field, {})[q.field] = data[a.parent.field][q.field]
        elif q.field in data and q.kind != "body":
            value = data[q.field]
            if q.kind == "records":
                fields = {p.field for p in line_parts(q)}
                value = [{k: v for k, v in r.items() if k in fields} for r in value]
            if q.kind == "items":
                sort, text = item_parts(q)
                value = [{sort.field: r[sort.field], text.field: r[text.field]} for r in value]
            kept[q.field] = value
    return kept


def test_round_trip_of_the_shipped_entries(project):
    """Every shipped entry of a contributed type, answered in its form, reads back to the same
    front matter (what the form asks of it)."""
    p = Project.find(config_file=project / "mkdocs.yml")
    model = ContentModel.load(p.model_dir)
    names = library_names(p, model)
    reader = Reader(model, names)
    from knowledgehub.outputs.from_issue import read_answers

    tried = 0
    for path in entry_files(p.content_dir, model):
        entry = load_file(path, p.content_dir, model)
        if entry.type not in contributed_types(model):
            continue
        expected = asked_part(model, entry.type, entry.data)
        body = render_body(model, entry.type, entry.data, names)
        assert guess_type(model, body) == entry.type, entry.rel
        answers = read_answers(model, entry.type, body, reader)
        assert not answers.problems, (entry.rel, answers.problems)
        got = asked_part(model, entry.type, answers.data)
        assert got == expected, entry.rel
        tried += 1
    assert tried >= 20


def test_round_trip_of_a_written_entry(project, capsys):
    assert hub(project, "from-issue", str(ISSUES / "complete-case-study.md")) == 0
    capsys.readouterr()
    p = Project.find(config_file=project / "mkdocs.yml")
    model = ContentModel.load(p.model_dir)
    path = p.content_dir / "case-studies/pressure-management-in-drakenstein.md"
    data = front_matter(path)
    names = library_names(p, model)
    body = render_body(model, "case-study", data, names)
    shutil.move(path, path.with_suffix(".bak"))
    outcome = from_issue(p, model, body, "case-study")
    assert outcome.written == path
    assert front_matter(path) == data


def test_line_ends_as_github_sends_them(project, tmp_path, capsys):
    """Issue bodies come with CRLF line ends: they read the same."""
    body = tmp_path / "crlf.md"
    body.write_bytes((ISSUES / "complete-case-study.md").read_bytes().replace(b"\n", b"\r\n"))
    assert hub(project, "from-issue", str(body)) == 0
    capsys.readouterr()
    path = project / "content/case-studies/pressure-management-in-drakenstein.md"
    assert b"\r" not in path.read_bytes()
    assert front_matter(path)["lessons"] == [
        "Start with the district that loses most.",
        "Tell residents before pressure changes.",
    ]
