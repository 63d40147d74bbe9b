"""The GitHub issue form of each contributed type, in the plain words of its questions.

The form is generated from ``questions()`` (knowledgehub/model/questions.py) by
``hub issue-form``, and ``hub from-issue`` reads a submitted form back through the same
``asked()`` list, so that a question's label in the form and in the parser are one string.

How each kind of question is asked (GitHub's forms have inputs, text boxes, drop-downs
and check boxes only):

- a choice, a country or a yes/no: a drop-down of labels and names (several for lists);
- an entry (an organisation, an event): its name; several: one name per line;
- several short texts: a text box, one per line;
- records (sources, indicators, sessions): a text box, one record per line, its parts
  separated by commas in the order the description gives; a single record (a place) is
  asked part by part;
- items (recommendations, commitments): a text box, one per line, starting with what sort
  it is ("Recommendation: ..."); their own themes are left to the maintainers;
- a body section: a text box under its heading.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from knowledgehub.model.content import ContentModel
from knowledgehub.model.questions import Question, contributed_types, questions

FORMS = Path(".github/ISSUE_TEMPLATE")
ATTACHMENTS_LABEL = "The report itself"
CONSENT_LABEL = "Before you submit"
LIST_KINDS = ("choices", "countries")
YES, NO = "Yes", "No"


@dataclass(frozen=True)
class Asked:
    """One element of the form: its label, the question, and the record it is a part of."""

    label: str
    question: Question
    parent: Question | None = None  # the single record (a place) this is a part of
    element: str = "input"  # input | textarea | dropdown

    @property
    def path(self) -> tuple[str, ...]:
        return (self.parent.field, self.question.field) if self.parent else (self.question.field,)


def form_path(type_name: str) -> Path:
    return FORMS / f"{type_name}.yml"


def plain(label: str) -> str:
    """A part's label inside a sentence: "Who published it?" → "who published it"."""
    return label.rstrip("?").strip()[:1].lower() + label.rstrip("?").strip()[1:]


def line_parts(q: Question) -> tuple[Question, ...]:
    """The parts of a record written on one line: the single-valued ones."""
    return tuple(p for p in q.parts if p.kind not in ("choices", "countries", "entries", "lines"))


def item_parts(q: Question) -> tuple[Question | None, Question | None]:
    """An item's sort (its first choice) and its text (its first text part), if it has them."""
    sort = next((p for p in q.parts if p.kind == "choice"), None)
    text = next((p for p in q.parts if p.kind in ("text", "line")), None)
    return sort, text


def element_kind(q: Question) -> str:
    """The form element that asks ``q``: a drop-down, a text box or a one-line input."""
    if q.kind in ("choice", "choices", "country", "countries", "boolean"):
        return "dropdown"
    if q.kind in ("text", "lines", "records", "items", "body", "entries"):
        return "textarea"
    return "input"


def asked(model: ContentModel, type_name: str) -> list[Asked]:
    """Every question the form of ``type_name`` asks, in its order."""
    found: list[Asked] = []
    for q in questions(model, type_name):
        if q.kind == "records" and q.max == 1:
            for part in q.parts:
                found.append(Asked(f"{q.label}: {part.label}", part, q, element_kind(part)))
        elif q.kind == "items" and None in item_parts(q):
            continue
        else:
            found.append(Asked(q.label, q, None, element_kind(q)))
    return found


def _description(a: Asked) -> str:
    q = a.question
    words = [q.help] if q.help else []
    if q.kind == "records":
        parts = ", ".join(plain(p.label) for p in line_parts(q))
        words.append(
            f"One per line: {parts}, in this order and separated by commas. Leave a part you do "
            "not know empty but keep its comma (“40, , 25”); a part that holds a comma goes in double "
            'quotes ("Water, sanitation and you").'
        )
    elif q.kind == "items":
        sort, text = item_parts(q)
        sorts = ", ".join(c.label for c in sort.choices)
        sort_example = sort.example or sort.choices[0].label
        example = f"{sort_example}: {text.example.rstrip('.')}" if text.example else ""
        words.append(
            "One per line, starting with what sort it is"
            + (f", for example “{example}”" if example else "")
            + f". The sorts: {sorts}."
        )
    elif q.kind == "lines" and "one per line" not in q.help.lower():
        words.append("One per line.")
    elif q.kind == "entry":
        words.append("Its name is enough; a new one is welcome.")
    elif q.kind == "entries" and "one per line" not in q.help.lower():
        words.append("Their names, one per line; new ones are welcome.")
    elif q.kind in LIST_KINDS and "choose" not in q.help.lower():
        words.append("Choose as many as apply.")
    if q.max_length:
        words.append(f"At most {q.max_length} characters.")
    if q.public_note:
        words.append(f"**{q.public_note.rstrip('.')}.**")
    return " ".join(words)


def _options(q: Question) -> list[str]:
    if q.kind == "boolean":
        return [YES, NO]
    return [c.label for c in q.choices]


def _slug(*parts: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]+", "-", "-".join(p for p in parts if p)).strip("-").lower()


