"""Faults a build must survive, tried for real: two builds at once with one of them
killed at random moments, kills during `hub usb`, a full disk, a busy port, and a live
preview whose content turns invalid. Each leaves the old output or a complete new one,
and says what went wrong in one line, without a traceback."""

from __future__ import annotations

import contextlib
import errno
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
import zipfile
from pathlib import Path

import pytest

from knowledgehub.model.project import Project
from knowledgehub.outputs.usb import COMMIT, MARKER, START_PAGE, recover_pair
from knowledgehub.site.output import BuildLock, swap_in

pytestmark = pytest.mark.skipif(not hasattr(os, "killpg"), reason="needs POSIX process groups")

MILE = Path("content") / "organisations" / "mile.md"
# how many faults each test tried and the build survived (printed at the end: pytest -s)
TRIED: dict[str, int] = {}


def hub(
    project: Path, *args: str, env: dict | None = None, timeout: float = 180
) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "knowledgehub.cli", *args],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", **(env or {})},
    )


def start(project: Path, *args: str, env: dict | None = None) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "knowledgehub.cli", *args],
        cwd=project,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", **(env or {})},
    )


def kill(process: subprocess.Popen) -> None:
    if process.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=30)


def retitle(project: Path, mark: str) -> None:
    entry = project / MILE
    text = entry.read_text(encoding="utf-8")
    lines = [
        f"title: {mark} Municipal Institute" if line.startswith("title: ") else line
        for line in text.split("\n")
    ]
    entry.write_text("\n".join(lines), encoding="utf-8")


def entry_pages(project: Path) -> list[str]:
    """Every page an entry of the project gets (all of them published: none is a draft)."""
    pages = []
    for folder in sorted(p for p in (project / "content").iterdir() if p.is_dir()):
        for md in folder.glob("*.md"):
            if md.name != "index.md" and "draft: true" not in md.read_text(encoding="utf-8"):
                pages.append(f"{folder.name}/{md.stem}/index.html")
    return pages


def check_site(site: Path, pages: list[str]) -> str | None:
    """A complete site (every entry page and catalog.json, the two agreeing on the title
    of the entry the test changes): its title mark; None when there is no site yet."""
    if not site.exists():
        return None
    missing = [p for p in ["catalog.json", *pages] if not (site / p).is_file()]
    assert not missing, f"a partial site was published: {missing[:5]}"
    catalog = json.loads((site / "catalog.json").read_text(encoding="utf-8"))
    entries = catalog["entries"] if isinstance(catalog, dict) else catalog
    title = next(e["title"] for e in entries if e.get("id") == "mile")
    assert title in (site / "organisations/mile/index.html").read_text(encoding="utf-8"), "a mixed site"
    return title.split(" ")[0]


def test_concurrent_builds_with_random_kills_never_publish_a_partial_site(project_copy):
    site = project_copy / "site"
    pages = entry_pages(project_copy)
    assert len(pages) > 10
    chance = random.Random(20261201)
    env = {"HUB_LOCK_WAIT": "60"}
    published = None
    tried = 0
    for round_ in range(8):
        retitle(project_copy, f"R{round_}")
        first = start(project_copy, "build", env=env)
        time.sleep(chance.uniform(0, 1.5))
        second = start(project_copy, "build", env=env)
        time.sleep(chance.uniform(0, 2.5))
        victim, survivor = (first, second) if chance.random() < 0.5 else (second, first)
        kill(victim)
        tried += 1
        try:
            survivor.wait(timeout=180)
        finally:
            kill(survivor)
        err = survivor.stderr.read()
        assert "Traceback" not in err, err[-2000:]
        mark = check_site(site, pages)
        if survivor.returncode == 0:
            assert mark == f"R{round_}", "the surviving build said it published, but the site is not its own"
        else:
            assert "another build of" in err, err[-2000:]
        assert mark is None or mark.startswith("R")
        published = mark or published
    done = hub(project_copy, "build")
    assert done.returncode == 0, done.stderr[-3000:]
    assert check_site(site, pages) == "R7"
    assert not list(project_copy.glob(".site-*")), "leftovers of the killed builds were not cleared"
    assert published is not None, "no build ever finished"
    TRIED["concurrent kills"] = tried


def test_a_second_build_waits_then_says_who_is_building(project_copy):
    site = project_copy / "site"
    lock = BuildLock(site)
    # a staging folder of the build that holds the lock: the second build must not touch it
    theirs = project_copy / ".site-site-theirs"
    (theirs / "assets").mkdir(parents=True)
    try:
        began = time.monotonic()
        done = hub(project_copy, "build", env={"HUB_LOCK_WAIT": "1"})
        waited = time.monotonic() - began
    finally:
        lock.release()
    assert done.returncode == 1
    lines = [line for line in done.stderr.splitlines() if "another build" in line]
    assert lines == [
        f"hub: another build of {site} is running (pid {os.getpid()}); try again when it has finished"
    ], done.stderr
    assert "Traceback" not in done.stderr
    assert waited >= 1, "it did not wait for the other build"
    assert (theirs / "assets").is_dir(), "the second build removed the first one's staging folder"
    assert not site.exists()
    assert not (project_copy / ".site-site.lock").exists()
    TRIED["second build while locked"] = 1


