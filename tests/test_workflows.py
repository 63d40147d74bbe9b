"""The GitHub workflows: actionlint finds nothing in any of them (and does find a broken
copy), and the submission workflow reads an issue as text only, with the least
permissions, replies on the issue and credits its author in the pull request. Its steps
are run here in a copy of the project, as the runner runs them."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, copy_project
from test_repo_conventions import assert_hub_command_parses, run_lines, steps, workflow

WORKFLOWS = ROOT / ".github/workflows"
ISSUES = ROOT / "tests/fixtures/issues"


def actionlint() -> str:
    found = Path(sys.executable).parent / "actionlint"
    path = str(found) if found.is_file() else shutil.which("actionlint")
    assert path, "actionlint is installed with the test extra (pip install -e '.[test]')"
    return path


def lint(*paths: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [actionlint(), "-no-color", *map(str, paths)], capture_output=True, text=True, check=False
    )


@pytest.mark.parametrize("path", sorted(WORKFLOWS.glob("*.yml")), ids=lambda p: p.name)
def test_actionlint_finds_nothing(path):
    done = lint(path)
    assert done.returncode == 0, done.stdout + done.stderr


def test_actionlint_finds_a_broken_copy(tmp_path):
    """The lint is not a formality: the issue's text pasted into a command, a step with a
    misspelt key, or an expression that does not parse is found."""
    text = (WORKFLOWS / "from-issue.yml").read_text(encoding="utf-8")
    folder = tmp_path / ".github/workflows"
    folder.mkdir(parents=True)
    broken = {
        "injected": text.replace(
            "printf '%s\\n' \"$ISSUE_BODY\"", 'echo "${{ github.event.issue.body }}"', 1
        ),
        "misspelt": text.replace("    runs-on: ubuntu-latest", "    run-on: ubuntu-latest", 1),
        "expression": text.replace("${{ !cancelled() }}", "${{ !cancelled( }}", 1),
    }
    for name, changed in broken.items():
        assert changed != text, name
        copy = folder / f"{name}.yml"
        copy.write_text(changed, encoding="utf-8")
        done = lint(copy)
        assert done.returncode != 0, name
        assert f"{name}.yml" in done.stdout, done.stdout
    assert "untrusted" in lint(folder / "injected.yml").stdout


def test_the_submission_workflow_runs_on_submissions_with_least_permissions():
    data = workflow("from-issue.yml")
    assert data["on"] == {"issues": {"types": ["opened", "edited", "labeled"]}}
    assert data["permissions"] == {}
    (job,) = data["jobs"].values()
    assert "contains(github.event.issue.labels.*.name, 'submission')" in job["if"]
    assert "follow-up" not in job["if"]  # progress reports go the same way
    assert job["permissions"] == {"contents": "write", "issues": "write", "pull-requests": "write"}
    assert job["env"]["ISSUE_BODY"] == "${{ github.event.issue.body }}"
    for step in steps(data):
        # nothing from the event is written into a command: it comes in through env
        assert "${{" not in step.get("run", ""), step.get("name")
    # the pull request is opened with the bot's token when there is one, so that its checks run
    assert job["env"]["GH_TOKEN"] == "${{ secrets.HUB_BOT_TOKEN || github.token }}"
    checkout = next(s for s in steps(data) if s.get("uses", "").startswith("actions/checkout"))
    assert checkout["with"]["token"] == job["env"]["GH_TOKEN"]
    uses = [s["uses"].split("@")[0] for s in steps(data) if "uses" in s]
    assert uses == ["actions/checkout", "actions/setup-python"]
    setup = next(s for s in steps(data) if s.get("uses", "").startswith("actions/setup-python"))
    assert str(setup["with"]["python-version"]) == "3.11"
    lines = run_lines(data)
    assert any("pip install" in line and "-e ." in line for line in lines)
    hub_lines = [line for line in lines if line.startswith("hub ")]
    assert any(line.startswith("hub from-issue") for line in hub_lines)
    assert any(line.startswith("hub check") for line in hub_lines)
    for line in hub_lines:
        assert_hub_command_parses(line.rstrip("\\ ").replace("|| status=$?", ""))
    script = "\n".join(s.get("run", "") for s in steps(data))
    # the reply is edited when the issue is (the bot's last comment), or made the first time
    assert 'gh issue comment "$ISSUE_NUMBER" --edit-last --body-file' in script
    assert '|| gh issue comment "$ISSUE_NUMBER" --body-file' in script
    assert "gh pr create" in script and "gh pr edit" in script
    assert 'branch="submission/issue-$ISSUE_NUMBER"' in script
    assert "Co-authored-by: %s <%s+%s@users.noreply.github.com>" in script
    assert "Suggested by @%s in #%s" in script


def run_step(project: Path, name: str, env: dict) -> tuple[subprocess.CompletedProcess, dict]:
    """Run the step called ``name`` of the submission workflow with bash, as a runner does."""
    step = next(s for s in steps(workflow("from-issue.yml")) if s.get("name") == name)
    output = project / "github-output.txt"
    output.write_text("", encoding="utf-8")
    temp = project / "runner-temp"
    temp.mkdir(exist_ok=True)
    environment = {
        **os.environ,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
        "GITHUB_OUTPUT": str(output),
        "RUNNER_TEMP": str(temp),
        **env,
    }
    done = subprocess.run(
        ["bash", "-e", "-o", "pipefail", "-c", step["run"]],
        cwd=project,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    outputs = dict(
        line.split("=", 1) for line in output.read_text(encoding="utf-8").splitlines() if "=" in line
    )
    return done, outputs


@pytest.fixture
def checkout(tmp_path) -> Path:
    project = copy_project(tmp_path / "hub")
    for command in (
        ["git", "init", "--quiet"],
        ["git", "add", "content", "model", "mkdocs.yml"],
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "--quiet", "-m", "start"],
    ):
        subprocess.run(command, cwd=project, check=True, capture_output=True)
    (project / ".gitignore").write_text("runner-temp/\ngithub-output.txt\n", encoding="utf-8")
    return project


def test_the_steps_turn_a_complete_form_into_an_entry(checkout):
    body = (ISSUES / "complete-case-study.md").read_text(encoding="utf-8")
    done, outputs = run_step(checkout, "Read the answers", {"ISSUE_BODY": body, "AUTHOR": "alice"})
    assert done.returncode == 0, done.stderr
    assert outputs == {"entry": "content/case-studies/pressure-management-in-drakenstein.md", "valid": "true"}
    comment = (checkout / "runner-temp/comment.md").read_text(encoding="utf-8")
    assert "@alice" in comment
    checked, _ = run_step(checkout, "Check the entry", {"ENTRY": outputs["entry"]})
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_the_steps_turn_a_progress_report_into_a_pull_request(checkout, tmp_path):
    """The progress form's issue goes the same way: the entry file that gained the record is
    checked, committed alone on the issue's branch, pushed, and a pull request is opened
    crediting the reporter (gh and the remote stand in for GitHub here)."""
    body = (ISSUES / "progress-report.md").read_text(encoding="utf-8")
    done, outputs = run_step(checkout, "Read the answers", {"ISSUE_BODY": body, "AUTHOR": "alice"})
    assert done.returncode == 0, done.stderr
    entry = "content/declarations/chennai-declaration-india-wops-2011.md"
    assert outputs == {"entry": entry, "valid": "true"}
    checked, _ = run_step(checkout, "Check the entry", {"ENTRY": entry})
    assert checked.returncode == 0, checked.stdout + checked.stderr
    remote = tmp_path / "remote.git"
    subprocess.run(["git", "init", "--quiet", "--bare", str(remote)], check=True)
    subprocess.run(["git", "remote", "add", "origin", str(remote)], cwd=checkout, check=True)
    fake = tmp_path / "bin"
    fake.mkdir()
    calls = tmp_path / "gh-calls"
    (fake / "gh").write_text(
        f'#!/bin/bash\nprintf "%s\\n" "$*" >> "{calls}"\n[ "$2" = view ] && exit 1\nexit 0\n',
        encoding="utf-8",
    )
    (fake / "gh").chmod(0o755)
    env = {
        "ENTRY": entry,
        "BASE": "main",
        "ISSUE_NUMBER": "431",
        "ISSUE_TITLE": "Progress: Water Awards",
        "AUTHOR": "alice",
        "AUTHOR_ID": "4242",
        "PATH": f"{fake}{os.pathsep}{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
    }
    opened, _ = run_step(checkout, "Open or update the pull request", env)
    assert opened.returncode == 0, opened.stdout + opened.stderr

    def pushed(*args: str) -> str:
        return subprocess.run(
            ["git", "--git-dir", str(remote), *args], capture_output=True, text=True, check=True
        ).stdout

    assert pushed("show", "--name-only", "--format=", "submission/issue-431").split() == [entry]
    message = pushed("log", "-1", "--format=%B", "submission/issue-431")
    assert message.startswith(f"Update {entry} from issue #431")
    assert "Co-authored-by: alice <4242+alice@users.noreply.github.com>" in message
    made = calls.read_text(encoding="utf-8").splitlines()
    assert made[-1].startswith(
        "pr create --head submission/issue-431 --base main --title Progress: Water Awards"
    )


def test_the_steps_reply_with_problems_and_run_nothing_from_the_issue(checkout, tmp_path):
    trap = tmp_path / "ran"
    body = (ISSUES / "malformed-case-study.md").read_text(encoding="utf-8")
    body = body.replace(
        "Bulawayo supplies", f"$(touch {trap}) `touch {trap}` ${{{{ github.token }}}} Bulawayo supplies"
    )
    done, outputs = run_step(checkout, "Read the answers", {"ISSUE_BODY": body, "AUTHOR": "bob; touch x"})
    assert done.returncode == 0, done.stderr
    assert outputs == {"entry": "", "valid": "false"}
    assert not trap.exists() and not (checkout / "x").exists()
    comment = (checkout / "runner-temp/comment.md").read_text(encoding="utf-8")
    assert "“Atlantis” is not a country we know." in comment
    status = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=all", "--", "content"],
        cwd=checkout,
        capture_output=True,
        text=True,
        check=True,
    )
    assert status.stdout == ""


def test_the_reply_is_made_once_then_edited(checkout, tmp_path):
    """The first run comments on the issue; a run after the issue was edited edits that
    comment rather than adding one more (gh stands in for GitHub here: its --edit-last
    fails while the bot has no comment on the issue, as the real one does)."""
    fake = tmp_path / "bin"
    fake.mkdir()
    comments = tmp_path / "comments"
    comments.mkdir()
    gh = fake / "gh"
    gh.write_text(
        "#!/bin/bash\n"
        f'store="{comments}"\n'
        'body=$(cat "${@: -1}")\n'
        'if [ "$4" = "--edit-last" ]; then\n'
        '  [ -f "$store/1" ] || { echo "no comments found" >&2; exit 1; }\n'
        '  printf "%s" "$body" > "$store/1"\n'
        "else\n"
        '  n=$(( $(ls "$store" | wc -l) + 1 )); printf "%s" "$body" > "$store/$n"\n'
        "fi\n",
        encoding="utf-8",
    )
    gh.chmod(0o755)
    path = f"{fake}{os.pathsep}{os.environ['PATH']}"
    for reply in ("Two answers are missing.", "Thank you: the entry is valid."):
        (checkout / "runner-temp").mkdir(exist_ok=True)
        (checkout / "runner-temp/comment.md").write_text(reply, encoding="utf-8")
        done, _ = run_step(checkout, "Reply on the issue", {"ISSUE_NUMBER": "7", "PATH": path})
        assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in comments.iterdir()) == ["1"]
    assert (comments / "1").read_text(encoding="utf-8") == "Thank you: the entry is valid."


def test_every_form_labels_its_issues_for_the_workflow():
    for path in sorted((ROOT / ".github/ISSUE_TEMPLATE").glob("*.yml")):
        if path.name == "config.yml":
            continue
        assert "submission" in yaml.safe_load(path.read_text(encoding="utf-8"))["labels"], path.name
