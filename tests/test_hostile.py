"""Hostile contributions.

1. ``hub check`` refuses every fixture in tests/fixtures/hostile/ with the right
   file, line and rule. Each fixture says what it expects with markers:
   ``expect: RULE [RULE...]`` on the offending line (a YAML comment in front
   matter, an HTML comment in a body), or ``expect-next:`` / ``expect@+2:`` for a
   line after the marker (when a comment cannot share the offending line). Files beside
   the entries are checked too (MkDocs publishes every file of content/): FILE_RULES says
   what each gets.
2. Built with the policy switched off (HUB_UNSAFE_SKIP_POLICY=1), the XSS
   payloads in every front-matter field that reaches a page render as inert
   text: no element made of them, no script run, no dialog, nothing fetched
   from outside, and every data file (JSON, XML, CSV, iCalendar) still parses.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, copy_project, serve_folder

from knowledgehub.policy.check import ENV_SKIP, RULES

FIXTURES = ROOT / "tests" / "fixtures" / "hostile"
CONTENT = FIXTURES / "content"
ENTRIES = sorted(CONTENT.rglob("*.md"))
XSS = sorted(CONTENT.glob("*/xss-*.md"))
MARK = re.compile(r"expect(-next|@[+-]\d+)?: ([a-z][a-z \-]*[a-z])")
PNG = (CONTENT / "case-studies" / "files" / "pixel.png").read_bytes()
SITE_NAME = "Water Services Knowledge Hub"

# Files beside the entries (content/case-studies/files/) and the rule each must get;
# the ones not named here must pass. huge.pdf and linked-out.* are made by the test.
FILE_RULES = {
    "not-a-png.png": "policy-file-kind",
    "page.html": "policy-file-kind",
    "tool.exe": "policy-file-kind",
    "with-script.svg": "policy-svg",
    "with-handler.svg": "policy-svg",
    "with-outside-reference.svg": "policy-svg",
    "with-entities.svg": "policy-svg",
    "with-foreign-object.svg": "policy-svg",
    "with-style-element.svg": "policy-svg",
    "with-outside-use.svg": "policy-svg",
    "with-style-url.svg": "policy-svg",
    "with-escaped-url.svg": "policy-svg",
    "with-xhtml-script.svg": "policy-svg",
    "with-animation.svg": "policy-svg",
    "with-stylesheet-instruction.svg": "policy-svg",
    "with-inkscape-editor-data.svg": "policy-svg",
    "huge.pdf": "policy-file-size",
    "linked-out.pdf": "policy-file-outside",
    "linked-out.png": "policy-file-outside",
}


def expectations(path: Path) -> set[tuple[int, str]]:
    """(line, rule) pairs a fixture's markers ask for."""
    expected = set()
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        for match in MARK.finditer(line):
            shift = match.group(1) or ""
            where = number + (1 if shift == "-next" else int(shift[1:]) if shift else 0)
            expected.update((where, rule) for rule in match.group(2).split())
    return expected


def content_rel(path: Path) -> str:
    return "content/" + path.relative_to(CONTENT).as_posix()


