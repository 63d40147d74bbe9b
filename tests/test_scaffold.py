"""hub new: a template per content type, generated from the model, that hub check
rejects while it holds placeholders and accepts once they are filled."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from knowledgehub.cli import main
from knowledgehub.library.load import load_library
from knowledgehub.library.loader import Entry, load_file
from knowledgehub.model.content import ContentModel, Field
from knowledgehub.model.project import Project
from knowledgehub.model.schema import FORMAT_CHECKER, field_schema
from knowledgehub.model.walk import walk_values
from knowledgehub.outputs.scaffold import PLACEHOLDER, entry_template, slugify, yaml_value

ROOT = Path(__file__).resolve().parent.parent
MODEL = ContentModel.load(ROOT / "model")
TYPES = list(MODEL.types)


def hub(project: Path, *args: str, capsys=None) -> tuple[int, str, str]:
    code = main(["-f", str(project / "mkdocs.yml"), *args])
    out, err = capsys.readouterr() if capsys else ("", "")
    return code, out, err


def problems_for(project: Path, path: Path):
    result = load_library(Project.find(config_file=project / "mkdocs.yml"), only=[path])
    return result


def valid_value(f: Field, model: ContentModel, library) -> object:
    """A value that ``hub check`` accepts for a field, as a contributor would write it."""
    kind = f.kind
    if kind == "term":
        return next(iter(model.vocabulary(f.target).terms))
    if kind == "ref":
        targets = list(model.types) if f.target == "*" else [f.target]
        return next(e.slug for e in library.entries if e.type in targets)
    return {
        "string": "Filled in by the test",
        "text": "Filled in by the test, in a sentence.",
        "date": "2013-05-01",
        "url": "https://example.org/report",
        "email": "someone@example.org",
        "integer": 2013,
        "number": 12.5,
        "boolean": True,
        "country": "ZA",
        "slug": "filled-in",
    }[kind]


def placeholders(entry: Entry, model: ContentModel):
    """(path, field, value) of every placeholder left in an entry."""
    return [
        (path, f, value)
        for path, f, value in walk_values(model.types[entry.type].fields, entry.data)
        if isinstance(value, str) and value.startswith(PLACEHOLDER)
    ]


def fill_placeholders(project: Path, path: Path, model: ContentModel) -> int:
    """Replace each placeholder on its own line by a valid value; returns how many."""
    project_obj = Project.find(config_file=project / "mkdocs.yml")
    library = load_library(project_obj)
    entry = load_file(path, project_obj.content_dir, model)
    assert isinstance(entry, Entry) and not entry.problems, entry
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    found = placeholders(entry, model)
    for where, f, value in found:
        number = entry.line(*where)
        written = yaml_value(value)
        assert written in lines[number - 1], (where, lines[number - 1])
        lines[number - 1] = lines[number - 1].replace(written, yaml_value(valid_value(f, model, library)), 1)
    path.write_text("".join(lines), encoding="utf-8")
    return len(found)


@pytest.mark.parametrize("type_name", TYPES)
def test_new_entry_is_rejected_with_placeholders_and_accepted_once_filled(project_copy, capsys, type_name):
    ctype = MODEL.types[type_name]
    title = f"Test entry: a new {ctype.label.lower()} from the template"
    code, out, err = hub(project_copy, "new", type_name, "--title", title, capsys=capsys)
    assert code == 0, err
    path = project_copy / "content" / ctype.folder / f"{slugify(title)}.md"
    assert out.strip() == f"content/{ctype.folder}/{slugify(title)}.md"
    assert path.is_file()
    text = path.read_text(encoding="utf-8")

    # every field is in the template, with its help; required ones in use, optional ones commented out
    front = text.split("\n---\n", 1)[0]
    for name, f in ctype.fields.items():
        live = re.search(rf"^{re.escape(name)}:", front, re.M)
        commented = re.search(rf"^# {re.escape(name)}:", front, re.M)
        assert live if f.required else commented, (
            f"{name} should be {'present' if f.required else 'commented out'}"
        )
        assert f.help in front, f"the help of '{name}' is missing"
    for f in MODEL.iter_fields(ctype.fields):
        if f.kind not in ("list",) and f.help:
            assert f.help in front, f.name
    # the body is the type's outline
    body = text.split("\n---\n", 1)[1]
    assert re.findall(r"^## (.+)$", body, re.M) == ctype.outline

    # as it stands, hub check rejects it: one problem on the line of each placeholder
    project = Project.find(config_file=project_copy / "mkdocs.yml")
    entry = load_file(path, project.content_dir, MODEL)
    expected_lines = sorted(entry.line(*where) for where, _, _ in placeholders(entry, MODEL))
    assert expected_lines, "the template has no placeholder"
    result = problems_for(project_copy, path)
    assert not result.ok
    assert sorted(p.line for p in result.problems) == expected_lines, [p.text() for p in result.problems]
    code, out, err = hub(project_copy, "check", str(path), capsys=capsys)
    assert code == 1 and "error" in out

    # filled in, it passes, and so does the library as a whole
    assert fill_placeholders(project_copy, path, MODEL) == len(expected_lines)
    result = problems_for(project_copy, path)
    assert result.ok, [p.text() for p in result.problems]
    code, out, err = hub(project_copy, "check", capsys=capsys)
    assert code == 0, out + err


def test_free_text_placeholders_are_named(project_copy, capsys):
    code, _, _ = hub(project_copy, "new", "course", capsys=capsys)
    assert code == 0
    result = problems_for(project_copy, project_copy / "content/courses/new-course.md")
    messages = {p.message: p.hint for p in result.problems}
    assert messages["placeholder left in 'title'"] == "replace it with title of the entry"
    assert (
        messages["placeholder left in 'summary'"]
        == "replace it with one or two sentences: what a reader learns here"
    )
    assert "placeholder left in 'sources[1].title'" in messages
    assert any(m.startswith("'provider' is not a valid id: 'TODO") for m in messages)
    assert any(m.startswith("unknown theme 'TODO") for m in messages)


def test_placeholder_check_covers_nested_free_text(project_copy):
    path = project_copy / "content/case-studies/lessons-left.md"
    path.write_text(
        '---\ntitle: A case\nsummary: A summary.\ndate: "2013"\nthemes: [water-loss]\n'
        "sources:\n  - title: A report\n"
        "lessons:\n  - TODO write the lessons\n---\n",
        encoding="utf-8",
    )
    [problem] = problems_for(project_copy, path).problems
    assert (problem.line, problem.message, problem.rule) == (
        9,
        "placeholder left in 'lessons[1]'",
        "placeholder",
    )


def test_uncommented_optional_field_left_empty_is_an_error(project_copy, capsys):
    """Optional fields are commented out empty, so uncommenting one and forgetting
    it is a mistake hub check reports (an example is never kept silently)."""
    hub(project_copy, "new", "case-study", "--title", "Night flows", capsys=capsys)
    path = project_copy / "content/case-studies/night-flows.md"
    fill_placeholders(project_copy, path, MODEL)
    text = path.read_text(encoding="utf-8").replace("\n# period:", "\nperiod:", 1)
    path.write_text(text, encoding="utf-8")
    problems = problems_for(project_copy, path).problems
    assert [(p.message, p.hint) for p in problems] == [
        ("field 'period' has no value", "give it a value or remove the line")
    ]


def test_new_without_title_uses_a_placeholder_title(project_copy, capsys):
    code, out, err = hub(project_copy, "new", "event", capsys=capsys)
    assert code == 0
    assert out.strip() == "content/events/new-event.md"
    assert "rename the file" in err
    text = (project_copy / "content/events/new-event.md").read_text(encoding="utf-8")
    assert 'title: "TODO: title of the entry"' in text


def test_new_refuses_to_overwrite(project_copy, capsys):
    code, _, _ = hub(project_copy, "new", "case-study", "--title", "Leak detection", capsys=capsys)
    assert code == 0
    path = project_copy / "content/case-studies/leak-detection.md"
    path.write_text("my work\n", encoding="utf-8")
    code, out, err = hub(project_copy, "new", "case-study", "--title", "Leak detection", capsys=capsys)
    assert code == 2
    assert "content/case-studies/leak-detection.md already exists" in err
    assert path.read_text(encoding="utf-8") == "my work\n"
    # an existing shipped entry is refused too
    org = project_copy / "content/organisations/mile.md"
    before = org.read_bytes()
    code, _, err = hub(project_copy, "new", "organisation", "--id", "mile", capsys=capsys)
    assert code == 2 and "already exists" in err and org.read_bytes() == before


def test_unknown_type_lists_the_known_ones(project_copy, capsys):
    code, out, err = hub(project_copy, "new", "casestudy", "--title", "X", capsys=capsys)
    assert code == 2 and out == ""
    assert "unknown content type 'casestudy' (did you mean 'case-study'?)" in err
    for name, ctype in MODEL.types.items():
        assert re.search(
            rf"^\s+{re.escape(name)}\s+{re.escape(ctype.label)}, in content/{ctype.folder}/$", err, re.M
        ), name
    code, _, err = hub(project_copy, "new", "podcast", capsys=capsys)
    assert code == 2 and "unknown content type 'podcast'; the known types are:" in err


@pytest.mark.parametrize("title", ["?!...", "---", "“ ” ‘’", "漢字のみ", "   "])
def test_title_that_gives_no_id_is_refused(project_copy, capsys, title):
    before = sorted((project_copy / "content").rglob("*"))
    code, out, err = hub(project_copy, "new", "case-study", f"--title={title}", capsys=capsys)
    assert code == 2 and out == ""
    assert "give another title" in err or "the title is empty" in err
    assert sorted((project_copy / "content").rglob("*")) == before


def test_type_by_folder_or_label_and_explicit_id(project_copy, capsys):
    code, out, _ = hub(
        project_copy, "new", "case-studies", "--title", "Any title", "--id", "my-own-id", capsys=capsys
    )
    assert code == 0 and out.strip() == "content/case-studies/my-own-id.md"
    code, out, _ = hub(project_copy, "new", "Workshop outcome", "--title", "Group 3", capsys=capsys)
    assert code == 0 and out.strip() == "content/workshops/group-3.md"
    code, _, err = hub(project_copy, "new", "case-study", "--id", "My Own_Id", capsys=capsys)
    assert code == 2 and "'My Own_Id' is not a valid id" in err and "did you mean 'my-own-id'?" in err


@pytest.mark.parametrize(
    "title, slug",
    [
        ("Halving water losses in Drakenstein", "halving-water-losses-in-drakenstein"),
        ("Gestão da água em São Paulo", "gestao-da-agua-em-sao-paulo"),
        ("Durban's Blue Drop & Green Drop journey", "durbans-blue-drop-and-green-drop-journey"),
        ("NRW: 42% → 28% (2010–2013)", "nrw-42-28-2010-2013"),
        ("  Spaces   everywhere  ", "spaces-everywhere"),
        (
            "A very long title about pressure management, district metering "
            "and leak detection in a municipality",
            "a-very-long-title-about-pressure-management-district",
        ),
    ],
)
def test_slugify(title, slug):
    assert slugify(title) == slug
    assert len(slug) <= 60 and re.match(r"^[a-z0-9]+(-[a-z0-9]+)*$", slug)


@pytest.mark.parametrize(
    "title",
    ['Pipes: a "new" approach #1', "2012", "yes", "- dash first", "[brackets] and {braces}", "Ünïcödé title"],
)
def test_any_title_is_written_as_valid_yaml(tmp_path, model, title):
    from knowledgehub.library.loader import parse_front_matter, split_front_matter

    text = entry_template(model.types["case-study"], model, title=title)
    fm, _, _ = split_front_matter(text)
    data, _, problems = parse_front_matter(fm, "x.md")
    assert not problems and data["title"] == title


def test_archetype_override_replaces_the_body_only(project_copy, capsys):
    archetypes = project_copy / "model/archetypes"
    archetypes.mkdir()
    (archetypes / "case-study.md").write_text("## The problem\n\n## The fix\n", encoding="utf-8")
    code, _, _ = hub(project_copy, "new", "case-study", "--title", "Overridden", capsys=capsys)
    assert code == 0
    text = (project_copy / "content/case-studies/overridden.md").read_text(encoding="utf-8")
    front, body = text.split("\n---\n", 1)
    assert body.strip() == "## The problem\n\n## The fix"
    assert "\nthemes: " in front and "\n# place:" in front
    # other types keep their outline
    hub(project_copy, "new", "event", "--title", "Not overridden", capsys=capsys)
    assert "## About the event" in (project_copy / "content/events/not-overridden.md").read_text(
        encoding="utf-8"
    )


def test_every_example_in_the_model_is_a_valid_value(model):
    """Templates show each field's example as 'e.g. ...': it must be right."""
    for ctype in model.types.values():
        for f in model.iter_fields(ctype.fields):
            if f.example is None:
                continue
            validator = Draft202012Validator(field_schema(f, model), format_checker=FORMAT_CHECKER)
            assert validator.is_valid(f.example), (
                f"{ctype.name}: example of '{f.name}' ({f.example!r}) is not valid"
            )


def test_template_is_written_from_the_model(project_copy, capsys):
    """A field added to model/types.yml appears in the next template, with no other change."""
    types_yml = project_copy / "model/types.yml"
    text = types_yml.read_text(encoding="utf-8")
    marker = '      period: {type: string, help: "How long the work ran", example: "2010-2013"}\n'
    assert marker in text
    types_yml.write_text(
        text.replace(
            marker,
            marker
            + '      budget: {type: string, required: true, help: "What the work cost, with its currency",'
            ' example: "ZAR 12 million"}\n',
        ),
        encoding="utf-8",
    )
    code, _, _ = hub(project_copy, "new", "case-study", "--title", "With a budget", capsys=capsys)
    assert code == 0
    text = (project_copy / "content/case-studies/with-a-budget.md").read_text(encoding="utf-8")
    assert "# What the work cost, with its currency — required; a line of text; e.g. ZAR 12 million\n" in text
    assert 'budget: "TODO: what the work cost, with its currency"\n' in text
