"""What the ``hub`` verbs share: saying that the content model is broken, and loading
the model (or saying why it cannot be)."""

from __future__ import annotations

import sys

BROKEN = 2  # the exit code of a verb that cannot run: broken model, bad arguments


def model_broken(exc: Exception) -> int:
    """Say on stderr that the content model is broken, and why; the exit code to return."""
    print(f"hub: the content model is broken: {exc}", file=sys.stderr)
    return BROKEN


def load_model(project):
    """The project's content model, or None once ``model_broken`` has said why it is broken."""
    from knowledgehub.model.content import ContentModel, ModelError

    try:
        return ContentModel.load(project.model_dir)
    except ModelError as exc:
        model_broken(exc)
        return None
