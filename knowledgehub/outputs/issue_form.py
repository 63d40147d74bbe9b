"""GitHub issue forms for people who want to share without git.

The form of each contributed type is in ``submission_form.py`` (re-exported here); this
module writes the "Report progress on a recommendation" form, one question per field of
a follow-up record, and the form chooser's configuration.
"""

from __future__ import annotations

from pathlib import Path

from knowledgehub.model.content import ContentModel
from knowledgehub.model.questions import shape_questions
from knowledgehub.outputs.submission_form import (  # noqa: F401 - the forms' public names
    FORMS,
    Asked,
    FormDumper,
    all_forms,
    chooser_config,
    dump_form,
    element_kind,
    form_element,
    form_path,
    issue_form,
    render_issue_form,
)

CHOOSER = FORMS / "config.yml"


# -- "Report progress on a recommendation" ------------------------------------------------
FOLLOW_UP_FORM = Path(".github/ISSUE_TEMPLATE/follow-up.yml")
ITEM_LABEL = "Which recommendation or commitment?"
PROGRESS_CONSENT = "Before you submit"


def progress_asked(model: ContentModel) -> list[Asked]:
    """The questions of a follow-up record, as the progress form asks them (and as ``hub
    from-issue`` reads them back): the model's ``ask`` and ``ask_help``, in its order."""
    records = next(f for f in model.iter_all_fields() if f.records_follow_up)
    return [Asked(q.label, q, None, element_kind(q)) for q in shape_questions(model, records.of.shape or {})]


def follow_up_form(model: ContentModel) -> dict:
    """The issue form (as data) for reporting what came of an item: which item, then the
    questions of a follow-up record (model/types.yml's ``ask`` and ``ask_help``), in the
    model's order and in the plain words of the entry forms."""
    fu = model.follow_up
    statuses = model.vocabulary(fu.vocabulary or "").terms
    body: list[dict] = [
        {
            "type": "markdown",
            "attributes": {
                "value": (
                    "Thank you for telling us what came of a recommendation or a commitment. You do not "
                    "need git or any code: answer in your own words and say only what you know.\n\n"
                    "**What happens next**: the hub reads your answers and replies on this issue with "
                    "anything that needs a change (edit the issue to fix it). When all is in order, "
                    "your report becomes a pull request adding it to the item's page, under “What came "
                    "of it”; a maintainer checks what you named as evidence before it is published, and "
                    "you are credited as the one who reported it."
                )
            },
        },
        {
            "type": "input",
            "id": "item",
            "attributes": {
                "label": ITEM_LABEL,
                "description": (
                    "Its link: on the hub, every recommendation and commitment has a # beside it; "
                    "copy that link and paste it here. Or name the workshop or declaration and "
                    "quote the recommendation's first words."
                ),
                "placeholder": "https://…/declarations/chennai-declaration-india-wops-2011/#water-awards",
            },
            "validations": {"required": True},
        },
    ]
    body.extend(form_element(a) for a in progress_asked(model))
    body.append(
        {
            "type": "checkboxes",
            "id": "consent",
            "attributes": {
                "label": PROGRESS_CONSENT,
                "options": [
                    {"label": "What I report can be checked in what I named as evidence.", "required": True},
                    {"label": "It may be published in the library.", "required": True},
                ],
            },
        }
    )
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
