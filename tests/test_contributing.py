"""Contributing as CONTRIBUTING.md describes it: the worked example followed
literally, every mistake of a first entry reported at once, `hub check --changed`
on a branch, and the links that invite readers to contribute."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest

from knowledgehub.cli import main

ROOT = Path(__file__).resolve().parent.parent
MISTAKES = ROOT / "tests/fixtures/contributor-mistakes"
GUIDE = ROOT / "CONTRIBUTING.md"


def run(project: Path, capsys, *args: str) -> tuple[int, str, str]:
    """``hub ARGS`` run from the project folder, as a contributor types it."""
    cwd = os.getcwd()
    os.chdir(project)
    try:
        code = main(list(args))
    finally:
        os.chdir(cwd)
    out, err = capsys.readouterr()
    return code, out, err


def add_mistakes(project: Path) -> None:
    shutil.copytree(MISTAKES / "content", project / "content", dirs_exist_ok=True)


# -- every mistake at once ------------------------------------------------------------
def test_every_mistake_of_a_first_entry_is_reported_at_once(project_copy, capsys):
    add_mistakes(project_copy)
    code, out, err = run(project_copy, capsys, "check")
    assert code == 1
    assert out == (MISTAKES / "expected.txt").read_text(encoding="utf-8")
    assert "19 errors in 2 files" in err
    for line in out.splitlines():
        match = re.match(r"^(content/case-studies/[^:]+\.md):(\d+): error: (.+) \((.+)\)$", line)
        assert match, f"no file, line or hint: {line}"
        assert int(match.group(2)) >= 1


def test_github_annotations_are_exact(project_copy, capsys):
    add_mistakes(project_copy)
    code, out, _ = run(project_copy, capsys, "check", "--format", "github")
    assert code == 1
    assert out == (MISTAKES / "expected-github.txt").read_text(encoding="utf-8")
    text_lines = (MISTAKES / "expected.txt").read_text(encoding="utf-8").splitlines()
    github_lines = out.splitlines()
    assert len(github_lines) == len(text_lines)
    for annotation, text in zip(github_lines, text_lines):
        path, line, message = re.match(r"^(.+?):(\d+): error: (.+)$", text).groups()
        match = re.match(r"^::error file=([^,]+),line=(\d+),title=([a-z-]+)::(.+)$", annotation)
        assert match, annotation
        assert match.group(1) == path.replace(":", "%3A").replace(",", "%2C")
        assert match.group(2) == line
        assert match.group(4) == message.replace("%", "%25")


def test_github_annotation_escaping():
    from knowledgehub.model.problems import Problem

    problem = Problem(
        "content/a,b:c%.md", 12, "unknown theme 'x'\r\nnext line: 100%", "did you mean 'y'?", "taxonomy"
    )
    assert problem.github() == (
        "::error file=content/a%2Cb%3Ac%25.md,line=12,title=taxonomy::"
        "unknown theme 'x'%0D%0Anext line: 100%25 (did you mean 'y'?)"
    )
    assert Problem("x.md", 3, "no hint").github() == "::error file=x.md,line=3,title=content::no hint"


# -- the worked example, followed literally ------------------------------------------------------
def worked_example() -> list[tuple[str, str, str]]:
    """(kind, argument, code) of every marked block of the worked example, in order."""
    text = GUIDE.read_text(encoding="utf-8")
    blocks = re.findall(r"<!-- worked-example: (step|file) ?(\S*) -->\n```[a-z]*\n(.*?)\n```", text, re.S)
    assert blocks, "CONTRIBUTING.md has no marked worked example"
    return blocks


def test_worked_example_in_contributing_passes_and_is_published(project_copy, capsys):
    from knowledgehub.library.load import load_library
    from knowledgehub.model.project import Project

    created: list[str] = []
    ran: list[str] = []
    for kind, argument, code in worked_example():
        if kind == "file":
            # "fill it in until it reads like this": the file hub new created, with these contents
            assert argument in created, f"the guide fills {argument}, which its steps did not create"
            template = (project_copy / argument).read_text(encoding="utf-8")
            fields = re.findall(r"^([a-z_]+):", code.split("\n---\n")[0], re.M)
            for name in fields:
                assert re.search(rf"^(# )?{name}:", template, re.M), f"the template has no field '{name}'"
            (project_copy / argument).write_text(code + "\n", encoding="utf-8")
            continue
        for line in code.splitlines():
            words = shlex.split(line)
            assert words[0] == "hub", line
            status, out, err = run(project_copy, capsys, *words[1:])
            assert status == 0, f"{line}\n{out}\n{err}"
            ran.append(words[1])
            if words[1] == "new":
                created.append(out.strip())
            if words[1] == "check":
                assert "1 entry checked: no problems" in err
    assert ran == ["new", "check", "build"]

    slug = "pressure-management-halves-night-flows-in-amanzi-valley"
    title = "Pressure management halves night flows in Amanzi Valley"
    site = project_copy / "site"
    page = site / "case-studies" / slug / "index.html"
    assert page.is_file()
    assert title in page.read_text(encoding="utf-8")
    assert f"{slug}/" in (site / "case-studies/index.html").read_text(encoding="utf-8")
    assert f"case-studies/{slug}/" in (site / "index.html").read_text(encoding="utf-8")
    # and it is the whole library's: the entry is valid with every other one
    result = load_library(Project.find(config_file=project_copy / "mkdocs.yml"))
    assert result.ok and result.catalog.get("case-study", slug) is not None


def test_error_shown_in_contributing_is_the_one_hub_check_prints(project_copy, capsys):
    [(_, path, code)] = [block for block in worked_example() if block[0] == "file"]
    shown = re.search(r"```text\n(.+?)\n```", GUIDE.read_text(encoding="utf-8")).group(1)
    target = project_copy / path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(code.replace("[water-loss,", "[water-los,") + "\n", encoding="utf-8")
    status, out, _ = run(project_copy, capsys, "check", path)
    assert status == 1 and out.strip() == shown


def test_guide_names_only_commands_that_exist():
    from test_repo_conventions import assert_hub_command_parses, hub_subcommand_exists

    text = GUIDE.read_text(encoding="utf-8")
    mentioned = re.findall(r"`hub ([a-z][a-z-]*)", text)
    assert len(mentioned) > 10
    for name in set(mentioned):
        assert hub_subcommand_exists(name), f"CONTRIBUTING.md mentions 'hub {name}', which does not exist"
    typed = re.findall(r"^(hub .+)$", text, re.M) + re.findall(r"`(hub [a-z-]+ [^`]+)`", text)
    assert len(typed) > 5
    for command in typed:
        assert_hub_command_parses(command)
    for script in re.findall(r"scripts/[\w./-]+\.sh", text):
        assert (ROOT / script).is_file(), script


# -- hub check --changed ------------------------------------------------------------------------
def git(project: Path, *args: str) -> str:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "Test",
        "GIT_AUTHOR_EMAIL": "test@example.org",
        "GIT_COMMITTER_NAME": "Test",
        "GIT_COMMITTER_EMAIL": "test@example.org",
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_CONFIG_GLOBAL": os.devnull,
    }
    done = subprocess.run(
        ["git", "-c", "init.defaultBranch=main", "-c", "commit.gpgsign=false", *args],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.fixture
def repo(project_copy):
    (project_copy / ".gitignore").write_text("site/\ncontent/case-studies/ignored-*.md\n", encoding="utf-8")
    git(project_copy, "init", "-q")
    git(project_copy, "add", "-A")
    git(project_copy, "commit", "-q", "-m", "library")
    return project_copy


def reported(out: str) -> set[str]:
    return {line.split(":", 1)[0] for line in out.splitlines() if ": error: " in line}


def test_changed_checks_new_and_modified_entries_only(repo, capsys):
    # a broken entry that is already in the base is not this branch's business
    course = repo / "content/courses/iwsd-community-engagement-customer-care.md"
    course.write_text(
        course.read_text(encoding="utf-8").replace("customer-care", "custmer-care", 1), encoding="utf-8"
    )
    git(repo, "commit", "-q", "-am", "an old mistake")
    # modified, not staged
    event = repo / "content/events/mile-water-services-master-class-1.md"
    event.write_text(
        event.read_text(encoding="utf-8").replace("themes: [benchmarking", "themes: [benchmarkin", 1),
        encoding="utf-8",
    )
    # new and staged: valid, and refers to an entry it did not change
    good = repo / "content/case-studies/good-new-case.md"
    good.write_text(
        '---\ntitle: A good case\nsummary: What it teaches.\ndate: "2013"\nthemes: [water-loss]\n'
        "organisations: [mile]\nsources:\n  - title: A report\n---\n",
        encoding="utf-8",
    )
    git(repo, "add", str(good))
    # new, untracked, with every mistake; and an ignored file, never looked at
    add_mistakes(repo)
    (repo / "content/case-studies/ignored-draft.md").write_text("not even front matter\n", encoding="utf-8")
    # a change outside the content does not count
    (repo / "README.md").write_text("changed\n", encoding="utf-8")

    code, out, err = run(repo, capsys, "check", "--changed")
    assert code == 1
    assert "4 changed entries against HEAD" in err
    assert reported(out) == {
        "content/events/mile-water-services-master-class-1.md",
        "content/case-studies/Pressure_Management_Drakenstein.md",
        "content/case-studies/leak-detection-in-paarl.md",
    }
    assert "unknown theme 'benchmarkin' (did you mean 'benchmarking'?)" in out
    # in GitHub's format, the new files' annotations are exactly those of the full check
    code, out, _ = run(repo, capsys, "check", "--changed", "--format", "github")
    expected = (MISTAKES / "expected-github.txt").read_text(encoding="utf-8").splitlines()
    assert [line for line in out.splitlines() if "file=content/events/" not in line] == expected


def test_changed_compares_with_where_the_branch_left_origin_main(repo, capsys):
    git(repo, "update-ref", "refs/remotes/origin/main", "HEAD")
    git(repo, "switch", "-q", "-c", "case-study/new")
    add_mistakes(repo)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "my first case studies")
    # meanwhile, someone breaks another entry on main
    git(repo, "switch", "-q", "main")
    org = repo / "content/organisations/salga.md"
    org.write_text(org.read_text(encoding="utf-8").replace("kind: ", "kind: nonsense-", 1), encoding="utf-8")
    git(repo, "commit", "-q", "-am", "someone else's change")
    git(repo, "update-ref", "refs/remotes/origin/main", "main")
    git(repo, "switch", "-q", "case-study/new")

    code, out, err = run(repo, capsys, "check", "--changed")
    assert code == 1 and "2 changed entries against origin/main" in err
    assert reported(out) == {
        "content/case-studies/Pressure_Management_Drakenstein.md",
        "content/case-studies/leak-detection-in-paarl.md",
    }
    # against the last commit, nothing changed
    code, out, err = run(repo, capsys, "check", "--changed", "--base", "HEAD")
    assert code == 0 and out == "" and "0 changed entries against HEAD" in err and "no problems" in err


def test_deleting_an_entry_checks_the_references_to_it(repo, capsys):
    (repo / "content/organisations/mile.md").unlink()
    code, out, err = run(repo, capsys, "check", "--changed")
    assert code == 1
    assert "entries were deleted or renamed (content/organisations/mile.md)" in err
    assert "refers to organisation 'mile', which does not exist" in out
    assert "content/courses/mile-water-services-master-classes.md" in reported(out)


def test_changing_the_model_checks_the_whole_library(repo, capsys):
    taxonomy = repo / "model/taxonomy.yml"
    taxonomy.write_text(
        taxonomy.read_text(encoding="utf-8").replace("\n  skills-shortage:\n", "\n  skills-gap:\n", 1),
        encoding="utf-8",
    )
    code, out, err = run(repo, capsys, "check", "--changed")
    assert code == 1
    assert "the content model changed (model/taxonomy.yml): checking the whole library" in err
    assert "unknown challenge 'skills-shortage'" in out


def test_changed_refuses_what_it_cannot_do(repo, capsys):
    code, _, err = run(repo, capsys, "check", "--changed", "--base", "no-such-ref")
    assert code == 2 and "unknown git ref 'no-such-ref'" in err
    code, _, err = run(repo, capsys, "check", "--base", "HEAD")
    assert code == 2 and "--base goes with --changed" in err
    code, _, err = run(repo, capsys, "check", "--changed", "content/organisations")
    assert code == 2 and "not both" in err
    shutil.rmtree(repo / ".git")
    code, _, err = run(repo, capsys, "check", "--changed")
    assert code == 2 and "needs a git repository" in err


# -- links that invite contributions --------------------------------------------------------------
def mkdocs_config(**overrides):
    from mkdocs.config import load_config

    return load_config(str(ROOT / "mkdocs.yml"), **overrides)


def test_edit_link_is_the_one_mkdocs_computes():
    from mkdocs.structure.files import File
    from mkdocs.structure.pages import Page

    from knowledgehub.site.contribute import contribute_links

    config = mkdocs_config(repo_url="https://github.com/example/hub", edit_uri="edit/main/content/")
    src = "case-studies/pressure-management.md"
    page = Page(None, File(src, config.docs_dir, config.site_dir, config.use_directory_urls), config)
    links = contribute_links(config, src)
    assert (
        links["edit_url"]
        == page.edit_url
        == "https://github.com/example/hub/edit/main/content/case-studies/pressure-management.md"
    )
    assert links["suggest_url"] == "https://github.com/example/hub/issues/new?template=case-study.yml"
    assert links["contributing_url"] == "https://github.com/example/hub/blob/main/CONTRIBUTING.md"
    assert links["repo_url"] == "https://github.com/example/hub"
    assert contribute_links(config, None)["edit_url"] is None


def test_suggest_url_from_extra_and_no_repository():
    from knowledgehub.site.contribute import contribute_links

    config = mkdocs_config(extra={"hub": {"suggest_url": "https://example.org/share-a-case"}})
    assert contribute_links(config, "index.md")["suggest_url"] == "https://example.org/share-a-case"
    bare = {"repo_url": None, "edit_uri": None, "extra": {}}
    assert contribute_links(bare, "case-studies/x.md") == {
        "edit_url": None,
        "suggest_url": None,
        "contributing_url": None,
        "repo_url": None,
    }
    gitlab = {"repo_url": "https://gitlab.com/example/hub", "edit_uri": "-/edit/main/content/"}
    links = contribute_links(gitlab, "events/x.md")
    assert links["edit_url"] == "https://gitlab.com/example/hub/-/edit/main/content/events/x.md"
    assert links["suggest_url"] == "https://gitlab.com/example/hub/issues"
    template = {"repo_url": "https://github.com/example/hub", "edit_url_template": "blob/main/content/{path}"}
    assert (
        contribute_links(template, "events/x.md")["edit_url"]
        == "https://github.com/example/hub/blob/main/content/events/x.md"
    )
