"""Building the real content: every entry gets a page with its facts; a failed
build leaves the previous site untouched."""

import html
import re
from pathlib import Path

import markupsafe

from knowledgehub.model.project import Project
from knowledgehub.site.build import build_site
from knowledgehub.site.urls import src_to_url


def page_text(site, url):
    raw = (
        (site / url / "index.html").read_text(encoding="utf-8")
        if not url.endswith(".html")
        else (site / url).read_text(encoding="utf-8")
    )
    return html.unescape(re.sub(r"<[^>]+>", " ", raw))


def test_every_published_entry_has_a_page(built_site, library):
    for entry in library.catalog.published:
        page = built_site / src_to_url(entry.src_uri) / "index.html"
        assert page.is_file(), entry.src_uri
        assert str(markupsafe.escape(entry.title)) in page.read_text(encoding="utf-8")


def test_generated_pages_exist(built_site, model):
    assert (built_site / "index.html").is_file()
    for ctype in model.types.values():
        assert (built_site / ctype.folder / "index.html").is_file()
    assert (built_site / "themes/water-loss/index.html").is_file()
    assert (built_site / "countries/in/index.html").is_file()


def test_entries_are_not_in_the_sidebar(built_site):
    home = (built_site / "index.html").read_text(encoding="utf-8")
    nav = home[home.index('<nav class="md-nav md-nav--primary"') :]
    nav = nav[: nav.index("</nav>")]
    assert "project-consolidate-group-2" not in nav
    assert "Workshop outcomes" in nav


def test_entry_page_shows_key_facts_and_item_anchors(built_site):
    text = page_text(built_site, "events/mile-water-services-master-class-1/")
    for fact in (
        "14–15 February 2012",
        "Durban",
        "Johannesburg",
        "Cape Town",
        "11–12 April 2012",
        "17–18 April 2012",
        "South Africa",
        "Municipal Institute of Learning",
    ):
        assert fact in text, fact
    raw = (built_site / "workshops/project-consolidate-group-2/index.html").read_text(encoding="utf-8")
    assert len(re.findall(r'<li id="[a-z0-9-]+" class="hub-item"', raw)) == 26
    course = page_text(built_site, "courses/iwsd-community-engagement-customer-care/")
    for fact in ("5 days", "Yes", "Workshop", "35", "June 2022", "Customer care policy"):
        assert fact in course, fact


def test_build_with_a_bad_entry_fails_and_keeps_the_old_site(project_copy, capsys):
    project = Project.find(config_file=project_copy / "mkdocs.yml")
    assert build_site(project, quiet=True) == 0
    before = sorted(p.relative_to(project.site_dir) for p in project.site_dir.rglob("*"))
    marker = (project.site_dir / "index.html").read_bytes()
    bad = project_copy / "content/case-studies/bad.md"
    bad.write_text("---\ntitle: x\nthemes: [water-los]\n---\n")
    assert build_site(project, quiet=True) == 1
    err = capsys.readouterr().err
    assert "content/case-studies/bad.md:3: error: unknown theme 'water-los'" in err
    assert "content/case-studies/bad.md:1: error: missing required field 'summary'" in err
    assert sorted(p.relative_to(project.site_dir) for p in project.site_dir.rglob("*")) == before
    assert (project.site_dir / "index.html").read_bytes() == marker
    assert not list(project_copy.glob(".site-*")), "staging folders must not be left behind"


def test_drafts_are_not_published(project_copy):
    org = project_copy / "content/organisations/psiru.md"
    text = org.read_text()
    org.write_text(text.replace("\n---\n", "\nstatus: draft\n---\n", 1))
    project = Project.find(config_file=project_copy / "mkdocs.yml")
    # a published entry naming the draft is an error, so unlink it first
    for path in (project_copy / "content").rglob("*.md"):
        if path != org and "psiru" in path.read_text():
            path.write_text(re.sub(r",\s*psiru|psiru,\s*", "", path.read_text()))
    assert build_site(project, quiet=True) == 0, "build failed"
    assert not (project.site_dir / "organisations/psiru").exists()
    assert "psiru" not in (project.site_dir / "organisations/index.html").read_text()


def test_edit_and_suggest_links_point_at_the_repository(built_site):
    entry = (built_site / "courses/iwsd-community-engagement-customer-care/index.html").read_text(
        encoding="utf-8"
    )
    assert (
        'href="https://github.com/water-services-hub/knowledge-hub/edit/main/'
        'content/courses/iwsd-community-engagement-customer-care.md" rel="edit"' in entry
    )
    for page in ("index.html", "case-studies/index.html"):
        html_text = (built_site / page).read_text(encoding="utf-8")
        assert "Suggest a case study</a>" in html_text
    # every listing invites to its own type, once
    courses = (built_site / "courses/index.html").read_text(encoding="utf-8")
    assert courses.count("Suggest a course</a>") == 1
    assert "Suggest a case study" not in courses
    assert (built_site / "schemas/case-study.schema.json").is_file()


def test_a_body_that_starts_like_metadata_is_kept(project_copy):
    # MkDocs is handed an entry's body only (its front matter is read once, by the
    # loader); a first line such as "Note: ..." must stay text, not become metadata
    path = project_copy / "content/organisations/iwsd.md"
    text = path.read_text(encoding="utf-8")
    end = text.index("\n---\n", 4) + len("\n---\n")
    path.write_text(
        text[:end] + "Note: this first line stays on the page.\nLead: so does this one.\n\n" + text[end:],
        encoding="utf-8",
    )
    project = Project.find(config_file=project_copy / "mkdocs.yml")
    assert build_site(project, quiet=True) == 0
    shown = " ".join(page_text(project.site_dir, "organisations/iwsd").split())
    assert "Note: this first line stays on the page. Lead: so does this one." in shown


def test_the_navigation_of_entry_pages_links_to_real_pages(built_site, model):
    # the navigation is drawn once per folder of entries: from every entry page each of
    # its links must lead where the same link leads from the home page
    from lxml import html as lxml_html

    def nav_targets(page: Path) -> list[tuple[str, Path]]:
        tree = lxml_html.fromstring(page.read_bytes())
        links = tree.xpath(
            '//div[contains(@class, "md-sidebar--primary")]//a[contains(@class, "md-nav__link")][@href]'
        )
        return [
            (" ".join(a.text_content().split()), (page.parent / a.get("href")).resolve())
            for a in links
            if not a.get("href").startswith(("#", "http"))
        ]

    expected = nav_targets(built_site / "index.html")
    assert len(expected) >= len(model.types)
    folders = 0
    for ctype in model.types.values():
        pages = sorted((built_site / ctype.folder).glob("*/index.html"))
        if not pages:
            continue
        folders += 1
        for page in {pages[0], pages[-1]}:
            assert nav_targets(page) == expected, page
    assert folders >= 5
