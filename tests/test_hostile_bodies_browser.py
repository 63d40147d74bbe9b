"""With the policy's checks switched off, the sanitizer and the Content-Security-Policy alone
hold: every hostile body (tests/fixtures/hostile/content/*/body-*.md, the page outside the
type folders and the attachments beside them) is built into a site with
HUB_UNSAFE_SKIP_POLICY=1, and then

- read as a browser reads it (html5lib), no page carries a script, an event handler, a
  script address or an outside resource from content;
- opened in Chromium at 390x844, no page runs anything (no dialog, no __pwned), asks
  anything of another site, or lets content cover it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import html5lib
import pytest
from conftest import RecordingPage, copy_project, serve_folder

ROOT = Path(__file__).resolve().parent.parent
HOSTILE = ROOT / "tests" / "fixtures" / "hostile" / "content"
BODIES = sorted(HOSTILE.glob("*/body-*.md")) + sorted(HOSTILE.glob("page-outside-*.md"))
ENV_SKIP = "HUB_UNSAFE_SKIP_POLICY"
SCRIPT_SCHEMES = ("javascript:", "vbscript:", "data:text/html")


def page_of(path: Path) -> str:
    rel = path.relative_to(HOSTILE)
    return f"{rel.with_suffix('').as_posix()}/"


@pytest.fixture(scope="module")
def unsafe_bodies(tmp_path_factory) -> Path:
    project = copy_project(tmp_path_factory.mktemp("unsafe-bodies") / "hub")
    for path in BODIES:
        target = project / "content" / path.relative_to(HOSTILE)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(path, target)
    shutil.copytree(HOSTILE / "case-studies" / "files", project / "content" / "case-studies" / "files")
    # missing files and outside links are warnings MkDocs would stop a strict build for
    config = project / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace("strict: true", "strict: false"), encoding="utf-8"
    )
    env = dict(os.environ, **{ENV_SKIP: "1", "NO_MKDOCS_2_WARNING": "1"})
    done = subprocess.run(
        [sys.executable, "-m", "knowledgehub.cli", "build"],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-4000:]
    assert "Traceback" not in done.stderr
    return project / "site"


def test_every_hostile_body_is_published_so_the_test_means_something(unsafe_bodies):
    missing = [page_of(p) for p in BODIES if not (unsafe_bodies / page_of(p) / "index.html").is_file()]
    assert missing == []
    assert len(BODIES) >= 30


@pytest.mark.parametrize("path", BODIES, ids=lambda p: p.stem)
def test_no_hostile_body_becomes_active_markup(unsafe_bodies, path):
    html = (unsafe_bodies / page_of(path) / "index.html").read_text(encoding="utf-8")
    here = "https://hub.example.org/" + page_of(path)
    article = html[html.index("<article") : html.index("</article>")]
    for el in html5lib.parseFragment(article, namespaceHTMLElements=False).iter():
        if not isinstance(el.tag, str):
            continue
        assert el.tag.rsplit(":", 1)[-1].lower() not in {
            "script",
            "iframe",
            "object",
            "embed",
            "frame",
            "base",
            "meta",
            "link",
            "form",
            "plaintext",
            "foreignobject",
        }
        for name, value in el.attrib.items():
            name = (name if isinstance(name, str) else name[1]).lower()
            assert not name.startswith("on"), (el.tag, name)
            if name in ("href", "src", "action", "formaction", "srcset", "poster", "xlink:href"):
                assert not "".join(value.split()).lower().startswith(SCRIPT_SCHEMES), (el.tag, name, value)
            if name in ("src", "srcset", "poster"):
                assert urlsplit(urljoin(here, value.strip())).netloc == "hub.example.org", (el.tag, value)
            if name == "style":
                assert "position" not in value and "url(" not in value, value


@pytest.fixture(scope="module")
def unsafe_url(unsafe_bodies):
    url, server = serve_folder(unsafe_bodies)
    yield url
    server.shutdown()


POINTS = [(195, 422), (20, 200), (370, 200), (195, 800), (195, 120)]


@pytest.mark.browser
@pytest.mark.parametrize("path", BODIES, ids=lambda p: p.stem)
def test_hostile_body_page_is_inert_in_chromium(browser, unsafe_url, path):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    recorder = RecordingPage(page)
    page.goto(unsafe_url + page_of(path))
    page.wait_for_load_state("load")
    page.wait_for_timeout(200)
    assert dialogs == []
    assert page.evaluate("() => window.__pwned === undefined && window.pwned === undefined")
    assert recorder.outside(unsafe_url) == []
    # nothing from content covers the page: the element at each point is not fixed or
    # absolutely placed content
    covered = page.evaluate(
        """(points) => points.map(([x, y]) => {
            for (let el = document.elementFromPoint(x, y); el; el = el.parentElement) {
                const inArticle = el.closest('article');
                const pos = getComputedStyle(el).position;
                const placed = pos === 'fixed' || pos === 'absolute' || pos === 'sticky';
                if (inArticle && placed) return el.outerHTML.slice(0, 80);
            }
            return null;
        })""",
        POINTS,
    )
    assert [c for c in covered if c] == []
    context.close()
