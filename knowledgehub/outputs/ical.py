"""The iCalendar files: calendar.ics (every happening of the calendar types) and one .ics
per dated entry ("add to calendar"). A partial date is an all-day event covering the
whole month (or year) it names, marked as free time."""

from __future__ import annotations

from urllib.parse import urlsplit

from knowledgehub.library.catalog import CatalogEntry
from knowledgehub.library.happenings import happenings
from knowledgehub.outputs.export_context import ExportContext, date_bounds, next_day
from knowledgehub.site.formatting import date_range


def one_line(text: str) -> str:
    """A summary or location on one line (checked entries have no line break in them)."""
    return " ".join(str(text).split())


def icalendar_bytes(ctx: ExportContext, entries: list[CatalogEntry], name: str) -> bytes:
    """One VCALENDAR with a VEVENT per happening of ``entries``; dates are all-day
    (DTEND is the day after the last day, as iCalendar wants)."""
    from icalendar import Calendar, Event

    model = ctx.catalog.model
    domain = (urlsplit(ctx.site_url).hostname if ctx.site_url else None) or "water-services-knowledge-hub"
    cal = Calendar()
    cal.add("prodid", f"-//{ctx.site_name}//hub//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    for entry in entries:
        url = ctx.url(entry)
        runs = happenings(entry)
        for happening in runs:
            start, _, precision = date_bounds(happening.start)
            _, end, end_precision = date_bounds(happening.end or happening.start)
            end = max(end, next_day(start))
            event = Event()
            event.add("uid", f"{happening.uid}@{domain}")
            event.add("dtstamp", ctx.now)
            event.add("dtstart", start)
            event.add("dtend", end)
            # several runs of one entry are told apart by their town
            title = happening.title
            if len(runs) > 1 and happening.city:
                title += f" ({happening.city})"
            event.add("summary", one_line(title))
            location = happening.location(model)
            if location:
                event.add("location", one_line(location))
            event.add("url", url)
            lines = [entry.summary]
            if happening.note:
                lines.append(happening.note)
            coarse = precision if precision != "day" else end_precision
            if coarse != "day":
                lines.append(
                    f"Date given to the {coarse} only: {date_range(happening.start, happening.end)}."
                )
                event.add("transp", "TRANSPARENT")
            else:
                event.add("transp", "OPAQUE")
            lines.append(url)
            event.add("description", "\n\n".join(lines))
            event.add("categories", [entry.ctype.label])
            cal.add_component(event)
    return cal.to_ical()