def run_hub(project: Path, *args: str, unsafe: bool = False) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != ENV_SKIP}
    if unsafe:
        env[ENV_SKIP] = "1"
    return subprocess.run(
        [sys.executable, "-m", "knowledgehub.cli", *args],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


# -- 1. hub check refuses each hostile case --------------------------------------------


@pytest.fixture(scope="module")
def hostile_project(tmp_path_factory) -> Path:
    """The real library plus every hostile fixture, and the files that are better
    made than stored: a 6 MB PDF and symbolic links leading out of content/."""
    project = copy_project(tmp_path_factory.mktemp("hostile") / "hub")
    shutil.copytree(CONTENT, project / "content", dirs_exist_ok=True)
    files = project / "content" / "case-studies" / "files"
    with open(files / "huge.pdf", "wb") as handle:
        handle.write(b"%PDF-1.4\n")
        handle.truncate(6 * 1024 * 1024)  # sparse: over the 5 MB default limit at no cost
    (project / "secret.pdf").write_bytes(b"%PDF-1.4\n")  # beside content/, not in it
    (project / "secret.png").write_bytes(PNG)
    (files / "linked-out.pdf").symlink_to(project / "secret.pdf")  # absolute link
    (files / "linked-out.png").symlink_to(Path("..", "..", "..", "secret.png"))  # relative link
    return project


@pytest.fixture(scope="module")
def reported(hostile_project) -> list[dict]:
    done = run_hub(hostile_project, "check", "--format", "json")
    assert done.returncode == 1, done.stdout + done.stderr
    assert "Traceback" not in done.stderr
    return json.loads(done.stdout)


@pytest.mark.parametrize("fixture", ENTRIES, ids=[content_rel(p)[8:] for p in ENTRIES])
def test_each_hostile_entry_is_refused_on_its_lines_with_its_rules(reported, fixture):
    expected = expectations(fixture)
    actual = {
        (p["line"], p["rule"])
        for p in reported
        if p["path"] == content_rel(fixture) and p["severity"] == "error"
    }
    assert actual == expected, "\n".join(
        f"{p['line']}: {p['rule']}: {p['message']}" for p in reported if p["path"] == content_rel(fixture)
    )


def test_every_published_file_is_checked(reported, hostile_project):
    folder = hostile_project / "content" / "case-studies" / "files"
    for path in sorted(folder.iterdir()):
        rel = "content/case-studies/files/" + path.name
        actual = {(p["line"], p["rule"]) for p in reported if p["path"] == rel}
        expected = {(1, FILE_RULES[path.name])} if path.name in FILE_RULES else set()
        assert actual == expected, (path.name, actual)


def test_nothing_else_is_reported(reported):
    fixture_paths = {content_rel(p) for p in CONTENT.rglob("*")} | {
        "content/case-studies/files/" + name for name in FILE_RULES
    }
    assert {p["path"] for p in reported} <= fixture_paths, "the real library must stay clean"


def test_every_rule_has_hostile_cases(reported):
    covered = {rule for path in ENTRIES for _, rule in expectations(path)} | set(FILE_RULES.values())
    assert set(RULES) <= covered, set(RULES) - covered
    cases = sum(len(expectations(path)) for path in ENTRIES) + len(FILE_RULES)
    assert cases >= 140, cases  # the closing note quotes the exact number


def test_messages_name_file_line_and_rule(hostile_project):
    done = run_hub(hostile_project, "check", "content/case-studies/body-script.md")
    assert done.returncode == 1
    assert (
        "content/case-studies/body-script.md:12: error: a <script> element is not allowed "
        "(entries may not run scripts: remove it)" in done.stdout
    )
    done = run_hub(hostile_project, "check", "--format", "github", "content/workshops/xss-workshop.md")
    assert (
        "::error file=content/workshops/xss-workshop.md,line=2,title=policy-script::"
        "a <script> element is not allowed (in 'title')" in done.stdout
    )


def test_a_build_refuses_hostile_content(hostile_project):
    done = run_hub(hostile_project, "build")
    assert done.returncode == 1
    assert "content/case-studies/body-script.md:12: error: a <script> element is not allowed" in done.stderr
    assert not (hostile_project / "site").exists()


# -- 2. built with the policy off, the payloads are inert text ---------------------------


def front_matter(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1])


XSS_PAGES = {path: f"{path.parent.name}/{path.stem}/" for path in XSS}


@pytest.fixture(scope="module")
def unsafe_site(tmp_path_factory) -> Path:
    """The real library plus the XSS fixtures (one per type), built with the policy off."""
    project = copy_project(tmp_path_factory.mktemp("unsafe") / "hub")
    for path in XSS:
        shutil.copy(path, project / "content" / path.parent.name / path.name)
    checked = run_hub(project, "check", unsafe=True)
    assert checked.returncode == 0 and "the content policy is switched off" in checked.stdout, (
        checked.stdout + checked.stderr
    )
    done = run_hub(project, "build", unsafe=True)
    assert done.returncode == 0, done.stderr[-4000:]
    return project / "site"


