"""The rest of content/: the files MkDocs publishes that are not entries (attachments, and
Markdown pages outside the type folders), checked by ``content_problems``."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from knowledgehub.model.problems import Problem
from knowledgehub.policy.body import _body_findings
from knowledgehub.policy.files import _Files
from knowledgehub.policy.findings import _unique
from knowledgehub.policy.settings import PolicySettings, settings_for

# MkDocs publishes every file under content/ (all but dot-files), linked or not, and
# every Markdown file outside the type folders as a page of its own. Those files are
# not entries, so they are checked here: attachments by kind, size and content, other
# Markdown files with the body checks.

_sweeps: dict[str, tuple[tuple, list[Problem]]] = {}


def _published_files(content_dir: Path) -> tuple[list[Path], list[Path]]:
    """(folders, files) under ``content_dir`` that MkDocs publishes (no dot-paths)."""
    folders, files = [content_dir], []
    for dirpath, dirnames, filenames in os.walk(content_dir):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        folders.extend(Path(dirpath) / d for d in dirnames)
        files.extend(Path(dirpath) / name for name in sorted(filenames) if not name.startswith("."))
    return folders, files


def _signature(paths: Iterable[Path]) -> tuple:
    out = []
    for path in paths:
        try:
            stat = os.lstat(path)
            out.append((str(path), stat.st_mtime_ns, stat.st_size))
        except OSError:
            out.append((str(path), None, None))
    return tuple(out)


def content_problems(
    content_dir: Path, model=None, settings: PolicySettings | None = None, rel_prefix: str = ""
) -> list[Problem]:
    """Problems with the files under ``content_dir`` that are not entries: attachments
    of a refused kind, too large, not what their name says, SVGs that can carry script,
    symbolic links leading out; Markdown pages outside the type folders that carry
    what entries may not. Paths in problems are ``rel_prefix`` + the path in content/.

    Remembered between calls until a folder or one of the checked files changes."""
    content_dir = Path(os.path.abspath(content_dir))
    if settings is None:
        settings = settings_for(content_dir)
    key = str(content_dir)
    remembered = _sweeps.get(key)
    if (
        remembered is not None
        and remembered[0][0] == (settings.max_file_bytes, settings.file_kinds, rel_prefix, id(model))
        and _signature(p for p, *_ in remembered[0][1]) == remembered[0][1]
    ):
        return remembered[1]
    if not content_dir.is_dir():
        return []
    folders, files = _published_files(content_dir)
    entries: set[Path] = set()
    if model is not None:
        from knowledgehub.model.project import entry_files

        entries = {Path(os.path.abspath(p)) for p in entry_files(content_dir, model)}
    checker = _Files(content_dir, content_dir, settings)
    problems: list[Problem] = []
    watched = list(folders)
    for path in files:
        rel = path.relative_to(content_dir).as_posix()
        shown = rel_prefix + rel
        suffix = path.suffix.lower().lstrip(".")
        if suffix == "md":
            if path in entries or model is None:
                continue  # an entry: checked with its front matter by check_policy
            watched.append(path)
            if rel in ("index.md",) or (
                rel.count("/") == 1
                and rel.endswith("/index.md")
                and model is not None
                and rel.split("/")[0] in model.type_by_folder
            ):
                continue  # replaced by a generated page
            try:
                text = (
                    path.read_text(encoding="utf-8", errors="replace")
                    if path.stat().st_size <= settings.max_file_bytes
                    else ""
                )
            except OSError:
                continue
            for finding in _body_findings(text, 1, path.parent, content_dir, settings):
                problems.append(
                    Problem(
                        shown,
                        finding.line,
                        f"{finding.message} (in a page that is not an entry, published as it is)",
                        finding.hint,
                        finding.rule,
                    )
                )
            continue
        watched.append(path)
        for rule, message, hint in checker.judge_file(path, path.name):
            problems.append(Problem(shown, 1, f"{message} — every file in content/ is published", hint, rule))
    problems = sorted(_unique(problems))
    _sweeps[key] = (
        ((settings.max_file_bytes, settings.file_kinds, rel_prefix, id(model)), _signature(watched)),
        problems,
    )
    return problems
