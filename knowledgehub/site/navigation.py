"""The site's navigation drawn from the content model: the Library section lists the
listing page of every content type (``<folder>/index.md``), in the model's order
(``nav_order`` in model/types.yml), so a new type appears in the navigation with no
change to mkdocs.yml."""

from __future__ import annotations

from typing import Any

from knowledgehub.model.content import ContentModel

# The title of the navigation section that lists the types.
LIBRARY = "Library"


def library_nav(model: ContentModel) -> list[str]:
    """The Library section's entries: each type's listing page, by the types' ``nav_order``."""
    ordered = sorted(model.types.values(), key=lambda ctype: ctype.nav_order)
    return [f"{ctype.folder}/index.md" for ctype in ordered]


def apply(config_nav: list[Any] | None, model: ContentModel) -> list[Any] | None:
    """Fill the children of the "Library" section of ``config_nav`` (the ``nav`` of
    mkdocs.yml, changed in place and returned) with ``library_nav(model)``. A nav without
    that section is returned as it is."""
    for item in config_nav or []:
        if isinstance(item, dict) and LIBRARY in item:
            item[LIBRARY] = library_nav(model)
    return config_nav
