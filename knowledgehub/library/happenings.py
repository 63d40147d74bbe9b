"""The dated happenings of an entry: an event's own dates and its repeat sessions, a
course's sessions; one walk shared by the calendar page, the iCalendar files and the
opendata counts."""

from __future__ import annotations

from dataclasses import dataclass

from knowledgehub.library.catalog import CatalogEntry


@dataclass
class Happening:
    uid: str
    title: str
    start: str  # as written in the front matter
    end: str | None
    venue: str | None
    city: str | None
    country: str | None
    note: str

    def location(self, model) -> str:
        country = model.country_name(self.country) if self.country else None
        return ", ".join(p for p in (self.venue, self.city, country) if p)


def happenings(entry: CatalogEntry) -> list[Happening]:
    """The dated happenings of an event or a course: an event's own dates, then every
    session that does not repeat those dates and that place; a course's sessions."""
    if entry.type not in ("event", "course") or entry.draft:
        return []
    data = entry.data
    found: list[Happening] = []
    seen: set[tuple] = set()

    def add(start, end, venue, city, country, note):
        if not start:
            return
        key = (start, end or start, city or "")
        if key in seen:
            # the same run listed twice (an event and its first session): keep the note
            for known in found:
                if (known.start, known.end or known.start, known.city or "") == key and not known.note:
                    known.note = note or ""
            return
        seen.add(key)
        uid = f"{entry.type}-{entry.slug}-{start}"
        if any(e.start == start for e in found):
            uid += f"-{len(found) + 1}"
        found.append(Happening(uid, entry.title, start, end, venue, city, country, note or ""))

    if entry.type == "event":
        country = entry.countries[0] if len(entry.countries) == 1 else None
        add(data.get("start"), data.get("end"), data.get("venue"), data.get("city"), country, "")
    for session in data.get("sessions") or []:
        if isinstance(session, dict):
            add(
                session.get("start"),
                session.get("end"),
                session.get("venue"),
                session.get("city"),
                session.get("country"),
                session.get("note"),
            )
    return found
