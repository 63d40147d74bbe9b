"""The content policy, rule by rule: what it refuses, where it says so, and what it
leaves alone (tables, details, abbreviations, local images, prose with colons)."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from knowledgehub.library.load import load_library
from knowledgehub.library.loader import Entry, load_file
from knowledgehub.model.project import Project
from knowledgehub.policy import check as policy
from knowledgehub.policy.check import (
    RULES,
    PolicySettings,
    check_policy,
    content_problems,
    css_loads,
    scheme_of,
    settings_from,
    svg_findings,
)

FRONT = """---
title: A test case study
summary: What the town did.
date: "2013"
themes: [water-loss]
sources:
  - title: Town report
---

"""
FRONT_LINES = FRONT.count("\n")  # the body starts on the line after these
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


@pytest.fixture
def content(tmp_path) -> Path:
    folder = tmp_path / "content"
    (folder / "case-studies" / "files").mkdir(parents=True)
    (folder / "case-studies" / "files" / "pixel.png").write_bytes(PNG)
    return folder


def entry_from(content: Path, model, text: str, name: str = "sample.md") -> Entry:
    path = content / "case-studies" / name
    path.write_text(text, encoding="utf-8")
    entry = load_file(path, content, model)
    assert isinstance(entry, Entry), entry
    return entry


def problems_of(content: Path, model, body: str, front: str = FRONT, settings: PolicySettings | None = None):
    entry = entry_from(content, model, front + textwrap.dedent(body).lstrip("\n"))
    return check_policy(entry, model, settings or PolicySettings())


def rules_at(problems) -> set[tuple[int, str]]:
    return {(p.line, p.rule) for p in problems if p.severity == "error"}


def body_line(n: int) -> int:
    """The file line of the body's line ``n`` (from 1)."""
    return FRONT_LINES + n


# -- the rules -----------------------------------------------------------------------


def test_every_rule_is_named_and_described():
    assert all(rule.startswith("policy-") and text for rule, text in RULES.items())
    # 14, then policy-style, policy-not-allowed (allow-list), policy-file-name, policy-hidden-text
    assert len(RULES) == 18


