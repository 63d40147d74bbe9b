"""The rest of content/: the files MkDocs publishes that are not entries (attachments, and
Markdown pages outside the type folders), checked by ``content_problems``."""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from pathlib import Path

from knowledgehub.model.problems import Problem
from knowledgehub.model.project import ZIP_PATH_LIMIT, entry_files, walk_content, zip_path
from knowledgehub.policy.body import _body_findings
from knowledgehub.policy.files import _Files
from knowledgehub.policy.settings import PolicySettings, settings_for

# MkDocs publishes every file under content/ (all but dot-files), linked or not, and
# every Markdown file outside the type folders as a page of its own. Those files are
# not entries, so they are checked here: attachments by kind, size and content, other
# Markdown files with the body checks.

_sweeps: dict[str, tuple[tuple, list[Problem]]] = {}

# Names Windows (and so a USB stick read on it) cannot hold.
_RESERVED = frozenset(
    ["con", "prn", "aux", "nul"] + [f"{base}{n}" for base in ("com", "lpt") for n in range(1, 10)]
)
_BAD_CHARACTERS = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]')
_NAME_RULE = "policy-file-name"


def _signature(paths: Iterable[Path]) -> tuple:
    out = []
    for path in paths:
        try:
            stat = os.lstat(path)
            out.append((str(path), stat.st_mtime_ns, stat.st_size))
        except OSError:
            out.append((str(path), None, None))
    return tuple(out)


def name_problems(name: str) -> list[tuple[str, str]]:
    """(message, hint) for each reason ``name`` (one part of a path) is not portable."""
    found = []
    bad = sorted(set(_BAD_CHARACTERS.findall(name)))
    if bad:
        shown = " ".join(ch if ch.isprintable() else f"U+{ord(ch):04X}" for ch in bad)
        found.append(
            (f"its name holds characters Windows does not allow in names: {shown}", "use letters, digits, -")
        )
    if name.split(".", 1)[0].rstrip(" ").lower() in _RESERVED:
        found.append(
            (
                f"'{name.split('.', 1)[0]}' is a name Windows reserves (with any extension)",
                "give it another name",
            )
        )
    if name.endswith((".", " ")):
        found.append(("its name ends with a dot or a space, which Windows drops", "remove it"))
    return found


def _portability(
    rel_of, rel_prefix: str, folders: list[Path], files: list[Path], entries: set[Path]
) -> list[Problem]:
    """Names and paths that cannot be copied to a USB stick as they are."""
    problems: list[Problem] = []
    seen: dict[str, Path] = {}
    folder_set = set(folders)
    for path in sorted(folders + files):
        rel = rel_of(path)
        shown = rel_prefix + rel
        for message, hint in name_problems(path.name):
            problems.append(Problem(shown, 1, f"'{rel}': {message}", hint, _NAME_RULE))
        folded = rel.casefold()
        if folded in seen:
            other = rel_of(seen[folded])
            problems.append(
                Problem(
                    shown,
                    1,
                    f"'{rel}' and '{other}' differ only by case: on Windows, macOS and a USB stick "
                    "they are one file",
                    "rename one of them",
                    _NAME_RULE,
                )
            )
        else:
            seen[folded] = path
        if path in folder_set:
            continue
        in_zip = zip_path(rel, path in entries)
        if len(in_zip) >= ZIP_PATH_LIMIT:
            problems.append(
                Problem(
                    shown,
                    1,
                    f"'{rel}' becomes '{in_zip[:60]}...' in the USB edition's zip, {len(in_zip)} characters "
                    f"long; it must stay under {ZIP_PATH_LIMIT}",
                    "give it (or its folders) a shorter name",
                    _NAME_RULE,
                )
            )
    return problems


def _markdown_name(rel: str, name: str, in_type_folder: bool) -> tuple[str, str] | None:
    """(message, hint) when a Markdown file's name keeps it from being what it looks like."""
    stem, _, extension = name.rpartition(".")
    if extension != "md":
        return (
            f"'{rel}' is not read as Markdown: its extension is '.{extension}'",
            f"rename it to {stem}.md",
        )
    if name.startswith("."):
        return (
            f"'{rel}' is hidden (its name begins with a dot): it is not published and not checked",
            "give it a name without the leading dot, or remove it",
        )
    if name.startswith("_") and in_type_folder:
        return (
            f"'{rel}' is not an entry (its name begins with _): it is not checked as one, "
            "yet MkDocs publishes it as a page",
            "give it a name without the leading _, or move it out of content/",
        )
    return None


