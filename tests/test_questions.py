"""The questions a contributor answers (knowledgehub/model/questions.py): derived from the
model, in plain words, without what a contributor never sets, each asked once."""

from __future__ import annotations

import json
import re

import pytest
import yaml
from conftest import ROOT, copy_project

from knowledgehub.model.content import ContentModel
from knowledgehub.model.questions import (
    KINDS,
    Question,
    contributed_types,
    is_asked,
    questions,
    questions_json,
)

# What plain help never says: codes, file names, format notations, the model's words.
JARGON = re.compile(
    r"ISO|alpha-2|639|3166|file name|YYYY|\bids?\b|slug|taxonomy|entry-id|front matter|\.md\b", re.I
)


@pytest.fixture(scope="module")
def model():
    return ContentModel.load(ROOT / "model")


def all_questions(model):
    for type_name in contributed_types(model):
        for q in questions(model, type_name):
            yield type_name, q
            for part in q.parts:
                yield type_name, part


def test_every_type_is_contributed_unless_the_model_says_not(tmp_path):
    project = copy_project(tmp_path)
    model = ContentModel.load(project / "model")
    assert contributed_types(model) == list(model.types)
    types = project / "model/types.yml"
    text = types.read_text(encoding="utf-8")
    first = next(iter(model.types))
    types.write_text(
        text.replace(f"\n  {first}:\n", f"\n  {first}:\n    contributed: false\n", 1), encoding="utf-8"
    )
    changed = ContentModel.load(project / "model")
    assert first not in contributed_types(changed)
    assert len(contributed_types(changed)) == len(model.types) - 1


def test_questions_follow_the_model_order_then_the_outline(model):
    for type_name, ctype in model.types.items():
        asked = questions(model, type_name)
        fields = [q.field for q in asked if q.kind != "body"]
        assert fields == [name for name in ctype.fields if is_asked(ctype, name)]
        assert all(ctype.fields[n].asked for n in fields)
        body = [q for q in asked if q.kind == "body"]
        assert all(q.field == "" for q in body)
        assert [q.label for q in body] == [
            h for h in ctype.outline if h.lower() not in {ctype.fields[n].label.lower() for n in fields}
        ]
        # the body questions come last
        assert asked[len(fields) :] == body


def test_what_a_contributor_never_sets_is_not_asked(model):
    doc = yaml.safe_load((ROOT / "model/types.yml").read_text(encoding="utf-8"))
    never = {name for name, spec in doc["common"].items() if spec.get("ask") is False}
    assert {"status", "language"} <= never
    for type_name in model.types:
        assert not never & {q.field for q in questions(model, type_name)}
    # the hub makes up item ids and the archive's file references
    for _type, q in all_questions(model):
        if q.kind == "items":
            assert "id" not in {p.field for p in q.parts}
        if q.kind == "records":
            assert "file" not in {p.field for p in q.parts}


def test_help_is_in_plain_words(model):
    for type_name, q in all_questions(model):
        assert q.kind in KINDS, q
        assert q.label.strip(), q
        assert not JARGON.search(q.label), (type_name, q.label)
        assert not JARGON.search(q.help), (type_name, q.field, q.help)
        assert not JARGON.search(q.example) or q.kind in ("line", "text"), (type_name, q.field, q.example)


def test_no_question_is_asked_twice(model):
    for type_name in model.types:
        labels = [q.label.lower() for q in questions(model, type_name)]
        assert len(labels) == len(set(labels)), (type_name, labels)


def test_a_field_shown_as_a_section_is_asked_once(model):
    """A case study's lessons are a field and a heading of its outline: asked as the field."""
    for type_name, ctype in model.types.items():
        asked = questions(model, type_name)
        for heading in ctype.outline:
            matching = [q for q in asked if q.label.lower() == heading.lower()]
            assert len(matching) <= 1
            if any(f.label.lower() == heading.lower() and f.asked for f in ctype.fields.values()):
                assert matching and matching[0].kind != "body", heading


