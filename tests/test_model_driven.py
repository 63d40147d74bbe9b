"""The model drives presentation: no content-type or field name of model/types.yml is
written into the engine, and a type added to the model (with fields of its own) is
listed, shown, put on the calendar, exported, searchable, scaffolded and given an issue
form with no Python change."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import yaml
from conftest import ROOT, copy_project

from knowledgehub.cli import main
from knowledgehub.model.content import ContentModel
from knowledgehub.site.navigation import apply, library_nav

ENGINE = ROOT / "knowledgehub"
# The module that reads the model: it may name the model's own keys.
MODEL_LOADER = ENGINE / "model" / "content.py"
# Strings that are also something else than a type or field name, with why.
ALSO_SOMETHING_ELSE = {
    "items": "a JSON Schema keyword, and the name of the entry's items in catalog.json, the CSVs and pages",
    "place": "the name of the place shape, and the place column of indicators.csv and of search metadata",
    "indicators": "the kind of the chart section in overrides/hub/entry-foot.html",
    "level": "a tile's shade on the country grid (overrides/hub/facet.html)",
    "questions": "the key of the questions in questions_json (model/questions.py), for the contribute page",
}
# Modules outside this change that still read fields by name (to be made model-driven).
NOT_YET = {
    "library/validate.py": {"items"},  # item ids
    "commands/issue_form.py": {"case-study"},  # the default TYPE of `hub issue-form`
}


def model_names() -> set[str]:
    """Every type name, and every field name a type declares for itself. Common fields
    (every entry's title, themes, ...) and the keys of the shapes (a session's start, a
    place's city) are the engine's contract with the model and are not counted."""
    doc = yaml.safe_load((ROOT / "model" / "types.yml").read_text(encoding="utf-8"))
    shape_keys = {key for shape in doc["shapes"].values() for key in shape}
    own = {name for spec in doc["types"].values() for name in spec.get("fields") or {}}
    return set(doc["types"]) | (own - set(doc["common"]) - shape_keys)


def string_literals(path: Path) -> list[tuple[int, str]]:
    """(line, value) of every string constant in ``path`` but its docstrings."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                docstrings.add(id(first.value))
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings
    ]


def test_no_type_or_field_name_is_written_into_the_engine():
    names = model_names()
    assert {"event", "course", "organisation", "organisers", "provider", "sessions", "questions"} <= names
    found = []
    for path in sorted(ENGINE.rglob("*.py")):
        if path == MODEL_LOADER:
            continue
        allowed = NOT_YET.get(path.relative_to(ENGINE).as_posix(), set())
        for line, value in string_literals(path):
            if value in names and value not in ALSO_SOMETHING_ELSE and value not in allowed:
                found.append(f"{path.relative_to(ROOT)}:{line}: {value!r}")
    assert not found, "names from model/types.yml written into the engine:\n" + "\n".join(found)


def test_the_allowances_are_still_needed():
    """An allowance nobody needs any more goes."""
    used: set[tuple[str, str]] = set()
    for path in sorted(ENGINE.rglob("*.py")):
        module = path.relative_to(ENGINE).as_posix()
        for _, value in string_literals(path):
            used.add((module, value))
    values = {value for _, value in used}
    assert set(ALSO_SOMETHING_ELSE) <= values
    for module, strings in NOT_YET.items():
        assert {(module, s) for s in strings} <= used, module


# -- a type added to the model -------------------------------------------------------------

GUIDE_TYPE = """
  guide:
    label: Guide
    plural: Guides
    folder: guides
    description: Step-by-step guides a practitioner can follow, with when they are taught.
    date: sessions
    on_calendar: true
    on_challenge_pages: training
    fields:
      audience:
        {type: string, label: "Who it is written for", help: "Who the guide is for", example: "Plant staff"}
      reviewer:
        type: "ref:organisation"
        names_organisations: true
        backlink: "Guides it reviewed"
        help: "Who reviewed it"
      steps: {type: list, of: text, label: "Steps to follow", help: "The steps, one per line"}
      sessions: {type: list, of: session, help: "When it is taught"}
    outline: [What the guide covers]
"""

GUIDE_ENTRY = """---
title: Finding leaks with night-flow measurement
summary: How a municipality can find where water is lost by measuring flows at night, step by step.
audience: Water loss teams in small municipalities
reviewer: mile
steps:
  - Close the district meter area
  - Measure the minimum night flow
countries: [ZA]
themes: [water-loss]
challenges: [high-water-losses]
sessions:
  - start: "2031-03-04"
    end: "2031-03-05"
    city: Pietermaritzburg
    country: ZA
sources:
  - title: Night-flow guide
    publisher: Test publisher
    year: 2020
---

## What the guide covers

Measuring the flow into a district at night, when use is lowest, shows how much is lost.
"""


