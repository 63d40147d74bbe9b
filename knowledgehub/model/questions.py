"""The questions a contributor answers to add an entry, in plain words.

They are derived from the content model: one question per field of a type, in the
model's order, worded by the field's ``ask`` and ``ask_help`` keys in
``model/types.yml`` (the label and help when it has none), then one question per
section of the type's outline. What a contributor never sets (``ask: false``: the
status, ids the hub makes up, the archive's file references) is left out. The issue
forms, ``hub from-issue`` and the site's contribute page all read these questions.

Kinds of question (``Question.kind``):

- ``line``, ``text``, ``date``, ``integer``, ``number``, ``url``, ``email``,
  ``boolean``: one answer of that kind (a slug is a ``line``);
- ``choice`` / ``choices``: one / several of ``choices`` (a vocabulary's terms, or a
  field's allowed values);
- ``country`` / ``countries``: one / several countries, ``choices`` holding every
  country pycountry knows (value: the two-letter code, label: the name);
- ``entry`` / ``entries``: one / several entries of ``ref_type`` (the caller lists the
  catalog's entries; a contributor may name one that is not in the library yet);
- ``lines``: several short texts, one per line;
- ``records``: several answers of the same shape (sources, indicators, sessions);
  ``parts`` are the questions of one record. A single nested shape (a case study's
  place) is also ``records``, with ``max`` 1: one record, whose parts are asked once;
- ``items``: like ``records``, for a shape whose id the hub makes up (recommendations,
  commitments: the id comes from the text);
- ``body``: a section of the write-up (``field`` is "", ``label`` the heading).

What the answer must keep to, from the model: ``max_length`` (characters), ``not_after`` /
``not_before`` (another question of the same record or entry it may not come after / before).

A field whose label is also a heading of the outline is asked once, as the field: the
heading's ``body`` question is left out. An optional date is not asked of a type dated by
another field (an event's start, a course's sessions): ``is_asked``.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from knowledgehub.model.content import ContentModel, ContentType, Field

KINDS = (
    *("line", "text", "date", "integer", "number", "url", "email", "boolean"),
    *("choice", "choices", "country", "countries", "entry", "entries"),
    *("items", "records", "lines", "body"),
)

# Plain help added under a question by its kind, unless the help says it already.
KIND_HINTS = {
    "date": "A year alone, or a year and month, is fine.",
    "url": "A web address, starting with https://",
    "integer": "A whole number.",
    "number": "A number.",
}
_SCALAR = {"string": "line", "slug": "line"}


@dataclass(frozen=True)
class Choice:
    value: str
    label: str
    description: str = ""


@dataclass(frozen=True)
class Question:
    field: str  # front-matter key ("" for the body sections)
    label: str  # plain words
    help: str  # plain words: no codes, no file names, no format jargon
    kind: str  # one of KINDS
    required: bool
    choices: tuple[Choice, ...] = ()
    ref_type: str | None = None
    parts: tuple[Question, ...] = ()
    example: str = ""
    public_note: str = ""
    min: int | None = None
    max: int | None = None  # records: the most records (1 for a single nested shape)
    add_label: str = ""  # records, items: the button adding one ("Add a document")
    max_length: int | None = None  # the most characters of the answer
    not_after: str = ""  # the field of the same record (or entry) the answer may not come after
    not_before: str = ""  # ... nor come before


def contributed_types(model: ContentModel) -> list[str]:
    """The types people contribute: every type unless the model says ``contributed: false``."""
    return [name for name, ctype in model.types.items() if ctype.contributed]


def questions(model: ContentModel, type_name: str) -> list[Question]:
    """The questions for an entry of ``type_name``, in the model's order, then the body sections."""
    ctype: ContentType = model.types[type_name]
    asked = [_question(model, name, f) for name, f in ctype.fields.items() if is_asked(ctype, name)]
    labels = {q.label.lower() for q in asked} | {
        f.label.lower() for name, f in ctype.fields.items() if is_asked(ctype, name)
    }
    body = [
        Question(
            field="",
            label=heading,
            help=f"In your own words; it becomes the section “{heading}” of the entry's page.",
            kind="body",
            required=position == 0,
        )
        for position, heading in enumerate(ctype.outline)
        if heading.lower() not in labels
    ]
    return asked + body


def shape_questions(model: ContentModel, shape: dict[str, Field]) -> list[Question]:
    """The questions for one record of ``shape`` (a follow-up record, say), in its order."""
    return [_question(model, name, f) for name, f in shape.items() if f.asked]


def is_asked(ctype: ContentType, name: str) -> bool:
    """Whether a contributor is asked for field ``name`` of ``ctype``: not when the model says
    ``ask: false``, nor for an optional date when the type is dated by another field that is
    not one of its own run's dates (an event by its start, a course by its sessions)."""
    f = ctype.fields[name]
    if not f.asked:
        return False
    dated_otherwise = ctype.date_field not in (None, name) and ctype.date_field in ctype.fields
    return not (f.kind == "date" and not f.required and not f.as_session and dated_otherwise)


