"""What an entry may hold so that every writer can write it: the ``limits`` section of
model/types.yml, read and checked, and the error a broken model file is reported with."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any


class ModelError(Exception):
    """The model files themselves are wrong (a maintainer's mistake, reported with file and line)."""


@dataclass(frozen=True)
class Limits:
    """What an entry may hold so that every writer can write it (the ``limits`` section of
    model/types.yml; the defaults stand for a model without one)."""

    integer_digits: int = 15
    number_magnitude: float = 1e15
    first_year: int = 1800
    last_year: int = 2200
    id_length: int = 100
    nesting: int = 32
    tag_length: int = 4000

    @classmethod
    def read(cls, spec: Any, path: Path) -> Limits:
        """The limits a model file gives, checked (a ModelError names what is wrong)."""
        if spec is None:
            return cls()
        if not isinstance(spec, dict):
            raise ModelError(f"{path}: limits must be a mapping")
        unknown = set(spec) - {
            "integer_digits",
            "number_magnitude",
            "years",
            "id_length",
            "nesting",
            "tag_length",
        }
        if unknown:
            raise ModelError(f"{path}: limits: unknown limit '{sorted(unknown)[0]}'")
        default = cls()
        years = spec.get("years", [default.first_year, default.last_year])
        try:
            first, last = (int(y) for y in years)
            limits = cls(
                integer_digits=int(spec.get("integer_digits", default.integer_digits)),
                number_magnitude=float(spec.get("number_magnitude", default.number_magnitude)),
                first_year=first,
                last_year=last,
                id_length=int(spec.get("id_length", default.id_length)),
                nesting=int(spec.get("nesting", default.nesting)),
                tag_length=int(spec.get("tag_length", default.tag_length)),
            )
        except (TypeError, ValueError):
            raise ModelError(f"{path}: limits: every limit is a number; years is [first, last]") from None
        if not 1 <= first <= last <= 9998:
            raise ModelError(f"{path}: limits: years must be [first, last] within 1-9998")
        if min(limits.integer_digits, limits.id_length, limits.nesting, limits.tag_length) < 1 or not (
            0 < limits.number_magnitude < float("inf")
        ):
            raise ModelError(f"{path}: limits: every limit must be positive (and finite)")
        return limits
