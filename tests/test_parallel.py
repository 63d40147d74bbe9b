"""Work spread over processes gives what one process gives: the entry pages rendered
by forked workers, and the library checked by a pool that sends back slim entries."""

from __future__ import annotations

import os
import signal
import textwrap
from pathlib import Path

import pytest

from knowledgehub.library import load as catalog
from knowledgehub.library.load import load_library
from knowledgehub.model.project import Project
from knowledgehub.site.build import build_site

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="workers are forked")

# files that carry the build time, and Pagefind's bundle (its file names are hashes of
# an index whose page order depends on thread timing)
_TIMESTAMPED = {"catalog.json", "calendar.ics", "feed.xml", "sitemap.xml.gz", ".hub-build.json"}


def write(project: Path, rel: str, text: str) -> Path:
    path = project / "content" / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return path


def build(project: Path, out: Path, workers: int, monkeypatch) -> int:
    monkeypatch.setenv("HUB_RENDER_WORKERS", str(workers))
    return build_site(Project.find(config_file=project / "mkdocs.yml"), site_dir=out)


def previous_site(tmp_path: Path) -> Path:
    """A site folder from an earlier build, which a failed build must leave as it was."""
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("the previous site")
    return site


def site_files(site: Path) -> dict[str, bytes]:
    found = {}
    for path in sorted(site.rglob("*")):
        rel = path.relative_to(site).as_posix()
        if (
            path.is_file()
            and not rel.startswith("pagefind/")
            and path.name not in _TIMESTAMPED
            and not rel.startswith(("ics/", "feeds/"))
        ):
            found[rel] = path.read_bytes()
    return found


def test_pages_rendered_by_workers_are_the_pages_one_process_renders(
    project_copy, tmp_path, monkeypatch, capsys
):
    assert build(project_copy, tmp_path / "serial", 0, monkeypatch) == 0
    serial_log = capsys.readouterr().err
    assert build(project_copy, tmp_path / "parallel", 3, monkeypatch) == 0
    parallel_log = capsys.readouterr().err
    assert "Rendering" not in serial_log
    entries = len(load_library(Project.find(config_file=project_copy / "mkdocs.yml")).entries)
    assert f"Rendering {entries} entry pages in 3 processes" in parallel_log
    assert "Page skipped" not in parallel_log
    serial, parallel = site_files(tmp_path / "serial"), site_files(tmp_path / "parallel")
    assert sorted(serial) == sorted(parallel)
    html = [rel for rel in serial if rel.endswith(".html")]
    assert len(html) > entries
    different = [rel for rel in serial if serial[rel] != parallel[rel]]
    assert different == []
    # the search index covers every entry either way
    assert f"Search index: {entries} pages" in serial_log
    assert f"Search index: {entries} pages" in parallel_log


def test_a_broken_link_in_an_entry_a_worker_renders_fails_the_strict_build(
    project_copy, tmp_path, monkeypatch, capsys
):
    write(
        project_copy,
        "case-studies/broken-link.md",
        """
        ---
        title: A case study with a broken link
        summary: Its body links to an entry that does not exist.
        date: "2020-01-01"
        countries: [ZA]
        themes: [water-loss]
        sources: [{title: A test report, year: 2020}]
        ---
        See [the missing study](no-such-study.md) and [the section](../organisations/mile.md#no-such-anchor).
        """,
    )
    site = previous_site(tmp_path)
    assert build(project_copy, site, 2, monkeypatch) == 1
    err = capsys.readouterr().err
    assert "Rendering" in err
    # each warning printed once, by the main process, and counted by strict mode
    assert err.count("contains a link 'no-such-study.md'") == 1
    assert err.count("does not contain an anchor '#no-such-anchor'") == 1
    assert "case-studies/broken-link.md" in err
    assert "Aborted with 2 warnings in strict mode" in err
    assert (site / "index.html").read_text() == "the previous site"
    assert sorted(p.name for p in site.iterdir()) == ["index.html"]


def _fail_on(monkeypatch, slug: str, action):
    from knowledgehub.site.render import Renderer

    original = Renderer.render_entry

    def render_entry(self, entry, url):
        if entry.slug == slug:
            action()
        return original(self, entry, url)

    monkeypatch.setattr(Renderer, "render_entry", render_entry)


