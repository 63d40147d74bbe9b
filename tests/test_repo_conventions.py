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
from knowledgehub.model.questions import contributed_types, questions
from knowledgehub.outputs.issue_form import form_path, render_issue_form

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


# -- the issue forms -----------------------------------------------------------------------------
# What a contributor's form never says: codes, file names, formats, the model's own words.
JARGON = re.compile(
    r"ISO|alpha-2|639|3166|file name|YYYY|\bids?\b|slug|taxonomy|entry-id|front matter|\.md\b|"
    r"title; publisher|Write-up:",
    re.I,
)


def entry_forms(model) -> dict[str, Path]:
    return {name: ROOT / form_path(name) for name in contributed_types(model)}


def test_committed_issue_forms_are_the_generated_ones(model, capsys):
    for name, path in entry_forms(model).items():
        assert path.read_text(encoding="utf-8") == render_issue_form(model, name), (
            f"{path.relative_to(ROOT)} is out of date with the model: run hub issue-form --all"
        )
    assert main(["-f", str(ROOT / "mkdocs.yml"), "issue-form", "--all", "--check"]) == 0
    checked = capsys.readouterr().err
    assert "follow-up.yml: up to date" in checked and "config.yml: up to date" in checked
    files = {p.name for p in (ROOT / ".github/ISSUE_TEMPLATE").iterdir()}
    assert files == {f"{n}.yml" for n in entry_forms(model)} | {"follow-up.yml", "config.yml"}


ELEMENT_TYPES = {"markdown", "input", "textarea", "dropdown", "checkboxes"}


def all_form_files(model) -> list[Path]:
    return [*entry_forms(model).values(), ROOT / ".github/ISSUE_TEMPLATE/follow-up.yml"]


def test_issue_forms_follow_githubs_rules(model):
    for path in all_form_files(model):
        form = load_yaml(path)
        assert {"name", "description", "body"} <= set(form), path
        assert "submission" in form["labels"]
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
    chooser = load_yaml(ROOT / ".github/ISSUE_TEMPLATE/config.yml")
    repo_url = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_EnvDefaults)["repo_url"]
    assert all(link["url"].startswith(repo_url) for link in chooser["contact_links"])


class _EnvDefaults(yaml.SafeLoader):
    """Reads mkdocs.yml with !ENV [NAME, default] as its default."""


_EnvDefaults.add_constructor("!ENV", lambda loader, node: loader.construct_scalar(node.value[-1]))
_EnvDefaults.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)


def test_progress_form_in_plain_words(model):
    form = load_yaml(ROOT / ".github/ISSUE_TEMPLATE/follow-up.yml")
    elements = [e for e in form["body"] if e["type"] != "markdown"]
    for element in elements:
        words = " ".join(
            [element["attributes"]["label"], element["attributes"].get("description", "")]
            + [o if isinstance(o, str) else o["label"] for o in element["attributes"].get("options", [])]
        )
        assert not JARGON.search(words), (element["id"], JARGON.search(words).group(0))
    intro = form["body"][0]["attributes"]["value"]
    assert "What happens next" in intro and "hub follow-up" not in intro


def test_case_study_form_in_plain_words(model):
    form = load_yaml(FORM)
    assert form["name"] == "Suggest a case study"
    elements = [e for e in form["body"] if e["type"] != "markdown"]
    labels = [e["attributes"]["label"] for e in elements]
    for element in elements:
        words = " ".join(
            [element["attributes"]["label"], element["attributes"].get("description", "")]
            + [o if isinstance(o, str) else o["label"] for o in element["attributes"].get("options", [])]
        )
        assert not JARGON.search(words), (element["id"], JARGON.search(words).group(0))
    by_id = {e["id"]: e for e in elements}
    countries = by_id["countries"]["attributes"]
    assert by_id["countries"]["type"] == "dropdown" and countries["multiple"]
    assert "South Africa" in countries["options"] and "ZA" not in countries["options"]
    themes = by_id["themes"]["attributes"]
    assert themes["options"] == [t.label for t in model.vocabulary("themes").terms.values()]
    # the model's length limit is said where the answer is typed
    limit = model.types["case-study"].fields["title"].max_length
    assert limit and by_id["title"]["attributes"]["description"].endswith(f"At most {limit} characters.")
    assert by_id["themes"]["validations"]["required"] is True
    assert by_id["organisations"]["type"] == "textarea"
    assert "new ones are welcome" in by_id["organisations"]["attributes"]["description"]
    sources = by_id["sources"]["attributes"]["description"]
    assert "title, who published it, year, link" in sources
    # asked once: the lessons are a field, not also a section of the write-up
    assert labels.count("Lessons") == 1 and not any(label.startswith("Write-up") for label in labels)
    assert len(labels) == len({label.lower() for label in labels})
    contact = by_id["contact"]
    assert contact["validations"]["required"] is False
    assert "public" in contact["attributes"]["description"].lower()
    assert not any(e["attributes"].get("label", "").lower() in ("email", "e-mail") for e in elements)
    intro = form["body"][0]["attributes"]["value"]
    assert "drag and drop" in intro.lower() and "pull request" in intro and "credited" in intro
    assert by_id["attachments"]["type"] == "textarea"
    assert {"status", "language", "responds_to"}.isdisjoint(by_id)
    assert len(elements) < 30


def test_every_question_is_in_its_form(model):
    for name in contributed_types(model):
        form = yaml.safe_load(render_issue_form(model, name))
        labels = {e["attributes"].get("label") for e in form["body"]}
        for q in questions(model, name):
            if q.kind == "records" and q.max == 1:
                assert all(f"{q.label}: {part.label}" in labels for part in q.parts), q.label
            else:
                assert q.label in labels, (name, q.label)
            element = next((e for e in form["body"] if e["attributes"].get("label") == q.label), None)
            if element is not None:
                assert element["validations"]["required"] == q.required, (name, q.label)


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
    assert "Stormwater management" in themes["attributes"]["options"]
    assert main(["-f", str(project_copy / "mkdocs.yml"), "issue-form", "--check"]) == 0


def test_issue_form_for_other_types_and_unknown_type(project_copy, capsys):
    model = ContentModel.load(ROOT / "model")
    for name in model.types:
        form = yaml.safe_load(render_issue_form(model, name))
        assert form["body"][-1]["id"] == "consent"
    assert main(["-f", str(project_copy / "mkdocs.yml"), "issue-form", "podcast"]) == 2
    assert "unknown content type 'podcast'" in capsys.readouterr().err
