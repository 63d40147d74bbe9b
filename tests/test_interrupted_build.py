"""Nothing lost: a `hub build` killed half-way (SIGKILL, no chance to clean up)
leaves the previous site byte for byte as it was, and the next build clears the
staging folder the killed one left behind and swaps in a complete new site."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(not hasattr(os, "killpg"), reason="needs POSIX process groups")


def snapshot(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def hub_build(project: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "knowledgehub.cli", "build"],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=600,
    )


def staging_folders(project: Path) -> list[Path]:
    return sorted(p for p in project.glob(".site-site-*") if p.is_dir())


def kill_when(project: Path, written: str) -> Path | None:
    """Start `hub build` and SIGKILL it (with Pagefind, in its process group) as soon as
    its staging folder holds ``written`` ("*": any file). The staging folder it was
    killed in, or None when the build finished first."""
    build = subprocess.Popen(
        [sys.executable, "-m", "knowledgehub.cli", "build"],
        cwd=project,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline and build.poll() is None:
            for staged in staging_folders(project):
                found = (
                    next(staged.rglob("*"), None)
                    if written == "*"
                    else (staged / written if (staged / written).exists() else None)
                )
                if found is not None:
                    os.killpg(build.pid, signal.SIGKILL)
                    build.wait()
                    return staged
            time.sleep(0.001)
        return None
    finally:
        if build.poll() is None:
            os.killpg(build.pid, signal.SIGKILL)
            build.wait()


@pytest.mark.parametrize(
    "written", ["*", "index.html", "sitemap.xml"], ids=["first-file", "home-page", "all-pages"]
)
def test_killed_build_leaves_the_old_site_and_the_next_build_cleans_up(project_copy, written):
    assert hub_build(project_copy).returncode == 0
    site = project_copy / "site"
    entry = project_copy / "content" / "organisations" / "mile.md"
    for attempt in range(5):
        old = snapshot(site)
        assert old, "the first build wrote nothing"
        # a change, so that a finished new build would differ from the old site
        entry.write_text(
            entry.read_text(encoding="utf-8").replace("title: ", f"title: Changed {attempt} ", 1),
            encoding="utf-8",
        )
        staged = kill_when(project_copy, written)
        if staged is not None:
            break  # killed mid-way; otherwise the build won the race: try again from its site
    else:
        pytest.fail("every build finished before it could be killed")
    assert staged.exists(), "the killed build's staging folder is left behind"
    assert snapshot(site) == old, "the site changed under a killed build"
    assert not (project_copy / "site.tmp").exists()

    done = hub_build(project_copy)
    assert done.returncode == 0, done.stderr[-3000:]
    assert staging_folders(project_copy) == [], "the next build clears stale staging folders"
    assert not list(project_copy.glob(".site-*")), list(project_copy.glob(".site-*"))
    new = snapshot(site)
    assert new != old and f"Changed {attempt}" in new["organisations/mile/index.html"].decode("utf-8")
    assert "pagefind/pagefind.js" in new, "the new site is complete, search index included"


def test_a_site_a_killed_swap_left_aside_is_back_even_when_the_next_build_fails(project_copy):
    """Where the system cannot swap two folders in one step, a kill between the swap's two
    renames leaves the old site aside; the next build puts it back first, so a build that
    then fails (invalid content) still leaves the old site in place."""
    assert hub_build(project_copy).returncode == 0
    site = project_copy / "site"
    old = snapshot(site)
    os.replace(site, project_copy / ".site-site-old-99999")  # as a kill between the renames leaves it
    entry = project_copy / "content" / "organisations" / "mile.md"
    entry.write_text(
        entry.read_text(encoding="utf-8").replace("kind: training-institute", "kind: not-a-kind"),
        encoding="utf-8",
    )
    done = hub_build(project_copy)
    assert done.returncode == 1 and "unknown organisation kind" in done.stderr
    assert snapshot(site) == old, "the site left aside by a killed swap was not put back"
    assert not list(project_copy.glob(".site-*")), list(project_copy.glob(".site-*"))


def test_output_folders_and_files_are_readable_by_other_users(project_copy):
    """A web server running as another user must read the site: 0755 folders, 0644 files."""
    assert hub_build(project_copy).returncode == 0
    site = project_copy / "site"
    assert (site.stat().st_mode & 0o777) == 0o755
    assert (site / "catalog.json").stat().st_mode & 0o777 == 0o644
    assert (site / "index.html").stat().st_mode & 0o777 == 0o644
