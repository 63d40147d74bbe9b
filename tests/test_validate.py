"""Validation: schema, taxonomy, references and ids, each problem on its line with a hint."""

import textwrap

from knowledgehub.library.load import load_library
from knowledgehub.model.project import Project


def write(project, rel, text):
    path = project / "content" / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return path


def check(project):
    return load_library(Project.find(config_file=project / "mkdocs.yml"))


def messages(result, rel):
    return [(p.line, p.message, p.hint) for p in result.problems if p.path.endswith(rel)]


CASE = """
---
title: Leak detection in a test town
summary: What the town did.
date: "2013-05-01"
countries: [ZA]
themes: [water-loss]
organisations: [mile]
sources:
  - title: Town report
    year: 2013
indicators:
  - name: Non-revenue water
    unit: "%"
    baseline: 40
    baseline_year: 2010
    value: 30
    year: 2013
---
Body.
"""


def test_shipped_content_is_valid(library):
    assert library.ok
    assert library.files >= 30


def test_valid_case_study_passes(project_copy):
    write(project_copy, "case-studies/leaks.md", CASE)
    result = check(project_copy)
    assert result.ok, result.problems


def test_misspelt_theme_gets_a_suggestion(project_copy):
    write(project_copy, "case-studies/leaks.md", CASE.replace("[water-loss]", "[water-los]"))
    [(line, message, hint)] = messages(check(project_copy), "leaks.md")
    assert line == 6
    assert message == "unknown theme 'water-los'"
    assert hint == "did you mean 'water-loss'?"


def test_synonym_used_as_term_points_to_the_term(project_copy):
    write(project_copy, "case-studies/leaks.md", CASE.replace("[water-loss]", "[NRW]"))
    [(_, message, hint)] = messages(check(project_copy), "leaks.md")
    assert "unknown theme 'NRW'" in message and "water-loss" in hint


def test_every_mistake_reported_at_once(project_copy):
    bad = (
        CASE.replace('date: "2013-05-01"', 'date: "2013-13-01"')
        .replace("countries: [ZA]", "countries: [ZAF]")
        .replace("organisations: [mile]", "organisations: [mlie]\ncolour: blue")
        .replace("year: 2013\nindicators", "year: twenty\nindicators")
        .replace("    value: 30\n", "    value: thirty\n")
        .replace("summary: What the town did.\n", "")
    )
    write(project_copy, "case-studies/leaks.md", bad)
    found = messages(check(project_copy), "leaks.md")
    text = "\n".join(f"{line}: {message} ({hint})" for line, message, hint in found)
    assert "1: missing required field 'summary'" in text
    assert "3: 'date' is not a valid date" in text
    assert "4: unknown country code 'ZAF' (did you mean 'ZA' (South Africa)?)" in text
    assert "refers to organisation 'mlie', which does not exist (did you mean 'mile'?)" in text
    assert "7: unknown field 'colour'" in text
    assert "'sources[1].year' must be a whole number" in text
    assert "'indicators[1].value' must be a number" in text
    assert len(found) == 7, text


def test_wrong_shape_hints(project_copy):
    write(project_copy, "case-studies/leaks.md", CASE.replace("themes: [water-loss]", "themes: water-loss"))
    [(line, message, hint)] = messages(check(project_copy), "leaks.md")
    assert line == 6 and "'themes' must be a list" in message and hint == "write it as a list: [water-loss]"


def test_dangling_reference_and_draft_reference(project_copy):
    write(project_copy, "case-studies/leaks.md", CASE.replace("[mile]", "[no-such-org]"))
    [(line, message, hint)] = messages(check(project_copy), "leaks.md")
    assert line == 7 and "refers to organisation 'no-such-org', which does not exist" in message
    assert "content/organisations/no-such-org.md" in hint


def test_reference_to_a_draft_is_an_error(project_copy):
    org = project_copy / "content/organisations/mile.md"
    org.write_text(
        org.read_text().replace("kind: training-institute", "kind: training-institute\nstatus: draft")
    )
    write(project_copy, "case-studies/leaks.md", CASE)
    found = messages(check(project_copy), "leaks.md")
    assert any("which is a draft" in m for _, m, _ in found)