def test_an_error_in_a_worker_fails_the_build_and_keeps_the_old_site(
    project_copy, tmp_path, monkeypatch, capsys
):
    def explode():
        raise ValueError("the renderer broke on this entry")

    _fail_on(monkeypatch, "mile", explode)
    site = previous_site(tmp_path)
    assert build(project_copy, site, 2, monkeypatch) == 1
    err = capsys.readouterr().err
    assert "organisations/mile.md" in err
    assert "Rendering the entry pages failed: ValueError: the renderer broke on this entry" in err
    assert "Traceback" not in err
    assert (site / "index.html").read_text() == "the previous site"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["hub", "site"], "the staging folder was left behind"


def test_a_worker_that_is_killed_fails_the_build_and_keeps_the_old_site(
    project_copy, tmp_path, monkeypatch, capsys
):
    _fail_on(monkeypatch, "mile", lambda: os.kill(os.getpid(), signal.SIGKILL))
    site = previous_site(tmp_path)
    assert build(project_copy, site, 2, monkeypatch) == 1
    err = capsys.readouterr().err
    assert "did not finish: it was stopped by signal 9" in err
    assert "Traceback" not in err
    assert (site / "index.html").read_text() == "the previous site"


def test_the_check_pool_reports_what_one_process_reports(project_copy, monkeypatch):
    # references that do not resolve, point at drafts, or repeat an id, at the top
    # level and inside items; checked by the pool (slim entries) and by one process
    write(
        project_copy,
        "case-studies/refs-one.md",
        """
        ---
        title: References one
        summary: Points at an organisation that does not exist.
        date: "2020-01-01"
        countries: [ZA]
        themes: [water-loss]
        organisations: [mile, no-such-partner]
        sources: [{title: A test report, year: 2020}]
        ---
        Body.
        """,
    )
    write(
        project_copy,
        "organisations/draft-partner.md",
        """
        ---
        title: A partner not yet published
        summary: Still a draft.
        kind: utility
        country: ZA
        status: draft
        sources: [{title: A test report, year: 2020}]
        ---
        Body.
        """,
    )
    write(
        project_copy,
        "case-studies/refs-two.md",
        """
        ---
        title: References two
        summary: Names a draft organisation and a misspelt one.
        date: "2020-01-01"
        countries: [ZA]
        themes: [water-loss]
        organisations: [draft-partner, mlie]
        sources: [{title: A test report, year: 2020}]
        ---
        Body.
        """,
    )
    write(
        project_copy,
        "programmes/refs-three.md",
        """
        ---
        title: References three
        summary: A milestone at an event that does not exist.
        lead: [mile]
        milestones:
          - date: "2010-01"
            text: It started.
          - date: "2011-05"
            text: A meeting.
            event: no-such-event
        sources: [{title: A test report, year: 2020}]
        ---
        Body.
        """,
    )
    write(
        project_copy,
        "case-studies/refs-one.md".replace("refs-one", "2020/refs-one"),
        """
        ---
        title: The same id again
        summary: A second file with the id refs-one.
        date: "2020-01-01"
        countries: [ZA]
        themes: [water-loss]
        sources: [{title: A test report, year: 2020}]
        ---
        Body.
        """,
    )
    project = Project.find(config_file=project_copy / "mkdocs.yml")
    monkeypatch.setattr(catalog, "PARALLEL_FROM", 1)
    pooled = load_library(project, with_catalog=False)
    monkeypatch.setattr(catalog, "PARALLEL_FROM", 10**9)
    alone = load_library(project, with_catalog=True)
    assert [p.text() for p in pooled.problems] == [p.text() for p in alone.problems]
    texts = "\n".join(p.text() for p in pooled.problems)
    assert "refers to organisation 'no-such-partner', which does not exist" in texts
    assert "which is a draft" in texts
    assert "refers to organisation 'mlie', which does not exist (did you mean 'mile'?)" in texts
    assert "refers to event 'no-such-event', which does not exist" in texts
    assert "duplicate id 'refs-one'" in texts
    assert pooled.files == alone.files
    # the pool sends back no bodies
    assert all(entry.body == "" for entry in pooled.entries)
