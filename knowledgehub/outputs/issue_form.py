"""GitHub issue forms for people who want to share without git.

The form of each contributed type is in ``submission_form.py`` (re-exported here); this
module writes the "Report progress on a recommendation" form, one question per field of
a follow-up record, and the form chooser's configuration.
"""

from __future__ import annotations

import re
from pathlib import Path

from knowledgehub.model.content import ContentModel, Field, singular
from knowledgehub.outputs.scaffold import yaml_value
from knowledgehub.outputs.submission_form import (  # noqa: F401 - the forms' public names
    FORMS,
    FormDumper,
    all_forms,
    chooser_config,
    dump_form,
    form_path,
    issue_form,
    render_issue_form,
)

CHOOSER = FORMS / "config.yml"


def _id(*parts: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]+", "-", "-".join(parts)).strip("-")


def _term_option(model: ContentModel, vocabulary: str, term_id: str) -> str:
    return f"{model.term_label(vocabulary, term_id)} ({term_id})"


def _describe(f: Field, model: ContentModel) -> str:
    """The help line under a question: the model's help, then the form of the answer."""
    help_text = f.help.rstrip(".") + "." if f.help else ""
    kind = f.kind
    extra = ""
    if kind == "date":
        extra = "YYYY-MM-DD, or YYYY-MM / YYYY when the day is not known."
    elif kind == "country":
        extra = "The country's name or its two-letter code."
    elif kind == "ref":
        target = model.types[f.target].label.lower()
        extra = f"Its name is enough: we link it to the {target} in the library, or add one."
    elif kind == "list" and f.of is not None:
        of = f.of
        if of.kind == "term":
            extra = "Choose as many as apply."
        elif of.kind == "object":
            order = [n for n, sub in of.shape.items() if sub.required] + [
                n for n, sub in of.shape.items() if not sub.required
            ]
            extra = (
                "One per line: "
                + "; ".join(
                    of.shape[n].label.lower() + ("" if of.shape[n].required else " (if known)") for n in order
                )
                + "."
            )
        elif of.kind == "ref":
            extra = "Names are enough, one per line."
        elif of.kind == "country":
            extra = "Country names or two-letter codes, separated by commas."
        elif "one per line" not in help_text.lower():
            extra = "One per line."
    elif kind in ("url",):
        extra = "A web address (https://...)."
    elif kind in ("integer", "number"):
        extra = "A number."
    return " ".join(part for part in (help_text, extra) if part)


def _example_text(f: Field) -> str:
    if f.example in (None, "", []):
        return ""
    if isinstance(f.example, list):
        return ", ".join(str(v) for v in f.example)
    return str(f.example) if not isinstance(f.example, bool) else yaml_value(f.example)


def _question(
    name: str, f: Field, model: ContentModel, prefix: str = "", required_parent: bool = True
) -> list[dict]:
    """The form elements that ask for field ``f``."""
    label = f"{prefix}{f.label}"
    element_id = _id(prefix.replace(":", "").strip().lower(), name) if prefix else _id(name)
    required = f.required and required_parent
    description = _describe(f, model)
    kind = f.kind
    if kind == "object":
        elements = []
        for sub_name, sub in f.shape.items():
            elements.extend(_question(sub_name, sub, model, prefix=f"{f.label}: ", required_parent=required))
        return elements
    element: dict
    vocabulary = (
        f.target
        if kind == "term"
        else (f.of.target if kind == "list" and f.of is not None and f.of.kind == "term" else None)
    )
    if vocabulary:
        options = [_term_option(model, vocabulary, t) for t in model.vocabulary(vocabulary).terms]
        element = {
            "type": "dropdown",
            "id": element_id,
            "attributes": {
                "label": label,
                "description": description
                or f"{singular(vocabulary).capitalize()}s from the hub's taxonomy.",
                "multiple": kind == "list",
                "options": options,
            },
        }
    elif f.values:
        element = {
            "type": "dropdown",
            "id": element_id,
            "attributes": {"label": label, "description": description, "options": [str(v) for v in f.values]},
        }
    elif kind == "boolean":
        element = {
            "type": "dropdown",
            "id": element_id,
            "attributes": {"label": label, "description": description, "options": ["yes", "no"]},
        }
    elif kind in ("text",) or (kind == "list" and not (f.of is not None and f.of.kind == "country")):
        element = {
            "type": "textarea",
            "id": element_id,
            "attributes": {"label": label, "description": description},
        }
    else:
        element = {
            "type": "input",
            "id": element_id,
            "attributes": {"label": label, "description": description},
        }
    if element["type"] in ("input", "textarea"):
        example = _example_text(f) if kind != "list" or (f.of is not None and f.of.kind != "object") else ""
        if kind == "date":
            example = str(f.example) if f.example else "YYYY-MM-DD"
        if example:
            element["attributes"]["placeholder"] = example
    if not element["attributes"].get("description"):
        del element["attributes"]["description"]
    element["validations"] = {"required": bool(required)}
    return [element]


# -- "Report progress on a recommendation" ------------------------------------------------
FOLLOW_UP_FORM = Path(".github/ISSUE_TEMPLATE/follow-up.yml")


def follow_up_form(model: ContentModel) -> dict:
    """The issue form (as data) for reporting what came of an item: the item's address, then
    one question per field of a follow-up record, in the model's order."""
    fu = model.follow_up
    records = next(f for f in model.iter_all_fields() if f.records_follow_up)
    body: list[dict] = [
        {
            "type": "markdown",
            "attributes": {
                "value": (
                    "Thank you for telling us what came of a recommendation, commitment or finding. "
                    "A maintainer adds your answer to the item's thread (with `hub follow-up`), so that "
                    "readers can see whether anyone acted on it. Please say only what you know and "
                    "name what shows it: an entry of the hub, a report, a web page."
                )
            },
        },
        {
            "type": "input",
            "id": "item",
            "attributes": {
                "label": "Which item",
                "description": (
                    "The item's address: the end of its link on the hub, as entry-id#item-id. Every item "
                    "has a # link beside it."
                ),
                "placeholder": "chennai-declaration-india-wops-2011#water-awards",
            },
            "validations": {"required": True},
        },
    ]
    for name, f in (records.of.shape or {}).items():
        body.extend(_question(name, f, model))
    body.append(
        {
            "type": "checkboxes",
            "id": "consent",
            "attributes": {
                "label": "Before you submit",
                "options": [
                    {"label": "What I report can be checked in the evidence I named.", "required": True},
                    {"label": "It may be published in the library.", "required": True},
                ],
            },
        }
    )
    statuses = model.vocabulary(fu.vocabulary or "").terms
    return {
        "name": "Report progress on a recommendation",
        "description": (
            "What came of a recommendation or commitment: "
            + ", ".join(t.label.lower() for t in statuses.values())
            + "?"
        ),
        "title": "Progress: ",
        "labels": ["follow-up", "submission"],
        "body": body,
    }


def render_follow_up_form(model: ContentModel) -> str:
    """The follow-up form as the YAML file committed under .github/ISSUE_TEMPLATE/."""
    return dump_form(follow_up_form(model), "hub issue-form --follow-up")


def render_chooser(repo_url: str) -> str:
    """The form chooser's configuration, as committed under .github/ISSUE_TEMPLATE/."""
    return dump_form(chooser_config(repo_url), "hub issue-form --all", "mkdocs.yml's repo_url")
