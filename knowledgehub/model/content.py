"""The content model: content types, their fields and the controlled vocabularies.

Everything here is read from ``model/types.yml`` and ``model/taxonomy.yml``;
countries come from ISO 3166 through pycountry.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import pycountry
import yaml

from knowledgehub.model.limits import Limits, ModelError

SCALAR_KINDS = {"string", "text", "date", "url", "email", "integer", "number", "boolean", "country", "slug"}

# How a field shows on its entry's page; "preview": only in the live preview (editors'
# working notes), never on a published page nor in any file the build writes.
SHOW = ("fact", "section", "hidden", "preview")
PREVIEW = "preview"
# What the page of a challenge does with a type's entries: lists the entries naming the
# challenge as practice, lists entries naming it or one of its themes as training, or
# lists them with the other entries.
CHALLENGE_ROLES = ("practice", "training", "other")

# How a vocabulary's single term is called in messages ("unknown theme ...").
_SINGULAR = {"themes": "theme", "challenges": "challenge", "regions": "region", "actors": "actor"}
_SINGULAR["follow_up_statuses"] = "follow-up status"


@dataclass
class Field:
    name: str
    kind: str  # a scalar kind, "term", "ref", "list" or "object"
    required: bool = False
    target: str | None = None  # vocabulary of a term, type of a ref
    of: Field | None = None  # element of a list
    shape: dict[str, Field] | None = None  # fields of an object
    shape_name: str | None = None
    values: list | None = None
    min: float | None = None
    help: str = ""
    example: Any = None
    # presentation, read from the model (see the header of model/types.yml)
    label: str = ""
    label_one: str = ""  # label when a list holds a single value
    show: str = ""  # fact | section | hidden
    backlink: str = ""
    backlink_order: float = 0
    names_organisations: bool = False
    as_session: str = ""  # the key of a session this field holds for the entry's own run
    short_name: bool = False
    records_follow_up: bool = False  # the item's follow-up records
    when_none: str = ""  # a follow-up status field: the status of an item with no record
    refers_to_items: bool = False  # the items (entry-id#item-id) an entry responds to
    refers_to_entry: bool = False  # the id of any entry (a follow-up's evidence)
    # plain words for contributors (model/types.yml: ask, ask_help, public_note)
    ask: str = ""  # the question as a contributor reads it
    ask_help: str = ""
    public_note: str = ""
    asked: bool = True  # False (ask: false) when a contributor never sets it
    add_label: str = ""  # a list of records: the button adding one ("Add a document")
    # checks beyond the type (model/types.yml: max_length, not_after, not_before)
    max_length: int | None = None  # most characters of a string or text
    not_after: str = ""  # a field of the same mapping this value may not come after
    not_before: str = ""  # a field of the same mapping this value may not come before

    def __post_init__(self):
        if not self.label:
            self.label = label_of(self.name)
        if not self.show:
            element = self.of.kind if self.of is not None else None
            listed = self.kind == "list" and element in ("object", "text", "string")
            self.show = "section" if listed else "fact"

    def label_for(self, value: Any) -> str:
        """The label above ``value``: ``label_one`` for a list of one, when the model gives one."""
        if self.label_one and isinstance(value, list) and len(value) == 1:
            return self.label_one
        return self.label

    @property
    def is_list(self) -> bool:
        return self.kind == "list"

    def describe(self) -> str:
        """A short human description of what the field wants, for messages."""
        if self.kind == "list":
            return f"a list of {self.of.describe()}" if self.of else "a list"
        if self.kind == "object":
            return f"a {self.shape_name or 'mapping'} (a mapping of fields)"
        if self.kind == "term":
            return f"a {singular(self.target)} from the taxonomy"
        if self.kind == "ref":
            return f"the id of a {self.target} entry"
        return {
            "string": "a line of text",
            "text": "text",
            "date": "a date (YYYY-MM-DD, YYYY-MM or YYYY)",
            "url": "a web address (http, https or mailto)",
            "email": "an email address",
            "integer": "a whole number",
            "number": "a number",
            "boolean": "true or false",
            "country": "an ISO 3166 two-letter country code",
            "slug": "an id of lowercase letters, digits and hyphens",
        }.get(self.kind, self.kind)


@dataclass
class ContentType:
    name: str
    label: str
    plural: str
    folder: str
    description: str
    date_field: str | None
    fields: dict[str, Field]
    outline: list[str]
    on_calendar: bool = False
    in_feeds: bool = True
    on_home_page: bool = True
    in_related: bool = True
    on_challenge_pages: str = "other"  # practice | training | other
    nav_order: float = 0  # place of its listing in the navigation's Library section
    contributed: bool = True  # false when people do not contribute entries of it

    @property
    def required(self) -> list[str]:
        return [name for name, f in self.fields.items() if f.required]

    @cached_property
    def preview_fields(self) -> frozenset[str]:
        """The fields shown only in the live preview (``show: preview``): never published."""
        return frozenset(name for name, f in self.fields.items() if f.show == PREVIEW)

    @property
    def own_run(self) -> dict[str, str]:
        """Session key → the field holding it for the entry's own run (an event's own dates and place)."""
        return {f.as_session: name for name, f in self.fields.items() if f.as_session}

    @property
    def short_name_field(self) -> str | None:
        """The field holding the entry's short name (an organisation's acronym), if any."""
        return next((name for name, f in self.fields.items() if f.short_name), None)


@dataclass
class Term:
    id: str
    label: str
    description: str = ""
    synonyms: list[str] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)
    plural: str = ""
    themes: list[str] = field(default_factory=list)


@dataclass
class Vocabulary:
    name: str
    terms: dict[str, Term]

    @property
    def singular(self) -> str:
        return singular(self.name)

    def label(self, term_id: str) -> str:
        term = self.terms.get(term_id)
        return term.label if term else term_id


def label_of(name: str) -> str:
    """A field's label when the model gives none: its name, capitalised, with spaces."""
    return name.replace("_", " ").capitalize()