def guide_project(tmp_path: Path) -> Path:
    project = copy_project(tmp_path / "hub")
    types = project / "model" / "types.yml"
    types.write_text(types.read_text(encoding="utf-8").rstrip("\n") + "\n" + GUIDE_TYPE, encoding="utf-8")
    (project / "content" / "guides").mkdir()
    (project / "content" / "guides" / "night-flow.md").write_text(GUIDE_ENTRY, encoding="utf-8")
    return project


def test_a_new_type_is_built_end_to_end_with_no_python_change(tmp_path, capsys):
    from knowledgehub.model.project import Project
    from knowledgehub.site.build import build_site

    project = guide_project(tmp_path)
    model = ContentModel.load(project / "model")
    assert "guides/index.md" in library_nav(model)
    assert "Guides it reviewed" in model.backlink_headings.values()

    site = tmp_path / "site"
    assert build_site(Project.find(config_file=project / "mkdocs.yml"), site_dir=site, quiet=True) == 0

    listing = (site / "guides" / "index.html").read_text(encoding="utf-8")
    assert "Finding leaks with night-flow measurement" in listing
    page = (site / "guides" / "night-flow" / "index.html").read_text(encoding="utf-8")
    assert "Who it is written for" in page and "Water loss teams in small municipalities" in page
    assert "Steps to follow" in page and "Measure the minimum night flow" in page
    assert 'data-pagefind-filter="type:Guide"' in page
    assert "4–5 March 2031" in page  # the session, shown with its dates
    # the organisation it names lists it under the field's back-link heading
    assert "Guides it reviewed" in (site / "organisations" / "mile" / "index.html").read_text(
        encoding="utf-8"
    )

    calendar = (site / "calendar" / "index.html").read_text(encoding="utf-8")
    assert "Finding leaks with night-flow measurement" in calendar and "Pietermaritzburg" in calendar
    assert "Finding leaks with night-flow measurement" in (site / "calendar.ics").read_text(encoding="utf-8")
    assert (site / "ics" / "guides" / "night-flow.ics").is_file()

    catalog = json.loads((site / "catalog.json").read_text(encoding="utf-8"))
    (guide,) = [e for e in catalog["entries"] if e["type"] == "guide"]
    assert guide["date"] == "2031-03-04"
    assert guide["organisations"] == ["mile"]
    assert guide["front_matter"]["audience"] == "Water loss teams in small municipalities"
    assert "guide" in (site / "catalog.schema.json").read_text(encoding="utf-8")

    challenge = (site / "challenges" / "high-water-losses" / "index.html").read_text(encoding="utf-8")
    assert "Finding leaks with night-flow measurement" in challenge

    hub = ["-f", str(project / "mkdocs.yml")]
    assert main([*hub, "new", "guide", "--title", "Reading district meters"]) == 0
    scaffolded = (project / "content" / "guides" / "reading-district-meters.md").read_text(encoding="utf-8")
    assert "Who the guide is for" in scaffolded and "## What the guide covers" in scaffolded

    form = tmp_path / "guide-form.yml"
    assert main([*hub, "issue-form", "guide", "-o", str(form)]) == 0
    capsys.readouterr()
    questions = yaml.safe_load(form.read_text(encoding="utf-8"))["body"]
    labels = [q["attributes"].get("label") for q in questions]
    assert "Who it is written for" in labels and "Steps to follow" in labels


def test_navigation_lists_every_type_in_model_order(model):
    nav = [{"Home": "index.md"}, {"Library": []}, {"Open data": "opendata.md"}]
    assert apply(nav, model) is nav
    assert nav[1]["Library"] == library_nav(model)
    assert nav[0] == {"Home": "index.md"} and nav[2] == {"Open data": "opendata.md"}
    # the mkdocs.yml of the project lists the same pages in the same order
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_ConfigLoader)
    (shipped,) = [item["Library"] for item in config["nav"] if isinstance(item, dict) and "Library" in item]
    assert shipped in ([], library_nav(model))
    assert sorted(library_nav(model)) == sorted(f"{t.folder}/index.md" for t in model.types.values())


class _ConfigLoader(yaml.SafeLoader):
    """Reads mkdocs.yml, whose !ENV tags are left as their default."""


_ConfigLoader.add_constructor("!ENV", lambda loader, node: None)
