"""The open-data files: catalog.json (every published entry, its front matter, resolved
references and items), its JSON Schema catalog.schema.json, and the CSV files catalog.csv,
items.csv and indicators.csv (see knowledgehub.outputs.exports for their conventions)."""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from knowledgehub.library.catalog import Catalog, CatalogEntry, indicators_of
from knowledgehub.library.happenings import place_text
from knowledgehub.outputs.export_context import ExportContext
from knowledgehub.outputs.followup_export import (
    FOLLOW_UP_COLUMNS,
    follow_up_schema,
    item_follow_up,
    item_follow_up_cells,
)
from knowledgehub.site.urls import CATALOG_SCHEMA, absolute_url

SCHEMA_VERSION = 1

CATALOG_COLUMNS = [
    "id",
    "type",
    "type_label",
    "title",
    "summary",
    "date",
    "year",
    "countries",
    "regions",
    "themes",
    "challenges",
    "organisations",
    "references",
    "items",
    "sources",
    "url",
]
ITEM_COLUMNS = [
    "entry_id",
    "entry_type",
    "entry_title",
    "entry_date",
    "number",
    "item_id",
    "kind",
    "kind_label",
    "text",
    "themes",
    "challenges",
    "actors",
    "url",
    *FOLLOW_UP_COLUMNS,
]
INDICATOR_COLUMNS = [
    "entry_id",
    "entry_title",
    "entry_date",
    "place",
    "countries",
    "indicator",
    "unit",
    "better",
    "measure",
    "year",
    "value",
    "url",
]