def test_kinds_and_choices(model):
    by_field = {q.field: q for q in questions(model, "case-study")}
    countries = by_field["countries"]
    assert countries.kind == "countries"
    assert len(countries.choices) == len(model.countries) > 240
    assert next(c.label for c in countries.choices if c.value == "ZA") == "South Africa"
    assert [c.label for c in countries.choices] == sorted(c.label for c in countries.choices)
    assert countries.example == "South Africa"
    themes = by_field["themes"]
    assert themes.kind == "choices" and themes.required and themes.min == 1
    assert [c.value for c in themes.choices] == list(model.vocabulary("themes").terms)
    assert all(c.label and c.label != c.value for c in themes.choices)
    assert by_field["organisations"].kind == "entries"
    assert by_field["organisations"].ref_type == model.organisation_type
    sources = by_field["sources"]
    assert sources.kind == "records" and sources.required and sources.min == 1
    assert [p.field for p in sources.parts] == ["title", "publisher", "year", "url"]
    assert sources.parts[0].required and not sources.parts[1].required
    place = by_field["place"]
    assert place.kind == "records" and place.max == 1
    assert next(p for p in place.parts if p.field == "country").kind == "country"
    assert by_field["date"].kind == "date" and "a year alone" in by_field["date"].help.lower()
    assert by_field["lessons"].kind == "lines"
    assert by_field["event"].kind == "entry" and by_field["event"].ref_type == "event"
    contact = by_field["contact"]
    assert not contact.required and "public" in contact.public_note.lower()
    items = {q.field: q for q in questions(model, "workshop-outcome")}["items"]
    assert items.kind == "items" and items.required
    kind = next(p for p in items.parts if p.field == "kind")
    assert kind.kind == "choice" and "recommendation" in {c.value for c in kind.choices}
    better = next(p for p in by_field["indicators"].parts if p.choices and not p.choices[0].description)
    assert [c.value for c in better.choices] == ["lower", "higher"]


def test_plain_words_come_from_the_model(tmp_path):
    project = copy_project(tmp_path)
    types = project / "model/types.yml"
    text = types.read_text(encoding="utf-8")
    assert 'ask: "Which countries?"' in text
    types.write_text(
        text.replace('ask: "Which countries?"', 'ask: "Where did it happen?"', 1), encoding="utf-8"
    )
    model = ContentModel.load(project / "model")
    first = contributed_types(model)[0]
    assert "Where did it happen?" in [q.label for q in questions(model, first)]


def test_questions_json_is_json_ready(model):
    for type_name in contributed_types(model):
        data = questions_json(model, type_name)
        again = json.loads(json.dumps(data))
        assert again == data
        assert data["type"] == type_name and data["label"] == model.types[type_name].label
        assert len(data["questions"]) == len(questions(model, type_name))
        first = data["questions"][0]
        assert set(first) == set(Question.__dataclass_fields__)
        records = next(q for q in data["questions"] if q["kind"] == "records")
        assert records["parts"] and isinstance(records["parts"][0], dict)


def test_a_type_dated_by_another_field_is_not_asked_for_a_date(model):
    dropped = 0
    for type_name, ctype in model.types.items():
        for q in questions(model, type_name):
            f = ctype.fields.get(q.field)
            if q.kind == "date" and not f.as_session:
                assert f.required or q.field == ctype.date_field, (type_name, q.field)
        dropped += sum(1 for n, f in ctype.fields.items() if f.asked and not is_asked(ctype, n))
    assert dropped >= 3  # an event's, a course's and an organisation's optional date


def test_limits_and_orders_of_the_model_are_carried_into_the_questions(model):
    for type_name in contributed_types(model):
        by_field = {q.field: q for q in questions(model, type_name)}
        assert by_field["title"].max_length == model.types[type_name].fields["title"].max_length > 0
        assert by_field["sources"].add_label == "Add a document"
        for q in by_field.values():
            for part in q.parts:
                for other in (part.not_after, part.not_before):
                    assert not other or other in {p.field for p in q.parts}
    figures = {q.field: q for q in questions(model, "case-study")}["indicators"]
    assert figures.add_label == "Add a figure"
    assert {p.field: p.not_after for p in figures.parts}["baseline_year"] == "year"
    sessions = {q.field: q for q in questions(model, "course")}["sessions"]
    assert sessions.add_label == "Add a session"  # from the shape's name when the model gives none
    assert {p.field: p.not_before for p in sessions.parts}["end"] == "start"


def test_an_order_naming_no_field_beside_it_is_a_clear_model_error(tmp_path):
    from knowledgehub.model.content import ModelError

    project = copy_project(tmp_path)
    types = project / "model/types.yml"
    text = types.read_text(encoding="utf-8")
    types.write_text(text.replace("not_after: year", "not_after: yeer", 1), encoding="utf-8")
    with pytest.raises(ModelError, match="baseline_year.*not_after must name another field.*'yeer'"):
        ContentModel.load(project / "model")
    types.write_text(text.replace("max_length: 200", "max_length: long", 1), encoding="utf-8")
    with pytest.raises(ModelError, match="title.*max_length must be a whole number"):
        ContentModel.load(project / "model")