def edition_markers(out: Path) -> tuple[str | None, str | None]:
    folder = (out / MARKER).read_text(encoding="utf-8") if (out / MARKER).is_file() else None
    zipped = None
    if out.with_suffix(".zip").is_file():
        with zipfile.ZipFile(out.with_suffix(".zip")) as archive:
            zipped = archive.read(f"{out.name}/{MARKER}").decode("utf-8")
    return folder, zipped


def test_kills_during_usb_never_leave_a_mixed_edition(project_copy):
    out = project_copy / "usb" / "edition"
    done = hub(project_copy, "usb", "-o", str(out))
    assert done.returncode == 0, done.stderr[-3000:]
    first = edition_markers(out)
    assert first[0] is not None and first[0] == first[1]
    began = time.monotonic()
    assert hub(project_copy, "usb", "-o", str(out)).returncode == 0
    seconds = time.monotonic() - began
    chance = random.Random(7)
    tried = finished_later = 0
    for _ in range(8):
        run = start(project_copy, "usb", "-o", str(out))
        time.sleep(chance.uniform(0, seconds * 1.1))
        kill(run)
        tried += 1
        folder, zipped = edition_markers(out)
        assert folder is not None and zipped is not None, "the edition folder or its zip is gone"
        if folder != zipped:
            # killed between the two renames of a committed swap: the next run finishes it
            assert (out.parent / f".site-{out.name}-commit" / COMMIT).is_file()
            recover_pair(out)
            folder, zipped = edition_markers(out)
            finished_later += 1
        assert folder == zipped, "a mixed edition: the folder and the zip are of different builds"
        assert (out / "index.html").is_file() and (out / START_PAGE).is_file(), "an incomplete edition"
    done = hub(project_copy, "usb", "-o", str(out))
    assert done.returncode == 0, done.stderr[-3000:]
    folder, zipped = edition_markers(out)
    assert folder == zipped
    assert sorted(p.name for p in out.parent.iterdir()) == ["edition", "edition.zip"], "temporary files left"
    assert (out.stat().st_mode & 0o777) == 0o755
    assert (out.with_suffix(".zip").stat().st_mode & 0o777) == 0o644
    assert ((out / "index.html").stat().st_mode & 0o777) == 0o644
    TRIED["usb kills"] = tried
    TRIED["usb kills finished by the next run"] = finished_later


def test_a_swap_killed_between_folder_and_zip_is_finished_by_the_next_run(tmp_path):
    out = tmp_path / "edition"
    for where, build in ((out, "old"), (tmp_path / ".site-edition-commit" / "edition", "new")):
        where.mkdir(parents=True)
        (where / MARKER).write_text(json.dumps({"build": build}), encoding="utf-8")
        with zipfile.ZipFile(where.parent / "edition.zip", "w") as archive:
            archive.writestr(f"edition/{MARKER}", json.dumps({"build": build}))
    committed = tmp_path / ".site-edition-commit"
    (committed / COMMIT).write_text(json.dumps({"build": "new"}), encoding="utf-8")
    # killed after the folder was swapped in, before the zip was
    old = swap_in(committed / "edition", out, keep_old=True)
    assert edition_markers(out) == (json.dumps({"build": "new"}), json.dumps({"build": "old"}))
    recover_pair(out)
    assert edition_markers(out) == (json.dumps({"build": "new"}), json.dumps({"build": "new"}))
    assert not committed.exists() and not old.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["edition", "edition.zip"]


def old_site(folder: Path) -> dict[str, bytes]:
    folder.mkdir(parents=True)
    (folder / "index.html").write_text("<p>the old site</p>", encoding="utf-8")
    return {p.name: p.read_bytes() for p in folder.iterdir()}


@pytest.fixture
def small_disk(tmp_path):
    disk = tmp_path / "disk"
    disk.mkdir()
    if shutil.which("mount") is None or os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs needs root and mount(8)")
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(disk)], capture_output=True, text=True
    )
    if mounted.returncode != 0:
        pytest.skip(f"mounting a tmpfs is not permitted here: {mounted.stderr.strip()}")
    try:
        yield disk
    finally:
        subprocess.run(["umount", "-l", str(disk)], capture_output=True, timeout=30)


