"""Where a hub project keeps its content, its model and its output."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import yaml

if TYPE_CHECKING:
    from knowledgehub.model.content import ContentModel


class ProjectNotFound(Exception):
    pass


@dataclass(frozen=True)
class Project:
    root: Path
    config_file: Path
    content_dir: Path
    model_dir: Path
    site_dir: Path
    overrides_dir: Path

    @classmethod
    def find(cls, start: Path | str | None = None, config_file: Path | str | None = None) -> Project:
        """The project whose mkdocs.yml is at or above ``start`` (default: the working directory)."""
        if config_file is None:
            here = Path(start or os.getcwd()).resolve()
            for folder in (here, *here.parents):
                if (folder / "mkdocs.yml").is_file():
                    config_file = folder / "mkdocs.yml"
                    break
            else:
                raise ProjectNotFound(f"no mkdocs.yml in {here} or any folder above it")
        config_file = Path(config_file).resolve()
        root = config_file.parent
        settings = _read_settings(config_file)
        return cls(
            root=root,
            config_file=config_file,
            content_dir=root / settings.get("docs_dir", "content"),
            model_dir=root / "model",
            site_dir=root / settings.get("site_dir", "site"),
            overrides_dir=root / "overrides",
        )

    def relative(self, path: Path) -> str:
        """A path as shown in messages: relative to the project root when inside it."""
        path = Path(path)
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            pass
        try:
            return path.resolve().relative_to(self.root).as_posix()
        except ValueError:
            return path.as_posix()


def _read_settings(config_file: Path) -> dict:
    """The few mkdocs.yml settings the engine needs, read without MkDocs.

    mkdocs.yml may hold Python tags (``!!python/name:``) for Markdown extensions;
    a loader that ignores unknown tags reads past them safely.
    """

    class _Lenient(yaml.SafeLoader):
        pass

    _Lenient.add_multi_constructor("", lambda loader, suffix, node: None)
    _Lenient.add_multi_constructor("!", lambda loader, suffix, node: None)
    with open(config_file, encoding="utf-8") as handle:
        data = yaml.load(handle, Loader=_Lenient) or {}
    return data if isinstance(data, dict) else {}


def entry_files(content_dir: Path, model: ContentModel) -> list[Path]:
    """Every Markdown file in the type folders, in a stable order."""
    files = []
    for ctype in model.types.values():
        folder = content_dir / ctype.folder
        if not folder.is_dir():
            continue
        for dirpath, dirnames, filenames in os.walk(folder):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith((".", "_")))
            for name in sorted(filenames):
                if name.endswith(".md") and not name.startswith(("_", ".")) and name != "index.md":
                    files.append(Path(dirpath) / name)
    return files
