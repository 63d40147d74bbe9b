"""Building and serving the site through MkDocs (the hooks do the hub's part)."""

from __future__ import annotations

import errno
import logging
import os
import socket
import sys
from pathlib import Path

from knowledgehub.model.project import Project
from knowledgehub.site.output import write_failure


class _StandardError(logging.StreamHandler):
    """Writes to whatever ``sys.stderr`` is when a record comes, not the one it was made
    with (a caller that swapped or closed its stream since must not get a logging error)."""

    @property
    def stream(self):
        return sys.stderr

    @stream.setter
    def stream(self, _value) -> None:
        pass


def _configure_logging(verbose: bool = False) -> None:
    handler = _StandardError()
    handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
    logger = logging.getLogger("mkdocs")
    logger.handlers[:] = [handler]
    logger.setLevel(logging.DEBUG if verbose else logging.INFO)
    logger.propagate = False


def build_site(
    project: Project,
    site_dir: Path | None = None,
    strict: bool | None = None,
    quiet: bool = False,
    offline: bool = False,
    usb_zip: Path | None = None,
) -> int:
    """Validate and build. Returns 0 on success, 1 when the content or the build failed;
    on failure the previous site is left as it was."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, ConfigurationError

    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    if not quiet:
        _configure_logging()
    overrides = {}
    if site_dir is not None:
        overrides["site_dir"] = str(Path(site_dir).resolve())
    if strict is not None:
        overrides["strict"] = strict
    if offline:
        # pages must open from the file system: links to files, not folders
        overrides["use_directory_urls"] = False
    try:
        config = load_config(str(project.config_file), **overrides)
    except (ConfigurationError, Abort) as exc:
        print(f"hub: {exc}", file=sys.stderr)
        return 1
    config.extra["hub_offline"] = offline
    config.extra["hub_usb_zip"] = str(usb_zip) if usb_zip else ""
    target = config.site_dir
    config.plugins.on_startup(command="build", dirty=False)
    try:
        try:
            build(config)
        finally:
            # swaps the staged site in, or throws it away (site/state.py)
            config.plugins.on_shutdown()
    except Abort as exc:
        print(str(exc).strip(), file=sys.stderr)
        return 1
    except OSError as exc:
        # a full disk (or any other failed write): the staging folder is gone already
        print(write_failure(exc, target), file=sys.stderr)
        return 1
    return 0


def serve_site(project: Project, dev_addr: str | None = None) -> int:
    from mkdocs.commands.serve import serve
    from mkdocs.exceptions import Abort

    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    _configure_logging()
    # dirty builds: after an edit only the changed entry and the generated pages are
    # rendered again; unchanged entries are not even read again (see load_library).
    # Not strict: a warning in a preview is shown, not fatal (MkDocs warns about
    # dirty builds themselves).
    kwargs = {
        "config_file": str(project.config_file),
        "livereload": True,
        "build_type": "dirty",
        "strict": False,
    }
    if dev_addr:
        kwargs["dev_addr"] = dev_addr
    if not port_free(dev_addr):
        print(port_in_use(dev_addr), file=sys.stderr)
        return 1
    try:
        serve(**kwargs)
    except Abort as exc:
        print(str(exc).strip(), file=sys.stderr)
        return 1
    except OSError as exc:
        if exc.errno != errno.EADDRINUSE:
            print(f"hub: the preview failed: {exc.strerror or exc}", file=sys.stderr)
            return 1
        print(port_in_use(dev_addr), file=sys.stderr)
        return 1
    return 0


def port_in_use(dev_addr: str | None) -> str:
    address = dev_addr or "127.0.0.1:8000"
    host, _, port = address.rpartition(":")
    other = f"{host}:{int(port) + 1}" if port.isdigit() else "127.0.0.1:8001"
    return f"hub: {address} is in use; choose another with -a {other}"


def port_free(dev_addr: str | None) -> bool:
    """Whether the preview can listen on ``dev_addr`` (asked before MkDocs makes its
    temporary folder, which it leaves behind when it cannot listen)."""
    host, _, port = (dev_addr or "127.0.0.1:8000").rpartition(":")
    if not port.isdigit():
        return True  # MkDocs says what is wrong with the address
    try:
        with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind((host.strip("[]"), int(port)))
    except OSError as exc:
        return exc.errno != errno.EADDRINUSE
    return True
