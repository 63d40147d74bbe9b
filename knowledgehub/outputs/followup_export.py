"""What came of an item in the open data: its status, follow-up records and responding
entries in catalog.json (and its schema) and in items.csv."""

from __future__ import annotations

from knowledgehub.library.catalog import Item
from knowledgehub.model.content import ContentModel
from knowledgehub.outputs.export_context import ExportContext

# items.csv columns added after the item's own
FOLLOW_UP_COLUMNS = ["status", "status_label", "follow_ups", "latest_date", "latest", "responses"]


def item_follow_up(ctx: ExportContext, item: Item) -> dict:
    """The item's status, records (oldest first) and responding entries, for catalog.json."""
    return {
        "status": item.status,
        "follow_ups": [
            {
                "date": record.date,
                "status": record.status,
                "text": record.text,
                "evidence": [
                    {
                        "entry": piece.entry_id,
                        "entry_url": ctx.url(piece.entry) if piece.entry is not None else None,
                        "source": piece.source,
                        "url": piece.url,
                    }
                    for piece in record.evidence
                ],
            }
            for record in item.follow_ups
        ],
        "responses": [
            {"id": other.slug, "type": other.type, "title": other.title, "url": ctx.url(other)}
            for other in item.responses
        ],
    }


def item_follow_up_cells(ctx: ExportContext, item: Item) -> dict:
    """The item's follow-up as items.csv cells (the responding entries' addresses, one per line)."""
    model = ctx.catalog.model
    latest = item.follow_ups[-1] if item.follow_ups else None
    return {
        "status": item.status,
        "status_label": model.term_label(model.follow_up.vocabulary or "", item.status),
        "follow_ups": len(item.follow_ups),
        "latest_date": latest.date if latest else "",
        "latest": latest.text if latest else "",
        "responses": "\n".join(ctx.url(other) for other in item.responses),
    }


def follow_up_schema(model: ContentModel) -> dict:
    """The properties catalog.json's items gain, as JSON Schema."""
    statuses = list(model.vocabulary(model.follow_up.vocabulary or "").terms)
    nullable = {"type": ["string", "null"]}
    return {
        "status": {
            "type": "string",
            "enum": statuses,
            "description": "Where the item stands: its latest follow-up's status",
        },
        "follow_ups": {
            "type": "array",
            "description": "What is known of what came of it, oldest first",
            "items": {
                "type": "object",
                "required": ["date", "status", "text", "evidence"],
                "additionalProperties": False,
                "properties": {
                    "date": {"type": "string", "pattern": r"^\d{4}(-\d{2}(-\d{2})?)?$"},
                    "status": {"type": "string", "enum": statuses},
                    "text": {"type": "string"},
                    "evidence": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "required": ["entry", "entry_url", "source", "url"],
                            "additionalProperties": False,
                            "properties": {
                                "entry": nullable,
                                "entry_url": nullable,
                                "source": nullable,
                                "url": nullable,
                            },
                        },
                    },
                },
            },
        },
        "responses": {
            "type": "array",
            "description": "Published entries that respond to the item",
            "items": {
                "type": "object",
                "required": ["id", "type", "title", "url"],
                "additionalProperties": False,
                "properties": {
                    "id": {"type": "string"},
                    "type": {"type": "string"},
                    "title": {"type": "string"},
                    "url": {"type": "string"},
                },
            },
        },
    }
