"""The JSON Schemas in schemas/: generated from the model, committed up to date,
valid for every shipped entry, rejecting bad input, and mapped for VS Code."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from knowledgehub.cli import main
from knowledgehub.library.loader import Entry, load_file
from knowledgehub.model.content import ContentModel
from knowledgehub.model.schema import FORMAT_CHECKER, type_schema
from knowledgehub.outputs.schema_files import (
    outdated_schemas,
    render_schemas,
    schema_filename,
    vscode_yaml_schemas,
    write_schemas,
)

ROOT = Path(__file__).resolve().parent.parent
SCHEMAS = ROOT / "schemas"
MISTAKES = ROOT / "tests/fixtures/contributor-mistakes/content"


def committed(type_name: str) -> dict:
    return json.loads((SCHEMAS / schema_filename(type_name)).read_text(encoding="utf-8"))


def editor_validator(type_name: str) -> Draft202012Validator:
    """The committed schema as an editor uses it: a plain 2020-12 validator, no hub code."""
    return Draft202012Validator(committed(type_name))


def test_committed_schemas_are_the_generated_ones(model):
    assert outdated_schemas(model, SCHEMAS) == [], "schemas/ is out of date with the model: run hub schemas"
    for name, ctype in model.types.items():
        assert committed(name) == type_schema(ctype, model)


@pytest.mark.parametrize("type_name", list(ContentModel.load(ROOT / "model").types))
def test_schema_is_valid_json_schema(type_name):
    Draft202012Validator.check_schema(committed(type_name))


def test_every_shipped_entry_is_valid_against_its_committed_schema(library):
    assert len(library.entries) >= 30
    for entry in library.entries:
        errors = [e.message for e in editor_validator(entry.type).iter_errors(entry.data)]
        assert not errors, f"{entry.rel}: {errors}"
        assert Draft202012Validator(committed(entry.type), format_checker=FORMAT_CHECKER).is_valid(entry.data)


CASE = {
    "title": "Leak detection in a test town",
    "summary": "What the town did.",
    "date": "2013-05-01",
    "countries": ["ZA"],
    "themes": ["water-loss"],
    "sources": [{"title": "Town report", "year": 2013}],
    "indicators": [{"name": "Non-revenue water", "unit": "%", "baseline": 40, "value": 30, "year": 2013}],
}


def changed(path: tuple, value=None, delete: bool = False) -> dict:
    data = copy.deepcopy(CASE)
    target = data
    for part in path[:-1]:
        target = target[part]
    if delete:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return data


BAD = [
    ("missing summary", changed(("summary",), delete=True), "required"),
    ("misspelt theme", changed(("themes",), ["water-los"]), "enum"),
    ("theme not in a list", changed(("themes",), "water-loss"), "type"),
    ("no theme", changed(("themes",), []), "minItems"),
    ("unknown field", changed(("countrys",), ["ZA"]), "additionalProperties"),
    ("country name", changed(("countries",), ["South Africa"]), "enum"),
    ("date in words", changed(("date",), "14 May 2013"), "pattern"),
    ("source without title", changed(("sources", 0, "title"), delete=True), "required"),
    ("year as text", changed(("sources", 0, "year"), "2013"), "type"),
    ("year too early", changed(("sources", 0, "year"), 201), "minimum"),
    ("web address without scheme", changed(("sources", 0, "url"), "www.example.org"), "pattern"),
    ("number with a unit", changed(("indicators", 0, "baseline"), "40%"), "type"),
    ("status misspelt", changed(("status",), "publish"), "enum"),
    ("empty value", changed(("contact",), None), "type"),
    ("reference that is not an id", changed(("event",), "Water Summit 2013"), "pattern"),
]


def test_the_good_case_is_valid():
    assert not list(editor_validator("case-study").iter_errors(CASE))


@pytest.mark.parametrize("name, data, keyword", BAD, ids=[b[0] for b in BAD])
def test_schema_rejects_bad_input(name, data, keyword):
    errors = list(editor_validator("case-study").iter_errors(data))
    assert errors, name
    assert keyword in {e.validator for e in errors}, [e.message for e in errors]


def test_impossible_date_needs_the_format_checker():
    """A date of the right form but no real day ('2013-02-30') passes the pattern;
    the published schema says format: partial-date, which hub check enforces."""
    data = changed(("date",), "2013-02-30")
    assert editor_validator("case-study").is_valid(data)
    assert not Draft202012Validator(committed("case-study"), format_checker=FORMAT_CHECKER).is_valid(data)


def test_contributor_mistakes_fixture_is_rejected(model):
    for path in sorted((MISTAKES / "case-studies").glob("*.md")):
        entry = load_file(path, MISTAKES, model)
        if not isinstance(entry, Entry):
            assert entry, path  # unreadable YAML: no data to validate, reported by the loader
            continue
        messages = {e.validator for e in editor_validator(entry.type).iter_errors(entry.data)}
        assert {"required", "enum", "additionalProperties", "type", "pattern"} <= messages, messages


def test_dates_in_front_matter_are_text(tmp_path, model):
    """The loader keeps dates as written, so an unquoted date validates as a string."""
    path = tmp_path / "content/case-studies/unquoted.md"
    path.parent.mkdir(parents=True)
    path.write_text(
        "---\ntitle: T\nsummary: S.\ndate: 2013-05-01\nthemes: [water-loss]\nsources:\n  - title: R\n---\n",
        encoding="utf-8",
    )
    entry = load_file(path, tmp_path / "content", model)
    assert entry.data["date"] == "2013-05-01"
    assert editor_validator("case-study").is_valid(entry.data)


def test_write_schemas_with_base_url_and_stale_files(tmp_path, model):
    folder = tmp_path / "site/schemas"
    folder.mkdir(parents=True)
    (folder / "podcast.schema.json").write_text("{}", encoding="utf-8")
    (folder / "keep.json").write_text("{}", encoding="utf-8")
    written = write_schemas(model, folder, "https://hub.example.org/library/")
    assert sorted(p.name for p in written) == sorted(f"{name}.schema.json" for name in model.types)
    assert not (folder / "podcast.schema.json").exists() and (folder / "keep.json").exists()
    schema = json.loads((folder / "case-study.schema.json").read_text(encoding="utf-8"))
    assert schema["$id"] == "https://hub.example.org/library/schemas/case-study.schema.json"
    assert outdated_schemas(model, folder, "https://hub.example.org/library/") == []
    # the repository's copies have no $id, so they do not depend on where the site is
    assert "$id" not in committed("case-study")
    # unchanged files are not rewritten
    before = (folder / "event.schema.json").stat().st_mtime_ns
    write_schemas(model, folder, "https://hub.example.org/library/")
    assert (folder / "event.schema.json").stat().st_mtime_ns == before


def test_hub_schemas_regenerates_after_a_model_change(project_copy, capsys):
    config = str(project_copy / "mkdocs.yml")
    assert main(["-f", config, "schemas"]) == 0
    out = capsys.readouterr().out.split()
    assert out == [f"schemas/{name}.schema.json" for name in ContentModel.load(project_copy / "model").types]
    settings = json.loads((project_copy / ".vscode/settings.json").read_text(encoding="utf-8"))
    assert settings["yaml.schemas"]["./schemas/case-study.schema.json"] == ["content/case-studies/**/*.md"]
    assert main(["-f", config, "schemas", "--check"]) == 0
    taxonomy = project_copy / "model/taxonomy.yml"
    taxonomy.write_text(
        taxonomy.read_text(encoding="utf-8").replace(
            "\nchallenges:\n", "\n  stormwater:\n    label: Stormwater\n\nchallenges:\n", 1
        ),
        encoding="utf-8",
    )
    assert main(["-f", config, "schemas", "--check"]) == 1
    assert "run: hub schemas" in capsys.readouterr().err
    assert main(["-f", config, "schemas"]) == 0
    assert (
        "stormwater"
        in json.loads((project_copy / "schemas/case-study.schema.json").read_text())["properties"]["themes"][
            "items"
        ]["enum"]
    )


def test_hub_schemas_keeps_other_vscode_settings(project_copy, capsys):
    settings_file = project_copy / ".vscode/settings.json"
    settings_file.parent.mkdir()
    settings_file.write_text('{"editor.rulers": [100]}\n', encoding="utf-8")
    assert main(["-f", str(project_copy / "mkdocs.yml"), "schemas"]) == 0
    settings = json.loads(settings_file.read_text(encoding="utf-8"))
    assert settings["editor.rulers"] == [100] and "yaml.schemas" in settings
    # a settings file with comments is left alone, with a warning
    settings_file.write_text('{\n  // mine\n  "editor.rulers": [80]\n}\n', encoding="utf-8")
    assert main(["-f", str(project_copy / "mkdocs.yml"), "schemas"]) == 0
    assert "set its yaml.schemas by hand" in capsys.readouterr().err
    assert "// mine" in settings_file.read_text(encoding="utf-8")


def test_vscode_settings_map_every_schema_to_its_folder(model):
    settings = json.loads((ROOT / ".vscode/settings.json").read_text(encoding="utf-8"))
    expected = vscode_yaml_schemas(model, ROOT, SCHEMAS, ROOT / "content")
    assert settings["yaml.schemas"] == expected
    for schema, globs in settings["yaml.schemas"].items():
        assert (ROOT / schema).is_file(), schema
        for pattern in globs:
            folder = pattern.split("/**")[0]
            assert (ROOT / folder).is_dir(), pattern


def test_render_schemas_is_stable(model):
    assert render_schemas(model) == render_schemas(ContentModel.load(ROOT / "model"))
