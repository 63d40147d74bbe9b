"""Where the model keeps follow-up: the item's records and their status, the items an
entry responds to, the evidence naming entries (the fields marked ``records_follow_up``,
``when_none``, ``refers_to_items`` and ``refers_to_entry`` in model/types.yml)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from knowledgehub.model.content import ContentModel


@dataclass(frozen=True)
class FollowUpModel:
    records: str | None  # the item's field of follow-up records
    status: str | None  # a record's status field
    vocabulary: str | None  # the statuses
    when_none: str  # the status of an item with no record
    responds_to: str | None  # the entry's field of items it responds to
    evidence: str | None  # a record's field of evidence
    evidence_entry: str | None  # the evidence's field naming an entry
    fields: frozenset[str]  # an entry's fields holding any of this (kept for the library checks)


def follow_up_of(model: ContentModel) -> FollowUpModel:
    """The follow-up fields of ``model`` (None where the model has none)."""
    fields = list(model.iter_all_fields())
    records = next((f for f in fields if f.records_follow_up), None)
    shape = records.of.shape if records is not None and records.of is not None else None
    status = next((f for f in (shape or {}).values() if f.when_none), None)
    entry_field = next((f for f in fields if f.refers_to_entry), None)
    evidence = next(
        (
            f
            for f in (shape or {}).values()
            if entry_field is not None and any(sub is entry_field for sub in model.iter_fields({f.name: f}))
        ),
        None,
    )
    responds = next((f for f in fields if f.refers_to_items), None)
    held_by = frozenset(
        name
        for ctype in model.types.values()
        for name, f in ctype.fields.items()
        if any(sub.records_follow_up or sub.refers_to_items for sub in model.iter_fields({name: f}))
    )
    return FollowUpModel(
        records.name if records else None,
        status.name if status else None,
        status.target if status else None,
        status.when_none if status else "",
        responds.name if responds else None,
        evidence.name if evidence else None,
        entry_field.name if entry_field else None,
        held_by,
    )
