"""Loading the library: every entry file read and checked (on every core for large
libraries; in live preview, unchanged files are not read again), then the checks across
the library, then the catalog."""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from knowledgehub.library.catalog import Catalog
from knowledgehub.library.loader import Entry, load_file
from knowledgehub.library.validate import Validator
from knowledgehub.model.content import ContentModel
from knowledgehub.model.problems import Problem
from knowledgehub.model.project import ContentTree, Project, entry_files, walk_content
from knowledgehub.model.schema import SchemaSet
from knowledgehub.model.walk import REF_KIND, kinds_below, values_of_kind


@dataclass
class LoadResult:
    entries: list[Entry]
    problems: list[Problem]
    files: int  # entry files checked
    catalog: Catalog | None = None
    others: int = 0  # files of content/ checked that are not entries

    @property
    def ok(self) -> bool:
        return not any(p.severity == "error" for p in self.problems)


# Above this many files, loading and checking runs on every core.
PARALLEL_FROM = 400
_worker: dict = {}


def _load_one(path: Path):
    """Load one file and check it on its own: (path, Entry | problems | None, entry problems)."""
    project, model, validator, only_set, slim = _worker["args"]
    result = load_file(path, project.content_dir, model, project.relative(path))
    checked = only_set is None or Path(os.path.realpath(path)) in only_set
    own: list[Problem] = []
    if isinstance(result, Entry) and checked:
        # a value the loader left out (refused on its line) is not reported missing too
        own = result.problems + result.without_echoes(validator.check_entry(result))
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
    data = {
        key: value
        for key, value in entry.data.items()
        if key == "status"
        or key in model.follow_up.fields
        or (key in fields and "ref" in kinds_below(fields[key]))
    }
    lines = {path: entry.line(*path) for path, _f, _value in values_of_kind(fields, data, REF_KIND)}
    lines.update(
        (path, n) for path, n in entry.lines.items() if path[:1] and path[0] in model.follow_up.fields
    )
    return Entry(
        entry.path, entry.rel, entry.src_uri, entry.type, entry.slug, data, lines, "", entry.body_line, []
    )


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


def _sweep(
    project: Project,
    model: ContentModel,
    only: list[Path] | None,
    entry_paths: set[Path],
    tree: ContentTree,
) -> tuple[list[Problem], int]:
    """The check of content/'s other files (attachments, pages, names, links), which the
    policy also runs with every entry: here it runs even with no entry to check, and for
    ``only`` files that are not entries. (problems, how many files that are not entries it
    checked: of ``only``, or of all content/)."""
    from knowledgehub.policy.settings import ENV_SKIP, settings_for
    from knowledgehub.policy.sweep import content_problems

    settings = settings_for(project.content_dir)
    if os.environ.get(ENV_SKIP, "").strip() not in ("", "0") or not settings.enabled:
        return [], 0  # the policy is off; check_policy says so with every entry
    prefix = project.relative(project.content_dir).rstrip("/") + "/"
    swept = content_problems(project.content_dir, model, settings, prefix)
    content = Path(os.path.abspath(project.content_dir))
    if only is None:
        others = [path for path in tree.files if path not in entry_paths and _swept(path)]
        return swept, len(others) + len(tree.refused)
    wanted = set()
    for path in only:
        absolute = Path(os.path.abspath(path))
        if absolute not in entry_paths and absolute.is_relative_to(content):
            wanted.add(prefix + absolute.relative_to(content).as_posix())
    kept = [p for p in swept if p.path in wanted]
    flagged = {p.path for p in kept}
    # a hidden file (.gitkeep) is not published, so not checked, unless something is wrong with it
    return kept, sum(1 for rel in wanted if rel in flagged or _swept(Path(rel)))


def _swept(path: Path) -> bool:
    """Whether the check of content/'s files judges this file (hidden files are not published)."""
    return not path.name.startswith(".") or path.suffix.lower() == ".md"


def load_library(
    project: Project,
    model: ContentModel | None = None,
    only: Iterable[Path] | None = None,
    schemas: SchemaSet | None = None,
    with_catalog: bool = True,
    reuse: bool = False,
) -> LoadResult:
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
    tree = walk_content(Path(os.path.abspath(project.content_dir)))
    files = entry_files(project.content_dir, model, tree)
    only = list(only) if only is not None else None
    only_set = {Path(os.path.realpath(p)) for p in only} if only is not None else None
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
            unreadable.add(
                (model.type_by_folder[path.relative_to(project.content_dir).parts[0]].name, path.stem)
            )
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
    files_checked = sum(1 for _, result_, _, is_checked in loaded if is_checked and result_ is not None)
    swept, others = _sweep(project, model, only, {Path(os.path.abspath(p)) for p in files}, tree)
    problems.extend(swept)
    problems = sorted(set(problems))
    result = LoadResult(entries, problems, files_checked, others=others)
    if result.ok and with_catalog:
        result.catalog = Catalog(model, entries)
    return result
