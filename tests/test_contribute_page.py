"""The contribute page as built: its description of the forms (a data block made from the
model's questions and the catalog), where entries go (mkdocs.yml), and the invitations
to it from the home page and every listing, in the hosted site and the USB edition."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import html5lib
import pytest

from knowledgehub.model.project import Project
from knowledgehub.model.questions import contributed_types
from knowledgehub.outputs.usb import build_usb
from knowledgehub.site.contribute import form_settings
from knowledgehub.site.contribute_form import data_block

ROOT = Project.find()
NS = {"h": "http://www.w3.org/1999/xhtml"}


def parse(path: Path):
    return html5lib.parse(path.read_text(encoding="utf-8"), namespaceHTMLElements=True)


def form_description(path: Path) -> dict:
    doc = parse(path)
    blocks = [s for s in doc.iter(f"{{{NS['h']}}}script") if s.get("id") == "hub-contribute-model"]
    assert len(blocks) == 1
    assert blocks[0].get("type") == "application/json"
    return json.loads(blocks[0].text)


def links(path: Path) -> list[tuple[str, str]]:
    doc = parse(path)
    return [(a.get("href") or "", "".join(a.itertext()).strip()) for a in doc.iter(f"{{{NS['h']}}}a")]


def walk(questions):
    for q in questions:
        yield q
        yield from walk(q["parts"])


@pytest.fixture(scope="module")
def usb(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("usb-contribute-page") / "hub-usb"
    assert build_usb(ROOT, out, quiet=True) == 0
    return out


def test_the_page_describes_a_form_for_every_contributed_type(built_site, model, library):
    described = form_description(built_site / "contribute/index.html")
    assert [t["name"] for t in described["types"]] == contributed_types(model)
    for ctype in described["types"]:
        assert ctype["folder"] == model.types[ctype["name"]].folder
        kinds = [q["kind"] for q in ctype["questions"]]
        assert kinds.count("body") >= 1, ctype["name"]
        for q in walk(ctype["questions"]):
            # lists of choices shared by several questions are written once
            if q.get("choices_from"):
                assert described["lists"][q["choices_from"]], q["field"]
    # references offer the library's own entries, by title
    org_type = model.organisation_type
    org_question = next(
        q
        for t in described["types"]
        for q in walk(t["questions"])
        if q["kind"] == "entries" and q["ref_type"] == org_type
    )
    offered = {c["value"]: c["label"] for c in described["lists"][org_question["choices_from"]]}
    assert offered == {e.slug: e.title for e in library.catalog.of_type(org_type)}
    # countries by name
    country_question = next(
        q for t in described["types"] for q in walk(t["questions"]) if q["kind"] == "countries"
    )
    names = {c["value"]: c["label"] for c in described["lists"][country_question["choices_from"]]}
    assert names["ZA"] == "South Africa" and len(names) > 200
    # items name the field their made-up id goes in
    items = [q for t in described["types"] for q in t["questions"] if q["kind"] == "items"]
    assert items and all(q["id_field"] for q in items)
    assert described["settings"] == {
        "repo_url": "https://github.com/water-services-hub/knowledge-hub",
        "issue_forms": "https://github.com/water-services-hub/knowledge-hub/issues/new?template=",
        "branch": "main",
        "content_folder": "content",
        "editors_email": "editors@water-services-hub.org",
    }


def test_the_page_loads_its_own_script_and_style_and_is_in_the_navigation(built_site):
    page = built_site / "contribute/index.html"
    doc = parse(page)
    scripts = [s.get("src") for s in doc.iter(f"{{{NS['h']}}}script") if s.get("src")]
    assert "../assets/javascripts/hub-contribute.js" in scripts
    sheets = [x.get("href") for x in doc.iter(f"{{{NS['h']}}}link") if x.get("rel") == "stylesheet"]
    assert "../assets/stylesheets/hub-contribute.css" in sheets
    assert (built_site / "assets/javascripts/hub-contribute.js").is_file()
    # no other page carries the form's script
    assert "hub-contribute.js" not in (built_site / "index.html").read_text(encoding="utf-8")
    nav = [text for href, text in links(built_site / "index.html") if href.startswith("contribute/")]
    assert "Contribute" in nav


def test_listings_and_home_invite_to_the_contribute_page_with_their_type(built_site, model):
    for ctype in model.types.values():
        found = links(built_site / ctype.folder / "index.html")
        invitations = [href for href, text in found if text.startswith("Suggest a")]
        assert f"../contribute/?type={ctype.name}" in invitations, ctype.name
        texts = [text for href, text in found if href == f"../contribute/?type={ctype.name}"]
        article = "an" if ctype.label[0].lower() in "aeiou" else "a"
        assert f"Suggest {article} {ctype.label.lower()}" in texts
        # the repository's issue form for that type stays, as the second way
        assert any(href.endswith(f"/issues/new?template={ctype.name}.yml") for href, text in found), (
            ctype.name
        )
    home = links(built_site / "index.html")
    to_form = [href for href, _ in home if href.startswith("contribute/?type=")]
    assert to_form
    for href in to_form:
        (chosen,) = parse_qs(urlsplit(href).query)["type"]
        assert chosen in model.types


def test_the_usb_edition_has_the_page_and_its_invitations_but_no_issue_forms(usb, model):
    described = form_description(usb / "contribute.html")
    assert described["settings"]["repo_url"]  # a draft written offline can be proposed once online
    for ctype in model.types.values():
        found = links(usb / ctype.folder / "index.html")
        assert ("../contribute.html?type=" + ctype.name) in [href for href, _ in found]
        assert not [href for href, _ in found if "/issues/new" in href]


def test_a_title_cannot_end_the_data_block():
    text = str(data_block({"title": "</script><script>alert(1)</script> & <!--"}))
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text) == {"title": "</script><script>alert(1)</script> & <!--"}


def test_where_entries_go_comes_from_mkdocs_yml():
    assert form_settings(
        {"repo_url": "https://github.com/x/hub/", "edit_uri": "edit/trunk/docs/library/", "extra": {}}
    ) == {
        "repo_url": "https://github.com/x/hub",
        "issue_forms": "https://github.com/x/hub/issues/new?template=",
        "branch": "trunk",
        "content_folder": "docs/library",
        "editors_email": "",
    }
    elsewhere = form_settings(
        {"repo_url": "https://gitlab.com/x/hub", "extra": {"hub": {"editors_email": " ed@x.org "}}}
    )
    assert elsewhere["repo_url"] == "" and elsewhere["editors_email"] == "ed@x.org"
    # one suggestion address for everything: no per-type issue forms
    configured = form_settings(
        {"repo_url": "https://github.com/x/hub", "extra": {"hub": {"suggest_url": "https://x.org/share"}}}
    )
    assert configured["issue_forms"] == "" and configured["repo_url"] == "https://github.com/x/hub"