@pytest.mark.parametrize(
    "snippet, rule",
    [
        ("<script>alert(1)</script>", "policy-script"),
        ("<ScRiPt src=x.js></ScRiPt>", "policy-script"),
        ('<iframe src="page.html"></iframe>', "policy-frame"),
        ("<frameset></frameset>", "policy-frame"),
        ('<object data="a.pdf"></object>', "policy-object"),
        ('<embed src="files/pixel.png">', "policy-object"),
        ('<base href="https://evil.example/">', "policy-html"),
        ('<meta http-equiv="refresh" content="0">', "policy-html"),
        ('<link rel="stylesheet" href="files/x.css">', "policy-html"),
        ("<style>p { color: red }</style>", "policy-html"),
        ('<form action="https://evil.example/"></form>', "policy-html"),
        ('<img src="files/pixel.png" alt="" onerror="alert(1)">', "policy-event-handler"),
        ("<svg/onload=alert(1)>", "policy-event-handler"),
        ('<p ONCLICK = "alert(1)">x</p>', "policy-event-handler"),
        ('Text.\n{: onclick="alert(1)" }', "policy-event-handler"),
        ('<p style="background:url(x.png)">x</p>', "policy-style-url"),
        ('<p style="background:\\75 rl(x.png)">x</p>', "policy-style-url"),
        ('<p style="b: u/**/rl(x)">x</p>', "policy-style-url"),
        ("<p style=\"@import 'x.css'\">x</p>", "policy-style-url"),
        ("[x](javascript:alert(1))", "policy-url-scheme"),
        ("[x]( JaVaScRiPt:alert(1))", "policy-url-scheme"),
        ("[x](&#106;avascript:alert(1))", "policy-url-scheme"),
        ("[x](&#x6A;avascript:alert(1))", "policy-url-scheme"),
        ("[x](java&#x09;script:alert(1))", "policy-url-scheme"),
        ("[x](javascript&colon;alert(1))", "policy-url-scheme"),
        ("[x](javascript\\:alert(1))", "policy-url-scheme"),
        ("[x](<javascript:alert(1)>)", "policy-url-scheme"),
        ("[x](&amp;#106;avascript:alert(1))", "policy-url-scheme"),
        ("[x](java\u200bscript:alert(1))", "policy-url-scheme"),
        ("[x][r]\n\n[r]: javascript:alert(1)", "policy-url-scheme"),
        ("[x](vbscript:msgbox(1))", "policy-url-scheme"),
        ("[x](data:text/html,hi)", "policy-url-scheme"),
        ("![x](data:image/png;base64,AAAA)", "policy-url-scheme"),
        ('<a href=" data:text/html,hi">x</a>', "policy-url-scheme"),
        ("[x](file:///etc/passwd)", "policy-url-scheme"),
        ("![x](https://tracker.example/p.gif)", "policy-external-resource"),
        ('<img src="//tracker.example/p.gif" alt="">', "policy-external-resource"),
        (
            '<img srcset="files/pixel.png 1x, https://t.example/p.gif 2x" src="files/pixel.png" alt="">',
            "policy-external-resource",
        ),
        ("![x][r]\n\n[r]: https://tracker.example/p.gif", "policy-external-resource"),
        ("![x](../../secret.png)", "policy-file-outside"),
        ("[x](%2e%2e/%2e%2e/secret.pdf)", "policy-file-outside"),
        ('<a href="..\\..\\secret.pdf">x</a>', "policy-file-outside"),
        ("![x](/etc/x.png)", "policy-file-outside"),
        ("[x](files/missing.pdf)", "policy-file-missing"),
        ("[x](files/tool.exe)", "policy-file-kind"),
        ("![x](files/report.pdf)", "policy-file-kind"),
    ],
)
def test_each_rule_refuses_on_the_right_line(content, model, snippet, rule):
    body = "A first line that is fine.\n\n" + snippet + "\n\nA last line that is fine.\n"
    problems = problems_of(content, model, body)
    line = body_line(3 + snippet.count("\n"))  # the offending part ends the snippet
    assert rules_at(problems) >= {(line, rule)}, [p.text() for p in problems]
    assert {p.line for p in problems} == {line}, [p.text() for p in problems]


@pytest.mark.parametrize(
    "body",
    [
        "<table><thead><tr><th>a</th></tr></thead><tbody><tr><td>1</td></tr></tbody></table>",
        "<details><summary>More</summary>\n\nHidden text.\n\n</details>",
        '<abbr title="non-revenue water">NRW</abbr>, H<sub>2</sub>O, m<sup>3</sup>, <kbd>Ctrl</kbd>',
        '![A pixel](files/pixel.png "its title") and <img src="files/pixel.png" alt="a pixel" width="10">',
        (
            "[a page](../events/some-event.md), [another site](https://example.org/x?a=1#b), "
            "[mail](mailto:a@example.org), [phone](tel:+27310000000), [anchor](#results)"
        ),
        '<p style="color: #1a237e; font-weight: bold">Coloured.</p>',
        "Losses < 10% and pressure > 3 bar; R&amp;D & more.",
        "Data: the survey of 2012. Metadata: none. Note: the words on, one = two and onset=2011 are prose.",
        "A heading {: #results .note }\n\n## Results {: #results }",
        "```html\n<b>bold</b> in a code block\n```",
        # markup written as text reaches the page as text (the allow-list judges what
        # Markdown makes, and that is no element)
        "&lt;script&gt;alert(1)&lt;/script&gt; is how a script starts.",
    ],
)
def test_harmless_markup_and_prose_pass(content, model, body):
    problems = problems_of(content, model, body)
    assert problems == [], [p.text() for p in problems]


def test_lines_count_blank_lines_between_front_matter_and_body(content, model):
    # python-frontmatter swallows the blank lines after '---'; the policy counts them
    entry = entry_from(content, model, FRONT + "\n\n\n<script>x</script>\n")
    assert rules_at(check_policy(entry, model, PolicySettings())) == {(FRONT_LINES + 4, "policy-script")}


