"""The contribute page (``contribute/``): a form per content type that writes an entry
file in the browser, offline too (the USB edition opened from ``file://``).

The page carries one JSON description of the forms (a data block, never run): the
questions of every contributed type from the content model (``model/questions.py``),
the library's own entries a reference can pick (organisations, events...), each
type's folder, and where a finished entry goes (the repository, its branch, the
editors' address). ``hub-contribute.js`` builds the form, the live preview, the
checks, the drafts and the three ways out from it."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from markupsafe import Markup

from knowledgehub.model.questions import contributed_types, questions_json
from knowledgehub.site.browse import page_kind
from knowledgehub.site.pages import GeneratedPage
from knowledgehub.site.urls import relative_url

if TYPE_CHECKING:
    from knowledgehub.site.render import Renderer

SCRIPT = "assets/javascripts/hub-contribute.js"
STYLE = "assets/stylesheets/hub-contribute.css"
# Question kinds that pick entries of the library.
REFERENCE_KINDS = ("entry", "entries")
COUNTRY_KINDS = ("country", "countries")


def _questions(model, type_name: str) -> list[dict]:
    """The type's questions as JSON-ready mappings (model/questions.py ``questions_json``)."""
    return questions_json(model, type_name)["questions"]


def _fill_choices(question: dict, library: dict[str, list[dict]], countries: list[dict]) -> dict:
    """A question picking entries gets the library's entries of its type as choices, one
    picking countries every country (by name)."""
    kind = question.get("kind")
    if kind in REFERENCE_KINDS and question.get("ref_type") and not question["choices"]:
        question["choices"] = library.get(question["ref_type"], [])
    if kind in COUNTRY_KINDS and not question["choices"]:
        question["choices"] = countries
    question["parts"] = [_fill_choices(p, library, countries) for p in question["parts"]]
    return question


def _with_model_facts(ctype, question: dict) -> dict:
    """What the preview needs from the model besides the question: the label the entry's
    page gives the field (``shown_label``: "Countries", where the form asks "Which
    countries?"), and for ``items`` the field of the shape that holds the id the form makes
    up from an item's text (``id_field``: a required slug the contributor is not asked)."""
    f = ctype.fields.get(question["field"])
    if f is not None:
        question = {**question, "shown_label": f.label}
    if question.get("kind") != "items":
        return question
    shape = (f.of.shape if f is not None and f.of is not None else None) or {}
    asked = {p["field"] for p in question["parts"]}
    made_up = [
        name for name, sub in shape.items() if sub.kind == "slug" and sub.required and name not in asked
    ]
    return {**question, "id_field": made_up[0] if made_up else None}


def _share_choices(question: dict, lists: dict[str, tuple[str, list]]) -> dict:
    """The same list of choices (every country, the themes) is written once, in ``lists``,
    and the questions name it in ``choices_from``: the page stays small."""
    if question["choices"]:
        key = json.dumps(question["choices"], sort_keys=True)
        name = lists.setdefault(key, (f"list{len(lists)}", question["choices"]))[0]
        question = {**question, "choices": [], "choices_from": name}
    question["parts"] = [_share_choices(p, lists) for p in question["parts"]]
    return question


def form_model(r: Renderer) -> dict:
    """Every contributed type with its questions, references filled from the catalog."""
    model, catalog = r.model, r.catalog
    library = {
        name: sorted(
            ({"value": e.slug, "label": e.title, "description": ""} for e in catalog.of_type(name)),
            key=lambda c: c["label"].lower(),
        )
        for name in model.types
    }
    countries = sorted(
        ({"value": code, "label": name, "description": ""} for code, name in model.countries.items()),
        key=lambda c: c["label"],
    )
    types = []
    for name in contributed_types(model):
        ctype = model.types[name]
        types.append(
            {
                "name": name,
                "label": ctype.label,
                "plural": ctype.plural,
                "description": ctype.description,
                "folder": ctype.folder,
                "questions": [
                    _with_model_facts(ctype, _fill_choices(q, library, countries))
                    for q in _questions(model, name)
                ],
            }
        )
    lists: dict[str, tuple[str, list]] = {}
    for ctype in types:
        ctype["questions"] = [_share_choices(q, lists) for q in ctype["questions"]]
    return {
        "types": types,
        "lists": dict(lists.values()),
        "organisation_type": model.organisation_type,
        "id_length": model.limits.id_length,
        "years": [model.limits.first_year, model.limits.last_year],
    }


def data_block(data: dict) -> Markup:
    """JSON for a ``<script type="application/json">`` block: no ``<``, ``>`` or ``&``
    that an HTML parser could read as the end of the block."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


@page_kind("contribute.html")
def contribute_page(r: Renderer, page: GeneratedPage, here: str, link) -> dict:
    """The form's description; the template adds the settings of where entries go
    (``contribute`` from site/settings.py ``page_settings``) with ``form_json``."""
    described = form_model(r)

    def form_json(settings: dict | None) -> Markup:
        return data_block({**described, "settings": dict(settings or {})})

    return {
        "form_json": form_json,
        "types": described["types"],
        "script_url": relative_url(SCRIPT, here),
        "style_url": relative_url(STYLE, here),
    }
