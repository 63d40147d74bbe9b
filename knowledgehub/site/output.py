"""Writing output atomically and one build at a time: a lock per output folder (held from
staging to swap), a staging folder beside the target that is swapped in (readers, and a
killed build, see the old site or the new one, never a mix), files replaced atomically,
and the one line a failed write is told in."""

from __future__ import annotations

import ctypes
import errno
import fcntl
import os
import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

PREFIX = ".site-"
FOLDER_MODE = 0o755
FILE_MODE = 0o644
# how long a second build waits for the first one before it gives up (seconds)
LOCK_WAIT = float(os.environ.get("HUB_LOCK_WAIT", "60"))


class BuildBusy(Exception):
    """Another process is building into the same output folder."""

    def __init__(self, target: Path, pid: str):
        super().__init__(
            f"another build of {target} is running (pid {pid or '?'}); try again when it has finished"
        )


def write_failure(exc: OSError, target: Path | str) -> str:
    """The one line that says writing ``target`` failed, and that the previous output is
    untouched. The file named is the one being written (in the staging folder, told as
    the place it was meant for); not a file being read, such as a theme file being copied."""
    target = Path(target)
    where = target
    names = [name for name in (exc.filename2, exc.filename) if name]
    for name in names:
        path = Path(os.fsdecode(name))
        if path.parent == target.parent or target.parent in path.parents:
            parts = path.relative_to(target.parent).parts
            if parts and parts[0].startswith(f"{PREFIX}{target.name}-"):
                parts = (target.name, *parts[1:])
            where = target.parent.joinpath(*parts)
            break
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return f"hub: the disk is full while writing {where}: the previous site was left as it was"
    return f"hub: could not write {where} ({exc.strerror or exc}): the previous site was left as it was"


class BuildLock:
    """An exclusive flock on ``.site-<name>.lock`` beside the target; the file holds the pid."""

    def __init__(self, target: Path, wait: float | None = None):
        self.target = Path(target)
        self.path = self.target.parent / f"{PREFIX}{self.target.name}.lock"
        self.fd: int | None = None
        self._acquire(LOCK_WAIT if wait is None else wait)

    def _acquire(self, wait: float) -> None:
        self.target.parent.mkdir(parents=True, exist_ok=True)
        deadline = time.monotonic() + wait
        while True:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, FILE_MODE)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
                os.close(fd)
                if time.monotonic() >= deadline:
                    raise BuildBusy(self.target, holder) from None
                time.sleep(0.1)
                continue
            # the holder before us unlinks the file when it is done: a lock on an unlinked
            # file locks nothing, so make sure ours is the file at the path
            try:
                same = os.stat(self.path).st_ino == os.fstat(fd).st_ino
            except FileNotFoundError:
                same = False
            if not same:
                os.close(fd)
                continue
            os.ftruncate(fd, 0)
            os.pwrite(fd, str(os.getpid()).encode("ascii"), 0)
            self.fd = fd
            return

    def release(self) -> None:
        if self.fd is None:
            return
        try:
            self.path.unlink(missing_ok=True)
        finally:
            os.close(self.fd)
            self.fd = None


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
        os.chmod(temp, FILE_MODE)
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


def staging_dir(target: Path, kind: str = "") -> Path:
    """A fresh, empty folder (mode 0755) beside ``target`` to build into. Call it holding
    the target's BuildLock: the leftovers it clears are then those of killed builds."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    clean_stale(target)
    staged = Path(tempfile.mkdtemp(prefix=f"{PREFIX}{target.name}-{kind}", dir=target.parent))
    os.chmod(staged, FOLDER_MODE)
    return staged


def clean_stale(target: Path) -> None:
    """Tidy up after builds that were killed (call it holding the target's BuildLock: no
    live build has a staging folder then): a swap interrupted between its two renames
    left the old site aside (it is put back); staging folders and temporary files beside
    the target are removed."""
    target = Path(target)
    old_copies = sorted(target.parent.glob(f"{PREFIX}{target.name}-old-*"), key=lambda p: p.stat().st_mtime)
    if not target.exists() and old_copies:
        os.replace(old_copies.pop(), target)
    leftovers = [
        *target.parent.glob(f"{PREFIX}{target.name}-*"),
        *target.parent.glob(f"{PREFIX}{target.name}.old-*"),
    ]
    for leftover in leftovers:
        if leftover.is_dir():
            shutil.rmtree(leftover, ignore_errors=True)
    for temp in target.parent.glob(f".{target.name}*.tmp"):
        temp.unlink(missing_ok=True)


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one step (Linux renameat2 RENAME_EXCHANGE). False when the
    system or the file system cannot; an OSError for any other failure."""
    renameat2 = getattr(ctypes.CDLL(None, use_errno=True), "renameat2", None)
    if renameat2 is None:
        return False
    done = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    if done == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
        return False
    raise OSError(code, os.strerror(code), str(b))


def swap_in(staged: Path, target: Path, keep_old: bool = False) -> Path | None:
    """Replace ``target`` by ``staged``: in one step where the system can swap two paths,
    so that there is no moment without a site; otherwise the old folder is moved aside
    first (clean_stale puts it back after a kill) and only deleted once the new one is in
    place. ``keep_old``: the old folder is not deleted but returned, for the caller to
    delete when it has put the rest in place."""
    staged, target = Path(staged), Path(target)
    os.chmod(staged, FOLDER_MODE)
    old = None
    if target.is_dir() and not target.is_symlink() and exchange(staged, target):
        # ``staged`` now holds the old site: named as what it is (a kill while it is
        # deleted leaves it for the next build to clear)
        old = target.parent / f"{PREFIX}{target.name}.old-{os.getpid()}"
        shutil.rmtree(old, ignore_errors=True)
        os.replace(staged, old)
    else:
        if target.exists() or target.is_symlink():
            old = target.parent / f"{PREFIX}{target.name}-old-{os.getpid()}"
            os.replace(target, old)
        try:
            os.replace(staged, target)
        except OSError:
            if old is not None:
                os.replace(old, target)
            raise
    if old is not None and not keep_old:
        shutil.rmtree(old, ignore_errors=True)
        return None
    return old


def discard(staged: Path | None) -> None:
    if staged is not None:
        shutil.rmtree(staged, ignore_errors=True)
