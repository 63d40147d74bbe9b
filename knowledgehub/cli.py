"""The ``hub`` command: check, build, serve."""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from knowledgehub.model.problems import FORMATS, format_problems, summary_line
from knowledgehub.model.project import Project, ProjectNotFound


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="hub", description="Water Services Knowledge Hub: check, build and preview the library."
    )
    parser.add_argument(
        "-f", "--config-file", help="the project's mkdocs.yml (default: found from the working directory)"
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    check = sub.add_parser("check", help="validate entries without building the site")
    check.add_argument(
        "paths", nargs="*", help="entry files or folders to check (default: the whole library)"
    )
    check.add_argument(
        "--format",
        choices=FORMATS,
        default="text",
        help="text (default), github (Actions annotations) or json",
    )
    check.add_argument(
        "--changed",
        action="store_true",
        help="check only the entries changed against a git ref (new and modified files included)",
    )
    check.add_argument(
        "--base",
        metavar="REF",
        help="with --changed: the git ref to compare with (default: origin/main if it exists, else HEAD)",
    )

    build = sub.add_parser("build", help="validate, then build the site into site/ (atomically)")
    build.add_argument("-d", "--site-dir", help="output folder (default: site_dir of mkdocs.yml)")
    build.add_argument(
        "--with-usb",
        action="store_true",
        help="also build the USB edition and offer its zip for download on the site",
    )

    usb = sub.add_parser(
        "usb",
        help="build the USB edition: a folder (and a .zip beside it) that works from the file system, offline",
    )
    usb.add_argument(
        "-o",
        "--output",
        default="usb/water-services-knowledge-hub",
        help="edition folder (default: usb/water-services-knowledge-hub)",
    )

    serve = sub.add_parser("serve", help="live preview on http://127.0.0.1:8000/")
    serve.add_argument("-a", "--dev-addr", default=None, help="address:port to serve on")

    new = sub.add_parser("new", help="start a new entry of a content type from its template")
    new.add_argument(
        "type", metavar="TYPE", help="content type, e.g. case-study (an unknown one lists them all)"
    )
    new.add_argument("--title", help="the entry's title; its file name is made from it")
    new.add_argument(
        "--id",
        dest="entry_id",
        metavar="ID",
        help="the file name (without .md), if not the one made from the title",
    )

    schemas = sub.add_parser(
        "schemas", help="write the JSON Schema of every content type into schemas/ (and VS Code's settings)"
    )
    schemas.add_argument("-o", "--output", help="folder to write to (default: schemas/ in the project)")
    schemas.add_argument(
        "--base-url", default="", help="URL the schemas are published under; gives each an $id"
    )
    schemas.add_argument(
        "--check", action="store_true", help="write nothing; exit 1 if the files are not up to date"
    )

    form = sub.add_parser(
        "issue-form", help="write the GitHub issue form for submitting an entry without git"
    )
    form.add_argument(
        "type", metavar="TYPE", nargs="?", default="case-study", help="content type (default: case-study)"
    )
    form.add_argument(
        "-o", "--output", help="file to write (default: .github/ISSUE_TEMPLATE/<type>.yml in the project)"
    )
    form.add_argument(
        "--check", action="store_true", help="write nothing; exit 1 if the file is not up to date"
    )

    from knowledgehub.outputs.pack import add_arguments as add_pack_arguments

    add_pack_arguments(
        sub.add_parser(
            "pack",
            help="write a printable workshop pack (HTML, and PDF when Chromium is installed) of selected entries",
        )
    )

    from knowledgehub.commands.links import add_arguments as add_links_arguments

    add_links_arguments(
        sub.add_parser(
            "links",
            help="check every internal link, anchor and image of the built site; list the external links",
        )
    )

    args = parser.parse_args(argv)
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    if args.command == "links":  # works on any built site, inside a project or not
        from knowledgehub.commands.links import run as run_links

        return run_links(args)
    try:
        project = Project.find(config_file=args.config_file)
    except (ProjectNotFound, OSError) as exc:
        print(f"hub: {exc}", file=sys.stderr)
        return 2
    try:
        if args.command == "check":
            return _check(project, args)
        if args.command == "new":
            return _new(project, args)
        if args.command == "schemas":
            return _schemas(project, args)
        if args.command == "issue-form":
            return _issue_form(project, args)
        if args.command == "build":
            from knowledgehub.site.build import build_site

            usb_zip = None
            if args.with_usb:
                from knowledgehub.outputs.usb import build_usb

                edition = project.root / "usb" / "water-services-knowledge-hub"
                status = build_usb(project, edition)
                if status != 0:
                    return status
                usb_zip = edition.with_suffix(".zip")
            return build_site(
                project, site_dir=Path(args.site_dir) if args.site_dir else None, usb_zip=usb_zip
            )
        if args.command == "usb":
            from knowledgehub.outputs.usb import build_usb

            return build_usb(project, Path(args.output))
        if args.command == "serve":
            from knowledgehub.site.build import serve_site

            return serve_site(project, dev_addr=args.dev_addr)
        if args.command == "pack":
            from knowledgehub.outputs.pack import run as run_pack

            return run_pack(project, args)
    except KeyboardInterrupt:
        print("hub: interrupted", file=sys.stderr)
        return 130
    return 2


def _check(project: Project, args) -> int:
    from knowledgehub.library.load import load_library
    from knowledgehub.model.content import ModelError

    started = time.perf_counter()
    only = None
    if args.base and not args.changed:
        print("hub: --base goes with --changed", file=sys.stderr)
        return 2
    if args.changed:
        from knowledgehub.library.changes import GitError, changed_entries

        if args.paths:
            print("hub: give either paths or --changed, not both", file=sys.stderr)
            return 2
        try:
            changes = changed_entries(project, args.base)
        except GitError as exc:
            print(f"hub: {exc}", file=sys.stderr)
            return 2
        if changes.whole_library:
            print(f"hub: {changes.whole_library}: checking the whole library", file=sys.stderr)
        else:
            only = changes.entries
            print(
                f"hub: {len(only)} changed entr{'y' if len(only) == 1 else 'ies'} against {changes.base}",
                file=sys.stderr,
            )
    if args.paths:
        only = []
        for raw in args.paths:
            path = Path(raw)
            if not path.exists():
                print(f"hub: no such file or folder: {raw}", file=sys.stderr)
                return 2
            only.extend(sorted(path.rglob("*.md")) if path.is_dir() else [path])
    try:
        result = load_library(project, only=only, with_catalog=False)
    except ModelError as exc:
        print(f"hub: the content model is broken: {exc}", file=sys.stderr)
        return 2
    if result.problems:
        print(format_problems(result.problems, args.format))
    if args.format != "json":
        elapsed = time.perf_counter() - started
        print(f"{summary_line(result.problems, result.files)} ({elapsed:.2f} s)", file=sys.stderr)
    return 0 if result.ok else 1


def _new(project: Project, args) -> int:
    from knowledgehub.model.content import ModelError
    from knowledgehub.outputs.scaffold import ScaffoldError, new_entry

    try:
        path = new_entry(project, args.type, title=args.title, slug=args.entry_id)
    except ScaffoldError as exc:
        print(f"hub: {exc}", file=sys.stderr)
        return 2
    except ModelError as exc:
        print(f"hub: the content model is broken: {exc}", file=sys.stderr)
        return 2
    rel = project.relative(path)
    print(rel)
    if args.title is None and args.entry_id is None:
        print(
            f"Next: give it a title and rename the file after it (its name is the entry's id and URL), replace every TODO, write the body, then run: hub check {rel}",
            file=sys.stderr,
        )
    else:
        print(
            f"Next: replace every TODO in {rel}, write the body, then run: hub check {rel}", file=sys.stderr
        )
    return 0


def _schemas(project: Project, args) -> int:
    from knowledgehub.model.content import ContentModel, ModelError
    from knowledgehub.outputs.schema_files import (
        VSCODE_SETTINGS,
        outdated_schemas,
        update_vscode_settings,
        vscode_yaml_schemas,
        write_schemas,
    )

    try:
        model = ContentModel.load(project.model_dir)
    except ModelError as exc:
        print(f"hub: the content model is broken: {exc}", file=sys.stderr)
        return 2
    folder = Path(args.output) if args.output else project.root / "schemas"
    if args.check:
        stale = outdated_schemas(model, folder, args.base_url)
        if stale:
            print(
                f"hub: {project.relative(folder)} is not up to date with the model ({', '.join(stale)}); run: hub schemas",
                file=sys.stderr,
            )
            return 1
        print(f"{project.relative(folder)}: up to date", file=sys.stderr)
        return 0
    written = write_schemas(model, folder, args.base_url)
    for path in written:
        print(project.relative(path))
    if not args.output:
        mapping = vscode_yaml_schemas(model, project.root, folder, project.content_dir)
        if not update_vscode_settings(project.root / VSCODE_SETTINGS, mapping):
            print(f"hub: {VSCODE_SETTINGS} is not plain JSON; set its yaml.schemas by hand", file=sys.stderr)
    return 0


def _issue_form(project: Project, args) -> int:
    from knowledgehub.model.content import ContentModel, ModelError
    from knowledgehub.outputs.issue_form import form_path, render_issue_form
    from knowledgehub.outputs.scaffold import ScaffoldError, resolve_type

    try:
        model = ContentModel.load(project.model_dir)
        ctype = resolve_type(model, args.type)
    except ModelError as exc:
        print(f"hub: the content model is broken: {exc}", file=sys.stderr)
        return 2
    except ScaffoldError as exc:
        print(f"hub: {exc}", file=sys.stderr)
        return 2
    path = Path(args.output) if args.output else project.root / form_path(ctype.name)
    text = render_issue_form(model, ctype.name)
    current = path.read_text(encoding="utf-8") if path.is_file() else None
    if args.check:
        if current != text:
            print(
                f"hub: {project.relative(path)} is not up to date with the model; run: hub issue-form {ctype.name}",
                file=sys.stderr,
            )
            return 1
        print(f"{project.relative(path)}: up to date", file=sys.stderr)
        return 0
    if current != text:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="\n")
    print(project.relative(path))
    return 0


if __name__ == "__main__":
    sys.exit(main())