def singular(vocabulary: str | None) -> str:
    if vocabulary is None:
        return "term"
    return _SINGULAR.get(vocabulary, vocabulary.replace("_", " ").rstrip("s"))


class ContentModel:
    limits: Limits = Limits()  # what an entry may hold (model/types.yml's limits section)

    def __init__(
        self,
        types: dict[str, ContentType],
        vocabularies: dict[str, Vocabulary],
        shapes: dict[str, dict[str, Field]],
    ):
        self.types = types
        self.vocabularies = vocabularies
        self.shapes = shapes

    # -- reading -----------------------------------------------------------
    @classmethod
    def load(cls, model_dir: Path | str) -> ContentModel:
        model_dir = Path(model_dir)
        types_doc = _read_yaml(model_dir / "types.yml")
        taxonomy_doc = _read_yaml(model_dir / "taxonomy.yml")

        vocabularies = {}
        for vname, terms in (taxonomy_doc or {}).items():
            if not isinstance(terms, dict):
                raise ModelError(
                    f"{model_dir / 'taxonomy.yml'}: vocabulary '{vname}' must be a mapping of terms"
                )
            vocabularies[vname] = Vocabulary(
                vname,
                {
                    tid: Term(
                        id=tid,
                        label=str((spec or {}).get("label", tid)),
                        description=str((spec or {}).get("description", "")),
                        synonyms=[str(s) for s in (spec or {}).get("synonyms", [])],
                        countries=[str(c) for c in (spec or {}).get("countries", [])],
                        plural=str((spec or {}).get("plural", "")),
                        themes=[str(t) for t in (spec or {}).get("themes", [])],
                    )
                    for tid, spec in terms.items()
                },
            )

        path = model_dir / "types.yml"
        raw_shapes = types_doc.get("shapes", {}) or {}
        shapes: dict[str, dict[str, Field]] = {}
        # shapes may refer to each other; parse lazily in order of declaration
        for sname in raw_shapes:
            shapes[sname] = {}
        for sname, sfields in raw_shapes.items():
            shapes[sname].update(
                {
                    fname: _parse_field(fname, spec, shapes, vocabularies, path)
                    for fname, spec in sfields.items()
                }
            )

        common = {
            fname: _parse_field(fname, spec, shapes, vocabularies, path)
            for fname, spec in (types_doc.get("common") or {}).items()
        }
        types: dict[str, ContentType] = {}
        for position, (tname, tspec) in enumerate((types_doc.get("types") or {}).items(), start=1):
            own = {
                fname: _parse_field(fname, spec, shapes, vocabularies, path)
                for fname, spec in (tspec.get("fields") or {}).items()
            }
            fields = {**common, **own}
            types[tname] = ContentType(
                name=tname,
                label=tspec.get("label", tname),
                plural=tspec.get("plural", tname),
                folder=tspec.get("folder", tname),
                description=tspec.get("description", ""),
                date_field=tspec.get("date"),
                fields=fields,
                outline=list(tspec.get("outline") or []),
                on_calendar=bool(tspec.get("on_calendar", False)),
                in_feeds=bool(tspec.get("in_feeds", True)),
                on_home_page=bool(tspec.get("on_home_page", True)),
                in_related=bool(tspec.get("in_related", True)),
                on_challenge_pages=str(tspec.get("on_challenge_pages", "other")),
                nav_order=float(tspec.get("nav_order", position)),
                contributed=bool(tspec.get("contributed", True)),
            )
            if types[tname].on_challenge_pages not in CHALLENGE_ROLES:
                raise ModelError(
                    f"{path}: type '{tname}': on_challenge_pages must be one of {', '.join(CHALLENGE_ROLES)}"
                )
        model = cls(types, vocabularies, shapes)
        model.limits = Limits.read(types_doc.get("limits"), path)
        themes = vocabularies.get("themes", Vocabulary("themes", {})).terms
        for vocab in vocabularies.values():
            for term in vocab.terms.values():
                for theme in term.themes:
                    if theme not in themes:
                        raise ModelError(
                            f"{model_dir / 'taxonomy.yml'}: {vocab.name} term '{term.id}' names "
                            f"unknown theme '{theme}'"
                        )
        for ctype in types.values():
            for f in model.iter_fields(ctype.fields):
                if f.kind == "ref" and f.target not in types:
                    raise ModelError(f"{path}: field '{f.name}' refers to unknown type '{f.target}'")
            session = shapes.get("session", {})
            for f in ctype.fields.values():
                if f.as_session and f.as_session not in session:
                    raise ModelError(
                        f"{path}: field '{f.name}' of '{ctype.name}': as_session names no field of "
                        "the session shape"
                    )
        for where, mapping in [*shapes.items(), *((t.name, t.fields) for t in types.values())]:
            _check_order_keys(mapping, where, path)
        headings: dict[str, str] = {}
        for f in model.iter_all_fields():
            if f.backlink and headings.setdefault(f.name, f.backlink) != f.backlink:
                raise ModelError(f"{path}: field '{f.name}' has two backlink headings")
        if len(model.organisation_types) > 1:
            raise ModelError(f"{path}: fields marked names_organisations refer to more than one type")
        return model

    def iter_all_fields(self) -> Iterator[Field]:
        """Every field of every type, in the model's order."""
        for ctype in self.types.values():
            yield from self.iter_fields(ctype.fields)

    def iter_fields(self, fields: dict[str, Field], _seen: set | None = None) -> Iterator[Field]:
        """Every field reachable from ``fields``: list elements and object shapes included."""
        seen = set() if _seen is None else _seen
        for f in fields.values():
            yield f
            if f.of is not None:
                yield from self.iter_fields({f.of.name: f.of}, seen)
            if f.shape is not None and f.shape_name not in seen:
                seen.add(f.shape_name)
                yield from self.iter_fields(f.shape, seen)

    # -- lookups ------------------------------------------------------------
    @cached_property
    def backlink_headings(self) -> dict[str, str]:
        """Referring field → the heading its back-links are listed under, most specific first."""
        found: dict[str, Field] = {}
        for f in self.iter_all_fields():
            if f.backlink:
                found.setdefault(f.name, f)
        ordered = sorted(found.values(), key=lambda f: f.backlink_order)
        return {f.name: f.backlink for f in ordered}

    @cached_property
    def organisation_fields(self) -> frozenset[str]:
        """Fields that name the organisations an entry involves."""
        return frozenset(f.name for f in self.iter_all_fields() if f.names_organisations)

    @cached_property
    def organisation_types(self) -> set[str]:
        return {
            (f.of.target if f.kind == "list" else f.target)
            for f in self.iter_all_fields()
            if f.names_organisations
        }

    @cached_property
    def organisation_type(self) -> str | None:
        """The type whose entries are the organisations an entry involves."""
        return next(iter(self.organisation_types), None)

    @cached_property
    def type_by_folder(self) -> dict[str, ContentType]:
        return {t.folder: t for t in self.types.values()}

    @cached_property
    def countries(self) -> dict[str, str]:
        """ISO 3166-1 alpha-2 code → the country's common name."""
        return {c.alpha_2: getattr(c, "common_name", None) or c.name for c in pycountry.countries}

    @cached_property
    def region_of_country(self) -> dict[str, list[str]]:
        regions: dict[str, list[str]] = {}
        for term in self.vocabularies.get("regions", Vocabulary("regions", {})).terms.values():
            for code in term.countries:
                regions.setdefault(code, []).append(term.id)
        return regions

    @cached_property
    def follow_up(self):
        """Which fields hold follow-up (see knowledgehub/model/followup.py)."""
        from knowledgehub.model.followup import follow_up_of

        return follow_up_of(self)

    def vocabulary(self, name: str) -> Vocabulary:
        return self.vocabularies.get(name) or Vocabulary(name, {})

    def term_label(self, vocabulary: str, term_id: str) -> str:
        return self.vocabulary(vocabulary).label(term_id)

    def country_name(self, code: str) -> str:
        return self.countries.get(code, code)


