"""`hub links`: every internal link, anchor and image of a built site resolves;
external links are listed, and fetched only when asked."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import serve_folder

from knowledgehub.cli import main
from knowledgehub.outputs.links import check_site, detect_base_url


def page(body: str, head: str = "") -> str:
    return f"<!doctype html><html><head><title>t</title>{head}</head><body>{body}</body></html>\n"


@pytest.fixture
def site(tmp_path) -> Path:
    root = tmp_path / "site"
    files = {
        "index.html": page(
            '<a href="guide/">guide</a> <a href="guide/#setup">setup</a> <a href="#top" id="top">top</a>'
            ' <img src="img/logo.png" alt=""> <img srcset="img/logo.png 1x, img/logo.png 2x" alt="">'
            ' <a href="https://example.org/a">ext</a> <a href="mailto:info@example.org">mail</a>'
            ' <a href="http://hub.example/guide/">itself, absolute</a> <a href="search/?q=water">search</a>'
            ' <form action="search/"><input name="q"></form> <a href="">this page</a> <a href="#">top</a>'
            ' <svg><use href="#icon"></use><symbol id="icon"></symbol></svg>',
            head=(
                '<link rel="canonical" href="http://hub.example/">'
                '<link rel="stylesheet" href="assets/site.css">'
            ),
        ),
        "guide/index.html": page(
            '<h2 id="setup">Setup</h2> <a href="../">home</a> <a href="../index.html#top">top</a>'
            ' <a name="old-anchor"></a> <a href="#old-anchor">old</a>'
            ' <a href="../files/report%20one.pdf">report</a>'
        ),
        "search/index.html": page('<a href="../guide/">guide</a>'),
        "assets/site.css": "body{}",
        "img/logo.png": "png",
        "files/report one.pdf": "%PDF",
    }
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    return root


def test_a_sound_site_has_no_broken_links(site):
    report = check_site(site)
    assert report.ok, [b.text() for b in report.broken]
    assert report.pages == 3 and report.internal >= 15
    assert sorted(report.external) == ["https://example.org/a"]
    assert sorted(report.other) == ["mailto:info@example.org"]


def test_the_site_url_comes_from_the_home_pages_canonical_link(site):
    assert detect_base_url(site) == "http://hub.example/"


@pytest.mark.parametrize(
    "link, reason",
    [
        ('<a href="missing/">x</a>', "no page at missing/index.html"),
        ('<a href="guide/gone.html">x</a>', "no file guide/gone.html"),
        ('<img src="img/nope.png" alt="">', "no file img/nope.png"),
        ('<img srcset="img/logo.png 1x, img/big.png 2x" alt="">', "no file img/big.png"),
        ('<a href="guide/#nowhere">x</a>', "no element with id 'nowhere' in guide/index.html"),
        ('<a href="#nowhere">x</a>', "no element with id 'nowhere' on this page"),
        ('<a href="../outside.html">x</a>', "leads outside the site"),
        ('<a href="http://hub.example/missing/">x</a>', "no page at missing/index.html"),
        ('<a href="javascript:alert(1)">x</a>', "a script address is not a link"),
        ('<script src="assets/gone.js"></script>', "no file assets/gone.js"),
    ],
)
def test_each_kind_of_broken_link_is_reported_with_page_and_line(site, link, reason):
    (site / "broken.html").write_text(page("<p>one</p>\n<p>two</p>\n" + link), encoding="utf-8")
    report = check_site(site)
    assert [(b.page, b.line, b.reason) for b in report.broken] == [("broken.html", 3, reason)]


def test_command_exit_codes_and_formats(site, capsys):
    assert main(["links", "--site", str(site)]) == 0
    out = capsys.readouterr().out
    assert "3 pages" in out and "0 broken" in out and "https://example.org/a" in out
    (site / "guide/more.html").write_text(page('<a href="../nowhere/">x</a>'), encoding="utf-8")
    assert main(["links", "--site", str(site), "--format", "json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["broken"] == [
        {
            "page": "guide/more.html",
            "line": 1,
            "url": "../nowhere/",
            "reason": "no page at nowhere/index.html",
        }
    ]
    assert data["external"] == [{"url": "https://example.org/a", "pages": ["index.html"]}]
    assert main(["links", "--site", str(site / "nothing-here")]) == 2
    assert "no built site" in capsys.readouterr().err


def test_external_links_are_fetched_only_when_asked(site, tmp_path):
    served = tmp_path / "elsewhere"
    served.mkdir()
    (served / "ok.html").write_text("ok")
    url, server = serve_folder(served)
    try:
        (site / "search/index.html").write_text(
            page(f'<a href="{url}ok.html">ok</a> <a href="{url}gone.html">gone</a>'), encoding="utf-8"
        )
        assert check_site(site).status == {}
        report = check_site(site, fetch=True, timeout=5)
        assert report.status[f"{url}ok.html"] == "200" and report.status[f"{url}gone.html"] == "404"
        assert report.ok, "external links never fail the check"
    finally:
        server.shutdown()


def test_the_built_library_has_no_broken_links(built_site, capsys):
    assert main(["links", "--site", str(built_site)]) == 0, capsys.readouterr().out
    report = check_site(built_site)
    assert report.pages > 50 and report.internal > 1000
    # every entry page's item anchors, the header search form and the generated pages were followed
    assert not [url for url in report.external if url.startswith("http://127.0.0.1")], (
        "links to the site itself count as internal"
    )