def form_element(a: Asked) -> dict:
    q = a.question
    element_id = _slug(a.parent.field if a.parent else "", q.field) or _slug("section", q.label)
    attributes: dict = {"label": a.label}
    description = _description(a)
    if description:
        attributes["description"] = description
    if a.element == "dropdown":
        attributes["multiple"] = q.kind in LIST_KINDS
        attributes["options"] = _options(q)
    elif q.kind == "date":
        attributes["placeholder"] = plain_date(q.example) or "2012, or March 2012, or 14 March 2012"
    elif q.example and q.kind not in ("records", "items", "body"):
        attributes["placeholder"] = q.example
    return {
        "type": a.element,
        "id": element_id,
        "attributes": attributes,
        "validations": {"required": bool(q.required and (a.parent is None or a.parent.required))},
    }


def plain_date(value: str) -> str:
    """A date of the model (2012, 2012-02, 2012-02-14) as people write it (2012,
    February 2012, 14 February 2012); "" for anything else."""
    found = re.fullmatch(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", value or "")
    if not found or not 1 <= int(found.group(2) or 1) <= 12:
        return ""
    year, month, day = found.groups()
    month_name = calendar.month_name[int(month)] if month else ""
    return " ".join(part for part in (str(int(day)) if day else "", month_name, year) if part)


def _article(label: str) -> str:
    return "an" if label[:1].lower() in "aeiou" else "a"


def issue_form(model: ContentModel, type_name: str) -> dict:
    """The issue form (as data) for suggesting an entry of ``type_name``."""
    ctype = model.types[type_name]
    name = ctype.label.lower()
    article = _article(name)
    body: list[dict] = [
        {
            "type": "markdown",
            "attributes": {
                "value": (
                    f"Thank you for sharing {article} {name}: {ctype.description[:1].lower()}"
                    f"{ctype.description[1:]}\n\n"
                    "You do not need git or any code. Answer the questions below in your own words; "
                    "questions with a red star are needed, leave out what you do not know.\n\n"
                    "**You can attach the report itself**: drag and drop the file (PDF, Word, slides) "
                    f"into the box “{ATTACHMENTS_LABEL}” at the end of the form.\n\n"
                    "**What happens next**: the hub reads your answers and replies on this issue with "
                    "anything that needs a change (edit the issue to fix it). When all is in order, "
                    "a maintainer or the hub's bot turns your answers into a pull request with the "
                    "new entry, a maintainer reviews it, and it is published. You are credited as "
                    "the one who suggested it."
                )
            },
        }
    ]
    body.extend(form_element(a) for a in asked(model, type_name))
    body.append(
        {
            "type": "textarea",
            "id": "attachments",
            "attributes": {
                "label": ATTACHMENTS_LABEL,
                "description": (
                    "Drag and drop the report, or other documents the entry is written from, into "
                    "this box. They are public once attached."
                ),
            },
            "validations": {"required": False},
        }
    )
    body.append(
        {
            "type": "checkboxes",
            "id": "consent",
            "attributes": {
                "label": CONSENT_LABEL,
                "options": [
                    {
                        "label": (
                            "I wrote this in my own words (or quote with credit), "
                            "and it may be published in the library."
                        ),
                        "required": True,
                    },
                    {
                        "label": (
                            "I named the documents it is written from, so that readers can follow them up."
                        ),
                        "required": True,
                    },
                ],
            },
        }
    )
    return {
        "name": f"Suggest {article} {name}",
        "description": f"Share {article} {name} without git: answer a few questions in plain words.",
        "title": f"{ctype.label}: ",
        "labels": [type_name, "submission"],
        "body": body,
    }


class FormDumper(yaml.SafeDumper):
    """Writes text of several lines as a literal block, as people write these forms."""


def _represent_str(dumper: yaml.SafeDumper, value: str):
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


FormDumper.add_representer(str, _represent_str)


def dump_form(form: dict, command: str, source: str = "model/types.yml and model/taxonomy.yml") -> str:
    header = (
        f"# Generated from {source} by `{command}`.\n"
        "# Do not edit by hand: change the model and run the command again.\n"
    )
    return header + yaml.dump(
        form, Dumper=FormDumper, sort_keys=False, allow_unicode=True, width=100, default_flow_style=False
    )


def render_issue_form(model: ContentModel, type_name: str) -> str:
    """The form of ``type_name`` as the YAML file committed under .github/ISSUE_TEMPLATE/."""
    return dump_form(issue_form(model, type_name), f"hub issue-form {type_name}")


def chooser_config(repo_url: str) -> dict:
    """The form chooser's configuration: the forms, then the guide for those who use git."""
    return {
        "blank_issues_enabled": True,
        "contact_links": [
            {
                "name": "Add an entry with git",
                "url": f"{repo_url.rstrip('/')}/blob/main/CONTRIBUTING.md",
                "about": "The contributing guide: an entry as a Markdown file, step by step.",
            }
        ],
    }


def configured(config_file: Path, key: str) -> str:
    """A setting of mkdocs.yml as the repository has it: for ``!ENV [NAME, default]``,
    the default (the files generated from it must not depend on who runs the command)."""

    class _Loader(yaml.SafeLoader):
        pass

    def env(loader, node):
        if isinstance(node, yaml.SequenceNode) and node.value:
            return loader.construct_scalar(node.value[-1])
        return None

    _Loader.add_constructor("!ENV", env)
    _Loader.add_multi_constructor("!", lambda loader, suffix, node: None)
    _Loader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)
    data = yaml.load(Path(config_file).read_text(encoding="utf-8"), Loader=_Loader) or {}
    value = data.get(key) if isinstance(data, dict) else None
    return str(value) if value else ""


def all_forms(model: ContentModel) -> list[str]:
    """The contributed types, in the model's order: one form each."""
    return contributed_types(model)
