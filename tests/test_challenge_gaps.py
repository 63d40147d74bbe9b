"""A gap on a challenge's page ("this is a gap in the library") invites the reader who knows
what worked: its "Share what worked" link opens the site's own contribute page with the
practice type and that challenge already chosen, by a relative address (so it works under
a base path and from the USB stick)."""

from __future__ import annotations

import posixpath
from urllib.parse import parse_qs, urlsplit

import html5lib
import pytest
from conftest import PHONE

GAP_TEXT = "this is a gap in the library"


def _practice_type(model) -> str:
    return next(t.name for t in model.types.values() if t.on_challenge_pages == "practice")


def _gaps(page_html: str) -> list:
    tree = html5lib.parse(page_html, namespaceHTMLElements=False)
    return [p for p in tree.iter("p") if GAP_TEXT in "".join(p.itertext())]


def test_every_gap_on_every_challenge_page_links_to_the_contribute_page(built_site, library):
    model = library.catalog.model
    practice = _practice_type(model)
    checked = 0
    for challenge in model.vocabulary("challenges").terms:
        page = built_site / "challenges" / challenge / "index.html"
        if not page.is_file():
            continue
        for gap in _gaps(page.read_text(encoding="utf-8")):
            links = [a for a in gap.iter("a") if "".join(a.itertext()).strip() == "Share what worked"]
            assert len(links) == 1, challenge
            href = links[0].get("href")
            parts = urlsplit(href)
            assert not parts.scheme and not parts.netloc and not href.startswith("/"), href
            target = posixpath.normpath(posixpath.join(f"challenges/{challenge}/", parts.path))
            assert target == "contribute" and (built_site / target / "index.html").is_file(), href
            assert parse_qs(parts.query) == {"type": [practice], "challenges": [challenge]}, href
            checked += 1
    assert checked >= 3, "no challenge page has a gap to check"


@pytest.fixture(scope="module")
def usb_copy(tmp_path_factory):
    from conftest import ROOT

    from knowledgehub.model.project import Project
    from knowledgehub.outputs.usb import build_usb

    out = tmp_path_factory.mktemp("usb-gaps") / "hub-usb"
    assert build_usb(Project.find(config_file=ROOT / "mkdocs.yml"), out, quiet=True) == 0
    return out


def _follow_the_gap(page, address: str, challenge: str, practice: str) -> None:
    page.goto(address)
    gap = page.locator("p.hub-empty", has_text=GAP_TEXT).first
    gap.get_by_role("link", name="Share what worked").click()
    page.wait_for_load_state()
    query = parse_qs(urlsplit(page.url).query)
    assert query == {"type": [practice], "challenges": [challenge]}, page.url
    assert page.locator("#hub-contribute").count() == 1


def test_a_phone_reader_follows_a_gap_to_the_contribute_page(browser, site_url, library):
    practice = _practice_type(library.catalog.model)
    context = browser.new_context(viewport=PHONE)
    try:
        page = context.new_page()
        _follow_the_gap(page, site_url + "challenges/high-water-losses/", "high-water-losses", practice)
        assert page.url.startswith(site_url + "contribute/?")
    finally:
        context.close()


def test_the_gap_link_works_from_the_usb_stick(browser, usb_copy, library):
    practice = _practice_type(library.catalog.model)
    context = browser.new_context(viewport=PHONE)
    try:
        page = context.new_page()
        address = (usb_copy / "challenges" / "high-water-losses.html").as_uri()
        _follow_the_gap(page, address, "high-water-losses", practice)
        assert page.url.startswith((usb_copy / "contribute.html").as_uri() + "?")
    finally:
        context.close()
