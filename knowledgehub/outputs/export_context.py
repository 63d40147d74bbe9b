"""What every export shares: the context it is written in (catalog, addresses, licence,
build time), the build time itself, partial dates as day bounds and the file writer."""

from __future__ import annotations

import calendar as _calendar
import os
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from knowledgehub.library.catalog import Catalog, CatalogEntry
from knowledgehub.site.output import write_file
from knowledgehub.site.settings import Licence
from knowledgehub.site.urls import absolute_url, entry_path


def build_time() -> datetime:
    """Now, or SOURCE_DATE_EPOCH when set (reproducible builds)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), tz=UTC)
    return datetime.now(UTC).replace(microsecond=0)


def write(path: Path, content: str | bytes, encoding: str = "utf-8") -> None:
    write_file(path, content, encoding)


@dataclass
class ExportContext:
    catalog: Catalog
    site_url: str | None
    directory_urls: bool
    licence: Licence
    site_name: str
    now: datetime

    def url(self, entry: CatalogEntry, anchor: str = "") -> str:
        return absolute_url(self.site_url, entry_path(entry, self.directory_urls)) + (
            f"#{anchor}" if anchor else ""
        )

    def published(self, type_name: str, slug: str) -> CatalogEntry | None:
        target = self.catalog.get(type_name, slug)
        return target if target is not None and not target.draft else None


def next_day(day: date) -> date:
    """The day after ``day``; the last representable day stays itself (year 9999)."""
    return day + timedelta(days=1) if day < date.max else date.max


def date_bounds(value: str) -> tuple[date, date, str]:
    """A YYYY-MM-DD / YYYY-MM / YYYY date → (first day, day after the last day, precision).
    Checked entries keep their years within the model's limits; at the edges of what a
    date can hold (years 1 and 9999) the bounds are clamped instead of overflowing."""
    parts = [int(p) for p in str(value).split("-")]
    year = min(max(parts[0], 1), 9999)
    if len(parts) == 3:
        day = date(year, parts[1], parts[2])
        return day, next_day(day), "day"
    if len(parts) == 2:
        first = date(year, parts[1], 1)
        last = _calendar.monthrange(year, parts[1])[1]
        return first, next_day(first + timedelta(days=last - 1)), "month"
    return date(year, 1, 1), next_day(date(year, 12, 31)), "year"
