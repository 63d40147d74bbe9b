"""Printing an entry page from the site: headless Chromium prints it to PDF with
the site's own print styles, and the paper holds the entry, not the navigation."""

from __future__ import annotations

import re

import pytest
from pypdf import PdfReader

pytestmark = pytest.mark.browser

ENTRIES = [
    "events/mile-water-services-master-class-1/",
    "workshops/project-consolidate-group-2/",
    "organisations/mile/",
]


def pdf_text(path) -> str:
    """The PDF's text, line breaks (also those after a hyphen) made single spaces."""
    text = " ".join(" ".join(page.extract_text() for page in PdfReader(str(path)).pages).split())
    return re.sub(r"(?<=\w)- (?=\w)", "-", text)


def has_words(text: str, phrase: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(phrase)}(?!\w)", text) is not None


@pytest.mark.parametrize("path", ENTRIES)
def test_an_entry_prints_without_the_site_navigation(page, site_url, tmp_path, path):
    p = page.page
    p.goto(site_url + path)
    title = " ".join(p.locator("article h1").first.inner_text().split())
    # what the screen shows around the entry: the sidebar's labels, the header, the table of contents
    nav_labels = {
        " ".join(t.split())
        for t in p.eval_on_selector_all(
            ".md-sidebar--primary .md-nav__link", "els => els.map(e => e.textContent)"
        )
    }
    toc_title = p.eval_on_selector(".md-sidebar--secondary", "el => el.innerText.split('\\n')[0].trim()")
    article = " ".join(p.locator("article").first.inner_text().split())
    assert {"Workshop outcomes", "Case studies", "Browse"} <= nav_labels  # the screen does show them
    absent = sorted(label for label in nav_labels if label and not has_words(article, label))
    assert len(absent) >= 8, absent

    out = tmp_path / "entry.pdf"
    p.pdf(path=str(out), format="A4")  # uses print media, as a reader's "Print…" does
    text = pdf_text(out)
    assert title in text
    assert " ".join(p.locator(".hub-summary").first.inner_text().split()) in text
    leaked = [label for label in absent if has_words(text, label)]
    assert leaked == [], f"navigation printed: {leaked}"
    assert not has_words(text, toc_title) or has_words(article, toc_title)
    assert "Search the library" not in text and "Search:" not in text  # the header's search box
    assert not text.startswith("Water Services Knowledge Hub")  # the header's site name
    assert "¶" not in text  # heading permalinks
    assert page.outside(site_url) == []


def test_printed_links_show_where_they_go(page, project_copy, tmp_path):
    """On paper a link cannot be followed: a link to another site prints its address."""
    from conftest import serve_folder

    from knowledgehub.model.project import Project
    from knowledgehub.site.build import build_site

    org = project_copy / "content/organisations/mile.md"
    org.write_text(
        org.read_text(encoding="utf-8").replace(
            "\n---\n", "\nwebsite: https://mile.example.org/learning/\n---\n", 1
        ),
        encoding="utf-8",
    )
    site = tmp_path / "site"
    assert build_site(Project.find(config_file=project_copy / "mkdocs.yml"), site_dir=site, quiet=True) == 0
    base, server = serve_folder(site)
    try:
        p = page.page
        p.goto(base + "organisations/mile/")
        assert p.locator("article a[href='https://mile.example.org/learning/']").count() == 1
        out = tmp_path / "mile.pdf"
        p.pdf(path=str(out), format="A4")
    finally:
        server.shutdown()
    text = pdf_text(out).replace(" ", "")
    assert "(https://mile.example.org/learning/)" in text


def test_item_anchors_are_not_printed(page, site_url, tmp_path):
    p = page.page
    p.goto(site_url + "workshops/project-consolidate-group-2/")
    first_item = " ".join(p.locator(".hub-item__text").first.inner_text().split())
    assert first_item.endswith("#")  # on screen, each item ends with its link mark
    out = tmp_path / "items.pdf"
    p.pdf(path=str(out), format="A4")
    text = pdf_text(out)
    printed = first_item[:-1].strip()
    assert printed in text
    assert printed + " #" not in text


def test_the_project_consolidate_outcome_prints_as_a_short_handout(page, site_url, tmp_path):
    """A facilitator's handout: at most three A4 pages, numbered items, a footer
    with the entry's address and edition, none of the screen furniture."""
    p = page.page
    path = "workshops/project-consolidate-group-2/"
    p.goto(site_url + path)
    out = tmp_path / "handout.pdf"
    p.pdf(path=str(out), format="A4")
    pages = PdfReader(str(out)).pages
    assert len(pages) <= 3, len(pages)
    last = " ".join(pages[-1].extract_text().split())
    assert path in last.replace(" ", "")  # the footer: where it came from
    assert "edition of" in last
    text = pdf_text(out)
    assert "1. Water services should keep the wider National Capacity Building Framework" in text
    for furniture in ("Also known as", "BibTeX", "Related practice", "Jump to", "More details"):
        assert furniture not in text, furniture


def test_the_items_page_prints_with_its_filters_written_out(page, site_url, tmp_path):
    p = page.page
    p.goto(site_url + "items/?actor=provincial-departments")
    p.wait_for_function("() => document.querySelector('.hub-itemfilter__status').textContent.includes('(')")
    out = tmp_path / "items.pdf"
    p.pdf(path=str(out), format="A4")
    text = pdf_text(out)
    assert "addressed to: Provincial departments" in text
    assert "Any theme" not in text  # the form's controls are not printed
