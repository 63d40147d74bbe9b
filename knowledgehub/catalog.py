"""The catalog: every valid entry with its references resolved, back-links,
derived facets (year, countries, regions, organisations) and items."""

from __future__ import annotations

import multiprocessing
import os
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, Iterable

from .loader import Entry, load_file
from .model import ContentModel, ContentType
from .problems import Problem
from .project import Project
from .schema import SchemaSet
from .validate import REF_KIND, Validator, kinds_below, values_of_kind, walk_values

# Fields that name the organisations an entry involves.
_ORG_FIELDS = ("organisations", "organisers", "provider", "signatories", "lead", "partners", "parent")


@dataclass(eq=False)
class Item:
    entry: "CatalogEntry"
    id: str
    kind: str
    text: str
    themes: list[str]
    challenges: list[str]
    actors: list[str]
    number: int

    @property
    def anchor(self) -> str:
        return self.id


@dataclass(eq=False)
class CatalogEntry:
    source: Entry
    ctype: ContentType
    title: str
    summary: str
    date: str | None
    countries: list[str]
    regions: list[str]
    themes: list[str]
    challenges: list[str]
    organisations: list[str]
    refs: list[tuple[str, str, str]]  # (field, type, id) of every reference
    items: list[Item] = field(default_factory=list)
    backlinks: list[tuple[str, "CatalogEntry"]] = field(default_factory=list)  # (field, entry that refers here)

    @property
    def type(self) -> str:
        return self.ctype.name

    @property
    def slug(self) -> str:
        return self.source.slug

    @property
    def key(self) -> tuple[str, str]:
        return (self.ctype.name, self.source.slug)

    @property
    def data(self) -> dict[str, Any]:
        return self.source.data

    @property
    def src_uri(self) -> str:
        return self.source.src_uri

    @property
    def year(self) -> str | None:
        return self.date[:4] if self.date else None

    @property
    def draft(self) -> bool:
        return self.source.draft

    def url(self, directory_urls: bool = True) -> str:
        """The entry's URL relative to the site root."""
        stem = self.src_uri[:-3]
        return f"{stem}/" if directory_urls else f"{stem}.html"


def _entry_date(ctype: ContentType, data: dict) -> str | None:
    field_name = ctype.date_field
    if field_name == "sessions":
        starts = [s.get("start") for s in data.get("sessions") or [] if isinstance(s, dict) and s.get("start")]
        return min(starts) if starts else data.get("date")
    return data.get(field_name) if field_name else data.get("date")


def _unique(values: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(v for v in values if v))


