"""The ``hub`` command: check, build, serve."""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from .problems import FORMATS, format_problems, summary_line
from .project import Project, ProjectNotFound


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="hub", description="Water Services Knowledge Hub: check, build and preview the library.")
    parser.add_argument("-f", "--config-file", help="the project's mkdocs.yml (default: found from the working directory)")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    check = sub.add_parser("check", help="validate entries without building the site")
    check.add_argument("paths", nargs="*", help="entry files or folders to check (default: the whole library)")
    check.add_argument("--format", choices=FORMATS, default="text", help="text (default), github (Actions annotations) or json")

    build = sub.add_parser("build", help="validate, then build the site into site/ (atomically)")
    build.add_argument("-d", "--site-dir", help="output folder (default: site_dir of mkdocs.yml)")
    build.add_argument("--with-usb", action="store_true", help="also build the USB edition and offer its zip for download on the site")

    usb = sub.add_parser("usb", help="build the USB edition: a folder (and a .zip beside it) that works from the file system, offline")
    usb.add_argument("-o", "--output", default="usb/water-services-knowledge-hub", help="edition folder (default: usb/water-services-knowledge-hub)")

    serve = sub.add_parser("serve", help="live preview on http://127.0.0.1:8000/")
    serve.add_argument("-a", "--dev-addr", default=None, help="address:port to serve on")

    from .pack import add_arguments as add_pack_arguments

    add_pack_arguments(sub.add_parser("pack", help="write a printable workshop pack (HTML, and PDF when Chromium is installed) of selected entries"))

    args = parser.parse_args(argv)
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    try:
        project = Project.find(config_file=args.config_file)
    except (ProjectNotFound, OSError) as exc:
        print(f"hub: {exc}", file=sys.stderr)
        return 2
    try:
        if args.command == "check":
            return _check(project, args)
        if args.command == "build":
            from .build import build_site

            usb_zip = None
            if args.with_usb:
                from .usb import build_usb

                edition = project.root / "usb" / "water-services-knowledge-hub"
                status = build_usb(project, edition)
                if status != 0:
                    return status
                usb_zip = edition.with_suffix(".zip")
            return build_site(project, site_dir=Path(args.site_dir) if args.site_dir else None, usb_zip=usb_zip)
        if args.command == "usb":
            from .usb import build_usb

            return build_usb(project, Path(args.output))
        if args.command == "serve":
            from .build import serve_site

            return serve_site(project, dev_addr=args.dev_addr)
        if args.command == "pack":
            from .pack import run as run_pack

            return run_pack(project, args)
    except KeyboardInterrupt:
        print("hub: interrupted", file=sys.stderr)
        return 130
    return 2


def _check(project: Project, args) -> int:
    from .catalog import load_library
    from .model import ModelError

    started = time.perf_counter()
    only = None
    if args.paths:
        only = []
        for raw in args.paths:
            path = Path(raw)
            if not path.exists():
                print(f"hub: no such file or folder: {raw}", file=sys.stderr)
                return 2
            only.extend(sorted(path.rglob("*.md")) if path.is_dir() else [path])
    try:
        result = load_library(project, only=only)
    except ModelError as exc:
        print(f"hub: the content model is broken: {exc}", file=sys.stderr)
        return 2
    if result.problems:
        print(format_problems(result.problems, args.format))
    if args.format != "json":
        elapsed = time.perf_counter() - started
        print(f"{summary_line(result.problems, result.files)} ({elapsed:.2f} s)", file=sys.stderr)
    return 0 if result.ok else 1


if __name__ == "__main__":
    sys.exit(main())