class _Injected(HTMLParser):
    """Payloads that became markup: tags carrying data-pwn, scripts that set
    __pwned, event attributes that do, styles that load from evil.example."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.in_body = False
        self.in_script = False
        self.found: list[tuple[str, int, str]] = []  # (head|body, line, what)

    def _add(self, what: str) -> None:
        self.found.append(("body" if self.in_body else "head", self.getpos()[0], what))

    def handle_starttag(self, tag, attrs):
        if tag == "body":
            self.in_body = True
        # a script that runs (JSON data in <script type="application/json"> does not)
        self.in_script = tag == "script" and (dict(attrs).get("type") or "text/javascript").lower() in (
            "text/javascript",
            "module",
            "application/javascript",
        )
        for name, value in attrs:
            value = value or ""
            if name == "data-pwn":
                self._add(f"<{tag} data-pwn>")
            elif name.startswith("on") and "__pwned" in value:
                self._add(f"<{tag} {name}>")
            elif name == "style" and "evil.example" in value:
                self._add(f"<{tag} style=url(evil)>")
            elif (
                tag in ("base", "form", "iframe", "link", "meta", "img", "image", "use")
                and "evil.example" in value
                and name in ("href", "action", "src", "content")
            ):
                self._add(f"<{tag} {name}=evil>")

    handle_startendtag = handle_starttag

    def handle_endtag(self, tag):
        if tag == "script":
            self.in_script = False

    def handle_data(self, data):
        if self.in_script and "__pwned" in data:
            self._add("<script> that sets __pwned")


def injected(site: Path) -> list[tuple[str, str, int, str]]:
    found = []
    for path in sorted(site.rglob("*.html")):
        parser = _Injected()
        parser.feed(path.read_text(encoding="utf-8"))
        found.extend(
            (part, path.relative_to(site).as_posix(), line, what) for part, line, what in parser.found
        )
    return found


def test_no_payload_becomes_markup_in_any_page_body(unsafe_site):
    assert [f for f in injected(unsafe_site) if f[0] == "body"] == []


def test_no_payload_becomes_markup_in_any_page_head(unsafe_site):
    assert [f for f in injected(unsafe_site) if f[0] == "head"] == []


def test_data_files_stay_well_formed(unsafe_site):
    """JSON, XML (sitemap, feeds), CSV and iCalendar files carry the hostile values as
    data: each still parses, feeds hold them as text (not HTML), and CSV cells cannot
    start a spreadsheet formula (the declaration's title starts with =HYPERLINK)."""
    checked = 0
    for path in sorted(unsafe_site.rglob("*")):
        if not path.is_file() or "pagefind" in path.parts:
            continue
        suffix = path.suffix.lower()
        text = (
            path.read_text(encoding="utf-8")
            if suffix in (".json", ".xml", ".rss", ".atom", ".csv", ".ics")
            else None
        )
        if suffix == ".json":
            json.loads(text)
        elif suffix in (".xml", ".rss", ".atom"):
            root = ET.fromstring(text)
            assert not [e for e in root.iter() if e.tag.endswith("script") or "data-pwn" in e.attrib], path
            # feed readers render RSS descriptions and Atom type="html" as HTML: a payload
            # must reach them only where it is text (Atom's default type)
            as_html = [
                e
                for e in root.iter()
                if e.text
                and "data-pwn" in e.text
                and (
                    e.tag.rsplit("}", 1)[-1] == "description"
                    or e.attrib.get("type", "text") in ("html", "xhtml")
                )
            ]
            assert as_html == [], (path, [e.tag for e in as_html])
        elif suffix == ".csv":
            for row in csv.reader(io.StringIO(text)):
                assert not [
                    cell
                    for cell in row
                    if cell[:1] in ("=", "+", "@")
                    or (cell[:1] == "-" and not re.fullmatch(r"-[\d.,]+", cell))
                ], (path, row)
        elif suffix == ".ics":
            unfolded = re.sub(r"\r?\n[ \t]", "", text)
            assert all(
                re.match(r"^[A-Z][A-Z0-9-]*(;[^:]*)?:", line) for line in unfolded.splitlines() if line
            ), path
        else:
            continue
        checked += 1
    assert (
        checked >= 1
    )  # at least the sitemap; catalog.json/csv, items.csv, calendar.ics and feeds when exports are on


@pytest.fixture(scope="module")
def unsafe_url(unsafe_site):
    url, server = serve_folder(unsafe_site)
    yield url
    server.shutdown()


def visit(page, url: str, wait_for_search: bool = False) -> dict:
    p = page.page
    dialogs: list[str] = []
    p.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    p.goto(url)
    p.wait_for_load_state("load")
    if wait_for_search:
        p.wait_for_function(
            "() => ['results', 'none', 'empty', 'unknown-filter', 'unavailable']"
            ".includes(document.body.dataset.hubSearchState)",
            timeout=15000,
        )
    p.wait_for_timeout(300)  # let late handlers (onerror of broken images) fire
    # a reader unfolds "More details": what is folded is on the page too
    p.evaluate("() => document.querySelectorAll('details').forEach(d => { d.open = true; })")
    return {
        "dialogs": dialogs,
        "pwned": p.evaluate("typeof window.__pwned === 'undefined' ? null : String(window.__pwned)"),
        "elements": p.evaluate(
            "Array.from(document.querySelectorAll('[data-pwn]')).map(e => e.outerHTML.slice(0, 80))"
        ),
        "text": p.evaluate("document.body.innerText"),
    }


def assert_inert(seen: dict, page, site_url: str) -> None:
    assert seen["dialogs"] == [], seen["dialogs"]
    assert seen["pwned"] is None, "a payload ran"
    assert seen["elements"] == [], seen["elements"]
    assert page.outside(site_url) == [], page.outside(site_url)
    assert page.errors == [], page.errors


@pytest.mark.browser
@pytest.mark.parametrize("fixture", XSS, ids=[p.stem for p in XSS])
def test_entry_page_shows_every_payload_as_text(page, unsafe_url, fixture):
    data = front_matter(fixture)
    seen = visit(page, unsafe_url + XSS_PAGES[fixture])
    assert_inert(seen, page, unsafe_url)
    assert page.page.locator("h1").first.inner_text() == data["title"]
    assert page.page.title() == f"{data['title']} - {SITE_NAME}"
    assert page.page.locator(".hub-summary").inner_text() == data["summary"]
    # every hostile value is on the page, as the text it is (web addresses: as links)
    hostile = [v for v in _strings(data) if any(c in v for c in '<>"&{') and not v.startswith("https://")]
    assert len(hostile) >= 3
    missing = [v for v in hostile if v not in seen["text"]]
    assert missing == [], missing
    if fixture.stem == "xss-case-study":
        assert "{{ 7*7 }} and {% raw %} are shown as written" in seen["text"] and "49 and" not in seen["text"]


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


@pytest.mark.browser
def test_entry_page_head_is_inert_as_built(page, unsafe_url):
    assert_inert(
        visit(page, unsafe_url + XSS_PAGES[CONTENT / "workshops" / "xss-workshop.md"]), page, unsafe_url
    )


BROWSING_PAGES = [
    "",
    "items/",
    "calendar/",
    "themes/water-loss/",
    "themes/partnerships/",
    "countries/za/",
    "organisations/mile/",
    "organisations/",
    "case-studies/",
    "workshops/",
    "declarations/",
    "courses/",
    "events/",
    "programmes/",
    "matchmaking/",
]


@pytest.mark.browser
@pytest.mark.parametrize("path", BROWSING_PAGES, ids=[p or "home" for p in BROWSING_PAGES])
def test_browsing_pages_show_payloads_as_text(page, unsafe_url, path):
    seen = visit(page, unsafe_url + path)
    assert_inert(seen, page, unsafe_url)
    if path not in ("matchmaking/", "themes/water-loss/"):
        assert "</script> Hostile" in seen["text"], (
            "the page should list a hostile entry by its title, as text"
        )


@pytest.mark.browser
def test_search_results_show_payloads_as_text(page, unsafe_url):
    seen = visit(page, unsafe_url + "search/?q=Hostile", wait_for_search=True)
    assert_inert(seen, page, unsafe_url)
    titles = page.page.locator(".hub-search-list .hub-result__title").all_inner_texts()
    assert len([t for t in titles if "<script data-pwn>" in t]) >= 7, titles
    # filters built from hostile values (the organisation's acronym) are text too
    assert "<script data-pwn>window.__pwned=1</script>" in page.page.locator(".hub-filters").inner_text()
    # the header box, as you type
    p = page.page
    p.locator("#hub-search-input").fill("hostile summary")
    p.wait_for_selector("#hub-search-results .hub-result", timeout=10000)
    p.wait_for_timeout(300)
    assert p.evaluate("typeof window.__pwned") == "undefined"
    assert p.evaluate("document.querySelectorAll('[data-pwn]').length") == 0
    assert page.outside(unsafe_url) == []
