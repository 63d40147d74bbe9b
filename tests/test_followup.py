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
    text = re.sub(r"\nresponds_to: .*\n", "\n", path.read_text(encoding="utf-8"))  # the shipped one
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


# -- exports and the feed, read back by their own parsers ------------------------------------
SITE = "https://hub.example.org/water/"


def _export(catalog, out: Path) -> Path:
    from datetime import UTC, datetime

    from knowledgehub.outputs import exports

    exports.write_exports(catalog, out, SITE, directory_urls=True, now=datetime(2026, 1, 1, tzinfo=UTC))
    return out


def test_catalog_json_and_items_csv_carry_status_follow_ups_and_responses(library, tmp_path):
    import csv

    from jsonschema import Draft202012Validator, FormatChecker

    out = _export(library.catalog, tmp_path)
    doc = json.loads((out / "catalog.json").read_text(encoding="utf-8"))
    schema = json.loads((out / "catalog.schema.json").read_text(encoding="utf-8"))
    Draft202012Validator(schema, format_checker=FormatChecker()).validate(doc)
    declaration = next(e for e in doc["entries"] if e["id"] == "chennai-declaration-india-wops-2011")
    item = next(i for i in declaration["items"] if i["id"] == "national-congress")
    assert item["status"] == "under-way"
    assert item["follow_ups"][0]["date"] == "2012-02-10"
    assert item["follow_ups"][0]["evidence"][0]["entry_url"] == (
        SITE + "events/leading-organisational-transformation-unconference-2012/"
    )
    assert item["responses"] == [
        {
            "id": "leading-organisational-transformation-unconference-2012",
            "type": "event",
            "title": library.catalog.get(
                "event", "leading-organisational-transformation-unconference-2012"
            ).title,
            "url": SITE + "events/leading-organisational-transformation-unconference-2012/",
        }
    ]
    statuses = {i["status"] for e in doc["entries"] for i in e["items"]}
    assert statuses == {"under-way", "unknown"}
    # a status outside the vocabulary is refused by the schema
    item["status"] = "finished"
    assert not Draft202012Validator(schema).is_valid(doc)

    with open(out / "items.csv", encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == len(library.catalog.items)
    row = next(r for r in rows if r["item_id"] == "national-congress")
    assert row["status"] == "under-way" and row["status_label"] == "Under way"
    assert row["follow_ups"] == "1" and row["latest_date"] == "2012-02-10"
    assert row["responses"] == SITE + "events/leading-organisational-transformation-unconference-2012/"
    assert all(
        r["status"] == "unknown" and r["follow_ups"] == "0"
        for r in rows
        if r["item_id"] != "national-congress"
    )


def test_the_follow_up_feed_parses_and_links_to_the_item(library, tmp_path):
    import feedparser

    out = _export(library.catalog, tmp_path)
    feed = feedparser.parse((out / "follow-up.xml").read_bytes())
    assert not feed.bozo, feed.bozo_exception
    assert "what came of it" in feed.feed.title
    links = [e.link for e in feed.entries]
    address = SITE + "declarations/chennai-declaration-india-wops-2011/#national-congress"
    assert links == [address, address]  # the record and the un-conference's response
    titles = [e.title for e in feed.entries]
    assert any(t.startswith("Under way: Objective 2 of Chennai Declaration") for t in titles)
    assert any(t.startswith("Response: Objective 2") for t in titles)
    assert all(e.tags[0].term == "under-way" for e in feed.entries)


def test_the_calendar_is_unchanged_by_follow_up(tmp_path):
    """The .ics files come out byte for byte the same with every follow-up removed."""
    from knowledgehub.library.load import load_library
    from knowledgehub.model.project import Project

    stripped = copy_project(tmp_path / "stripped")
    for rel in (DECLARATION, UNCONF):
        path = stripped / rel
        text = path.read_text(encoding="utf-8")
        text = re.sub(r"\n    follow_up:\n(?:      .*\n)+", "\n", text)
        text = re.sub(r"\nresponds_to: .*\n", "\n", text)
        path.write_text(text, encoding="utf-8")
    plain = load_library(Project.find(stripped))
    assert plain.ok and not any(i.has_evidence for i in plain.catalog.items)
    with_follow_up = load_library(Project.find(ROOT))
    a = _export(plain.catalog, tmp_path / "a")
    b = _export(with_follow_up.catalog, tmp_path / "b")
    icals = sorted(p.relative_to(a) for p in a.rglob("*.ics"))
    assert icals
    for rel in icals:
        assert (a / rel).read_bytes() == (b / rel).read_bytes(), rel


# -- hub follow-up ------------------------------------------------------------------------------
def _added_lines(before: str, after: str) -> list[str]:
    """The lines ``after`` adds to ``before``; fails if it removes or changes any."""
    import difflib

    added = []
    for line in difflib.ndiff(before.split("\n"), after.split("\n")):
        assert not line.startswith("- "), f"a line was changed or removed: {line!r}"
        if line.startswith("+ "):
            added.append(line[2:])
    return added


def test_hub_follow_up_round_trips_a_file(project):
    path = project / WORKSHOP
    before = path.read_text(encoding="utf-8")
    done = hub(
        project,
        "follow-up",
        "project-consolidate-group-2#raise-awareness",
        "--status",
        "proposed",
        "--text",
        'A "test" note: proposed again.',
        "--evidence",
        "leading-organisational-transformation-unconference-2012",
        "--evidence",
        "https://example.org/report.pdf",
        "--date",
        "2013-05",
    )
    assert done.returncode == 0, done.stderr
    middle = path.read_text(encoding="utf-8")
    added = _added_lines(before, middle)
    assert added[0].strip() == "follow_up:"
    assert '- date: "2013-05"' in added[1] and "status: proposed" in added[2]
    assert len(added) == 8
    assert problems(project) == []
    # a second record goes after the first, under the same key
    done = hub(
        project,
        "follow-up",
        "project-consolidate-group-2#raise-awareness",
        "--status",
        "done",
        "--text",
        "Done.",
    )
    assert done.returncode == 0, done.stderr
    after = path.read_text(encoding="utf-8")
    added = _added_lines(middle, after)
    assert [a.strip() for a in added][1:] == ["status: done", 'text: "Done."'] and "- date:" in added[0]
    assert problems(project) == []
    from knowledgehub.library.load import load_library
    from knowledgehub.model.project import Project

    catalog = load_library(Project.find(project)).catalog
    entry = catalog.get("workshop-outcome", "project-consolidate-group-2")
    item = next(i for i in entry.items if i.id == "raise-awareness")
    assert item.status == "done" and len(item.follow_ups) == 2
    assert item.follow_ups[0].text == 'A "test" note: proposed again.'
    assert item.follow_ups[0].evidence[1].url == "https://example.org/report.pdf"


def test_hub_follow_up_takes_the_items_link_and_the_statuss_label(project):
    """What the progress form asks a reporter for (the item's link, hosted or from the USB
    edition; the status as the form words it) is what the maintainer can pass on as is."""
    from knowledgehub.library.load import load_library
    from knowledgehub.model.project import Project

    links = (
        "https://water-services-hub.org/declarations/chennai-declaration-india-wops-2011/#water-awards",
        "file:///media/usb/hub/declarations/chennai-declaration-india-wops-2011.html#water-awards",
    )
    for link, status in zip(links, ("Under way", "nothing known"), strict=True):
        done = hub(project, "follow-up", link, "--status", status, "--text", "Reported.", "--date", "2013")
        assert done.returncode == 0, done.stderr
        assert "chennai-declaration-india-wops-2011#water-awards" in done.stdout
    assert problems(project) == []
    entry = load_library(Project.find(project)).catalog.get(
        "declaration", "chennai-declaration-india-wops-2011"
    )
    item = next(i for i in entry.items if i.id == "water-awards")
    assert [f.status for f in item.follow_ups][-2:] == ["under-way", "unknown"]


def test_hub_follow_up_on_an_unknown_item_lists_the_nearest_and_changes_nothing(project):
    path = project / DECLARATION
    before = path.read_text(encoding="utf-8")
    done = hub(
        project,
        "follow-up",
        "chennai-declaration-india-wops-2011#water-award",
        "--status",
        "done",
        "--text",
        "x",
    )
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "unknown item 'chennai-declaration-india-wops-2011#water-award'" in done.stderr
    assert "chennai-declaration-india-wops-2011#water-awards" in done.stderr
    assert path.read_text(encoding="utf-8") == before


def test_hub_follow_up_refuses_what_would_not_pass_and_changes_nothing(project):
    path = project / DECLARATION
    before = path.read_text(encoding="utf-8")
    bad_status = hub(
        project,
        "follow-up",
        "chennai-declaration-india-wops-2011#water-awards",
        "--status",
        "finishd",
        "--text",
        "x",
    )
    assert bad_status.returncode == 1 and "did you mean 'finished'" not in bad_status.stderr
    assert "unknown status 'finishd'" in bad_status.stderr
    too_early = hub(
        project,
        "follow-up",
        "chennai-declaration-india-wops-2011#water-awards",
        "--status",
        "done",
        "--text",
        "x",
        "--date",
        "2010",
    )
    assert too_early.returncode == 1 and "Traceback" not in too_early.stderr
    assert f"{DECLARATION}:" in too_early.stderr and "before the entry itself" in too_early.stderr
    assert path.read_text(encoding="utf-8") == before


def test_the_progress_form_is_generated_from_the_model_and_up_to_date():
    import yaml

    from knowledgehub.outputs.issue_form import FOLLOW_UP_FORM, follow_up_form, render_follow_up_form

    model = ContentModel.load(ROOT / "model")
    assert (ROOT / FOLLOW_UP_FORM).read_text(encoding="utf-8") == render_follow_up_form(model)
    form = yaml.safe_load(render_follow_up_form(model))
    assert form["name"] == "Report progress on a recommendation"
    ids = [e.get("id") for e in form["body"]]
    assert ids[:2] == [None, "item"] and {"date", "status", "text", "evidence"} <= set(ids)
    status = next(e for e in form["body"] if e.get("id") == "status")
    assert status["type"] == "dropdown" and status["validations"]["required"] is True
    assert status["attributes"]["options"] == [
        t.label for t in model.vocabulary(model.follow_up.vocabulary).terms.values()
    ]
    # a status added to the taxonomy is offered with no code change
    model.vocabulary(model.follow_up.vocabulary).terms["stalled"] = type(
        next(iter(model.vocabulary(model.follow_up.vocabulary).terms.values()))
    )("stalled", "Stalled")
    status = next(e for e in follow_up_form(model)["body"] if e.get("id") == "status")
    assert "Stalled" in status["attributes"]["options"]
