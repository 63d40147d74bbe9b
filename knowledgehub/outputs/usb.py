"""The USB edition: the whole library as a folder (and a zip beside it) that works
when opened from the file system, with search, and nothing fetched from anywhere."""

from __future__ import annotations

import json
import os
import shutil
import sys
import uuid
import zipfile
from datetime import UTC, datetime
from pathlib import Path

from knowledgehub.model.project import Project
from knowledgehub.site.output import (
    PREFIX,
    BuildBusy,
    BuildLock,
    clean_stale,
    discard,
    replace_atomically,
    staging_dir,
    swap_in,
    write_failure,
    write_file,
)

MARKER = ".hub-usb-edition.json"
START_PAGE = "START-HERE.html"
# in the staging folder of a folder and zip: the new edition's marker, once both are complete
COMMIT = "committed.json"


class UsbRefused(Exception):
    pass


def check_target(out: Path) -> None:
    """Refuse to build into a folder that holds anything but a previous edition."""
    if out.exists() and not out.is_dir():
        raise UsbRefused(f"{out} exists and is not a folder")
    if out.is_dir() and any(out.iterdir()) and not (out / MARKER).is_file():
        raise UsbRefused(
            f"{out} is not empty and is not a previous USB edition (it has no {MARKER}); "
            "nothing was changed. Choose an empty or new folder."
        )


def write_edition_files(site_dir: Path, edition: dict, home: str = "index.html") -> None:
    """The marker that identifies an edition folder, and START-HERE.html at its root."""
    (site_dir / MARKER).write_text(json.dumps(edition, indent=2), encoding="utf-8")
    title = f"Water Services Knowledge Hub — USB edition of {edition['date']}"
    (site_dir / START_PAGE).write_text(
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{title}</title>"
        f'<meta http-equiv="refresh" content="0; url={home}">'
        "<style>"
        "body{font-family:system-ui,sans-serif;max-width:36rem;margin:3rem auto;line-height:1.5}"
        "</style>"
        "</head><body>"
        "<h1>Water Services Knowledge Hub</h1>"
        f"<p>USB edition of {edition['date']} (version {edition['version']}).</p>"
        f'<p><a href="{home}">Open the library</a>. It works without internet; keep this folder together.</p>'
        "</body></html>\n",
        encoding="utf-8",
    )


def zip_folder(folder: Path, zip_path: Path) -> Path:
    """Zip ``folder`` (with the folder's name as the top directory) atomically."""

    def write(temp: Path) -> None:
        with zipfile.ZipFile(temp, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
            for path in sorted(folder.rglob("*")):
                if path.is_file():
                    archive.write(path, Path(folder.name) / path.relative_to(folder))

    return replace_atomically(zip_path, write)


def folder_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def build_usb(project: Project, out: Path, quiet: bool = False) -> int:
    """Build the edition folder and its zip into one staging folder beside ``out``, then
    swap both in (``commit_pair``), holding ``out``'s lock throughout."""
    from knowledgehub.site.build import build_site

    out = Path(out).resolve()
    try:
        check_target(out)
        lock = BuildLock(out)
    except UsbRefused as exc:
        print(f"hub usb: {exc}", file=sys.stderr)
        return 2
    except BuildBusy as exc:
        print(f"hub: {exc}", file=sys.stderr)
        return 1
    pair = None
    try:
        recover_pair(out)
        pair = staging_dir(out, kind="pair-")
        status = build_site(project, site_dir=pair / out.name, offline=True, quiet=quiet)
        if status != 0:
            return status
        zip_folder(pair / out.name, pair / zip_path_of(out).name)
        write_file(pair / COMMIT, (pair / out.name / MARKER).read_text(encoding="utf-8"))
        commit_pair(pair, out)
        pair = None
    except OSError as exc:
        print(write_failure(exc, out), file=sys.stderr)
        return 1
    finally:
        discard(pair)
        lock.release()
    if not quiet:
        zip_path = zip_path_of(out)
        print(
            f"USB edition: {out} ({folder_size(out) / 1e6:.1f} MB), "
            f"{zip_path} ({zip_path.stat().st_size / 1e6:.1f} MB); "
            f"open {out / START_PAGE}",
            file=sys.stderr,
        )
    return 0


def zip_path_of(out: Path) -> Path:
    return out.with_suffix(".zip")


def commit_pair(pair: Path, out: Path) -> None:
    """The staged folder and zip are complete: rename their staging folder to the commit
    folder (from then on the new pair is the one to finish putting in place, even after a
    kill), then put the folder and the zip in place."""
    committed = out.parent / f"{PREFIX}{out.name}-commit"
    shutil.rmtree(committed, ignore_errors=True)
    os.rename(pair, committed)
    recover_pair(out)


def recover_pair(out: Path) -> None:
    """Finish a committed swap of an edition (idempotent, so a kill in it is finished by
    the next run): the folder swapped in unless it is the new edition already, then the
    zip, then the old folder deleted."""
    committed = out.parent / f"{PREFIX}{out.name}-commit"
    if not (committed / COMMIT).is_file():
        shutil.rmtree(committed, ignore_errors=True)  # never committed: a stale staging
        return
    new_marker = (committed / COMMIT).read_text(encoding="utf-8")
    staged_dir, staged_zip = committed / out.name, committed / zip_path_of(out).name
    current = out / MARKER
    old = None
    if staged_dir.is_dir() and not (current.is_file() and current.read_text(encoding="utf-8") == new_marker):
        old = swap_in(staged_dir, out, keep_old=True)
    if staged_zip.is_file():
        os.replace(staged_zip, zip_path_of(out))
    discard(old)
    shutil.rmtree(committed, ignore_errors=True)
    clean_stale(out)  # the old folder of a swap killed before it was deleted


def edition_info(project: Project, offline: bool) -> dict:
    import subprocess

    from knowledgehub import __version__

    version = __version__
    try:
        done = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=project.root,
            capture_output=True,
            text=True,
            timeout=10,
        )
        if done.returncode == 0 and done.stdout.strip():
            version = f"{__version__}+{done.stdout.strip()}"
    except (OSError, subprocess.SubprocessError):
        pass
    return {
        "kind": "USB edition" if offline else "online edition",
        "date": datetime.now(UTC).date().isoformat(),
        "version": version,
        # which build this is: the folder and the zip of one edition carry the same
        "build": uuid.uuid4().hex,
    }
