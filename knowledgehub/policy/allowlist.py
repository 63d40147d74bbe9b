"""The allow-list sanitizer: every HTML fragment that comes from content passes through it
on its way to a page. What it keeps is data (model/allowlist.yml); nh3 (ammonia) parses as
browsers do, so safety does not depend on recognising a trick."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from urllib.parse import urlsplit

import nh3
import yaml

ALLOWLIST_FILE = "allowlist.yml"
_SCHEME = re.compile(r"^\s*([a-zA-Z][a-zA-Z0-9+.\-]*):")
# nh3 writes every attribute double-quoted and escaped, so an opening <a ...> it wrote is
# found exactly by this pattern.
_ANCHOR_OPEN = re.compile(r"<a( [^<>]*?)?>")
_HREF = re.compile(r' href="([^"]*)"')


class AllowlistError(Exception):
    """model/allowlist.yml is missing or malformed (a maintainer's mistake)."""


def _host(url: str) -> str:
    return urlsplit(url.strip().replace("\\", "/")).netloc


def _scheme(url: str) -> str | None:
    match = _SCHEME.match(url)
    return match.group(1).lower() if match else None


@dataclass(frozen=True)
class Allowlist:
    elements: frozenset[str]
    removed_with_content: frozenset[str]
    attributes: dict[str, frozenset[str]]
    classes: dict[str, frozenset[str]]
    style_properties: frozenset[str]
    link_schemes: frozenset[str]
    image_schemes: frozenset[str]
    external_link_rel: str
    reserved_id_prefixes: tuple[str, ...]

    @classmethod
    def load(cls, model_dir: Path | str) -> Allowlist:
        path = Path(model_dir) / ALLOWLIST_FILE
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise AllowlistError(f"{path}: the allow-list is missing") from None
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            raise AllowlistError(f"{path}:{mark.line + 1 if mark else 1}: {exc}") from None
        if not isinstance(data, dict):
            raise AllowlistError(f"{path}:1: must be a mapping")

        def names(key: str) -> frozenset[str]:
            value = data.get(key) or []
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise AllowlistError(f"{path}: '{key}' must be a list of names")
            return frozenset(v.lower() for v in value)

        def per_element(key: str) -> dict[str, frozenset[str]]:
            value = data.get(key) or {}
            if not isinstance(value, dict):
                raise AllowlistError(f"{path}: '{key}' must map element names to lists")
            return {str(tag): frozenset(str(v) for v in (names_ or [])) for tag, names_ in value.items()}

        elements = names("elements")
        removed = names("removed_with_content")
        if elements & removed:
            raise AllowlistError(f"{path}: {sorted(elements & removed)} are both kept and removed")
        return cls(
            elements=elements,
            removed_with_content=removed,
            attributes=per_element("attributes"),
            classes=per_element("classes"),
            style_properties=names("style_properties"),
            link_schemes=names("link_schemes"),
            image_schemes=names("image_schemes"),
            external_link_rel=str(data.get("external_link_rel") or ""),
            reserved_id_prefixes=tuple(str(p) for p in data.get("reserved_id_prefixes") or ()),
        )

    @cached_property
    def _attributes(self) -> dict[str, set[str]]:
        allowed = {tag: set(attrs) for tag, attrs in self.attributes.items()}
        if self.style_properties:
            allowed.setdefault("*", set()).add("style")
        return allowed

    def _filter(self, tag: str, attribute: str, value: str) -> str | None:
        if attribute in ("id", "name") and value.startswith(self.reserved_id_prefixes):
            return None
        if attribute == "href" or attribute == "cite":
            scheme = _scheme(value)
            return value if scheme is None or scheme in self.link_schemes else None
        if attribute == "src":
            scheme = _scheme(value)
            if scheme is None:
                # no scheme, but a host ("//host/x", or "\\host\x" as browsers read it) leaves the site too
                return None if _host(value) else value
            return value if scheme in self.image_schemes else None
        return value

    def clean(self, html: str) -> str:
        """``html`` with only what the allow-list lists: other elements removed (their text
        kept, or dropped with them for ``removed_with_content``), other attributes, classes,
        style properties and address schemes removed, comments removed; links that leave the
        site get ``external_link_rel``."""
        cleaned = nh3.clean(
            html,
            tags=set(self.elements),
            clean_content_tags=set(self.removed_with_content),
            attributes=self._attributes,
            attribute_filter=self._filter,
            strip_comments=True,
            link_rel=None,
            url_schemes=set(self.link_schemes | self.image_schemes),
            allowed_classes={tag: set(c) for tag, c in self.classes.items()},
            filter_style_properties=set(self.style_properties) or None,
        )
        if self.external_link_rel and "<a " in cleaned:
            cleaned = _ANCHOR_OPEN.sub(self._mark_external, cleaned)
        return cleaned

    def _mark_external(self, match: re.Match) -> str:
        attrs = match.group(1) or ""
        href = _HREF.search(attrs)
        if href is None or _scheme(href.group(1)) not in ("http", "https", None):
            return match.group(0)
        if not _host(href.group(1)):
            return match.group(0)
        return f'<a{attrs} rel="{self.external_link_rel}">'