class Catalog:
    def __init__(self, model: ContentModel, entries: list[Entry]):
        self.model = model
        self.entries: list[CatalogEntry] = []
        for source in entries:
            self.entries.append(self._make(source))
        self.by_key = {e.key: e for e in self.entries}
        self.by_src = {e.src_uri: e for e in self.entries}
        for entry in self.entries:
            for fname, rtype, rid in entry.refs:
                target = self.by_key.get((rtype, rid))
                if target is not None and target is not entry:
                    target.backlinks.append((fname, entry))
        # newest first; undated last, then by title
        self.entries.sort(key=lambda e: (e.date is None, _neg(e.date), e.title.lower()))
        self.published = [e for e in self.entries if not e.draft]

    def _make(self, source: Entry) -> CatalogEntry:
        model = self.model
        ctype = model.types[source.type]
        data = source.data
        refs: list[tuple[str, str, str]] = []
        countries: list[str] = list(data.get("countries") or [])
        for path, f, value in walk_values(ctype.fields, data):
            if f.kind == "ref":
                refs.append((str(path[0]), f.target, value))
            elif f.kind == "country":
                countries.append(value)
        if source.type == "organisation" and data.get("country"):
            countries.append(data["country"])
        countries = _unique(countries)
        regions = _unique(list(data.get("regions") or []) + [r for c in countries for r in model.region_of_country.get(c, [])])
        organisations = _unique(rid for fname, rtype, rid in refs if rtype == "organisation" and fname in _ORG_FIELDS)
        entry = CatalogEntry(
            source=source,
            ctype=ctype,
            title=str(data.get("title", source.slug)),
            summary=str(data.get("summary", "")),
            date=_entry_date(ctype, data),
            countries=countries,
            regions=regions,
            themes=_unique(data.get("themes") or []),
            challenges=_unique(data.get("challenges") or []),
            organisations=organisations,
            refs=refs,
        )
        for number, raw in enumerate(data.get("items") or [], start=1):
            entry.items.append(
                Item(entry, raw["id"], raw["kind"], raw["text"], list(raw.get("themes") or []), list(raw.get("challenges") or []), list(raw.get("actors") or []), number)
            )
        return entry

    # -- relations between entries ---------------------------------------------
    def _postings(self) -> dict[tuple[str, str], list[CatalogEntry]]:
        """(facet, term) → published entries carrying it, newest first (built once)."""
        if not hasattr(self, "_posting_cache"):
            postings: dict[tuple[str, str], list[CatalogEntry]] = {}
            for entry in self.published:
                for facet, terms in (("organisation", entry.organisations), ("challenge", entry.challenges), ("theme", entry.themes)):
                    for term in terms:
                        postings.setdefault((facet, term), []).append(entry)
            self._posting_cache = postings
        return self._posting_cache

    RELATED_WEIGHTS = {"organisation": 3, "challenge": 2, "theme": 1}

    def related(self, entry: CatalogEntry, limit: int = 5, per_term: int = 12) -> list[tuple[CatalogEntry, list[str]]]:
        """Entries sharing organisations, challenges and themes with ``entry``, best first.

        Candidates come from each of the entry's terms, rarest term first and at most
        ``per_term`` (the newest) from each, so the cost per entry stays flat however
        large the library grows; each candidate is then scored on everything it shares.
        """
        postings = self._postings()
        own = {("organisation", o) for o in entry.organisations} | {("challenge", c) for c in entry.challenges} | {("theme", t) for t in entry.themes}
        linked = {(t, s) for _, t, s in entry.refs} | {other.key for _, other in entry.backlinks}
        candidates: dict[tuple[str, str], CatalogEntry] = {}
        for key in sorted(own, key=lambda k: len(postings.get(k, ()))):
            taken = 0
            for other in postings.get(key, ()):
                if other is entry or other.key in linked or other.type == "organisation":
                    continue
                candidates.setdefault(other.key, other)
                taken += 1
                if taken >= per_term:
                    break
        scored = []
        for other in candidates.values():
            shared = [k for k in own if entry is not other and (
                (k[0] == "organisation" and k[1] in other.organisations)
                or (k[0] == "challenge" and k[1] in other.challenges)
                or (k[0] == "theme" and k[1] in other.themes))]
            score = sum(self.RELATED_WEIGHTS[k[0]] for k in shared)
            scored.append((score, other.date or "", other, sorted(shared)))
        scored.sort(key=lambda row: (-row[0], _neg(row[1] or None), row[2].title))
        return [(other, [f"{facet}:{term}" for facet, term in shared]) for _, _, other, shared in scored[:limit]]

    def neighbours(self, entry: CatalogEntry) -> tuple[CatalogEntry | None, CatalogEntry | None]:
        """(newer, older) entry of the same type, in the listing's order."""
        if not hasattr(self, "_position"):
            self._position = {}
            for type_name in self.model.types:
                entries = self.of_type(type_name)
                for index, other in enumerate(entries):
                    self._position[other.key] = (entries, index)
        entries, index = self._position.get(entry.key, ([], -1))
        if index < 0:
            return None, None
        return (entries[index - 1] if index > 0 else None, entries[index + 1] if index + 1 < len(entries) else None)

    def of_type(self, type_name: str, include_drafts: bool = False) -> list[CatalogEntry]:
        pool = self.entries if include_drafts else self.published
        return [e for e in pool if e.type == type_name]

    def get(self, type_name: str, slug: str) -> CatalogEntry | None:
        return self.by_key.get((type_name, slug))

    @cached_property
    def items(self) -> list[Item]:
        return [item for entry in self.published for item in entry.items]


def _neg(date: str | None) -> tuple:
    """Sort key that puts later dates first."""
    if not date:
        return ()
    return tuple(-int(part) for part in date.split("-"))


@dataclass
class LoadResult:
    entries: list[Entry]
    problems: list[Problem]
    files: int
    catalog: Catalog | None = None

    @property
    def ok(self) -> bool:
        return not any(p.severity == "error" for p in self.problems)


def entry_files(content_dir: Path, model: ContentModel) -> list[Path]:
    """Every Markdown file in the type folders, in a stable order."""
    files = []
    for ctype in model.types.values():
        folder = content_dir / ctype.folder
        if not folder.is_dir():
            continue
        for dirpath, dirnames, filenames in os.walk(folder):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith((".", "_")))
            for name in sorted(filenames):
                if name.endswith(".md") and not name.startswith(("_", ".")) and name != "index.md":
                    files.append(Path(dirpath) / name)
    return files


# Above this many files, loading and checking runs on every core.
PARALLEL_FROM = 400
_worker: dict = {}


