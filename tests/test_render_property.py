"""Property: whatever Markdown and HTML a body mixes, what the sanitizer keeps of the HTML
Markdown makes of it (with the project's extensions, as the build renders it) has no
script, no handler, no script or data address, nothing loaded from outside, no style
that places or loads."""

from __future__ import annotations

import re

import html5lib
from conftest import ROOT
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from knowledgehub.policy.allowlist import Allowlist
from knowledgehub.policy.markdown import _markdown
from knowledgehub.policy.settings import settings_for

ALLOWLIST = Allowlist.load(ROOT / "model")
CONVERTER = _markdown(settings_for(ROOT / "content"))
RAN = {"examples": 0}

TAGS = [
    "script",
    "svg",
    "math",
    "iframe",
    "noscript",
    "textarea",
    "template",
    "s:script",
    "a",
    "img",
    "p",
    "div",
    "span",
    "style",
    "title",
    "xmp",
    "details",
    "object",
    "base",
    "form",
    "plaintext",
]
ADDRESSES = [
    "javascript:window.__pwned=1",
    "&#x00000000006A;avascript:x",
    "java&Tab;script:x",
    "data:text/html,x",
    "https://evil.example/x.png",
    "//evil.example/x",
    "\\\\evil.example\\x",
    "vbscript:x",
    "files/a.png",
]
ATTRS = st.one_of(
    st.sampled_from(["onclick", "onerror", "ONLOAD", "onfocus"]).map(lambda n: f'{n}="window.__pwned=1"'),
    st.sampled_from(["href", "src", "xlink:href", "action", "srcdoc"]).flatmap(
        lambda n: st.sampled_from(ADDRESSES).map(lambda v: f'{n}="{v}"')
    ),
    st.sampled_from(
        [
            "position:fixed;z-index:99999",
            "background:url(https://evil.example/x)",
            "b: \\75 rl(x)",
            "text-align:left",
        ]
    ).map(lambda v: f'style="{v}"'),
    st.sampled_from(['class="md-dialog"', 'id="__x"', 'title="</noscript><img src=x onerror=alert(1)>"']),
)
FRAGMENTS = st.one_of(
    st.tuples(st.sampled_from(TAGS), st.lists(ATTRS, max_size=3), st.booleans()).map(
        lambda t: f"<{t[0]} {' '.join(t[1])}>" + (f"x</{t[0]}>" if t[2] else "")
    ),
    st.sampled_from(
        [
            "<!-->",
            "<!--",
            "-->",
            "<![CDATA[",
            "]]>",
            "\n\n",
            "# h\n",
            "* item\n",
            "`code`",
            '{: onclick="alert(1)" }',
            "[x](javascript:alert(1))",
            "![i](https://evil.example/p.gif)",
            "[r]: javascript:x\n",
            "[a][r]",
            "<",
            ">",
            "&",
            '"',
            "'",
            "=",
            " ",
        ]
    ),
    st.sampled_from(ADDRESSES).map(lambda a: f"[link]({a})"),
)
BODIES = st.lists(FRAGMENTS, max_size=12).map("".join)
SCRIPT_ADDRESS = re.compile(r"^\s*(javascript|vbscript|livescript|data):", re.I)


def _squeezed(value: str) -> str:
    return "".join(ch for ch in value if ch > " " and ch != "\\").lower()


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(BODIES)
def test_what_the_sanitizer_keeps_of_any_rendered_body_is_inert(body):
    RAN["examples"] += 1
    CONVERTER.reset()
    cleaned = ALLOWLIST.clean(CONVERTER.convert(body))
    tree = html5lib.HTMLParser(namespaceHTMLElements=True).parseFragment(
        cleaned, container="div", scripting=True
    )
    for node in tree.iter():
        if not isinstance(node.tag, str):
            continue
        local = node.tag.rpartition("}")[2].lower()
        assert local.rpartition(":")[2] != "script", cleaned
        assert not node.tag.startswith(("{http://www.w3.org/2000/svg}", "{http://www.w3.org/1998/Math")), (
            cleaned
        )
        for key, value in node.attrib.items():
            name = key.rpartition("}")[2].lower()
            assert not name.startswith("on"), cleaned
            assert not SCRIPT_ADDRESS.match(_squeezed(value)) or name not in ("href", "src", "action"), (
                cleaned
            )
            if name == "src":
                assert ":" not in _squeezed(value).split("/")[0] and not _squeezed(value).startswith("//"), (
                    cleaned
                )
            if name == "style":
                assert "position" not in value.lower() and "url(" not in _squeezed(value), cleaned


def test_the_property_ran_its_examples():
    assert RAN["examples"] >= 100, RAN
