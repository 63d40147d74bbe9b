"""The policy's settings (``extra.hub.policy`` in mkdocs.yml), its rules, and the kinds of
file and the address schemes it allows."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from knowledgehub.model.problems import Problem

ENV_SKIP = "HUB_UNSAFE_SKIP_POLICY"
DEFAULT_MAX_MB = 5
IMAGE_KINDS = ("png", "jpg", "jpeg", "gif", "svg", "webp")
FILE_KINDS = IMAGE_KINDS + ("pdf", "csv", "xlsx", "docx")
# Kinds a project may add to file_kinds: documents that browsers do not run.
SAFE_EXTRA_KINDS = ("txt", "odt", "ods", "odp", "pptx")
LINK_SCHEMES = ("http", "https", "mailto", "tel")
FRONT_MATTER_SCHEMES = ("http", "https", "mailto")

# Every rule the policy enforces: id → what it refuses.
RULES = {
    "policy-script": "<script> elements, in the body or in any front-matter value",
    "policy-frame": "<iframe>, <frame>, <frameset> and <portal> elements",
    "policy-object": "<object>, <embed> and <applet> elements",
    "policy-html": "elements that take over the page: <base>, <meta>, <link>, <style>, <form>",
    "policy-event-handler": (
        "on*= event attributes (onclick, onerror, ...) in HTML or in Markdown attribute lists"
    ),
    "policy-style-url": (
        "style attributes that load something: url(), image-set(), @import, expression(), behavior"
    ),
    "policy-url-scheme": (
        "javascript:, vbscript: and data: addresses, however they are written; "
        "body links other than http(s), mailto and tel"
    ),
    "policy-front-matter-url": "front-matter values that are addresses other than http(s) or mailto",
    "policy-external-resource": (
        "images and media loaded from another site (pages load nothing from outside the site)"
    ),
    "policy-file-outside": (
        "images and attachments outside content/: ../ escapes, absolute paths, symbolic links leading out"
    ),
    "policy-file-missing": "images and attachments that do not exist",
    "policy-file-kind": (
        "images and attachments that are not of an allowed kind, or whose content does not match their name"
    ),
    "policy-file-size": "images and attachments larger than the size limit",
    "policy-style": "style properties that place content over the page (position, z-index, ...)",
    "policy-not-allowed": (
        "elements, attributes and classes that are not in model/allowlist.yml (the sanitizer removes them)"
    ),
    "policy-hidden-text": (
        "invisible characters that change what a reader sees (direction overrides and isolates, "
        "other format characters text does not need), and values made of invisible characters only"
    ),
    "policy-svg": (
        "SVG images that can carry script "
        "(scripts, event attributes, foreign objects, outside references, DTDs)"
    ),
    "policy-file-name": (
        "files under content/ whose names are not portable (case twins, names and characters Windows "
        "refuses, paths too long for the USB zip) or that look like entries and are not (x.MD, .x.md, _x.md)"
    ),
}


@dataclass(frozen=True)
class PolicySettings:
    enabled: bool = True
    max_file_mb: float = DEFAULT_MAX_MB
    max_file_bytes: int = DEFAULT_MAX_MB * 1024 * 1024
    file_kinds: tuple[str, ...] = FILE_KINDS
    config: dict | None = None  # the whole mkdocs.yml, for its Markdown extensions
    config_rel: str = "mkdocs.yml"
    problems: tuple[Problem, ...] = ()  # mistakes in the settings themselves
    model_dir: str = ""  # where model/allowlist.yml is ("": the hub's own model)

    @property
    def image_kinds(self) -> tuple[str, ...]:
        return tuple(k for k in self.file_kinds if k in IMAGE_KINDS)


def settings_from(config: dict | None, config_rel: str = "mkdocs.yml", model_dir: str = "") -> PolicySettings:
    """The policy settings of a project, from its mkdocs.yml read as a dict."""
    config = config if isinstance(config, dict) else {}
    extra = config.get("extra")
    hub = extra.get("hub") if isinstance(extra, dict) else None
    raw = hub.get("policy") if isinstance(hub, dict) else None
    problems: list[Problem] = []

    def bad(message: str, hint: str = "") -> None:
        problems.append(Problem(config_rel, 1, f"extra.hub.policy: {message}", hint, "policy-config"))

    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        bad("must be a mapping", "e.g. policy: {max_file_mb: 5}")
        raw = {}
    enabled = raw.get("enabled", True)
    if not isinstance(enabled, bool):
        bad(f"'enabled' must be true or false, not {enabled!r}")
        enabled = True
    max_mb = raw.get("max_file_mb", DEFAULT_MAX_MB)
    if isinstance(max_mb, bool) or not isinstance(max_mb, (int, float)) or max_mb <= 0:
        bad(f"'max_file_mb' must be a positive number, not {max_mb!r}")
        max_mb = DEFAULT_MAX_MB
    kinds = raw.get("file_kinds", list(FILE_KINDS))
    if not isinstance(kinds, list) or not all(isinstance(k, str) for k in kinds):
        bad("'file_kinds' must be a list of file name extensions", f"e.g. [{', '.join(FILE_KINDS)}]")
        kinds = list(FILE_KINDS)
    cleaned = []
    for kind in kinds:
        kind = kind.lower().lstrip(".")
        if kind in FILE_KINDS or kind in SAFE_EXTRA_KINDS:
            cleaned.append(kind)
        else:
            bad(
                f"'{kind}' files cannot be allowed: browsers may run them",
                f"choose from {', '.join(FILE_KINDS + SAFE_EXTRA_KINDS)}",
            )
    for key in raw:
        if key not in ("enabled", "max_file_mb", "file_kinds"):
            bad(f"unknown setting '{key}'", "the settings are enabled, max_file_mb and file_kinds")
    return PolicySettings(
        enabled=enabled,
        max_file_mb=max_mb,
        max_file_bytes=int(max_mb * 1024 * 1024),
        file_kinds=tuple(dict.fromkeys(cleaned)),
        config=config,
        config_rel=config_rel,
        problems=tuple(problems),
        model_dir=model_dir,
    )


_settings_cache: dict[tuple, PolicySettings] = {}


def _config_file(content_dir: Path) -> Path | None:
    """The mkdocs.yml at or above ``content_dir`` (found without reading it)."""
    here = Path(os.path.abspath(content_dir))
    for folder in (here, *here.parents):
        candidate = folder / "mkdocs.yml"
        if candidate.is_file():
            return candidate
    return None


def settings_for(content_dir: Path) -> PolicySettings:
    """The settings of the project whose content folder is ``content_dir`` (defaults
    when it has no mkdocs.yml). Read once, and again whenever mkdocs.yml changes."""
    from knowledgehub.model.project import _read_settings

    config_file = _config_file(content_dir)
    if config_file is None:
        return PolicySettings()
    try:
        stat = config_file.stat()
    except OSError:
        return PolicySettings()
    key = (str(config_file), stat.st_mtime_ns, stat.st_size)
    if key not in _settings_cache:
        try:
            config = _read_settings(config_file)
        except Exception as exc:  # noqa: BLE001 - a broken mkdocs.yml is MkDocs' to report; here it must not pass silently
            settings = PolicySettings(
                problems=(
                    Problem(
                        config_file.name, 1, f"cannot read the policy settings: {exc}", rule="policy-config"
                    ),
                )
            )
        else:
            settings = settings_from(config, config_file.name, str(config_file.parent / "model"))
        if len(_settings_cache) > 64:
            _settings_cache.clear()
        _settings_cache[key] = settings
    return _settings_cache[key]


_allowlists: dict[tuple, object] = {}
_HUB_MODEL = Path(__file__).resolve().parents[2] / "model"


def allowlist_of(settings: PolicySettings):
    """The allow-list (model/allowlist.yml) of the project ``settings`` belong to, read once
    (and again when it changes); raises AllowlistError when it is missing or malformed."""
    from knowledgehub.policy.allowlist import ALLOWLIST_FILE, Allowlist

    folder = Path(settings.model_dir) if settings.model_dir else _HUB_MODEL
    if not (folder / ALLOWLIST_FILE).exists():  # a project without one: the hub's own
        folder = _HUB_MODEL
    try:
        stat = (folder / ALLOWLIST_FILE).stat()
        key = (str(folder), stat.st_mtime_ns, stat.st_size)
    except OSError:
        key = (str(folder), None, None)
    if key not in _allowlists:
        _allowlists[key] = Allowlist.load(folder)
    return _allowlists[key]