def _load_one(path: Path):
    """Load one file and check it on its own: (path, Entry | problems | None, entry problems)."""
    project, model, validator, only_set, slim = _worker["args"]
    result = load_file(path, project.content_dir, model, project.relative(path))
    checked = only_set is None or path.resolve() in only_set
    own: list[Problem] = []
    if isinstance(result, Entry) and checked:
        own = result.problems + validator.check_entry(result)
    elif isinstance(result, list) and not checked:
        result = []  # unreadable, but not ours to report
    if slim and isinstance(result, Entry):
        result = _for_library_checks(result, model)
    return path, result, own, checked


def _for_library_checks(entry: Entry, model: ContentModel) -> Entry:
    """What the checks across the library (ids, references, drafts) need of an entry that
    has been checked on its own: not its body, nor the fields without references. A
    checked entry is sent from the worker that read it in a third of the bytes."""
    fields = model.types[entry.type].fields
    data = {key: value for key, value in entry.data.items() if key == "status" or (key in fields and "ref" in kinds_below(fields[key]))}
    lines = {path: entry.line(*path) for path, _f, _value in values_of_kind(fields, data, REF_KIND)}
    return Entry(entry.path, entry.rel, entry.src_uri, entry.type, entry.slug, data, lines, "", entry.body_line, [])


# For live preview: what each file gave last time, reused while the file and the
# model are unchanged (key: path → (file signature, model signature, result)).
_preview_cache: dict[Path, tuple] = {}
_preview_model: dict = {}


def _signature(path: Path) -> tuple:
    try:
        stat = path.stat()
    except OSError:
        return ()
    return (stat.st_mtime_ns, stat.st_size)


def _load_all(files: list[Path], cache_key: tuple | None = None) -> list:
    if cache_key is not None:
        results, stale = {}, []
        for path in files:
            hit = _preview_cache.get(path)
            if hit is not None and hit[0] == _signature(path) and hit[1] == cache_key:
                results[path] = hit[2]
            else:
                stale.append(path)
        for row in _load_all(stale):
            _preview_cache[row[0]] = (_signature(row[0]), cache_key, row)
            results[row[0]] = row
        return [results[path] for path in files]
    workers = min(os.cpu_count() or 1, 8)
    if len(files) < PARALLEL_FROM or workers < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return [_load_one(path) for path in files]
    context = multiprocessing.get_context("fork")
    with context.Pool(workers) as pool:
        return pool.map(_load_one, files, chunksize=max(50, len(files) // (workers * 8)))


def load_library(project: Project, model: ContentModel | None = None, only: Iterable[Path] | None = None, schemas: SchemaSet | None = None, with_catalog: bool = True, reuse: bool = False) -> LoadResult:
    """Load and validate the library. With ``only``, report problems for those files
    alone (references still resolve against the whole library). With ``reuse``
    (live preview), files unchanged since the last call in this process are not
    read again."""
    model_files = (project.model_dir / "types.yml", project.model_dir / "taxonomy.yml")
    model_key = tuple(_signature(p) for p in model_files)
    if reuse and model is None and _preview_model.get("key") == model_key:
        model, validator = _preview_model["model"], _preview_model["validator"]
    else:
        model = model or ContentModel.load(project.model_dir)
        validator = Validator(model, schemas)
        if reuse:
            _preview_model.update(key=model_key, model=model, validator=validator)
    files = entry_files(project.content_dir, model)
    only_set = {Path(p).resolve() for p in only} if only is not None else None
    entries: list[Entry] = []
    problems: list[Problem] = []
    unreadable: set[tuple[str, str]] = set()
    checked: list[Entry] = []
    # `hub check` keeps no catalog: the workers send back only what the library checks need
    _worker["args"] = (project, model, validator, only_set, not with_catalog)
    validator.policy_shared = {}
    try:
        cache_key = model_key if reuse and only_set is None else None
        loaded = _load_all(files, cache_key)
    finally:
        _worker.clear()
        validator.policy_shared = None
    for path, result, own, is_checked in loaded:
        if result is None:
            continue
        if isinstance(result, list):
            # it exists, it just cannot be read: references to it are not reported too
            unreadable.add((model.type_by_folder[path.relative_to(project.content_dir).parts[0]].name, path.stem))
            problems.extend(result)
            continue
        entries.append(result)
        if is_checked:
            checked.append(result)
            problems.extend(own)
    library_problems = validator.check_library(entries, unreadable=unreadable)
    if only_set is not None:
        checked_paths = {e.rel for e in checked}
        library_problems = [p for p in library_problems if p.path in checked_paths]
    problems.extend(library_problems)
    problems = sorted(set(problems))
    files_checked = sum(1 for _, result_, _, is_checked in loaded if is_checked and result_ is not None)
    result = LoadResult(entries, problems, files_checked)
    if result.ok and with_catalog:
        result.catalog = Catalog(model, entries)
    return result
