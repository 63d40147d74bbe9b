"""Editors' working notes (``show: preview`` fields, such as ``editor_notes``): shown in the
live preview in a box marked "not published", and nowhere in what a build publishes — the
pages, the USB edition, the search indexes, the feeds, the exports, a printed page."""

from __future__ import annotations

import contextlib
import gzip
import json
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from conftest import ROOT, copy_project

from knowledgehub.model.project import Project
from knowledgehub.site.build import build_site

ENTRY = "organisations/government-of-india"
ENTRY_URL = ENTRY + "/"


def _notes(library) -> dict[str, str]:
    """Page URL → the editors' notes of every shipped entry that has some."""
    found = {}
    for entry in library.catalog.published:
        for _name, value in entry.preview_notes:
            found[entry.url()] = " ".join(str(value).split())
    return found


def _phrases(library) -> list[str]:
    """A distinctive stretch of every note (its first line, which no page says)."""
    return [note[:60] for note in _notes(library).values()]


def _readable(path: Path) -> str:
    raw = path.read_bytes()
    if raw[:2] == b"\x1f\x8b":  # Pagefind's index and fragments are gzipped
        with contextlib.suppress(OSError):
            raw = gzip.decompress(raw)
    return " ".join(raw.decode("utf-8", "replace").split())


def _files_holding(folder: Path, phrases: list[str]) -> list[str]:
    return sorted(
        f"{path.relative_to(folder)}: {phrase}"
        for path in folder.rglob("*")
        if path.is_file() and path.suffix not in (".png", ".jpg", ".zip", ".pdf", ".woff2")
        for phrase in phrases
        if phrase in _readable(path)
    )


def test_the_shipped_library_keeps_notes_in_the_field(library):
    notes = _notes(library)
    assert len(notes) >= 3, notes
    # the published catalog entry never hands them on
    entry = library.catalog.get(library.catalog.model.organisation_type, "government-of-india")
    names = [name for name, _ in entry.preview_notes]
    assert names and not set(names) & set(entry.data) and set(names) <= set(entry.source.data)


def test_no_published_file_carries_the_notes(built_site, library):
    phrases = _phrases(library)
    assert _files_holding(built_site, phrases) == []
    page = (built_site / ENTRY_URL / "index.html").read_text(encoding="utf-8")
    assert "hub-editor-notes" not in page and "not published" not in page
    # the reader-facing wording stays on the page
    assert "not named in the" in " ".join(page.split())
    catalog = json.loads((built_site / "catalog.json").read_text(encoding="utf-8"))
    assert all("editor_notes" not in e["front_matter"] for e in catalog["entries"])
    schema = json.loads((built_site / "catalog.schema.json").read_text(encoding="utf-8"))
    assert all("editor_notes" not in d.get("properties", {}) for d in schema["$defs"].values())


@pytest.fixture(scope="module")
def usb_copy(tmp_path_factory):
    from knowledgehub.outputs.usb import build_usb

    out = tmp_path_factory.mktemp("usb-notes") / "hub-usb"
    assert build_usb(Project.find(config_file=ROOT / "mkdocs.yml"), out, quiet=True) == 0
    return out


def test_the_usb_edition_and_its_search_index_carry_no_notes(usb_copy, library):
    assert (usb_copy / "START-HERE.html").is_file()
    assert _files_holding(usb_copy, _phrases(library)) == []


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def preview(tmp_path_factory):
    """`hub serve` on the shipped content, as an editor runs it."""
    port = _free_port()
    log = tmp_path_factory.mktemp("serve") / "serve.log"
    with open(log, "wb") as out:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "knowledgehub.cli",
                "-f",
                str(ROOT / "mkdocs.yml"),
                "serve",
                "-a",
                f"127.0.0.1:{port}",
            ],
            cwd=ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(base + ENTRY_URL) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"hub serve did not start:\n{log.read_text(errors='replace')[-2000:]}")
            time.sleep(0.5)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_the_preview_shows_the_notes_in_a_marked_box(browser, preview, library):
    note = _notes(library)[ENTRY_URL]
    context = browser.new_context(viewport={"width": 390, "height": 844})
    try:
        page = context.new_page()
        page.goto(preview + ENTRY_URL)
        box = page.locator("aside.hub-editor-notes")
        assert box.count() == 1 and box.is_visible()
        assert box.locator("strong").inner_text() == "Editors' notes (not published)"
        assert " ".join(box.inner_text().split()).endswith(note)
        assert box.get_attribute("data-pagefind-ignore") == "all"
        # not among the facts, and not on a printed page
        assert note[:40] not in " ".join(page.locator(".hub-facts").all_inner_texts())
        page.emulate_media(media="print")
        assert not box.is_visible()
        # an entry without notes has no box
        page.emulate_media(media="screen")
        page.goto(preview + "events/mile-water-services-master-class-1/")
        assert page.locator(".hub-editor-notes").count() == 0
    finally:
        context.close()


def test_a_build_with_the_preview_switch_shows_them_and_one_without_does_not(tmp_path, monkeypatch, library):
    project = Project.find(config_file=copy_project(tmp_path / "hub") / "mkdocs.yml")
    monkeypatch.setenv("HUB_PREVIEW", "1")
    assert build_site(project, site_dir=tmp_path / "preview", quiet=True) == 0
    shown = (tmp_path / "preview" / ENTRY_URL / "index.html").read_text(encoding="utf-8")
    assert "Editors&#39; notes (not published)" in shown or "Editors' notes (not published)" in shown
    assert _notes(library)[ENTRY_URL][:60] in " ".join(shown.split())
    # the search for them finds them where they are (so that its finding nothing elsewhere counts),
    # and even here only on the entry pages
    holding = _files_holding(tmp_path / "preview", _phrases(library))
    assert holding and all(h.split(":")[0].endswith("index.html") for h in holding), holding


def test_hub_check_validates_the_notes_like_any_field(tmp_path, capsys):
    from knowledgehub.cli import main

    root = copy_project(tmp_path / "hub")
    path = root / "content/organisations/government-of-india.md"
    text = path.read_text(encoding="utf-8")
    assert "editor_notes: |\n" in text
    start = text.index("editor_notes: |\n")
    end = text.index("\n---\n", start)
    path.write_text(text[:start] + "editor_notes:\n  - not: text" + text[end:], encoding="utf-8")
    line = path.read_text(encoding="utf-8").splitlines().index("editor_notes:") + 1
    assert main(["-f", str(root / "mkdocs.yml"), "check"]) == 1
    out = capsys.readouterr().out
    assert f"government-of-india.md:{line}:" in out and "editor_notes" in out, out
