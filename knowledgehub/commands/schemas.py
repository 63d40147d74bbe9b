"""``hub schemas``: the JSON Schema of every content type, written into schemas/ (and
VS Code's settings), or checked to be up to date."""

from __future__ import annotations

import sys
from pathlib import Path

from knowledgehub.commands.common import BROKEN, load_model

HELP = "write the JSON Schema of every content type into schemas/ (and VS Code's settings)"


def add_arguments(parser) -> None:
    parser.add_argument("-o", "--output", help="folder to write to (default: schemas/ in the project)")
    parser.add_argument(
        "--base-url", default="", help="URL the schemas are published under; gives each an $id"
    )
    parser.add_argument(
        "--check", action="store_true", help="write nothing; exit 1 if the files are not up to date"
    )


def run(project, args) -> int:
    from knowledgehub.outputs.schema_files import (
        VSCODE_SETTINGS,
        outdated_schemas,
        update_vscode_settings,
        vscode_yaml_schemas,
        write_schemas,
    )

    model = load_model(project)
    if model is None:
        return BROKEN
    folder = Path(args.output) if args.output else project.root / "schemas"
    if args.check:
        stale = outdated_schemas(model, folder, args.base_url)
        if stale:
            print(
                f"hub: {project.relative(folder)} is not up to date with the model ({', '.join(stale)}); "
                "run: hub schemas",
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
