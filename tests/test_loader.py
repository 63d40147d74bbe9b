"""The loader: every kind of bad file is a clear problem with a line, never a traceback."""

from pathlib import Path

import pytest

from knowledgehub.library.loader import Entry, load_file, parse_front_matter

GOOD = """---
title: Pressure management in a test town
summary: A short summary.
date: "2012-02-14"
themes: [water-loss]
sources:
  - title: A report
---

## Context

Body text.
"""


def load(tmp_path: Path, model, data: bytes, name="case-studies/sample.md"):
    content = tmp_path / "content"
    path = content / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return load_file(path, content, model)


def only_problem(result):
    problems = result.problems if isinstance(result, Entry) else result
    assert len(problems) == 1, problems
    return problems[0]


def test_good_entry_keeps_lines_and_body(tmp_path, model):
    entry = load(tmp_path, model, GOOD.encode())
    assert isinstance(entry, Entry) and not entry.problems
    assert entry.type == "case-study" and entry.slug == "sample"
    assert entry.data["date"] == "2012-02-14"  # dates stay as written
    assert entry.line("themes") == 5
    assert entry.line("sources", 0, "title") == 7
    assert entry.body.startswith("## Context")
    assert entry.body_line == 10


def test_file_outside_type_folders_is_not_an_entry(tmp_path, model):
    assert load(tmp_path, model, GOOD.encode(), name="about.md") is None


@pytest.mark.parametrize(
    "data, line, words",
    [
        (b"", 1, "file is empty"),
        (b"   \n\n", 1, "file is empty"),
        (b"# Just a heading\n\nNo front matter.\n", 1, "no front matter"),
        (b"---\ntitle: x\nsummary: [unclosed\n---\n", 4, "malformed YAML"),
        (b"---\ntitle: a: b\n---\n", 2, "malformed YAML"),
        (b"---\ntitle: ok\n\xff\xfebad\n---\n", 3, "not valid UTF-8"),
        (b"---\n- a\n- b\n---\n", 2, "must be a mapping"),
        (b"---\nx: &a [1]\ny: *a\n---\n", 3, "anchors and aliases"),
        (b"---\nx: !!python/object/apply:os.system [ls]\n---\n", 2, "not allowed"),
        (b"---\nx: " + b"[" * 3000 + b"\n---\n", 2, "nest"),
    ],
)
def test_bad_files_are_single_clear_problems(tmp_path, model, data, line, words):
    problem = only_problem(load(tmp_path, model, data))
    assert words in problem.message
    assert problem.line == line
    assert problem.path == "case-studies/sample.md"


def test_bom_and_crlf_are_reported_and_the_rest_still_read(tmp_path, model):
    data = ("\ufeff" + GOOD.replace("\n", "\r\n")).encode()
    entry = load(tmp_path, model, data)
    assert isinstance(entry, Entry)
    messages = [p.message for p in entry.problems]
    assert any("byte-order mark" in m for m in messages)
    assert any("CRLF" in m for m in messages)
    assert entry.data["title"] == "Pressure management in a test town"
    assert entry.line("themes") == 5


def test_yes_no_stay_text_so_country_codes_survive(model):
    data, lines, problems = parse_front_matter("countries: [NO, ZA]\nflag: true\n", "f.md")
    assert data == {"countries": ["NO", "ZA"], "flag": True}
    assert not problems


def test_billion_laughs_is_refused_quickly(model):
    lines = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for i in range(1, 10):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]")
    data, _, problems = parse_front_matter("\n".join(lines) + "\n", "f.md")
    assert data is None
    assert "aliases" in problems[0].message


def test_duplicate_key_is_reported(model):
    _, _, problems = parse_front_matter("title: a\ntitle: b\n", "f.md")
    assert problems and "given twice" in problems[0].message and problems[0].line == 3


def test_oversized_file_is_refused(tmp_path, model):
    problem = only_problem(load(tmp_path, model, GOOD.encode() + b"x" * 1_100_000))
    assert "too large" in problem.message
