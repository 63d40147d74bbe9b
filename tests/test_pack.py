"""Workshop packs: `hub pack` picks exactly the entries asked for, writes one
printable page (and a PDF in headless Chromium), and refuses empty selections."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from knowledgehub.cli import main
from knowledgehub.model.project import Project
from knowledgehub.outputs import pack
from knowledgehub.site.settings import site_settings

ROOT = Path(__file__).resolve().parent.parent
CONFIG = str(ROOT / "mkdocs.yml")


class PackReader(HTMLParser):
    """The packed entries, the contents' links, every id and every link of a pack."""

    def __init__(self):
        super().__init__()
        self.articles: list[tuple[str, str]] = []  # (data-entry, id)
        self.ids: list[str] = []
        self.hrefs: list[str] = []
        self.toc: list[str] = []
        self._in_toc = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.append(attrs["id"])
        if tag == "article" and "pack-entry" in (attrs.get("class") or ""):
            self.articles.append((attrs["data-entry"], attrs["id"]))
        if tag == "nav" and "pack-toc" in (attrs.get("class") or ""):
            self._in_toc = True
        if tag == "a" and attrs.get("href") is not None:
            self.hrefs.append(attrs["href"])
            if self._in_toc:
                self.toc.append(attrs["href"])

    def handle_endtag(self, tag):
        if tag == "nav":
            self._in_toc = False


def read_pack(path: Path) -> PackReader:
    reader = PackReader()
    reader.feed(path.read_text(encoding="utf-8"))
    return reader


@pytest.fixture(scope="module")
def project():
    return Project.find(config_file=ROOT / "mkdocs.yml")


@pytest.fixture(scope="module")
def settings(project):
    return site_settings(project)


@pytest.mark.parametrize("theme", ["water-loss", "partnerships", "customer-care"])
def test_a_theme_pack_holds_exactly_the_entries_with_that_theme(theme, project, settings, library, tmp_path):
    out = tmp_path / "pack.html"
    done = pack.make_pack(project, pack.Selection(themes=[theme]), out, pdf=False, settings=settings)
    expected = {f"{e.type}/{e.slug}" for e in library.catalog.published if theme in e.themes}
    assert expected, "the shipped library has entries with this theme"
    reader = read_pack(out)
    assert {key for key, _ in reader.articles} == expected
    assert len(reader.articles) == len(expected) == len(done["entries"])
    # the contents list every entry, in the order they are printed
    assert reader.toc == [f"#{anchor}" for _, anchor in reader.articles]
    label = library.catalog.model.term_label("themes", theme)
    assert f"<title>Workshop pack: {label}</title>" in out.read_text(encoding="utf-8")
    assert done["pdf"] is None


def test_pack_links_stay_in_the_pack_or_point_at_the_site(project, settings, library, tmp_path):
    out = tmp_path / "pack.html"
    pack.make_pack(project, pack.Selection(themes=["water-loss"]), out, pdf=False, settings=settings)
    reader = read_pack(out)
    assert len(reader.ids) == len(set(reader.ids)), "ids are unique across the packed entries"
    ids = set(reader.ids)
    site = settings.site_url
    for href in reader.hrefs:
        if href.startswith("#"):
            assert href[1:] in ids, href
        else:
            assert href.startswith(("http://", "https://", "mailto:")), href
    # the course names the event, which is in the pack too: the link stays inside
    html = out.read_text(encoding="utf-8")
    assert 'href="#event--mile-water-services-master-class-1"' in html
    # an organisation that is not packed is linked on the site
    assert f'href="{site}organisations/mile/"' in html
    # the search index data of the site pages is not in the pack
    assert "data-pagefind-filter" not in html
    assert "<script" not in html and "<link" not in html, "the pack loads nothing"


def test_pack_by_type_challenge_and_ids(project, settings, library, tmp_path):
    out = tmp_path / "pack.html"
    pack.make_pack(
        project,
        pack.Selection(types=["course"], themes=["capacity-building"]),
        out,
        pdf=False,
        settings=settings,
    )
    expected = {
        f"course/{e.slug}"
        for e in library.catalog.published
        if e.type == "course" and "capacity-building" in e.themes
    }
    assert {k for k, _ in read_pack(out).articles} == expected

    pack.make_pack(project, pack.Selection(challenges=["non-payment"]), out, pdf=False, settings=settings)
    expected = {f"{e.type}/{e.slug}" for e in library.catalog.published if "non-payment" in e.challenges}
    assert {k for k, _ in read_pack(out).articles} == expected

    ids = [
        "events/mile-water-services-master-class-1",
        "chennai-declaration-india-wops-2011",
        "content/organisations/mile.md",
    ]
    pack.make_pack(project, pack.Selection(ids=ids), out, pdf=False, settings=settings)
    assert [k for k, _ in read_pack(out).articles] == [
        "declaration/chennai-declaration-india-wops-2011",
        "event/mile-water-services-master-class-1",
        "organisation/mile",
    ]


def run_cli(capsys, *args):
    code = main(["-f", CONFIG, "pack", *args])
    return code, capsys.readouterr().err


