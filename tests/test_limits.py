"""No crash, ever: the limits of model/types.yml (numbers, dates, one-line text, ids, body
nesting) are checked by ``hub check`` with the file, the line, a rule and a hint, never a
traceback; an entry sitting exactly at every limit builds, and its feed, calendar and CSV
parse; the writers are defensive at their edge whatever they are given."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import feedparser
import pytest
import yaml
from conftest import ROOT, copy_project
from icalendar import Calendar

from knowledgehub.library.limits import body_nesting
from knowledgehub.model.content import ContentModel, Limits, ModelError
from knowledgehub.outputs.export_context import date_bounds
from knowledgehub.outputs.feeds import xml_text
from knowledgehub.outputs.ical import one_line
from knowledgehub.site.charts import indicator_chart

LIMITS = ContentModel.load(ROOT / "model").limits


def hub(project: Path, *args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "knowledgehub.cli", *args],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )


def case_study(fm: str = "", body: str = "The body.\n", title: str = '"A case study"') -> str:
    return (
        f'---\ntitle: {title}\nsummary: A summary.\ndate: "2012"\nthemes: [water-loss]\n'
        f"sources:\n  - title: A source\n{fm}---\n\n{body}"
    )


def event(start: str = '"2012-02-14"', title: str = '"An event"', fm: str = "") -> str:
    return (
        f"---\ntitle: {title}\nsummary: A summary.\nstart: {start}\nthemes: [water-loss]\n"
        f"sources:\n  - title: A source\n{fm}---\n\nThe body.\n"
    )


def indicator(baseline: str, value: str = "28") -> str:
    return (
        f"indicators:\n  - name: Non-revenue water\n    unit: '%'\n    baseline: {baseline}\n"
        f"    value: {value}\n    year: 2013\n"
    )


# (name, folder, id, text, line, rule, words in the message or hint)
HOSTILE = [
    (
        "4301 digits",
        "case-studies",
        "digits",
        case_study(indicator("4" * 4301)),
        11,
        "limit-number",
        "15 digits",
    ),
    (
        "400 digits",
        "case-studies",
        "value",
        case_study(indicator("42", "9" * 400)),
        12,
        "limit-number",
        "digits",
    ),
    ("1e300", "case-studies", "float", case_study(indicator("1.0e+300")), 11, "limit-number", "too large"),
    ("year 9999", "events", "late", event('"9999-12-31"'), 4, "limit-date", "1800-2200"),
    ("year 0", "events", "early", event('"0000"'), 4, "limit-date", "1800-2200"),
    ("newline in a title", "events", "newline", event(title='"A\\nDTSTART:1"'), 2, "limit-text", "one line"),
    ("control character", "events", "control", event(title='"A \\x07 bell"'), 2, "limit-text", "U+0007"),
    ("U+FFFE", "events", "fffe", event(title='"A \\uFFFE"'), 2, "limit-text", "U+FFFE"),
    ("U+FDD0", "events", "fdd0", event(title='"A \\uFDD0"'), 2, "limit-text", "U+FDD0"),
    ("251-character id", "case-studies", "a" * 251, case_study(), 1, "limit-id", "shorten the file name"),
    (
        "long item id",
        "workshops",
        "item",
        case_study("items:\n  - id: " + "i" * 101 + "\n    kind: finding\n    text: A finding.\n"),
        9,
        "limit-id",
        "101",
    ),
    (
        "50,000 [",
        "case-studies",
        "brackets",
        case_study(body="Fine.\n\n" + "[" * 50_000 + "\n"),
        12,
        "limit-nesting",
        "unclosed [",
    ),
    (
        "50,000 >",
        "case-studies",
        "quotes",
        case_study(body="> " * 50_000 + "x\n"),
        10,
        "limit-nesting",
        "quotes",
    ),
    (
        "deep list",
        "case-studies",
        "list",
        case_study(body="".join("  " * i + "- x\n" for i in range(200))),
        43,
        "limit-nesting",
        "list item",
    ),
    (
        "50,000 *",
        "case-studies",
        "stars",
        case_study(body="*" * 50_000 + "x\n"),
        10,
        "limit-nesting",
        "emphasis",
    ),
]


@pytest.mark.parametrize("name, folder, slug, text, line, rule, words", HOSTILE, ids=[h[0] for h in HOSTILE])
def test_hub_check_refuses_past_a_limit_with_file_line_and_rule(
    tmp_path, name, folder, slug, text, line, rule, words
):
    project = copy_project(tmp_path / "hub", with_content=False)
    (project / "content" / folder).mkdir()
    (project / "content" / folder / f"{slug}.md").write_text(text, encoding="utf-8")
    rel = f"content/{folder}/{slug}.md"
    started = time.perf_counter()
    done = hub(project, "check")
    seconds = time.perf_counter() - started
    assert done.returncode == 1, done.stdout + done.stderr
    assert "Traceback" not in done.stdout + done.stderr
    assert f"{rel}:{line}: error: " in done.stdout, done.stdout
    assert words in done.stdout, done.stdout
    assert seconds < 30, seconds  # the body's nesting is refused before anything parses it
    reported = json.loads(hub(project, "check", "--format", "json").stdout)
    found = {(p["path"], p["line"], p["rule"]) for p in reported}
    assert (rel, line, rule) in found, reported
    # only this problem (a file name that long is also not portable: policy-file-name)
    assert found - {(rel, 1, "policy-file-name")} == {(rel, line, rule)}, reported


def test_a_deep_body_fails_the_build_in_seconds(tmp_path):
    project = copy_project(tmp_path / "hub", with_content=False)
    (project / "content" / "case-studies").mkdir()
    (project / "content" / "case-studies" / "brackets.md").write_text(
        case_study(body="[" * 50_000 + "\n"), encoding="utf-8"
    )
    started = time.perf_counter()
    done = hub(project, "build")
    assert time.perf_counter() - started < 60
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "content/case-studies/brackets.md:10: error: the text nests too deeply" in done.stderr
    assert not (project / "site").exists()


def test_nesting_is_measured_in_one_pass():
    limit = LIMITS.nesting
    assert body_nesting("[" * limit + "\n\n" + "[" * limit, limit) is None  # a paragraph break closes them
    assert body_nesting("x\n" + "[" * (limit + 1), limit)[0] == 2
    assert body_nesting("\\[" * 100, limit) is None  # escaped brackets open nothing
    assert body_nesting("*" * 100, limit) is None  # a thematic break
    assert body_nesting("_" * 100 + " fill in", limit) is None
    started = time.perf_counter()
    assert body_nesting("[]" * 500_000 + "\n" + "> x\n" * 100_000, limit) is None
    assert time.perf_counter() - started < 5


def test_limits_are_read_from_the_model_and_checked(tmp_path):
    assert Limits(15, 1e15, 1800, 2200, 100, 32) == LIMITS
    doc = yaml.safe_load((ROOT / "model" / "types.yml").read_text(encoding="utf-8"))
    for wrong in ({"years": [2200, 1800]}, {"nesting": 0}, {"depth": 3}, {"years": "soon"}):
        (tmp_path / "types.yml").write_text(yaml.safe_dump({**doc, "limits": wrong}), encoding="utf-8")
        (tmp_path / "taxonomy.yml").write_bytes((ROOT / "model" / "taxonomy.yml").read_bytes())
        with pytest.raises(ModelError, match="limits"):
            ContentModel.load(tmp_path)


# -- exactly at every limit, a build succeeds and its files parse -----------------------------

LONGEST_ID = "a" * LIMITS.id_length
LARGEST = "9" * LIMITS.integer_digits
DEEPEST = LIMITS.nesting
AT_THE_LIMITS_BODY = (
    "[" * DEEPEST
    + "\n\n"
    + "> " * DEEPEST
    + "quoted\n\n"
    + "".join("  " * level + "- level\n" for level in range(DEEPEST + 1))
    + "\n"
    + "*" * DEEPEST
    + "stars"
    + "*" * DEEPEST
    + "\n\n-- a line that starts like a formula\n"
)


@pytest.fixture(scope="module")
def built_at_the_limits(tmp_path_factory) -> Path:
    project = copy_project(tmp_path_factory.mktemp("at-limits") / "hub", with_content=False)
    studies, events = project / "content" / "case-studies", project / "content" / "events"
    studies.mkdir()
    events.mkdir()
    (studies / f"{LONGEST_ID}.md").write_text(
        case_study(
            indicator(LARGEST, f"-{LARGEST}"),
            body=AT_THE_LIMITS_BODY,
            title='" =HYPERLINK(1) a title at the limits"',
        ),
        encoding="utf-8",
    )
    (project / "content" / "workshops").mkdir()
    (project / "content" / "workshops" / "outcome.md").write_text(
        case_study(
            "items:\n  - id: "
            + "i" * LIMITS.id_length
            + '\n    kind: finding\n    text: " \\n=1+1 starts like a formula after blanks"\n'
        ),
        encoding="utf-8",
    )
    (events / "edges.md").write_text(
        event(
            f'"{LIMITS.last_year}-12-31"',
            fm=f'sessions:\n  - start: "{LIMITS.first_year}-01-01"\n    end: "{LIMITS.first_year}-01"\n'
            f'  - start: "{LIMITS.last_year}"\n',
        ),
        encoding="utf-8",
    )
    checked = hub(project, "check")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    done = hub(project, "build")
    assert done.returncode == 0, done.stderr[-3000:]
    return project / "site"


def test_an_entry_at_every_limit_builds_and_its_feed_parses(built_at_the_limits):
    feed = feedparser.parse(next(built_at_the_limits.rglob("feed.xml")).read_bytes())
    assert not feed.bozo, feed.bozo_exception
    titles = {e.title for e in feed.entries}
    assert "=HYPERLINK(1) a title at the limits" in titles  # feedparser strips the blank
    assert any(e.link.rstrip("/").endswith(LONGEST_ID) for e in feed.entries)


def test_an_entry_at_every_limit_builds_and_its_calendar_parses(built_at_the_limits):
    cal = Calendar.from_ical(next(built_at_the_limits.rglob("calendar.ics")).read_bytes())
    starts = sorted(e.decoded("dtstart") for e in cal.walk("VEVENT"))
    assert starts[0] == date(LIMITS.first_year, 1, 1)
    assert starts[-1] == date(LIMITS.last_year, 12, 31)
    assert max(e.decoded("dtend") for e in cal.walk("VEVENT")) == date(LIMITS.last_year + 1, 1, 1)


def test_an_entry_at_every_limit_builds_and_its_csv_parses(built_at_the_limits):
    def rows(name: str) -> list[dict]:
        text = next(built_at_the_limits.rglob(name)).read_text(encoding="utf-8-sig")
        return list(csv.DictReader(io.StringIO(text, newline="")))

    row = next(r for r in rows("catalog.csv") if r["id"] == LONGEST_ID)
    assert row["title"] == "' =HYPERLINK(1) a title at the limits"
    assert rows("items.csv")[0]["text"].startswith("' \n=1+1")
    values = {r.get("value") for r in rows("indicators.csv")}
    assert LARGEST in values and f"-{LARGEST}" in values, values


def test_the_page_at_the_limits_shows_the_chart_and_the_deep_body(built_at_the_limits):
    page = (built_at_the_limits / "case-studies" / LONGEST_ID / "index.html").read_text(encoding="utf-8")
    assert "999,999,999,999,999" in page
    assert page.count("<blockquote>") == DEEPEST


# -- the writers at their edge, whatever they are given ---------------------------------------


def test_date_bounds_do_not_overflow_at_the_edges_of_dates():
    assert date_bounds("9999-12-31") == (date(9999, 12, 31), date.max, "day")
    assert date_bounds("9999-12")[1] == date.max
    assert date_bounds("9999") == (date(9999, 1, 1), date.max, "year")
    assert date_bounds("0000")[0] == date(1, 1, 1)
    assert date_bounds("2012-02") == (date(2012, 2, 1), date(2012, 3, 1), "month")
    assert date_bounds("2012") == (date(2012, 1, 1), date(2013, 1, 1), "year")


def test_feed_text_never_carries_what_xml_cannot():
    assert (
        xml_text("a\x00b\x07c\x1f\ufffe\uffff\ufdd0\U0001fffe d") == "a\ufffdb\ufffdc" + "\ufffd" * 5 + " d"
    )
    assert xml_text("tab\tline\nfine") == "tab\tline\nfine"


def test_calendar_summaries_are_one_line():
    assert one_line("A\nDTSTART:1\r\nEND:VEVENT  x") == "A DTSTART:1 END:VEVENT x"


@pytest.mark.parametrize("baseline, value", [(10**400, 1), (1.7e308, -1.7e308), (1e-300, 2e-300), (0, 0)])
def test_charts_draw_huge_and_tiny_values(baseline, value):
    chart = str(
        indicator_chart({"name": "n", "unit": "%", "baseline": baseline, "value": value, "year": 2013}, "c")
    )
    assert "inf" not in chart and "nan" not in chart
    assert len(chart) < 2000


def test_a_tag_of_thirty_thousand_attributes_is_refused(project_copy):
    """An HTML5 parser compares each attribute of a tag with the ones before it: a tag of
    32,000 attributes took 94 s in hub check. The loader measures tags in one pass and
    refuses this one before any parser sees it."""
    entry = project_copy / "content" / "case-studies" / "many-attributes.md"
    attributes = " ".join(f"a{i}=x" for i in range(32000))
    entry.write_text(
        '---\ntitle: Many attributes\nsummary: A tag with too many attributes.\ndate: "2013"\n'
        "themes: [water-loss]\nsources:\n  - title: A report\n---\n\nIntro.\n\n"
        f"<span {attributes}>x</span>\n",
        encoding="utf-8",
    )
    done = subprocess.run(
        [sys.executable, "-m", "knowledgehub.cli", "check", "--format", "json", str(entry)],
        cwd=project_copy,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 1, done.stdout + done.stderr
    problems = json.loads(done.stdout)
    assert [(p["path"], p["line"], p["rule"]) for p in problems] == [
        ("content/case-studies/many-attributes.md", 12, "limit-markup")
    ]
    assert "Traceback" not in done.stderr