def test_multi_line_tag_reports_the_line_of_the_attribute(content, model):
    problems = problems_of(content, model, '<a href="#x"\n   title="t"\n   onclick="alert(1)">x</a>\n')
    assert rules_at(problems) == {(body_line(3), "policy-event-handler")}


def test_markdown_rendering_is_the_last_net(content, model):
    # every source-level check agrees; the rendered HTML is checked as well
    findings = policy.rendered_findings('[x](https://ok.example/){: onclick="alert(1)" }', PolicySettings())
    assert {f.rule for f in findings} == {"policy-event-handler"}


# -- front matter -----------------------------------------------------------------------

FM_CASES = [
    ("title: '<script>alert(1)</script>'", "policy-script"),
    ("title: '</title><script>alert(1)</script>'", "policy-script"),
    ("title: '&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt;'", "policy-script"),
    ("title: '\"><img src=x onerror=alert(1)>'", "policy-event-handler"),
    ("title: '\" autofocus onfocus=\"alert(1)'", "policy-event-handler"),
    ("title: '\" style=\"background:url(https://evil.example/)'", "policy-style-url"),
    ("title: 'javascript:alert(1)'", "policy-url-scheme"),
    ("title: 'x <a href=\"java&#x09;script:alert(1)\">y</a>'", "policy-url-scheme"),
    ("title: 'data:text/html,<b>x</b>'", "policy-url-scheme"),
    ("title: '<iframe src=\"https://evil.example/\"></iframe>'", "policy-frame"),
    ("title: '<object data=x></object>'", "policy-object"),
    ('title: \'"><base href="https://evil.example/">\'', "policy-html"),
    ("contact: 'file:///etc/passwd'", "policy-front-matter-url"),
    ("contact: 'ftp://files.example.org/x'", "policy-front-matter-url"),
]


@pytest.mark.parametrize("line, rule", FM_CASES)
def test_front_matter_values_are_checked_at_their_key(content, model, line, rule):
    front = (
        FRONT.replace("title: A test case study", line)
        if line.startswith("title:")
        else FRONT.replace("themes:", line + "\nthemes:")
    )
    entry = entry_from(content, model, front + "Body.\n")
    problems = check_policy(entry, model, PolicySettings())
    key = line.split(":", 1)[0]
    assert rules_at(problems) == {(entry.line(key), rule)}, [p.text() for p in problems]
    assert f"(in '{key}')" in problems[0].message


def test_url_fields_the_schema_refuses_are_not_reported_twice(content, model):
    front = FRONT.replace("  - title: Town report", "  - title: Town report\n    url: 'javascript:alert(1)'")
    entry = entry_from(content, model, front + "Body.\n")
    assert check_policy(entry, model, PolicySettings()) == []  # the schema's 'url' rule reports it
    front = FRONT.replace(
        "  - title: Town report",
        "  - title: Town report\n    url: 'https://example.org/\"><script>alert(1)</script>'",
    )
    entry = entry_from(content, model, front + "Body.\n")
    assert rules_at(check_policy(entry, model, PolicySettings())) == {
        (entry.line("sources", 0, "url"), "policy-script")
    }


@pytest.mark.parametrize(
    "value",
    [
        "Water losses < 10% & pressure > 3 bar",
        "Note: the first master class",
        "Data: collected in 2012",
        "Group 2: aligning the sector",
        'R&D in "smart" meters',
        "https://example.org/report.pdf",
        "mailto:info@example.org",
        "{{ 7*7 }}",
    ],
)
def test_ordinary_front_matter_passes(content, model, value):
    front = FRONT.replace("summary: What the town did.", f"summary: '{value}'")
    entry = entry_from(content, model, front + "Body.\n")
    assert check_policy(entry, model, PolicySettings()) == []


# -- files --------------------------------------------------------------------------


