"""Writing output atomically: build into a temporary folder beside the target,
then swap it in, so readers (and a killed build) see the old site or the new
one, never a mix."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

PREFIX = ".site-"


def replace_atomically(path: Path, write: Callable[[Path], object]) -> Path:
    """Write a file through ``write(temporary_path)`` beside ``path``, then move it in place:
    a reader (or a killed run) sees the old file or the new one, never half of one, and the
    temporary file is removed whatever happens."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(handle)
    try:
        write(Path(temp))
        os.chmod(temp, 0o644)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return path


def write_file(path: Path, content: str | bytes, encoding: str = "utf-8", newline: str | None = "") -> Path:
    """``content`` written to ``path`` atomically (text as given: no newline translation)."""
    if isinstance(content, bytes):
        return replace_atomically(path, lambda temp: temp.write_bytes(content))
    return replace_atomically(path, lambda temp: temp.write_text(content, encoding=encoding, newline=newline))


def staging_dir(target: Path) -> Path:
    """A fresh, empty folder beside ``target`` to build into."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    clean_stale(target)
    return Path(tempfile.mkdtemp(prefix=f"{PREFIX}{target.name}-", dir=target.parent))


def clean_stale(target: Path) -> None:
    """Tidy up after builds that were killed: a swap interrupted between its two
    renames left the old site aside (it is put back); staging folders are removed."""
    target = Path(target)
    old_copies = sorted(target.parent.glob(f"{PREFIX}{target.name}-old-*"), key=lambda p: p.stat().st_mtime)
    if not target.exists() and old_copies:
        os.replace(old_copies.pop(), target)
    for leftover in target.parent.glob(f"{PREFIX}{target.name}-*"):
        if leftover.is_dir():
            shutil.rmtree(leftover, ignore_errors=True)


def swap_in(staged: Path, target: Path) -> None:
    """Replace ``target`` by ``staged``. The old folder is moved aside first and
    only deleted once the new one is in place."""
    staged, target = Path(staged), Path(target)
    old = None
    if target.exists() or target.is_symlink():
        old = target.parent / f"{PREFIX}{target.name}-old-{os.getpid()}"
        os.replace(target, old)
    try:
        os.replace(staged, target)
    except OSError:
        if old is not None:
            os.replace(old, target)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def discard(staged: Path | None) -> None:
    if staged is not None:
        shutil.rmtree(staged, ignore_errors=True)