def field_at(fields: dict[str, Field], path: tuple) -> Field | None:
    """The field that describes the value at ``path`` in front matter (keys and list
    indexes), or None when the model has none there."""
    f = None
    for part in path:
        if isinstance(part, int):
            if f is None or f.kind != "list":
                return None
            f = f.of
            continue
        if f is not None:
            if f.kind != "object" or not f.shape:
                return None
            fields = f.shape
        f = fields.get(part)
        if f is None:
            return None
    return f


def _check_order_keys(fields: dict[str, Field], where: str, path: Path) -> None:
    """``not_after`` / ``not_before`` name another field of the same mapping, of the same kind."""
    for f in fields.values():
        for key, other in (("not_after", f.not_after), ("not_before", f.not_before)):
            if other and (other not in fields or fields[other].kind != f.kind or other == f.name):
                raise ModelError(
                    f"{path}: field '{f.name}' of '{where}': {key} must name another field of the "
                    f"same kind ({f.kind}) beside it, not '{other}'"
                )


def _read_yaml(path: Path) -> dict:
    try:
        with open(path, encoding="utf-8") as handle:
            data = yaml.safe_load(handle)
    except FileNotFoundError:
        raise ModelError(f"{path}: the content model file is missing") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else 1
        raise ModelError(f"{path}:{line}: {getattr(exc, 'problem', None) or exc}") from None
    if not isinstance(data, dict):
        raise ModelError(f"{path}:1: must be a mapping")
    return data


