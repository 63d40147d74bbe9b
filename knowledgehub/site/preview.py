"""What only the live preview shows: the editors' working notes of an entry (fields with
``show: preview`` in model/types.yml), in a box marked as not published.

`hub serve` sets ``HUB_PREVIEW=1`` before MkDocs starts; a build without it (``hub build``,
the USB edition, a workshop pack) never renders the box, and the catalog hands no stage of
the build those fields at all (``CatalogEntry.data``), so neither the search index, the feeds
nor the exports can carry them."""

from __future__ import annotations

import os

from markupsafe import Markup

from knowledgehub.library.catalog import CatalogEntry

PREVIEW_ENV = "HUB_PREVIEW"

# The preview's pages carry no Content-Security-Policy (its reload script is inline), so the
# box brings its own look; it never reaches a published page, and never prints.
_BOX_STYLE = (
    "margin:0 0 1rem;padding:.6rem .9rem;border:2px dashed #b45309;border-radius:.2rem;"
    "background:#fff7ed;color:#431407"
)
_PRINT_RULE = "@media print{.hub-editor-notes{display:none!important}}"


def preview_on() -> bool:
    """Whether this process renders the live preview (``HUB_PREVIEW=1``, set by `hub serve`)."""
    return os.environ.get(PREVIEW_ENV) == "1"


def _paragraphs(text: str) -> Markup:
    """Text with its line breaks: a blank line starts a paragraph, a single one breaks a line."""
    blocks = [b.strip() for b in str(text).replace("\r\n", "\n").split("\n\n") if b.strip()]
    return Markup("").join(
        Markup("<p>{}</p>").format(Markup("<br>").join(line.strip() for line in block.split("\n")))
        for block in blocks
    )


def _value_html(value) -> Markup:
    if isinstance(value, list):
        return Markup("<ul>{}</ul>").format(Markup("").join(Markup("<li>{}</li>").format(v) for v in value))
    return _paragraphs(value)


def notes_box(entry: CatalogEntry) -> Markup:
    """The entry's editors' notes, one box per preview field (headed by its label); empty
    when the entry has none."""
    boxes = []
    for name, value in entry.preview_notes:
        label = entry.ctype.fields[name].label
        boxes.append(
            Markup(
                '<aside class="hub-editor-notes" role="note" aria-label="{label}" data-pagefind-ignore="all" '
                'style="{style}"><p><strong>{label}</strong></p>{body}</aside>'
            ).format(label=label, style=_BOX_STYLE, body=_value_html(value))
        )
    if not boxes:
        return Markup("")
    return Markup("<style>{}</style>").format(Markup(_PRINT_RULE)) + Markup("").join(boxes)