def test_a_full_disk_is_one_line_and_leaves_the_old_site(project_copy, small_disk):
    site = small_disk / "site"
    before = old_site(site)
    done = hub(project_copy, "build", "-d", str(site))
    assert done.returncode == 1
    assert "Traceback" not in done.stderr, done.stderr[-3000:]
    full = [line for line in done.stderr.splitlines() if "the disk is full" in line]
    assert len(full) == 1, done.stderr[-3000:]
    assert full[0].startswith(f"hub: the disk is full while writing {site}"), "not the file being written"
    assert full[0].endswith(": the previous site was left as it was")
    assert {p.name: p.read_bytes() for p in site.iterdir()} == before
    assert sorted(p.name for p in small_disk.iterdir()) == ["site"], "staging left on the full disk"
    TRIED["full disk (tmpfs)"] = 1


def test_a_write_that_fails_for_lack_of_space_is_one_line(project_copy, tmp_path, capsys, monkeypatch):
    from knowledgehub.outputs import publish
    from knowledgehub.site.build import build_site

    def no_space(catalog, site_dir, *args, **kwargs):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(Path(site_dir) / "catalog.json"))

    started = []

    class Recorded(publish.Indexing):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            started.append(self)

    monkeypatch.setattr(publish, "write_exports", no_space)
    monkeypatch.setattr(publish, "Indexing", Recorded)
    site = tmp_path / "out" / "site"
    before = old_site(site)
    status = build_site(Project.find(config_file=project_copy / "mkdocs.yml"), site_dir=site, quiet=True)
    err = capsys.readouterr().err
    assert status == 1
    lines = [line for line in err.splitlines() if line.startswith("hub:")]
    assert len(lines) == 1 and lines[0].startswith("hub: the disk is full while writing "), err
    assert lines[0].endswith("catalog.json: the previous site was left as it was")
    assert "Traceback" not in err
    assert {p.name: p.read_bytes() for p in site.iterdir()} == before
    assert sorted(p.name for p in site.parent.iterdir()) == ["site"], "staging left behind"
    # Pagefind, started beside the exports, was ended before the staging folder was
    # deleted (else it goes on writing into the folder being deleted)
    assert len(started) == 1 and started[0].process.returncode is not None
    TRIED["ENOSPC in process"] = 1


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_serve_on_a_busy_port_is_one_line(project_copy, tmp_path):
    temp = tmp_path / "temp"
    temp.mkdir()
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = hub(project_copy, "serve", "-a", f"127.0.0.1:{port}", env={"TMPDIR": str(temp)}, timeout=120)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr, done.stderr[-3000:]
    assert done.stderr.strip().splitlines()[-1] == (
        f"hub: 127.0.0.1:{port} is in use; choose another with -a 127.0.0.1:{port + 1}"
    )
    assert list(temp.iterdir()) == [], "the preview left a temporary folder behind"
    TRIED["busy port"] = 1


def fetch(url: str) -> str:
    # a request that hangs fails the test: the preview must always answer
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read().decode("utf-8")


def wait_for(predicate, seconds: float = 90):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = predicate()
        if found:
            return found
        time.sleep(0.3)
    pytest.fail("the preview never showed what was waited for")


def test_serve_keeps_the_last_good_pages_and_shows_the_problems(project_copy):
    port = free_port()
    url = f"http://127.0.0.1:{port}/organisations/mile/"
    server = start(project_copy, "serve", "-a", f"127.0.0.1:{port}")

    def page() -> str | None:
        try:
            return fetch(url)
        except (ConnectionError, urllib.error.URLError) as exc:
            if "timed out" in str(exc):
                raise
            return None

    try:
        good = wait_for(page)
        assert "Municipal Institute of Learning" in good and "hub-preview-problems" not in good
        entry = project_copy / MILE
        text = entry.read_text(encoding="utf-8")
        entry.write_text(text.replace("kind: training-institute", "kind: not-a-kind"), encoding="utf-8")
        shown = wait_for(lambda: (p := page()) and "hub-preview-problems" in p and p)
        assert "content/organisations/mile.md:5: error: unknown organisation kind" in shown, shown[:3000]
        assert "not-a-kind" in shown
        assert "Municipal Institute of Learning" in shown, "the last good page is not served"
        entry.write_text(text, encoding="utf-8")
        fixed = wait_for(lambda: (p := page()) and "hub-preview-problems" not in p and p)
        assert "Municipal Institute of Learning" in fixed
        assert server.poll() is None, "the preview stopped"
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            kill(server)
    err = server.stderr.read()
    assert "Traceback" not in err, err[-3000:]
    TRIED["invalid content in the preview"] = 1


def test_report_faults_tried():
    """Last in the file: how many faults were tried and survived (see pytest -s)."""
    print(f"\nfaults tried and survived: {sum(TRIED.values())} {TRIED}")