def _parse_field(name: str, spec: Any, shapes: dict, vocabularies: dict, path: Path) -> Field:
    if isinstance(spec, str):
        spec = {"type": spec}
    if not isinstance(spec, dict) or "type" not in spec:
        raise ModelError(f"{path}: field '{name}' needs a type")
    ftype = str(spec["type"])
    common = {
        "required": bool(spec.get("required", False)),
        "values": spec.get("values"),
        "min": spec.get("min"),
        "help": str(spec.get("help", "")),
        "example": spec.get("example"),
        "label": str(spec.get("label", "")),
        "label_one": str(spec.get("label_one", "")),
        "show": str(spec.get("show", "")),
        "backlink": str(spec.get("backlink", "")),
        "backlink_order": float(spec.get("backlink_order", 0)),
        "names_organisations": bool(spec.get("names_organisations", False)),
        "as_session": str(spec.get("as_session", "")),
        "short_name": bool(spec.get("short_name", False)),
        "records_follow_up": bool(spec.get("records_follow_up", False)),
        "when_none": str(spec.get("when_none", "")),
        "refers_to_items": bool(spec.get("refers_to_items", False)),
        "refers_to_entry": bool(spec.get("refers_to_entry", False)),
        "ask": "" if spec.get("ask") in (None, False) else str(spec.get("ask")),
        "ask_help": str(spec.get("ask_help", "")),
        "public_note": str(spec.get("public_note", "")),
        "asked": spec.get("ask") is not False,
        "add_label": str(spec.get("add_label", "")),
        "max_length": spec.get("max_length"),
        "not_after": str(spec.get("not_after", "")),
        "not_before": str(spec.get("not_before", "")),
    }
    limit = common["max_length"]
    if limit is not None and (isinstance(limit, bool) or not isinstance(limit, int) or limit < 1):
        raise ModelError(
            f"{path}: field '{name}': max_length must be a whole number of characters, 1 or more"
        )
    if common["show"] not in ("", *SHOW):
        raise ModelError(f"{path}: field '{name}': show must be one of {', '.join(SHOW)}")
    if ftype == "list":
        if "of" not in spec:
            raise ModelError(f"{path}: list field '{name}' needs 'of'")
        element = _parse_field(
            name,
            {"type": spec["of"]} if isinstance(spec["of"], str) else spec["of"],
            shapes,
            vocabularies,
            path,
        )
        return Field(name, "list", of=element, **common)
    if ftype.startswith("term:"):
        vocab = ftype.split(":", 1)[1]
        if vocab not in vocabularies:
            raise ModelError(f"{path}: field '{name}' uses unknown vocabulary '{vocab}'")
        return Field(name, "term", target=vocab, **common)
    if ftype.startswith("ref:"):
        return Field(name, "ref", target=ftype.split(":", 1)[1], **common)
    if ftype in shapes:
        return Field(name, "object", shape=shapes[ftype], shape_name=ftype, **common)
    if ftype in SCALAR_KINDS:
        return Field(name, ftype, **common)
    raise ModelError(f"{path}: field '{name}' has unknown type '{ftype}'")