def test_file_size_limit_comes_from_mkdocs_yml(tmp_path, model):
    project = tmp_path / "hub"
    (project / "content" / "case-studies" / "files").mkdir(parents=True)
    (project / "content" / "case-studies" / "files" / "big.png").write_bytes(PNG + b"\x00" * 3000)
    (project / "mkdocs.yml").write_text(
        "site_name: x\ndocs_dir: content\nextra:\n  hub:\n    policy:\n      max_file_mb: 0.002\n"
    )
    entry = entry_from(project / "content", model, FRONT + "![big](files/big.png)\n")
    problems = check_policy(entry, model)
    assert rules_at(problems) >= {(body_line(1), "policy-file-size")}
    assert "the limit is 0.002 MB" in problems[0].message
    # and the whole content/ folder is held to it too
    assert {p.path for p in problems if p.rule == "policy-file-size"} == {
        "case-studies/sample.md",
        "case-studies/files/big.png",
    }


def test_symbolic_links_out_of_content_are_refused(content, model, tmp_path):
    outside = tmp_path / "outside.png"
    outside.write_bytes(PNG)
    (content / "case-studies" / "files" / "out.png").symlink_to(outside)
    (content / "case-studies" / "files" / "in.png").symlink_to(
        content / "case-studies" / "files" / "pixel.png"
    )
    problems = problems_of(content, model, "![out](files/out.png)\n\n![in](files/in.png)\n")
    assert rules_at(problems) == {(body_line(1), "policy-file-outside"), (1, "policy-file-outside")}
    assert {p.path for p in problems} == {"case-studies/sample.md", "case-studies/files/out.png"}


def test_a_file_must_be_what_its_name_says(content, model):
    (content / "case-studies" / "files" / "fake.png").write_text("<script>alert(1)</script>")
    (content / "case-studies" / "files" / "report.pdf").write_bytes(b"%PDF-1.7\n")
    problems = problems_of(content, model, "![fake](files/fake.png) [report](files/report.pdf)\n")
    assert rules_at(problems) == {(body_line(1), "policy-file-kind"), (1, "policy-file-kind")}


SVG_HEAD = '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'


@pytest.mark.parametrize(
    "svg, safe",
    [
        (SVG_HEAD + '<rect style="fill:url(#g)"/><use xlink:href="#g"/></svg>', True),
        # the SVG allow-list: href only to #id, so not even a data: image
        (SVG_HEAD + '<image href="data:image/png;base64,AAAA"/></svg>', False),
        (SVG_HEAD + "<script>alert(1)</script></svg>", False),
        (SVG_HEAD + '<script xlink:href="x.js"/></svg>', False),
        (SVG_HEAD.replace("<svg", '<svg onload="alert(1)"') + "</svg>", False),
        (SVG_HEAD + '<a xlink:href="javascript:alert(1)"><text>x</text></a></svg>', False),
        (SVG_HEAD + '<a href="&#106;avascript:alert(1)"><text>x</text></a></svg>', False),
        (SVG_HEAD + '<image href="https://tracker.example/p.png"/></svg>', False),
        (SVG_HEAD + '<set attributeName="href" to="x"/></svg>', False),
        (SVG_HEAD + "<foreignObject><p>x</p></foreignObject></svg>", False),
        ('<?xml-stylesheet href="evil.xsl"?>' + SVG_HEAD + "</svg>", False),
        ('<!DOCTYPE svg [<!ENTITY a "b">]>' + SVG_HEAD + "<text>&a;</text></svg>", False),
        (SVG_HEAD + '<rect style="fill:url(https://evil.example/x)"/></svg>', False),
    ],
)
def test_svg_is_allowed_only_without_script(svg, safe):
    assert (svg_findings(svg.encode()) == []) is safe, svg_findings(svg.encode())


