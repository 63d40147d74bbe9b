"""``hub check`` shows every mistake of a file in one run: a value or a body past a limit is
refused on its line and left out, and the rest of the file is still checked; only what
leaves the rest unreadable ends the file, and says so. The summary counts entries as
entries."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import copy_project
from test_followup import hub

from knowledgehub.library.loader import Entry, load_file
from knowledgehub.model.problems import Problem, summary_line

HEAD = '---\ntitle: "<script>alert(1)</script> A case"\nsummary: A summary.\n'
TAIL = 'themes: [water-loss]\nurl: "javascript:alert(1)"\nsources:\n  - title: A source\n'

# line 12: a number of 17 digits; line 19: a script in the body
WITH_A_REFUSED_NUMBER = (
    HEAD
    + 'date: "2012"\n'
    + TAIL
    + "indicators:\n  - name: Non-revenue water\n    unit: '%'\n    baseline: 12345678901234567\n"
    + "    value: 28\n    year: 2013\n---\n\nThe body.\n\n<script>alert(1)</script>\n"
)
# line 11: 300 levels of > quotes (the body is refused, the front matter still checked)
WITH_A_REFUSED_BODY = HEAD + 'date: "2012"\n' + TAIL + "---\n\n" + "> " * 300 + "x\n\n<script>x</script>\n"
# line 4: the required date, refused; lines 7-8: a list whose first item is refused
WITH_A_REFUSED_REQUIRED_FIELD = (
    "---\ntitle: A case\nsummary: A summary.\ndate: 123456789012345678\nsources:\n  - title: A source\n"
    "themes:\n  - .inf\n  - no-such-theme\n---\n\nThe body.\n"
)


@pytest.fixture
def project(tmp_path) -> Path:
    project = copy_project(tmp_path / "hub", with_content=False)
    (project / "content" / "case-studies").mkdir()
    return project


def write(project: Path, name: str, text: str) -> str:
    (project / "content" / "case-studies" / f"{name}.md").write_text(text, encoding="utf-8")
    return f"content/case-studies/{name}.md"


def reported(project: Path, *args: str) -> set[tuple[str, int, str]]:
    done = hub(project, "check", "--format", "json", *args)
    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stdout + done.stderr
    return {(p["path"], p["line"], p["rule"]) for p in json.loads(done.stdout)}


def test_a_refused_number_leaves_the_rest_of_the_file_checked(project):
    rel = write(project, "number", WITH_A_REFUSED_NUMBER)
    expected = {
        (rel, 2, "policy-script"),  # <script> in the title
        (rel, 6, "policy-url-scheme"),  # javascript: address
        (rel, 6, "unknown-field"),  # a case study has no url
        (rel, 12, "limit-number"),  # the baseline of 17 digits
        (rel, 19, "policy-script"),  # <script> in the body
    }
    assert reported(project) == expected
    done = hub(project, "check")
    assert f"{rel}:12: error: a whole number has too many digits" in done.stdout
    assert f"{rel}:19: error: a <script> element is not allowed" in done.stdout
    assert "5 errors in 1 file" in done.stderr


def test_a_refused_body_leaves_the_front_matter_checked(project):
    rel = write(project, "body", WITH_A_REFUSED_BODY)
    expected = {
        (rel, 2, "policy-script"),
        (rel, 6, "policy-url-scheme"),
        (rel, 6, "unknown-field"),
        (rel, 11, "limit-nesting"),  # the body itself is neither parsed nor judged (no script on 13)
    }
    assert reported(project) == expected
    done = hub(project, "check", "--format", "text")
    assert f"{rel}:11: error: the text nests too deeply here (300 levels of > quotes" in done.stdout


def test_a_refused_body_is_left_out_of_the_entry(project, model):
    write(project, "body", WITH_A_REFUSED_BODY)
    entry = load_file(project / "content/case-studies/body.md", project / "content", model)
    assert isinstance(entry, Entry)
    assert entry.body_refused and entry.body == ""
    assert entry.data["summary"] == "A summary."
    assert [(p.line, p.rule) for p in entry.problems] == [(11, "limit-nesting")]


def test_a_refused_value_is_not_reported_missing_too(project, model):
    rel = write(project, "required", WITH_A_REFUSED_REQUIRED_FIELD)
    found = reported(project)
    # no "missing required field 'date'", no "'themes' needs at least 1 value"; the item
    # after the refused one is reported on its own line
    assert found == {(rel, 4, "limit-number"), (rel, 8, "yaml"), (rel, 9, "taxonomy")}, found
    entry = load_file(project / "content" / rel.removeprefix("content/"), project / "content", model)
    assert "date" not in entry.data and entry.data["themes"] == ["no-such-theme"]
    assert entry.left_out == [("date",), ("themes", 0)]


def test_the_echo_of_a_left_out_value_is_dropped_and_nothing_else(tmp_path, model):
    entry = Entry(tmp_path, "e.md", "e.md", "case-study", "e", {}, {}, "", 1, [], [("indicators", 0, "year")])
    echo = Problem("e.md", 9, "missing required field 'year' in indicators[1]", rule="required")
    other = Problem("e.md", 9, "missing required field 'name' in indicators[1]", rule="required")
    assert entry.without_echoes([echo, other]) == [other]


def test_a_structural_refusal_says_the_rest_was_not_checked(project):
    rel = write(project, "alias", "---\ntitle: &t A case\nsummary: *t\n---\n\n" + "[" * 100 + "\n")
    done = hub(project, "check")
    assert f"{rel}:3: error: YAML anchors and aliases" in done.stdout
    assert "the rest of the file was not checked" in done.stdout
    # a body past a limit is still found
    assert f"{rel}:6: error: the text nests too deeply" in done.stdout


def test_the_summary_counts_entries_as_entries(project):
    (project / "content" / "case-studies" / ".gitkeep").write_text("", encoding="utf-8")
    done = hub(project, "check", "content/case-studies")
    assert done.returncode == 0 and "0 entries checked: no problems" in done.stderr, done.stderr
    write(project, "body", WITH_A_REFUSED_BODY)
    (project / "content" / "case-studies" / "figures.csv").write_text(
        "year,value\n2012,28\n", encoding="utf-8"
    )
    for args in ((), ("content/",)):
        done = hub(project, "check", *args)
        assert "1 entry and 1 other file checked: 4 errors in 1 file" in done.stderr, done.stderr


def test_summary_wording():
    error = Problem("a.md", 1, "wrong")
    assert summary_line([], 1) == "1 entry checked: no problems"
    assert summary_line([], 36) == "36 entries checked: no problems"
    assert summary_line([error], 2, 3) == "2 entries and 3 other files checked: 1 error in 1 file"
    two = [error, Problem("b.md", 1, "wrong")]
    assert summary_line(two, 2, 1) == "2 entries and 1 other file checked: 2 errors in 2 files"


def test_the_summary_comes_after_the_problems_in_one_log(project):
    """Problems go to stdout and the summary to stderr; a log that holds both (CI's, a file)
    has the problems first, also where Python buffers its output (no PYTHONUNBUFFERED)."""
    write(project, "number", WITH_A_REFUSED_NUMBER)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    done = subprocess.run(
        [sys.executable, "-m", "knowledgehub.cli", "check"],
        cwd=project,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**env, "NO_MKDOCS_2_WARNING": "1"},
        check=False,
    )
    lines = done.stdout.strip().splitlines()
    assert done.returncode == 1 and len(lines) > 1
    assert " checked: " in lines[-1] and all(": error: " in line for line in lines[:-1]), lines
