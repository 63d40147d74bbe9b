"""Repository conventions: the GitHub workflows, the pull-request template and the
"Submit a case study" issue form parse, follow GitHub's rules, mirror the model
and name only commands and scripts that exist."""

from __future__ import annotations

import contextlib
import io
import re
import shlex
from pathlib import Path
from unittest import mock

import pytest
import yaml

from knowledgehub.cli import main
from knowledgehub.model.content import ContentModel
from knowledgehub.model.project import ProjectNotFound
from knowledgehub.outputs.issue_form import NOT_ASKED, form_path, render_issue_form

ROOT = Path(__file__).resolve().parent.parent
WORKFLOWS = ROOT / ".github/workflows"
FORM = ROOT / form_path("case-study")


# -- commands named in the repository's files exist ---------------------------------------------
def hub_subcommand_exists(name: str) -> bool:
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        try:
            main([name, "--help"])
        except SystemExit as exit:
            return exit.code == 0
    return False


def assert_hub_command_parses(command: str) -> None:
    """``command`` (a ``hub ...`` line from a workflow or a guide) is accepted by the
    hub's argument parser: its subcommand and options exist. Nothing is run."""
    command = re.sub(r"\$\{\{[^}]*\}\}", "X", command)
    command = re.sub(r"<[^>]*>", "X", command)
    words = shlex.split(command)
    words = words[
        : next((i for i, w in enumerate(words) if w in ("&&", "||", "|", ";", ">", "2>")), len(words))
    ]
    assert words and words[0].endswith("hub"), command
    errors = io.StringIO()
    with (
        mock.patch("knowledgehub.cli.Project.find", side_effect=ProjectNotFound("parsed")),
        contextlib.redirect_stderr(errors),
    ):
        try:
            code = main(words[1:])
        except SystemExit as exit:
            pytest.fail(
                f"'{command}' is not a valid hub command: {errors.getvalue().strip()} (exit {exit.code})"
            )
    assert code == 2 and "parsed" in errors.getvalue(), command


def load_yaml(path: Path) -> dict:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict), path
    return data


def workflow(name: str) -> dict:
    data = load_yaml(WORKFLOWS / name)
    # YAML 1.1 reads the key 'on' as true
    data["on"] = data.pop(True, data.get("on"))
    return data


def steps(data: dict) -> list[dict]:
    return [step for job in data["jobs"].values() for step in job.get("steps", [])]


def run_lines(data: dict) -> list[str]:
    return [
        line.strip()
        for step in steps(data)
        for line in step.get("run", "").replace("\\\n", " ").splitlines()
        if line.strip()
    ]


@pytest.mark.parametrize("name", ["check.yml", "publish.yml"])
def test_workflow_names_only_commands_and_scripts_that_exist(name):
    data = workflow(name)
    commands = [
        m.group(0) for line in run_lines(data) for m in [re.search(r"(?:\.venv/bin/)?\bhub\s.*", line)] if m
    ]
    assert commands, name
    for command in commands:
        assert_hub_command_parses(command)
    scripts = [s for line in run_lines(data) for s in re.findall(r"\bscripts/[\w./-]+", line)]
    for script in scripts:
        assert (ROOT / script).is_file(), f"{name} runs {script}, which does not exist"
    for step in steps(data):
        if "uses" in step:
            assert re.match(r"^[\w.-]+/[\w.-]+@v\d+$", step["uses"]), step["uses"]


def test_check_workflow_on_pull_requests():
    data = workflow("check.yml")
    assert "pull_request" in data["on"]
    all_steps = steps(data)
    setup = next(s for s in all_steps if s.get("uses", "").startswith("actions/setup-python@"))
    assert str(setup["with"]["python-version"]) == "3.11"
    checkout = next(s for s in all_steps if s.get("uses", "").startswith("actions/checkout@"))
    assert checkout["with"]["fetch-depth"] == 0, "--changed needs the base branch's history"
    lines = run_lines(data)
    assert "bash scripts/test.sh -q" in lines
    changed = next(line for line in lines if "check --changed" in line)
    assert "--format github" in changed and "--base" in changed
    assert any(re.search(r"\bhub build\b", line) for line in lines)
    order = [
        next(i for i, line in enumerate(lines) if pattern in line)
        for pattern in ("check --changed", "scripts/test.sh", "hub build")
    ]
    assert order == sorted(order), "the changed entries are checked first, for quick annotations"


def test_publish_workflow_deploys_pages_and_releases_the_usb_edition():
    data = workflow("publish.yml")
    assert data["on"]["push"]["branches"] == ["main"]
    uses = [s.get("uses", "").split("@")[0] for s in steps(data)]
    for action in (
        "actions/checkout",
        "actions/setup-python",
        "actions/upload-pages-artifact",
        "actions/deploy-pages",
    ):
        assert action in uses, action
    deploy = data["jobs"]["deploy"]
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["environment"]["name"] == "github-pages"
    lines = run_lines(data)
    assert any(re.search(r"\bhub build\b", line) for line in lines)
    usb = next(line for line in lines if re.search(r"\bhub usb\b", line))
    folder = shlex.split(usb)[shlex.split(usb).index("-o") + 1]
    # the release attaches the zip that hub usb writes beside the edition folder
    assert any(f"{Path(folder).parent.as_posix()}/*.zip" in line for line in lines)
    assert data["jobs"]["release"]["permissions"] == {"contents": "write"}
    assert any("gh release create" in line for line in lines)


