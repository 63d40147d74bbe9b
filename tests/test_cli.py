"""The hub command as a contributor meets it."""

import os
import subprocess
import sys

from knowledgehub.cli import main


def run_hub(project, *args):
    return subprocess.run(
        [sys.executable, "-m", "knowledgehub.cli", *args],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_on_shipped_content_exits_0(project_copy):
    done = run_hub(project_copy, "check")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no problems" in done.stderr


def test_check_reports_all_four_classic_mistakes(project_copy):
    content = project_copy / "content"
    # 1. a misspelt theme
    course = content / "courses/iwsd-community-engagement-customer-care.md"
    text = course.read_text()
    course.write_text(text.replace("customer-care", "custmer-care", 1))
    theme_line = (
        text.splitlines().index(
            next(line for line in text.splitlines() if "customer-care" in line and line.startswith("themes"))
        )
        + 1
    )
    # 2. a missing required field
    event = content / "events/mile-water-services-master-class-1.md"
    lines = event.read_text().splitlines(keepends=True)
    event.write_text("".join(line for line in lines if not line.startswith("summary:")))
    # 3. a dangling organisation reference
    declaration = content / "declarations/chennai-declaration-india-wops-2011.md"
    dlines = declaration.read_text().splitlines()
    org_line = next(i for i, line in enumerate(dlines, 1) if line.startswith("organisations:"))
    dlines[org_line - 1] = "organisations: [cec, no-such-partner]"
    declaration.write_text("\n".join(dlines) + "\n")
    # 4. malformed YAML
    org = content / "organisations/salga.md"
    olines = org.read_text().splitlines()
    olines[1] = "title: SALGA: the association"
    org.write_text("\n".join(olines) + "\n")

    done = run_hub(project_copy, "check")
    assert done.returncode == 1
    out = done.stdout
    assert (
        f"content/courses/iwsd-community-engagement-customer-care.md:{theme_line}: "
        "error: unknown theme 'custmer-care' (did you mean 'customer-care'?)" in out
    )
    assert (
        "content/events/mile-water-services-master-class-1.md:1: error: missing required field 'summary'"
        in out
    )
    assert (
        f"content/declarations/chennai-declaration-india-wops-2011.md:{org_line}: "
        "error: 'organisations[2]' refers to organisation 'no-such-partner', which does not exist" in out
    )
    assert (
        "content/organisations/salga.md:2: error: malformed YAML in front matter: "
        "mapping values are not allowed" in out
    )
    assert len(out.strip().splitlines()) == 4, out
    assert "Traceback" not in done.stderr


def test_check_selected_paths_only(project_copy):
    bad = project_copy / "content/case-studies/broken.md"
    bad.write_text("no front matter\n")
    done = run_hub(project_copy, "check", "content/organisations")
    assert done.returncode == 0, done.stdout
    done = run_hub(project_copy, "check", "content/case-studies/broken.md")
    assert done.returncode == 1 and "content/case-studies/broken.md:1: error: no front matter" in done.stdout


def test_check_missing_path_and_no_project(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["check"]) == 2
    assert "no mkdocs.yml" in capsys.readouterr().err


def test_a_build_to_publish_refuses_a_localhost_address(project_copy):
    env = {k: v for k, v in os.environ.items() if k != "HUB_SITE_URL"}
    done = subprocess.run(
        [sys.executable, "-m", "knowledgehub.cli", "build", "--publish"],
        cwd=project_copy,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 2
    assert "hub: " in done.stderr and "HUB_SITE_URL" in done.stderr and "Traceback" not in done.stderr
    assert not (project_copy / "site").exists()
    env["HUB_SITE_URL"] = "https://hub.example.org/water/"
    done = subprocess.run(
        [sys.executable, "-m", "knowledgehub.cli", "build", "--publish"],
        cwd=project_copy,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert 'href="https://hub.example.org/water/' in (project_copy / "site" / "index.html").read_text(
        encoding="utf-8"
    )
