"""The dated happenings of an entry and how a place is written.

A type on the calendar (``on_calendar`` in model/types.yml) has happenings: the entry's
own run (the fields marked ``as_session``: an event's own dates and place), then every
session (the elements of its lists of the ``session`` shape) that does not repeat a run
already listed. ``happenings`` is the one walk over an entry's sessions, shared by the
calendar page, the iCalendar files, the entry's date and the open-data counts.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from knowledgehub.model.content import ContentType

if TYPE_CHECKING:
    from knowledgehub.library.catalog import CatalogEntry

# The parts of a place, in the order they are written: the keys of the model's place and
# session shapes (and of an entry's own run).
PLACE_PARTS = ("venue", "utility", "city", "province", "country")


def place_text(value: Mapping[str, Any], country_name: Callable[[str], str], sep: str = ", ") -> str:
    """A place as a reader writes it: 'Botanical Gardens, Durban, South Africa'. ``value``
    holds any of PLACE_PARTS; the country is an ISO code, named by ``country_name``; the
    parts are joined by ``sep``."""
    parts = [value.get(part) for part in PLACE_PARTS]
    if parts[-1]:
        parts[-1] = country_name(parts[-1])
    return sep.join(str(p) for p in parts if p)


@dataclass
class Run:
    """What a session says (the keys of the model's session shape), read by attribute name."""

    start: str | None = None
    end: str | None = None
    venue: str | None = None
    city: str | None = None
    country: str | None = None
    note: str | None = None

    @classmethod
    def read(cls, mapping: Mapping[str, Any]) -> Run:
        return cls(**{key: mapping.get(key) for key in cls.__dataclass_fields__})


@dataclass
class Happening:
    uid: str
    title: str
    start: str  # as written in the front matter
    end: str | None
    venue: str | None
    city: str | None
    country: str | None  # as the session or the run gives it
    note: str
    inferred_country: str | None = None  # the entry's only country, for a run that names none

    def place(self, model, inferred: bool = True) -> str:
        """Where it happens; with ``inferred``, the entry's only country stands in for a
        country the run does not name."""
        country = self.country or (self.inferred_country if inferred else None)
        return place_text(dict(vars(self), country=country), model.country_name)

    def location(self, model) -> str:
        return self.place(model)


def own_run(ctype: ContentType, data: Mapping[str, Any]) -> Run:
    """What the entry's own fields marked ``as_session`` say: an event's own dates and place."""
    return Run.read({key: data.get(name) for key, name in ctype.own_run.items()})


def runs_at(ctype: ContentType, data: Mapping[str, Any]) -> Iterator[tuple[tuple, Run]]:
    """Each run with where it stands in the front matter (the path of its mapping; () for
    the entry's own run, whose keys are the fields marked ``as_session``)."""
    if ctype.own_run:
        yield (), own_run(ctype, data)
    for name, f in ctype.fields.items():
        if f.kind == "list" and f.of is not None and f.of.shape_name == "session":
            sessions = data.get(name)
            for index, session in enumerate(sessions if isinstance(sessions, list) else []):
                if isinstance(session, dict):
                    yield (name, index), Run.read(session)


def runs(ctype: ContentType, data: Mapping[str, Any]) -> Iterator[Run]:
    """The entry's own run (when the type has fields marked ``as_session``), then its sessions."""
    for _path, run in runs_at(ctype, data):
        yield run


def first_start(ctype: ContentType, data: Mapping[str, Any]) -> str | None:
    """The earliest start among the entry's sessions (its date, for a type dated by them)."""
    starts = [run.start for run in runs(ctype, data) if run.start]
    return min(starts) if starts else None


def happenings(entry: CatalogEntry) -> list[Happening]:
    """The dated happenings of a published entry of a calendar type: its own run, then every
    session that does not repeat that run's dates and place."""
    if not entry.ctype.on_calendar or entry.draft:
        return []
    found: list[Happening] = []
    seen: set[tuple] = set()
    own = bool(entry.ctype.own_run)
    inferred = entry.countries[0] if len(entry.countries) == 1 else None
    for index, run in enumerate(runs(entry.ctype, entry.data)):
        if not run.start:
            continue
        key = (run.start, run.end or run.start, run.city or "")
        if key in seen:
            # the same run listed twice (an event and its first session): keep what the session adds
            for known in found:
                if (known.start, known.end or known.start, known.city or "") == key:
                    known.note = known.note or run.note or ""
                    known.country = known.country or run.country
            continue
        seen.add(key)
        uid = f"{entry.type}-{entry.slug}-{run.start}"
        if any(e.start == run.start for e in found):
            uid += f"-{len(found) + 1}"
        is_own = own and index == 0
        found.append(
            Happening(
                uid,
                entry.title,
                run.start,
                run.end,
                run.venue,
                run.city,
                run.country,
                run.note or "",
                inferred if is_own else None,
            )
        )
    return found
