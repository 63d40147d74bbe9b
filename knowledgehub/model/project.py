"""Where a hub project keeps its content, its model and its output."""

from __future__ import annotations

import errno
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


# The USB edition is a zip whose top folder is this; every path inside it must stay under
# ZIP_PATH_LIMIT characters (Windows' 260, less room for the folder it is unpacked in).
ZIP_TOP = "water-services-knowledge-hub/"
ZIP_PATH_LIMIT = 240
PAGE_SUFFIX = ".html"


def zip_path(src_uri: str, entry: bool) -> str:
    """Where the file ``src_uri`` (relative to content/) lands in the USB zip: an entry
    becomes ``<folder>/<id>.html``, another Markdown page ``<path>.html``, a file keeps its path."""
    if entry:
        folder, _, name = src_uri.partition("/")
        return f"{ZIP_TOP}{folder}/{name.rsplit('/', 1)[-1][: -len('.md')]}{PAGE_SUFFIX}"
    if src_uri.lower().endswith(".md"):
        return ZIP_TOP + src_uri[: -len(".md")] + PAGE_SUFFIX
    return ZIP_TOP + src_uri


def max_id_length(folder: str) -> int:
    """The longest id an entry of the type folder ``folder`` can have and keep its page's
    path in the USB zip under the limit."""
    return ZIP_PATH_LIMIT - 1 - len(f"{ZIP_TOP}{folder}/{PAGE_SUFFIX}")


@dataclass
class ContentTree:
    """What a walk of content/ finds, following no symbolic link out of it.

    ``files``: every file (dot-files included, for the sweep to judge; none inside a
    dot-folder, which MkDocs does not publish); ``folders``: the folders walked;
    ``refused``: (path, rule, message, hint) for each symbolic link that leads outside
    content/, into a folder that is not checked, nowhere, or round in a loop."""

    files: list[Path]
    folders: list[Path]
    refused: list[tuple[Path, str, str, str]]


_COPY_HINT = "replace the link with a copy of what it points at, inside content/"


def walk_content(content_dir: Path) -> ContentTree:
    """Walk ``content_dir`` as MkDocs publishes it (following symbolic links), refusing
    the links it must not follow. Never raises for a bad link: it is in ``refused``."""
    content_dir = Path(os.path.abspath(content_dir))
    tree = ContentTree([], [content_dir], [])
    if not content_dir.is_dir():
        return tree
    real_content = Path(os.path.realpath(content_dir))

    def refuse(path: Path, rule: str, message: str) -> None:
        tree.refused.append((path, rule, message, _COPY_HINT))

    def visit(folder: Path, real_folders: tuple[Path, ...]) -> None:
        try:
            with os.scandir(folder) as listing:
                found = sorted((item.name, item) for item in listing)
        except OSError as exc:
            refuse(folder, "policy-file-missing", f"cannot be read: {exc.strerror or exc}")
            return
        for name, item in found:
            path = folder / name
            if item.is_symlink():
                try:
                    real = Path(os.path.realpath(path, strict=True))
                except OSError as exc:
                    looped = getattr(exc, "errno", None) == errno.ELOOP
                    refuse(
                        path,
                        "policy-file-missing",
                        "is a symbolic link that loops back on itself"
                        if looped
                        else "is a symbolic link that leads nowhere (its target does not exist)",
                    )
                    continue
                try:
                    inner = real.relative_to(real_content)
                except ValueError:
                    refuse(path, "policy-file-outside", "is a symbolic link leading outside content/")
                    continue
                if any(part.startswith(".") for part in inner.parts):
                    refuse(
                        path,
                        "policy-file-outside",
                        f"is a symbolic link into '{inner.as_posix()}', which is not checked",
                    )
                    continue
                if real.is_dir():
                    if any(real == seen or _inside(seen, real) for seen in real_folders):
                        refuse(path, "policy-file-missing", "is a symbolic link that loops back on itself")
                        continue
                    if not name.startswith("."):
                        tree.folders.append(path)
                        visit(path, (*real_folders, real))
                    continue
                tree.files.append(path)
            elif item.is_dir(follow_symlinks=False):
                if not name.startswith("."):
                    tree.folders.append(path)
                    visit(path, (*real_folders, Path(os.path.realpath(path))))
            else:
                tree.files.append(path)

    visit(content_dir, (real_content,))
    return tree


def _inside(path: Path, folder: Path) -> bool:
    try:
        path.relative_to(folder)
    except ValueError:
        return False
    return True


def entry_files(content_dir: Path, model: ContentModel, tree: ContentTree | None = None) -> list[Path]:
    """Every Markdown file in the type folders (``<id>.md``: no hidden or ``_`` file or
    folder, no index.md), in a stable order; no symbolic link refused by ``walk_content``."""
    content_dir = Path(os.path.abspath(content_dir))
    tree = tree or walk_content(content_dir)
    by_folder: dict[str, list[Path]] = {}
    for path in tree.files:
        parts = path.relative_to(content_dir).parts
        if len(parts) < 2 or any(part.startswith((".", "_")) for part in parts):
            continue
        if parts[-1].endswith(".md") and parts[-1] != "index.md":
            by_folder.setdefault(parts[0], []).append(path)
    return [path for ctype in model.types.values() for path in by_folder.get(ctype.folder, [])]