# Cells starting with these are run as formulas by spreadsheet programs.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _plain(value: Any) -> Any:
    """Front-matter values as JSON can hold them (dates are already text)."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return value


def references(ctx: ExportContext, entry: CatalogEntry) -> list[dict]:
    """Every entry this one refers to, once per (field, type, id), with its title and URL."""
    out, seen = [], set()
    for fname, rtype, rid in entry.refs:
        if (fname, rtype, rid) in seen:
            continue
        seen.add((fname, rtype, rid))
        target = ctx.published(rtype, rid)
        out.append(
            {
                "field": fname,
                "type": target.type if target else rtype,
                "id": rid,
                "title": target.title if target else None,
                "url": ctx.url(target) if target else None,
            }
        )
    return out


def _basics(entry) -> dict:
    """The fields every export starts an entry with."""
    return {
        "id": entry.slug,
        "type": entry.type,
        "type_label": entry.ctype.label,
        "title": entry.title,
        "summary": entry.summary,
        "date": entry.date,
    }


def catalog_document(ctx: ExportContext) -> dict:
    model = ctx.catalog.model
    entries = []
    for entry in ctx.catalog.published:
        entries.append(
            {
                **_basics(entry),
                "url": ctx.url(entry),
                "countries": entry.countries,
                "regions": entry.regions,
                "themes": entry.themes,
                "challenges": entry.challenges,
                "organisations": entry.organisations,
                "front_matter": _plain(entry.data),
                "references": references(ctx, entry),
                "items": [
                    {
                        "id": item.id,
                        "number": item.number,
                        "kind": item.kind,
                        "text": item.text,
                        "url": ctx.url(entry, item.anchor),
                        **item_follow_up(ctx, item),
                    }
                    for item in entry.items
                ],
            }
        )
    return {
        "version": SCHEMA_VERSION,
        "title": ctx.site_name,
        "site_url": ctx.site_url,
        "licence": ctx.licence.as_dict(),
        "generated": ctx.now.isoformat(),
        "vocabularies": {
            name: {tid: term.label for tid, term in vocab.terms.items()}
            for name, vocab in model.vocabularies.items()
        },
        "count": len(entries),
        "entries": entries,
    }


def catalog_schema(catalog: Catalog, site_url: str | None = None) -> dict:
    """JSON Schema of catalog.json. The front matter of each entry is checked against
    its own type's schema, generated from the content model like ``hub check``'s."""
    from knowledgehub.model.schema import DIALECT, type_schema

    model = catalog.model
    defs: dict[str, Any] = {}
    type_rules = []
    for name, ctype in model.types.items():
        schema = type_schema(ctype, model)
        schema.pop("$schema", None)
        for hidden in ctype.preview_fields:  # editors' notes are never published (CatalogEntry.data)
            schema.get("properties", {}).pop(hidden, None)
        defs[f"front-matter-{name}"] = schema
        type_rules.append(
            {
                "if": {"properties": {"type": {"const": name}}, "required": ["type"]},
                "then": {"properties": {"front_matter": {"$ref": f"#/$defs/front-matter-{name}"}}},
            }
        )
    strings = {"type": "array", "items": {"type": "string"}}
    nullable_url = {"type": ["string", "null"]}
    defs["reference"] = {
        "type": "object",
        "description": "An entry this one refers to; title and url are null when it is not published.",
        "required": ["field", "type", "id", "title", "url"],
        "additionalProperties": False,
        "properties": {
            "field": {"type": "string", "description": "Front-matter field holding the reference"},
            "type": {"type": "string"},
            "id": {"type": "string"},
            "title": {"type": ["string", "null"]},
            "url": nullable_url,
        },
    }
    defs["item"] = {
        "type": "object",
        "required": ["id", "number", "kind", "text", "url", "status", "follow_ups", "responses"],
        "additionalProperties": False,
        "properties": {
            "id": {"type": "string"},
            "number": {"type": "integer", "minimum": 1},
            "kind": {"type": "string", "enum": list(model.vocabulary("item_kinds").terms)},
            "text": {"type": "string"},
            "url": {"type": "string", "description": "The entry's URL with the item's anchor"},
            **follow_up_schema(model),
        },
    }
    defs["entry"] = {
        "type": "object",
        "required": [
            "id",
            "type",
            "type_label",
            "title",
            "summary",
            "date",
            "url",
            "countries",
            "regions",
            "themes",
            "challenges",
            "organisations",
            "front_matter",
            "references",
            "items",
        ],
        "additionalProperties": False,
        "properties": {
            "id": {"type": "string", "description": "The entry's file name: unique within its type"},
            "type": {"type": "string", "enum": list(model.types)},
            "type_label": {"type": "string"},
            "title": {"type": "string"},
            "summary": {"type": "string"},
            "date": {
                "type": ["string", "null"],
                "pattern": r"^\d{4}(-\d{2}(-\d{2})?)?$",
                "description": "The date the entry is about (YYYY-MM-DD, YYYY-MM or YYYY)",
            },
            "url": {"type": "string"},
            "countries": strings,
            "regions": strings,
            "themes": strings,
            "challenges": strings,
            "organisations": {**strings, "description": "Ids of the organisations involved"},
            "front_matter": {"type": "object", "description": "The entry's front matter as written"},
            "references": {"type": "array", "items": {"$ref": "#/$defs/reference"}},
            "items": {"type": "array", "items": {"$ref": "#/$defs/item"}},
        },
        "allOf": type_rules,
    }
    schema = {
        "$schema": DIALECT,
        "title": "Catalog of the Water Services Knowledge Hub",
        "description": "Every published entry of the library, as written in catalog.json.",
        "type": "object",
        "required": ["version", "title", "licence", "generated", "count", "entries"],
        "additionalProperties": False,
        "properties": {
            "version": {"const": SCHEMA_VERSION},
            "title": {"type": "string"},
            "site_url": {"type": ["string", "null"]},
            "licence": {
                "type": "object",
                "required": ["name", "url"],
                "additionalProperties": False,
                "properties": {"name": {"type": "string", "minLength": 1}, "url": {"type": "string"}},
            },
            "generated": {"type": "string", "format": "date-time"},
            "vocabularies": {
                "type": "object",
                "additionalProperties": {"type": "object", "additionalProperties": {"type": "string"}},
            },
            "count": {"type": "integer", "minimum": 0},
            "entries": {"type": "array", "items": {"$ref": "#/$defs/entry"}},
        },
        "$defs": defs,
    }
    if site_url:
        schema["$id"] = absolute_url(site_url, CATALOG_SCHEMA)
    return schema


# -- CSV ------------------------------------------------------------------------------


def safe_cell(value: Any) -> Any:
    """A cell value a spreadsheet will show and not execute. Text starting like a
    formula gets a leading apostrophe; numbers are left as numbers."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (int, float)):
        return value
    text = str(value)
    # a spreadsheet skips blanks before a formula: look at the first other character
    return (
        "'" + text
        if text.startswith(_FORMULA_STARTS) or text.lstrip(" \t\r\n").startswith(_FORMULA_STARTS)
        else text
    )


