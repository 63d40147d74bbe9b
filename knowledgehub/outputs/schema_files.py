"""The JSON Schemas of the content types as files: ``schemas/<type>.schema.json`` in
the repository (for editors and other tools) and the same files on the published
site. Both are written by ``write_schemas`` from ``schema.type_schema``, so the
fields are still described only in ``model/types.yml``."""

from __future__ import annotations

import json
import os
from pathlib import Path

from knowledgehub.model.content import ContentModel
from knowledgehub.model.schema import type_schema

SCHEMA_SUFFIX = ".schema.json"
VSCODE_SETTINGS = Path(".vscode/settings.json")


def schema_filename(type_name: str) -> str:
    return f"{type_name}{SCHEMA_SUFFIX}"


def render_schemas(model: ContentModel, base_url: str = "") -> dict[str, str]:
    """File name → text of every type's schema. With ``base_url`` (the site's URL)
    each schema gets an ``$id`` at ``<base_url>/schemas/<type>.schema.json``."""
    return {
        schema_filename(name): json.dumps(type_schema(ctype, model, base_url), indent=2, ensure_ascii=False)
        + "\n"
        for name, ctype in model.types.items()
    }


def write_schemas(model: ContentModel, folder: Path | str, base_url: str = "") -> list[Path]:
    """Write every type's schema into ``folder`` (created if needed) and remove
    schema files of types that no longer exist. Returns the paths written;
    a file that already holds the right text is not rewritten."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    wanted = render_schemas(model, base_url)
    written = []
    for name, text in wanted.items():
        path = folder / name
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8", newline="\n")
        written.append(path)
    for old in folder.glob(f"*{SCHEMA_SUFFIX}"):
        if old.name not in wanted:
            old.unlink()
    return written


def outdated_schemas(model: ContentModel, folder: Path | str, base_url: str = "") -> list[str]:
    """Names of the schema files in ``folder`` that are missing, differ from the
    model or belong to no type (empty when the folder is up to date)."""
    folder = Path(folder)
    wanted = render_schemas(model, base_url)
    wrong = [
        name
        for name, text in wanted.items()
        if not (folder / name).is_file() or (folder / name).read_text(encoding="utf-8") != text
    ]
    extra = (
        sorted(p.name for p in folder.glob(f"*{SCHEMA_SUFFIX}") if p.name not in wanted)
        if folder.is_dir()
        else []
    )
    return wrong + extra


def vscode_yaml_schemas(
    model: ContentModel, root: Path, schema_dir: Path, content_dir: Path
) -> dict[str, list[str]]:
    """The ``yaml.schemas`` setting of VS Code's YAML extension: each schema file
    (relative to the workspace, ``./schemas/...``) → the glob of its content folder."""
    schemas = Path(os.path.relpath(schema_dir, root)).as_posix()
    content = Path(os.path.relpath(content_dir, root)).as_posix()
    return {
        f"./{schemas}/{schema_filename(name)}": [f"{content}/{ctype.folder}/**/*.md"]
        for name, ctype in model.types.items()
    }


def update_vscode_settings(settings_file: Path, mapping: dict[str, list[str]]) -> bool:
    """Set ``yaml.schemas`` in a VS Code settings file, keeping its other settings.
    Returns False (and leaves the file alone) when the file is not plain JSON
    (VS Code also accepts comments, which this does not rewrite)."""
    settings: dict = {}
    if settings_file.is_file():
        try:
            settings = json.loads(settings_file.read_text(encoding="utf-8") or "{}")
        except json.JSONDecodeError:
            return False
        if not isinstance(settings, dict):
            return False
    if settings.get("yaml.schemas") == mapping:
        return True
    settings["yaml.schemas"] = mapping
    settings_file.parent.mkdir(parents=True, exist_ok=True)
    settings_file.write_text(
        json.dumps(settings, indent=2, ensure_ascii=False) + "\n", encoding="utf-8", newline="\n"
    )
    return True