def questions_json(model: ContentModel, type_name: str) -> dict[str, Any]:
    """The questions of ``type_name`` as JSON-ready data, for a form in the browser."""
    ctype = model.types[type_name]
    return {
        "type": type_name,
        "label": ctype.label,
        "plural": ctype.plural,
        "description": ctype.description,
        "folder": ctype.folder,
        "questions": [_lists(asdict(q)) for q in questions(model, type_name)],
    }


def _lists(value: Any) -> Any:
    """``value`` with its tuples as lists, as JSON has them."""
    if isinstance(value, dict):
        return {key: _lists(v) for key, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_lists(v) for v in value]
    return value


def question_kind(f: Field) -> str:
    """The kind of question that asks for field ``f``."""
    if f.kind == "list" and f.of is not None:
        element = f.of
        if element.kind == "object":
            return "items" if _makes_up_id(element) else "records"
        single = _single_kind(element)
        return {"choice": "choices", "country": "countries", "entry": "entries"}.get(single, "lines")
    if f.kind == "object":
        return "records"
    return _single_kind(f)


def _single_kind(f: Field) -> str:
    if f.kind == "term" or f.values:
        return "choice"
    if f.kind == "ref":
        return "entry"
    return _SCALAR.get(f.kind, f.kind)


def _makes_up_id(f: Field) -> bool:
    """Whether the shape of ``f`` has a required id the contributor is not asked for."""
    return any(sub.kind == "slug" and sub.required and not sub.asked for sub in (f.shape or {}).values())


def _choices(model: ContentModel, f: Field) -> tuple[Choice, ...]:
    element = f.of if f.kind == "list" and f.of is not None else f
    if element.kind == "term":
        return tuple(
            Choice(t.id, t.label, t.description)
            for t in model.vocabulary(element.target or "").terms.values()
        )
    if element.values:
        return tuple(Choice(str(v), str(v).capitalize()) for v in element.values)
    if element.kind == "country":
        return country_choices(model)
    return ()


def country_choices(model: ContentModel) -> tuple[Choice, ...]:
    """Every country pycountry knows, by name."""
    return tuple(
        Choice(code, name) for code, name in sorted(model.countries.items(), key=lambda item: item[1])
    )


def _help(f: Field, kind: str) -> str:
    text = (f.ask_help or f.help).strip()
    if text and not text.endswith((".", "?", "!")):
        text += "."
    hint = KIND_HINTS.get(kind, "")
    if hint and hint.lower() not in text.lower():
        text = f"{text} {hint}".strip()
    return text


def _example(model: ContentModel, f: Field, kind: str) -> str:
    value = f.example
    if value in (None, "", []) or kind in ("entry", "entries", "records", "items"):
        return ""
    values = value if isinstance(value, list) else [value]
    element = f.of if f.kind == "list" and f.of is not None else f
    if element.kind == "country":
        values = [model.country_name(str(v)) for v in values]
    elif element.kind == "term":
        values = [model.term_label(element.target or "", str(v)) for v in values]
    elif isinstance(value, bool):
        values = ["Yes" if value else "No"]
    return ", ".join(str(v) for v in values)


def _question(model: ContentModel, name: str, f: Field) -> Question:
    kind = question_kind(f)
    parts: tuple[Question, ...] = ()
    shape = f.shape if f.kind == "object" else (f.of.shape if f.of is not None else None)
    if kind in ("records", "items") and shape:
        parts = tuple(_question(model, sub_name, sub) for sub_name, sub in shape.items() if sub.asked)
    element = f.of if f.kind == "list" and f.of is not None else f
    minimum = f.min if f.kind == "list" and isinstance(f.min, (int, float)) else None
    return Question(
        field=name,
        label=f.ask or f.label,
        help=_help(f, kind),
        kind=kind,
        required=f.required,
        choices=_choices(model, f),
        ref_type=element.target if element.kind == "ref" else None,
        parts=parts,
        example=_example(model, f, kind),
        public_note=f.public_note,
        min=int(minimum) if minimum is not None else (int(f.min) if kind == "integer" and f.min else None),
        max=1 if f.kind == "object" else None,
        add_label=_add_label(f) if kind in ("records", "items") and f.kind == "list" else "",
        max_length=f.max_length,
        not_after=f.not_after,
        not_before=f.not_before,
    )


def _add_label(f: Field) -> str:
    """The button adding a record: the model's ``add_label``, else "Add a" and the shape's name."""
    if f.add_label:
        return f.add_label
    thing = ((f.of.shape_name if f.of is not None else "") or "record").replace("_", " ")
    return f"Add {'an' if thing[:1] in 'aeiou' else 'a'} {thing}"
