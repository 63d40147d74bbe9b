"""Walks over front-matter values guided by the model: every (path, field, value) the
model describes, or only those of some kinds without entering fields that hold none."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from knowledgehub.model.content import Field

REF_KIND = frozenset(("ref",))


def walk_values(fields: dict[str, Field], data: Any, path: tuple = ()) -> Iterator[tuple[tuple, Field, Any]]:
    """Every (path, field, value) in ``data`` that the model describes."""
    if not isinstance(data, dict):
        return
    for name, f in fields.items():
        if name in data:
            yield from _walk_field(f, data[name], path + (name,))


def kinds_below(f: Field) -> frozenset:
    """The scalar kinds found in ``f`` and the fields inside it (kept on the field)."""
    known = f.__dict__.get("kinds_below")
    if known is None:
        if f.kind == "list":
            known = kinds_below(f.of) if f.of is not None else frozenset()
        elif f.kind == "object":
            known = frozenset().union(*(kinds_below(sub) for sub in (f.shape or {}).values()))
        else:
            known = frozenset((f.kind,))
        f.__dict__["kinds_below"] = known
    return known


def values_of_kind(fields: dict[str, Field], data: Any, kinds: frozenset) -> list[tuple[tuple, Field, Any]]:
    """What ``walk_values`` gives for fields of the given kinds, without entering the
    fields (items, sessions, ...) that have none of them."""
    out: list[tuple[tuple, Field, Any]] = []
    stack: list[tuple[Field, Any, tuple]] = []
    if isinstance(data, dict):
        for name, f in reversed(fields.items()):
            if name in data and not kinds.isdisjoint(kinds_below(f)):
                stack.append((f, data[name], (name,)))
    while stack:
        f, value, path = stack.pop()
        kind = f.kind
        if kind == "list":
            if isinstance(value, list):
                stack.extend(
                    (f.of, element, path + (index,)) for index, element in reversed(list(enumerate(value)))
                )
        elif kind == "object":
            if isinstance(value, dict):
                for name, sub in reversed(f.shape.items()):
                    if name in value and not kinds.isdisjoint(kinds_below(sub)):
                        stack.append((sub, value[name], path + (name,)))
        elif kind in kinds:
            out.append((path, f, value))
    return out


def _walk_field(f: Field, value: Any, path: tuple) -> Iterator[tuple[tuple, Field, Any]]:
    if f.kind == "list":
        if isinstance(value, list):
            for index, element in enumerate(value):
                yield from _walk_field(f.of, element, path + (index,))
        return
    if f.kind == "object":
        yield from walk_values(f.shape, value, path)
        return
    yield path, f, value