def csv_text(columns: list[str], rows: Iterable[dict]) -> str:
    buffer = io.StringIO(newline="")
    writer = csv.DictWriter(buffer, fieldnames=columns, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({name: safe_cell(row.get(name)) for name in columns})
    return buffer.getvalue()


def _join(values: Iterable[Any]) -> str:
    return "; ".join(str(v) for v in values if v not in (None, ""))


def catalog_rows(ctx: ExportContext) -> list[dict]:
    rows = []
    for entry in ctx.catalog.published:
        refs = references(ctx, entry)
        rows.append(
            {
                **_basics(entry),
                "year": entry.year,
                "countries": _join(entry.countries),
                "regions": _join(entry.regions),
                "themes": _join(entry.themes),
                "challenges": _join(entry.challenges),
                "organisations": _join(entry.organisations),
                "references": _join(dict.fromkeys(f"{r['type']}:{r['id']}" for r in refs)),
                "items": len(entry.items),
                "sources": _join(
                    s.get("title") for s in entry.data.get("sources") or [] if isinstance(s, dict)
                ),
                "url": ctx.url(entry),
            }
        )
    return rows


def item_rows(ctx: ExportContext) -> list[dict]:
    kinds = ctx.catalog.model.vocabulary("item_kinds")
    rows = []
    for entry in ctx.catalog.published:
        for item in entry.items:
            rows.append(
                {
                    "entry_id": entry.slug,
                    "entry_type": entry.type,
                    "entry_title": entry.title,
                    "entry_date": entry.date,
                    "number": item.number,
                    "item_id": item.id,
                    "kind": item.kind,
                    "kind_label": kinds.label(item.kind),
                    "text": item.text,
                    "themes": _join(item.themes),
                    "challenges": _join(item.challenges),
                    "actors": _join(item.actors),
                    "url": ctx.url(entry, item.anchor),
                    **item_follow_up_cells(ctx, item),
                }
            )
    return rows


def indicator_rows(ctx: ExportContext) -> list[dict]:
    model = ctx.catalog.model
    rows = []
    for entry in ctx.catalog.published:
        places = [entry.data.get(name) for name, f in entry.ctype.fields.items() if f.shape_name == "place"]
        where = _join(place_text(p, model.country_name, "; ") for p in places if isinstance(p, dict))
        for indicator in indicators_of(entry):
            common = {
                "entry_id": entry.slug,
                "entry_title": entry.title,
                "entry_date": entry.date,
                "place": where,
                "countries": _join(entry.countries),
                "indicator": indicator.get("name"),
                "unit": indicator.get("unit"),
                "better": indicator.get("better"),
                "url": ctx.url(entry),
            }
            rows.append(
                {
                    **common,
                    "measure": "baseline",
                    "year": indicator.get("baseline_year"),
                    "value": indicator.get("baseline"),
                }
            )
            rows.append(
                {
                    **common,
                    "measure": "result",
                    "year": indicator.get("year"),
                    "value": indicator.get("value"),
                }
            )
    return rows