def content_problems(
    content_dir: Path, model=None, settings: PolicySettings | None = None, rel_prefix: str = ""
) -> list[Problem]:
    """Problems with the files under ``content_dir`` that are not entries: attachments
    of a refused kind, too large, not what their name says, SVGs outside the SVG
    allow-list, symbolic links leading out, round or nowhere; Markdown files that are not
    entries though they look like ones; Markdown pages outside the type folders that carry
    what entries may not; names that are not portable. Paths in problems are
    ``rel_prefix`` + the path in content/.

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
    tree = walk_content(content_dir)
    entries: set[Path] = set()
    if model is not None:
        entries = set(entry_files(content_dir, model, tree))
    checker = _Files(content_dir, content_dir, settings)
    problems: list[Problem] = []
    watched = list(tree.folders) + [path for path, *_ in tree.refused]

    start = len(str(content_dir)) + 1

    def rel_of(path: Path) -> str:  # every path here is below content_dir, as the walk made it
        return str(path)[start:].replace(os.sep, "/")

    for path, rule, message, hint in tree.refused:
        rel = rel_of(path)
        problems.append(Problem(rel_prefix + rel, 1, f"'{rel}' {message}", hint, rule))
    published = [path for path in tree.files if not path.name.startswith(".")]
    for path in tree.files:
        rel = rel_of(path)
        shown = rel_prefix + rel
        suffix = path.suffix.lower().lstrip(".")
        if path.name.startswith(".") and suffix != "md":
            continue  # not published (.gitkeep and the like)
        watched.append(path)
        if suffix == "md":
            if path in entries or model is None:
                continue  # an entry: checked with its front matter by check_policy
            parts = rel.split("/")
            in_type_folder = len(parts) > 1 and parts[0] in model.type_by_folder
            wrong = _markdown_name(rel, path.name, in_type_folder)
            if wrong is not None:
                problems.append(Problem(shown, 1, wrong[0], wrong[1], _NAME_RULE))
                if not path.name.startswith("_"):
                    continue  # not published as a page (or not as Markdown): nothing more to read
            if rel == "index.md" or (len(parts) == 2 and in_type_folder and parts[1] == "index.md"):
                continue  # replaced by a generated page
            problems.extend(_page_problems(path, shown, content_dir, settings))
            continue
        for rule, message, hint in checker.judge_file(path, path.name):
            problems.append(Problem(shown, 1, f"{message} — every file in content/ is published", hint, rule))
    problems.extend(_portability(rel_of, rel_prefix, tree.folders[1:], published, entries))
    problems = sorted(set(problems))  # each once; two files may have the same problem
    _sweeps[key] = (
        ((settings.max_file_bytes, settings.file_kinds, rel_prefix, id(model)), _signature(watched)),
        problems,
    )
    return problems


def _page_problems(path: Path, shown: str, content_dir: Path, settings: PolicySettings) -> list[Problem]:
    """The body checks of a Markdown page that is not an entry; a page over the size
    limit is refused, never published unread."""
    try:
        size = path.stat().st_size
        if size > settings.max_file_bytes:
            return [
                Problem(
                    shown,
                    1,
                    f"this page is {size / 1048576:.1f} MB; the limit is {settings.max_file_mb:g} MB",
                    "make it smaller, or split it",
                    "policy-file-size",
                )
            ]
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError as exc:
        return [Problem(shown, 1, f"cannot be read: {exc.strerror or exc}", "", "policy-file-missing")]
    return [
        Problem(
            shown,
            finding.line,
            f"{finding.message} (in a page that is not an entry, published as it is)",
            finding.hint,
            finding.rule,
        )
        for finding in _body_findings(text, 1, path.parent, content_dir, settings)
    ]