def test_files_nobody_links_are_published_too_and_checked(content, model):
    (content / "case-studies" / "files" / "page.html").write_text("<script>alert(1)</script>")
    (content / "stray.js").write_text("alert(1)")
    (content / "about.md").write_text("# About\n\nSome text.\n\n<script>alert(1)</script>\n")
    (content / "case-studies" / "_notes.md").write_text("<iframe></iframe>\n")
    (content / ".hidden.html").write_text("<script>alert(1)</script>")  # MkDocs does not publish dot-files
    found = {(p.path, p.line, p.rule) for p in content_problems(content, model, PolicySettings())}
    assert found == {
        ("case-studies/files/page.html", 1, "policy-file-kind"),
        ("stray.js", 1, "policy-file-kind"),
        ("about.md", 5, "policy-script"),
        ("case-studies/_notes.md", 1, "policy-frame"),
        ("case-studies/_notes.md", 1, "policy-file-name"),  # not an entry, yet published
    }


def test_content_sweep_notices_new_files(content, model):
    assert content_problems(content, model, PolicySettings()) == []
    (content / "case-studies" / "files" / "new.exe").write_bytes(b"MZ")
    assert [p.path for p in content_problems(content, model, PolicySettings())] == [
        "case-studies/files/new.exe"
    ]


# -- settings ------------------------------------------------------------------------


def test_settings_defaults_and_overrides():
    default = settings_from({})
    assert default.enabled and default.max_file_bytes == 5 * 1024 * 1024
    assert default.file_kinds == ("png", "jpg", "jpeg", "gif", "svg", "webp", "pdf", "csv", "xlsx", "docx")
    custom = settings_from(
        {"extra": {"hub": {"policy": {"max_file_mb": 1.5, "file_kinds": ["PNG", "pdf", "txt"]}}}}
    )
    assert custom.max_file_bytes == int(1.5 * 1024 * 1024) and custom.file_kinds == ("png", "pdf", "txt")
    assert custom.image_kinds == ("png",) and not custom.problems


@pytest.mark.parametrize(
    "raw, words",
    [
        ({"enabled": "no"}, "'enabled' must be true or false"),
        ({"max_file_mb": -1}, "'max_file_mb' must be a positive number"),
        ({"file_kinds": ["png", "html"]}, "'html' files cannot be allowed"),
        ({"file_kinds": ["js"]}, "'js' files cannot be allowed"),
        ({"max_size": 3}, "unknown setting 'max_size'"),
        (["png"], "must be a mapping"),
    ],
)
def test_bad_settings_are_problems_of_mkdocs_yml(raw, words):
    settings = settings_from({"extra": {"hub": {"policy": raw}}})
    assert any(
        words in p.message and p.path == "mkdocs.yml" and p.rule == "policy-config" for p in settings.problems
    ), settings.problems


def test_switching_the_policy_off_is_loud(content, model, monkeypatch):
    body = "<script>alert(1)</script>\n"
    off = problems_of(
        content, model, body, settings=settings_from({"extra": {"hub": {"policy": {"enabled": False}}}})
    )
    assert [(p.severity, p.rule) for p in off] == [("warning", "policy-off")] and "switched off" in off[
        0
    ].message
    monkeypatch.setenv(policy.ENV_SKIP, "1")
    off = problems_of(content, model, body)
    assert [(p.severity, p.rule) for p in off] == [("warning", "policy-off")] and policy.ENV_SKIP in off[
        0
    ].message


def test_the_validator_applies_the_policy(project_copy):
    (project_copy / "content" / "case-studies" / "hostile.md").write_text(
        FRONT + "<script>alert(1)</script>\n", encoding="utf-8"
    )
    result = load_library(Project.find(config_file=project_copy / "mkdocs.yml"))
    assert not result.ok
    assert [(p.path, p.line, p.rule) for p in result.problems] == [
        ("content/case-studies/hostile.md", body_line(1), "policy-script")
    ]


def test_scheme_and_css_helpers():
    assert scheme_of(" JaVa\tScRiPt:x") == "javascript"
    assert scheme_of("&#x6A;avascript:x") == "javascript"
    assert scheme_of("files/a.png") is None and scheme_of("#top") is None
    assert (
        css_loads("background: URL( x )")
        and css_loads("b: \\000075rl(x)")
        and css_loads("x: expression(alert(1))")
    )
    assert not css_loads("color: red; font-weight: bold")
