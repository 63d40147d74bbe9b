"""Which entries changed against a git ref, for ``hub check --changed``.

Changed means: different in the working tree from the point where the branch
left ``base`` (committed, staged or not), or new and not ignored. Only entry
files are checked then, but references still resolve against the whole library.
Two kinds of change can break entries that did not change, so they make the
whole library be checked: a change to the content model (a term or a field
removed) and a deleted or renamed entry (references to it dangle).
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from knowledgehub.model.project import Project

DEFAULT_BASES = ("origin/main", "HEAD")


class GitError(Exception):
    """git is missing, this is not a repository, or the ref does not exist."""


@dataclass
class Changes:
    base: str  # the ref compared against, as given or chosen
    entries: list[Path] = field(default_factory=list)  # changed or new entry files (absolute)
    deleted: list[str] = field(default_factory=list)  # deleted entry files (relative to the repository)
    model: list[str] = field(default_factory=list)  # changed model files (relative to the repository)

    @property
    def whole_library(self) -> str:
        """Why every entry must be checked, or '' when the changed ones are enough."""
        if self.model:
            return f"the content model changed ({', '.join(self.model)})"
        if self.deleted:
            shown = ", ".join(self.deleted[:3]) + (", ..." if len(self.deleted) > 3 else "")
            return f"entries were deleted or renamed ({shown}), so references to them are checked everywhere"
        return ""


def _git(args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, timeout=60)
    except FileNotFoundError:
        raise GitError("--changed needs git, which is not installed") from None
    except subprocess.TimeoutExpired:
        raise GitError(f"git {' '.join(args)} took too long") from None


def _ref_exists(ref: str, cwd: Path) -> bool:
    return _git(["rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"], cwd).returncode == 0


def default_base(root: Path) -> str:
    """origin/main when the clone has it, else HEAD (the last commit)."""
    for ref in DEFAULT_BASES:
        if _ref_exists(ref, root):
            return ref
    raise GitError(
        "there is no commit to compare with yet (neither origin/main nor HEAD exists); "
        "use hub check without --changed"
    )


def changed_entries(project: Project, base: str | None = None) -> Changes:
    root = project.root
    done = _git(["rev-parse", "--show-toplevel"], root)
    if done.returncode != 0:
        raise GitError(f"--changed needs a git repository, and {root} is not in one")
    top = Path(done.stdout.strip()).resolve()
    base = base or default_base(root)
    if not _ref_exists(base, root):
        raise GitError(
            f"unknown git ref '{base}' (fetch it first, e.g. git fetch origin main, or give another --base)"
        )
    # Compare with where this branch left base, so that later commits on base
    # (changes by others) do not count as changes here. A shallow clone may not
    # know that point: then compare with base itself.
    merge_base = _git(["merge-base", base, "HEAD"], root)
    point = merge_base.stdout.strip() if merge_base.returncode == 0 and merge_base.stdout.strip() else base

    def inside(path: Path) -> str:
        return Path(os.path.relpath(path.resolve(), top)).as_posix()

    content, model = inside(project.content_dir), inside(project.model_dir)
    diff = _git(["diff", "--name-status", "--no-renames", "-z", point, "--", content, model], top)
    if diff.returncode != 0:
        raise GitError(f"git diff failed: {diff.stderr.strip()}")
    untracked = _git(["ls-files", "--others", "--exclude-standard", "-z", "--", content, model], top)
    if untracked.returncode != 0:
        raise GitError(f"git ls-files failed: {untracked.stderr.strip()}")

    changes = Changes(base=base)
    fields = diff.stdout.split("\0")
    touched: list[tuple[str, str]] = [(fields[i], fields[i + 1]) for i in range(0, len(fields) - 1, 2)]
    touched += [("?", name) for name in untracked.stdout.split("\0") if name]
    seen: set[str] = set()
    for status, name in touched:
        if name in seen:
            continue
        seen.add(name)
        in_model = name == model or name.startswith(model.rstrip("/") + "/")
        if in_model:
            if name.endswith((".yml", ".yaml")):
                changes.model.append(name)
            continue
        if not name.endswith(".md"):
            continue
        if status.startswith("D"):
            changes.deleted.append(name)
        else:
            changes.entries.append(top / name)
    return changes
