"""The USB edition: the whole library as a folder (and a zip beside it) that works
when opened from the file system, with search, and nothing fetched from anywhere."""

from __future__ import annotations

import json
import sys
import zipfile
from datetime import UTC, datetime
from pathlib import Path

from knowledgehub.model.project import Project
from knowledgehub.site.output import replace_atomically

MARKER = ".hub-usb-edition.json"
START_PAGE = "START-HERE.html"


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
    from knowledgehub.site.build import build_site

    out = Path(out).resolve()
    try:
        check_target(out)
    except UsbRefused as exc:
        print(f"hub usb: {exc}", file=sys.stderr)
        return 2
    status = build_site(project, site_dir=out, offline=True, quiet=quiet)
    if status != 0:
        return status
    zip_path = zip_folder(out, out.with_suffix(".zip"))
    if not quiet:
        print(
            f"USB edition: {out} ({folder_size(out) / 1e6:.1f} MB), "
            f"{zip_path} ({zip_path.stat().st_size / 1e6:.1f} MB); "
            f"open {out / START_PAGE}",
            file=sys.stderr,
        )
    return 0


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
    }
