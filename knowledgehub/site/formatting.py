"""Turning front-matter values into words a reader expects: dates, ranges, places."""

from __future__ import annotations

import calendar

MONTHS = list(calendar.month_name)


def human_date(value: str | None) -> str:
    """'2012-02-14' → '14 February 2012'; '2022-06' → 'June 2022'; '2009' → '2009'."""
    if not value:
        return ""
    parts = str(value).split("-")
    try:
        if len(parts) == 3:
            return f"{int(parts[2])} {MONTHS[int(parts[1])]} {parts[0]}"
        if len(parts) == 2:
            return f"{MONTHS[int(parts[1])]} {parts[0]}"
    except (ValueError, IndexError):
        return str(value)
    return str(value)


def date_range(start: str | None, end: str | None) -> str:
    """'2012-02-14','2012-02-15' → '14–15 February 2012'."""
    if not start:
        return human_date(end)
    if not end or end == start:
        return human_date(start)
    s, e = start.split("-"), end.split("-")
    if len(s) == 3 and len(e) == 3:
        if s[:2] == e[:2]:
            return f"{int(s[2])}–{int(e[2])} {MONTHS[int(s[1])]} {s[0]}"
        if s[0] == e[0]:
            return f"{int(s[2])} {MONTHS[int(s[1])]} – {int(e[2])} {MONTHS[int(e[1])]} {s[0]}"
    return f"{human_date(start)} – {human_date(end)}"