def test_duplicate_ids_and_item_ids(project_copy):
    write(project_copy, "case-studies/leaks.md", CASE)
    write(project_copy, "case-studies/2013/leaks.md", CASE)
    outcome = """
    ---
    title: A workshop
    summary: What it said.
    themes: [coordination]
    sources: [{title: Notes}]
    items:
      - {id: first, kind: recommendation, text: One.}
      - {id: first, kind: recommendation, text: Two.}
    ---
    """
    write(project_copy, "workshops/twice.md", outcome)
    result = check(project_copy)
    assert any(
        "duplicate id 'leaks'" in m
        for _, m, _ in messages(result, "2013/leaks.md") + messages(result, "case-studies/leaks.md")
    )
    [(line, message, _)] = messages(result, "twice.md")
    assert line == 8 and "item id 'first' is used twice" in message


def test_end_before_start_and_bad_indicator_years(project_copy):
    event = """
    ---
    title: An event
    summary: Something.
    start: "2012-04-17"
    end: "2012-04-11"
    themes: [peer-learning]
    sources: [{title: Notes}]
    ---
    """
    write(project_copy, "events/backwards.md", event)
    write(project_copy, "case-studies/leaks.md", CASE.replace("baseline_year: 2010", "baseline_year: 2015"))
    result = check(project_copy)
    assert [(line, m) for line, m, _ in messages(result, "backwards.md")] == [
        (5, "'end' (2012-04-11) is before the start (2012-04-17)")
    ]
    assert any("baseline year 2015 is after" in m for _, m, _ in messages(result, "leaks.md"))


def test_bad_file_name(project_copy):
    write(project_copy, "case-studies/Leaks In Town.md", CASE)
    assert any("is not a valid id" in m for _, m, _ in messages(check(project_copy), "Leaks In Town.md"))


def test_a_session_ending_before_it_starts_is_reported_on_its_end(project_copy):
    event = """
    ---
    title: An event
    summary: Something.
    start: "2012-04-17"
    themes: [peer-learning]
    sessions:
      - start: "2012-05-10"
        end: "2012-05-08"
        city: Cape Town
    sources: [{title: Notes}]
    ---
    """
    write(project_copy, "events/backwards-session.md", event)
    result = check(project_copy)
    assert [(line, m) for line, m, _ in messages(result, "backwards-session.md")] == [
        (8, "'sessions[1].end' (2012-05-08) is before the start (2012-05-10)")
    ]


def test_a_title_or_summary_past_its_length_is_reported_on_its_line(project_copy):
    long = CASE.replace("title: Leak detection in a test town", "title: " + "Leak " * 600)
    long = long.replace("summary: What the town did.", "summary: " + "é" * 601)
    write(project_copy, "case-studies/long.md", long)
    found = messages(check(project_copy), "long.md")
    assert (2, "'title' is 2999 characters long; it may have at most 200") in [(ln, m) for ln, m, _ in found]
    assert (3, "'summary' is 601 characters long; it may have at most 600") in [(ln, m) for ln, m, _ in found]
    write(project_copy, "case-studies/long.md", CASE.replace("What the town did.", "é" * 600))
    assert messages(check(project_copy), "long.md") == []


def test_the_order_of_two_fields_comes_from_the_model(project_copy):
    """``not_after`` in model/types.yml: a baseline year after the year of the value is refused
    on its line; with the key gone from the model, the same entry passes."""
    write(project_copy, "case-studies/leaks.md", CASE.replace("baseline_year: 2010", "baseline_year: 2015"))
    [(line, message, _)] = messages(check(project_copy), "leaks.md")
    assert line == 15
    assert (
        message == "'indicators[1].baseline_year': baseline year 2015 is after the year of the value (2013)"
    )
    types = project_copy / "model" / "types.yml"
    types.write_text(types.read_text(encoding="utf-8").replace("not_after: year, ", ""), encoding="utf-8")
    assert messages(check(project_copy), "leaks.md") == []