def test_pull_request_template_has_the_review_checklist():
    text = (ROOT / ".github/pull_request_template.md").read_text(encoding="utf-8")
    items = re.findall(r"^- \[ \] (.+)$", text, re.M)
    assert len(items) >= 6
    assert any("hub check" in item for item in items)
    assert any("sources" in item for item in items)
    guide = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    assert "## Review checklist" in guide


# -- the issue form ------------------------------------------------------------------------------
def test_committed_issue_form_is_the_generated_one(model):
    assert FORM.read_text(encoding="utf-8") == render_issue_form(model, "case-study"), (
        f"{FORM.relative_to(ROOT)} is out of date with the model: run hub issue-form"
    )


ELEMENT_TYPES = {"markdown", "input", "textarea", "dropdown", "checkboxes"}


def test_issue_form_follows_githubs_rules():
    form = load_yaml(FORM)
    assert {"name", "description", "body"} <= set(form)
    assert form["name"] == "Submit a case study"
    ids, labels = set(), set()
    for element in form["body"]:
        assert element["type"] in ELEMENT_TYPES
        attributes = element["attributes"]
        if element["type"] == "markdown":
            assert attributes["value"].strip() and "id" not in element and "validations" not in element
            continue
        assert re.match(r"^[A-Za-z0-9_-]+$", element["id"]) and element["id"] not in ids, element
        ids.add(element["id"])
        assert attributes["label"].strip() and attributes["label"] not in labels, attributes["label"]
        labels.add(attributes["label"])
        if element["type"] == "dropdown":
            options = attributes["options"]
            assert (
                options
                and len(options) == len(set(options))
                and all(isinstance(o, str) and o.strip() for o in options)
            )
            assert not any(o.lower() == "none" for o in options)
        if element["type"] == "checkboxes":
            assert all(o["label"].strip() for o in attributes["options"])
        if "placeholder" in attributes:
            assert element["type"] in ("input", "textarea")
        assert isinstance(element.get("validations", {}).get("required", False), bool)
    assert any(e["type"] != "markdown" for e in form["body"])


def test_issue_form_mirrors_the_case_study_schema(model):
    from knowledgehub.model.schema import type_schema

    form = load_yaml(FORM)
    elements = {e["id"]: e for e in form["body"] if "id" in e}
    schema = type_schema(model.types["case-study"], model)
    for name, prop in schema["properties"].items():
        if name in NOT_ASKED:
            continue
        if prop.get("type") == "object":
            for sub in prop["properties"]:
                assert f"{name}-{sub}" in elements, f"the form does not ask for {name}.{sub}"
            continue
        assert name in elements, f"the form does not ask for '{name}'"
        element = elements[name]
        assert element["validations"]["required"] == (name in schema["required"]), name
        vocabulary = prop.get("x-hub-term") or prop.get("items", {}).get("x-hub-term")
        if vocabulary:
            assert element["type"] == "dropdown"
            assert [
                re.search(r"\(([^()]+)\)$", o).group(1) for o in element["attributes"]["options"]
            ] == list(model.vocabulary(vocabulary).terms)
            assert element["attributes"].get("multiple", False) == (prop.get("type") == "array")
    for heading in model.types["case-study"].outline:
        assert any(e["attributes"]["label"] == f"Write-up: {heading}" for e in elements.values()), heading


def test_issue_form_follows_the_taxonomy(project_copy, capsys):
    """A new theme appears in the next form, with no other change."""
    taxonomy = project_copy / "model/taxonomy.yml"
    taxonomy.write_text(
        taxonomy.read_text(encoding="utf-8").replace(
            "\nchallenges:\n",
            "\n  stormwater:\n    label: Stormwater management\n"
            "    description: Draining rain water.\n\nchallenges:\n",
            1,
        ),
        encoding="utf-8",
    )
    code = main(["-f", str(project_copy / "mkdocs.yml"), "issue-form", "--check"])
    assert code == 1 and "not up to date" in capsys.readouterr().err
    assert main(["-f", str(project_copy / "mkdocs.yml"), "issue-form"]) == 0
    assert capsys.readouterr().out.strip() == ".github/ISSUE_TEMPLATE/case-study.yml"
    form = load_yaml(project_copy / ".github/ISSUE_TEMPLATE/case-study.yml")
    themes = next(e for e in form["body"] if e.get("id") == "themes")
    assert "Stormwater management (stormwater)" in themes["attributes"]["options"]
    assert main(["-f", str(project_copy / "mkdocs.yml"), "issue-form", "--check"]) == 0


def test_issue_form_for_other_types_and_unknown_type(project_copy, capsys):
    model = ContentModel.load(ROOT / "model")
    for name in model.types:
        form = yaml.safe_load(render_issue_form(model, name))
        assert form["body"][-1]["id"] == "consent"
    assert main(["-f", str(project_copy / "mkdocs.yml"), "issue-form", "podcast"]) == 2
    assert "unknown content type 'podcast'" in capsys.readouterr().err
