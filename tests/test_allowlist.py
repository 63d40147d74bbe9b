"""The allow-list sanitizer (policy/allowlist.py) and the page's Content-Security-Policy
(site/csp.py): what content carries is judged as a browser parses it (HTML5), and only
what model/allowlist.yml lists survives."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urljoin, urlsplit

import html5lib
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from knowledgehub.policy.allowlist import Allowlist, AllowlistError
from knowledgehub.site.csp import policy, script_hash, theme_scripts, with_policy

ROOT = Path(__file__).resolve().parent.parent
ALLOW = Allowlist.load(ROOT / "model")
EVENT = "on"
SITE = "https://hub.example.org/water/events/some-entry/"
URL_ATTRIBUTES = {
    "href",
    "src",
    "srcset",
    "action",
    "formaction",
    "cite",
    "background",
    "poster",
    "xlink:href",
}


def parsed(html: str):
    return html5lib.parseFragment(html, namespaceHTMLElements=False)


def elements(html: str):
    return [el for el in parsed(html).iter() if isinstance(el.tag, str) and el.tag != "DOCUMENT_FRAGMENT"]


def assert_inert(html: str) -> None:
    """No script element, event handler, script address, outside resource or positioning
    survives, read as a browser reads it."""
    for el in elements(html):
        assert el.tag.lower().rsplit(":", 1)[-1] not in {
            "script",
            "iframe",
            "object",
            "embed",
            "svg",
            "style",
        }, el.tag
        for name, value in el.attrib.items():
            name = name if isinstance(name, str) else name[1]
            assert not name.lower().startswith(EVENT) or name.lower() in ALLOW.attributes.get(el.tag, ()), (
                name
            )
            low = "".join(value.split()).lower()
            if name in URL_ATTRIBUTES:
                assert not low.startswith(("javascript:", "vbscript:", "data:")), (name, value)
            if name in ("src", "srcset", "poster", "background"):
                # resolved as the browser resolves it, the address stays on the site
                resolved = urljoin(SITE, value.strip().replace("\\", "/"))
                assert urlsplit(resolved).netloc == urlsplit(SITE).netloc, (name, value)
            if name == "style":
                assert "position" not in low and "url(" not in low and "z-index" not in low, value


HOSTILE = {
    "comment that ends at once": "<!--><img src=x onerror=alert(1)> -->",
    "bogus CDATA": "<![CDATA[><img src=x onerror=alert(1)>]]>",
    "raw text element closed by an attribute": (
        '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>'
    ),
    "textarea": '<textarea><img title="</textarea><img src=x onerror=alert(1)>"></textarea>',
    "title": '<title><img title="</title><img src=x onerror=alert(1)>"></title>',
    "zero-padded reference": '<a href="&#x00000000006A;avascript:alert(1)">x</a>',
    "entity-split scheme": '<a href="jav&#x09;ascript:alert(1)">x</a>',
    "svg presentation url": '<svg><rect fill="url(https://evil.example/x)" filter="url(#f)"/></svg>',
    "namespaced svg script": '<svg xmlns:s="http://www.w3.org/2000/svg"><s:script>alert(1)</s:script></svg>',
    "fixed overlay": '<div style="position:fixed;z-index:99999;inset:0">Sign in again</div>',
    "plaintext": "<plaintext><p>the rest of the page</p>",
    "event handler": '<p onclick="alert(1)" onmouseover=alert(1)>x</p>',
    "form": '<form action="https://evil.example/"><input name=password></form>',
    "outside image": '<img src="https://evil.example/track.png" alt="t">',
    "protocol-relative image": '<img src="//evil.example/track.png">',
    "backslash host image": '<img src="\\\\evil.example\\track.png">',
    "theme class": '<div class="md-dialog md-overlay">cover</div>',
    "theme id": '<h2 id="__config">x</h2>',
    "base": '<base href="https://evil.example/">',
    "meta refresh": '<meta http-equiv="refresh" content="0;url=https://evil.example/">',
    "link stylesheet": '<link rel="stylesheet" href="https://evil.example/x.css">',
}


@pytest.mark.parametrize("html", list(HOSTILE.values()), ids=list(HOSTILE))
def test_hostile_fragments_come_out_inert(html):
    assert_inert(ALLOW.clean(html))


def test_what_markdown_writes_is_kept():
    html = (
        '<h2 id="results">Results<a class="headerlink" href="#results" title="Permanent link">&para;</a></h2>'
        '<table><thead><tr><th style="text-align: right;">a</th></tr></thead></table>'
        '<p>x<sup id="fnref:1"><a class="footnote-ref" href="#fn:1">1</a></sup></p>'
        '<div class="admonition note"><p class="admonition-title">Note</p></div>'
        '<details class="tip"><summary>More</summary><p>y</p></details>'
        '<img src="../files/chart.png" alt="A chart">'
    )
    out = ALLOW.clean(html)
    for kept in (
        'id="results"',
        'class="headerlink"',
        "text-align:right",
        'class="footnote-ref"',
        'class="admonition note"',
        'class="admonition-title"',
        "<details",
        'src="../files/chart.png"',
    ):
        assert kept in out, kept


def test_links_that_leave_the_site_get_nofollow_noopener_and_others_do_not():
    out = ALLOW.clean(
        '<a href="https://example.org/r">out</a> <a href="../x/">in</a> <a href="mailto:a@b.org">m</a>'
    )
    anchors = [el for el in elements(out) if el.tag == "a"]
    assert anchors[0].get("rel") == "nofollow noopener"
    assert anchors[1].get("rel") is None and anchors[2].get("rel") is None


def test_a_broken_allowlist_is_a_clear_error(tmp_path):
    (tmp_path / "allowlist.yml").write_text("elements: [p]\nremoved_with_content: [p]\n", encoding="utf-8")
    with pytest.raises(AllowlistError, match="both kept and removed"):
        Allowlist.load(tmp_path)
    (tmp_path / "allowlist.yml").write_text("elements: [p\n", encoding="utf-8")
    with pytest.raises(AllowlistError, match=r"allowlist.yml:\d+"):
        Allowlist.load(tmp_path)


# -- generated input ---------------------------------------------------------------

TAGS = [
    "a",
    "img",
    "p",
    "div",
    "svg",
    "script",
    "style",
    "iframe",
    "noscript",
    "textarea",
    "title",
    "math",
    "s:script",
    "form",
    "object",
    "table",
    "td",
    "span",
    "details",
    "plaintext",
    "xmp",
    "template",
]
ATTRS = [
    "href",
    "src",
    "onerror",
    "onclick",
    "style",
    "class",
    "id",
    "xmlns:s",
    "fill",
    "srcset",
    "formaction",
    "action",
    "background",
    "title",
    "name",
    "rel",
]
VALUES = [
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "&#x6A;avascript:x",
    "jav\tascript:x",
    "data:text/html,x",
    "https://evil.example/x",
    "//evil.example/x",
    "url(https://evil.example/x)",
    "position:fixed;z-index:9",
    "alert(1)",
    "x",
    "#a",
    "../local/",
    "md-dialog",
    "__config",
    '"><script>alert(1)</script>',
    "</textarea>",
]
QUOTES = ["", chr(34), chr(39)]
SEPARATORS = ["", " ", "<!-->", "<!--", "-->", "<![CDATA[", "]]>", "</", "<", ">", "&#0;", "\x00", "\n"]


@st.composite
def markup(draw):
    parts = []
    for _ in range(draw(st.integers(1, 8))):
        tag = draw(st.sampled_from(TAGS))
        attrs = "".join(
            f" {draw(st.sampled_from(ATTRS))}={draw(st.sampled_from(QUOTES))}{draw(st.sampled_from(VALUES))}"
            for _ in range(draw(st.integers(0, 3)))
        )
        parts.append(draw(st.sampled_from(SEPARATORS)))
        parts.append(f"<{tag}{attrs}>{draw(st.sampled_from(VALUES))}")
        if draw(st.booleans()):
            parts.append(f"</{tag}>")
    return "".join(parts)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(markup())
def test_no_generated_markup_survives_active(html):
    assert_inert(ALLOW.clean(html))


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("<>/=\"' &#;:!-[]ajvscriptonerrohf()x\n")), max_size=120))
def test_no_generated_text_survives_active(text):
    assert_inert(ALLOW.clean(text))


# -- the page's policy ---------------------------------------------------------------

PAGE = (
    "<!doctype html><html><head><meta charset=utf-8><script>var theme = 1;</script>"
    '<script id="__config" type="application/json">{"a": 1}</script></head>'
    '<body><script>var drawer = 2;</script><article class="md-content__inner">'
    "<script>alert('from content')</script></article>"
    '<script src="assets/bundle.js"></script></body></html>'
)


def test_only_the_themes_inline_scripts_outside_the_content_get_a_hash():
    assert theme_scripts(PAGE) == ["var theme = 1;", "var drawer = 2;"]
    csp = policy(PAGE)
    assert script_hash("var theme = 1;") in csp and script_hash("var drawer = 2;") in csp
    assert script_hash("alert('from content')") not in csp
    assert "'unsafe-inline'" not in csp and "default-src 'none'" in csp and "connect-src 'self'" in csp


def test_the_policy_is_the_first_element_of_head():
    out = with_policy(PAGE)
    head = out.index("<head>") + len("<head>")
    assert out[head:].startswith('<meta http-equiv="Content-Security-Policy" content="')
    assert out.index("Content-Security-Policy") < out.index("<script")