def test_a_selection_that_matches_nothing_writes_nothing(capsys, tmp_path):
    out = tmp_path / "pack.html"
    code, err = run_cli(capsys, "--theme", "solid-waste", "--type", "event", "-o", str(out))
    assert code == 1
    assert (
        "no published entry matches theme 'Solid waste management' and type 'Event'; nothing was written"
        in err
    )
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    "args, message",
    [
        (["--theme", "water-los"], "unknown theme 'water-los' (did you mean 'water-loss'?)"),
        (["--challenge", "nonpayment"], "unknown challenge 'nonpayment' (did you mean 'non-payment'?)"),
        (["--type", "case-studdy"], "unknown type 'case-studdy' (did you mean 'case-study'?)"),
        (["no-such-entry"], "unknown entry 'no-such-entry'"),
        ([], "say which entries to pack"),
    ],
)
def test_bad_selections_are_refused(capsys, tmp_path, args, message):
    code, err = run_cli(capsys, *args, "-o", str(tmp_path / "pack.html"))
    assert code == 1
    assert message in err and "nothing was written" in err
    assert list(tmp_path.iterdir()) == []


@pytest.mark.browser
def test_pack_is_printed_to_pdf_in_headless_chromium(capsys, tmp_path, library):
    from pypdf import PdfReader

    out = tmp_path / "wl.html"
    code, err = run_cli(capsys, "--theme", "water-loss", "--pdf", "-o", str(out))
    assert code == 0, err
    pdf = out.with_suffix(".pdf")
    assert pdf.is_file() and f"PDF written to {pdf}" in err
    reader = PdfReader(str(pdf))
    entries = [e for e in library.catalog.published if "water-loss" in e.themes]
    assert len(reader.pages) >= 2 + len(entries)  # cover, contents, a page or more per entry
    pages = [flat(page.extract_text()) for page in reader.pages]
    assert "Workshop pack: Water loss and non-revenue water" in pages[0]
    assert "Contents" in pages[1]
    text = " ".join(pages)
    for entry in entries:
        assert flat(entry.title) in text, entry.title
    # every packed entry starts a page of its own: its type, then its title, at the top
    for entry in entries:
        assert any(
            p.startswith(entry.ctype.label.upper()) and flat(entry.title) in p[:300] for p in pages[2:]
        ), entry.title


def flat(text: str) -> str:
    """PDF text with line breaks (also those after a hyphen) made single spaces."""
    return re.sub(r"-\s+", "-", " ".join(text.split()))


HOSTILE = """

<iframe src="file:///etc/passwd" width="600" height="300"></iframe>
<img src="file:///etc/hostname" alt="">
<object data="file:///etc/passwd" width="600" height="300"></object>
<script>document.write("SCRIPT" + "-RAN-" + "IN-THE-PACK")</script>
<link rel="stylesheet" href="http://example.org/track.css">
"""


@pytest.mark.browser
def test_a_pack_prints_with_no_script_and_no_local_file_but_its_own(tmp_path, monkeypatch, capsys):
    """An entry that carries frames of local files and a script (the policy switched off to
    let them through): the PDF holds none of it, and every such request was refused."""
    from conftest import copy_project
    from pypdf import PdfReader

    from knowledgehub.outputs import pdf as pdf_module

    hub = copy_project(tmp_path / "hub")
    entry = hub / "content" / "organisations" / "mile.md"
    entry.write_text(entry.read_text(encoding="utf-8") + HOSTILE, encoding="utf-8")
    monkeypatch.setenv("HUB_UNSAFE_SKIP_POLICY", "1")
    refused: list[str] = []
    real = pdf_module.write_pdf
    monkeypatch.setattr(pack, "write_pdf", lambda *args: real(*args, refused=refused))
    out = tmp_path / "pack.html"
    done = pack.make_pack(
        Project.find(config_file=hub / "mkdocs.yml"), pack.Selection(ids=["mile"]), out, pdf=True
    )
    assert "file:///etc/passwd" in out.read_text(encoding="utf-8"), "the hostile body did not reach the pack"
    text = flat(" ".join(page.extract_text() for page in PdfReader(str(done["pdf"])).pages))
    assert "Municipal Institute of Learning" in text
    assert "root:" not in text, "a local file was framed into the PDF"
    assert "SCRIPT-RAN-IN-THE-PACK" not in text, "a script ran while printing"
    assert "file:///etc/passwd" in refused, refused
    assert all(not pdf_module.allowed(url, out.resolve().as_uri()) for url in refused)


def test_printing_allows_only_the_pack_itself_and_data_urls(tmp_path):
    from knowledgehub.outputs.pdf import allowed

    own = (tmp_path / "pack.html").resolve().as_uri()
    assert allowed(own, own) and allowed(own + "#entry", own)
    assert allowed("data:image/png;base64,AAAA", own)
    for url in (
        "file:///etc/passwd",
        (tmp_path / "other.html").as_uri(),
        "http://example.org/",
        "https://x/",
    ):
        assert not allowed(url, own), url
