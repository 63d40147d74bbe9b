"""Validating entries: each against its type's schema and the taxonomy, then the
library as a whole (references resolve, ids are unique). Every problem is kept,
each with the file and the line of the offending front-matter key."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Iterator
from typing import Any

from jsonschema import ValidationError

from knowledgehub.library.followup import check_records, check_references
from knowledgehub.library.limits import check_values, year_in_range
from knowledgehub.library.loader import Entry
from knowledgehub.model.content import ContentModel, Field, field_at
from knowledgehub.model.problems import Problem
from knowledgehub.model.schema import DATE_PATTERN, SLUG_PATTERN, SchemaSet
from knowledgehub.model.walk import REF_KIND, values_of_kind
from knowledgehub.policy.check import check_policy, string_values

_JSON_TYPE = {
    str: "text",
    int: "a number",
    float: "a number",
    bool: "true/false",
    list: "a list",
    dict: "a mapping",
    type(None): "nothing",
}


def where(path: Iterable[Any]) -> str:
    """``('sources', 0, 'year')`` → ``sources[1].year`` (positions count from 1)."""
    out = ""
    for part in path:
        out += f"[{part + 1}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "front matter"


def suggest(value: Any, candidates: Iterable[str], synonyms: dict[str, str] | None = None) -> str:
    """'did you mean ...?' for a misspelt or synonym value, or ''."""
    if not isinstance(value, str):
        return ""
    candidates = list(candidates)
    lowered = value.strip().lower()
    if synonyms and lowered in synonyms:
        return f"did you mean '{synonyms[lowered]}'?"
    close = difflib.get_close_matches(
        lowered.replace(" ", "-").replace("_", "-"), candidates, n=1, cutoff=0.6
    )
    return f"did you mean '{close[0]}'?" if close else ""


class Validator:
    def __init__(self, model: ContentModel, schemas: SchemaSet | None = None):
        self.model = model
        self.schemas = schemas or SchemaSet(model)
        # what the content policy looks up once per run (see check_policy); load_library
        # gives each run a fresh one
        self.policy_shared: dict | None = None
        self._synonyms = {
            name: {
                **{s.lower(): t.id for t in vocab.terms.values() for s in t.synonyms},
                **{t.label.lower(): t.id for t in vocab.terms.values()},
            }
            for name, vocab in model.vocabularies.items()
        }
        self._country_names = {}
        for code, name in model.countries.items():
            self._country_names[name.lower()] = code
        import pycountry

        for country in pycountry.countries:
            self._country_names[country.alpha_3.lower()] = country.alpha_2
            self._country_names[country.name.lower()] = country.alpha_2

    # -- one entry ------------------------------------------------------------
    def check_entry(self, entry: Entry) -> list[Problem]:
        problems: list[Problem] = []
        if not re.match(SLUG_PATTERN, entry.slug):
            problems.append(
                Problem(
                    entry.rel,
                    1,
                    f"file name '{entry.slug}.md' is not a valid id",
                    "use lowercase letters, digits and hyphens, e.g. 'water-loss-in-durban.md'",
                    "id",
                )
            )
        if not self.schemas.is_valid(entry.type, entry.data):
            for error in self.schemas.validators[entry.type].iter_errors(entry.data):
                problems.extend(self._explain(entry, error))
        problems.extend(self._check_order(entry, self.model.types[entry.type].fields, entry.data))
        problems.extend(self._check_items(entry))
        problems.extend(check_records(entry, self.model))
        problems.extend(check_values(entry, self.model.types[entry.type].fields, self.model.limits))
        strings = string_values(entry.data)
        problems.extend(self._check_placeholders(entry, strings))
        problems.extend(check_policy(entry, self.model, shared=self.policy_shared, strings=strings))
        return problems

    def _check_placeholders(self, entry: Entry, strings: list[tuple[tuple, str]]) -> Iterator[Problem]:
        """Free text still holding a placeholder of ``hub new`` ("TODO: ...")."""
        fields = self.model.types[entry.type].fields
        for path, value in strings:
            if not value.startswith("TODO"):
                continue
            f = field_at(fields, path)
            if f is not None and f.kind in ("string", "text") and not f.values:
                hint = (
                    f"replace it with {f.help[:1].lower()}{f.help[1:]}"
                    if f.help
                    else "write the real value in its place, or remove it"
                )
                yield Problem(
                    entry.rel, entry.line(*path), f"placeholder left in '{where(path)}'", hint, "placeholder"
                )

    def _explain(self, entry: Entry, error: ValidationError) -> Iterator[Problem]:
        path = tuple(error.absolute_path)
        name = where(path)
        kind = error.validator
        schema = error.schema if isinstance(error.schema, dict) else {}
        instance = error.instance
        ctype = self.model.types[entry.type]
        if kind == "required":
            present = instance if isinstance(instance, dict) else {}
            for missing in error.validator_value:
                if missing not in present:
                    where_text = f" in {name}" if path else ""
                    help_text = _help_for(schema, missing)
                    yield Problem(
                        entry.rel,
                        entry.line(*path) if path else 1,
                        f"missing required field '{missing}'{where_text}",
                        help_text,
                        "required",
                    )
            return
        if kind == "additionalProperties":
            allowed = list((schema.get("properties") or {}).keys())
            for key in instance:
                if key not in allowed:
                    hint = suggest(key, allowed) or f"a {ctype.label.lower()} takes: {', '.join(allowed)}"
                    yield Problem(
                        entry.rel,
                        entry.line(*path, key),
                        f"unknown field '{where(path + (key,))}'",
                        hint,
                        "unknown-field",
                    )
            return
        line = entry.line(*path)
        if instance is None:
            yield Problem(
                entry.rel, line, f"field '{name}' has no value", "give it a value or remove the line", "type"
            )
            return
        if kind == "enum" and "x-hub-term" in schema:
            vocab = schema["x-hub-term"]
            singular = self.model.vocabulary(vocab).singular
            hint = suggest(instance, self.model.vocabulary(vocab).terms, self._synonyms.get(vocab))
            if not hint:
                hint = (
                    f"see model/taxonomy.yml for the {vocab.replace('_', ' ')}, "
                    f"or propose a new {singular} there"
                )
            yield Problem(entry.rel, line, f"unknown {singular} '{instance}'", hint, "taxonomy")
            return
        if kind == "enum" and schema.get("x-hub-country"):
            code = self._country_names.get(str(instance).strip().lower()) or (
                str(instance).upper() if str(instance).upper() in self.model.countries else None
            )
            hint = (
                f"did you mean '{code}' ({self.model.country_name(code)})?"
                if code
                else "use the ISO 3166 two-letter code, e.g. ZA, IN, ZW"
            )
            yield Problem(entry.rel, line, f"unknown country code '{instance}'", hint, "taxonomy")
            return
        if kind == "enum":
            yield Problem(
                entry.rel,
                line,
                f"'{name}' must be one of: {', '.join(map(str, error.validator_value))}; got '{instance}'",
                suggest(instance, map(str, error.validator_value)),
                "value",
            )
            return
        if kind == "type":
            field_text = _describe_schema(schema)
            got = _JSON_TYPE.get(type(instance), type(instance).__name__)
            hint = ""
            if schema.get("type") == "array" and not isinstance(instance, list):
                hint = (
                    f"write it as a list: [{instance}]"
                    if isinstance(instance, (str, int, float))
                    else "write it as a list"
                )
            elif (
                schema.get("type") == "string"
                and isinstance(instance, (int, float))
                and not isinstance(instance, bool)
            ):
                hint = f'put it in quotes: "{instance}"'
            yield Problem(entry.rel, line, f"'{name}' must be {field_text}, not {got}", hint, "type")
            return
        if kind in ("pattern", "format"):
            if schema.get("format") == "partial-date":
                if re.match(DATE_PATTERN, str(instance)) and not year_in_range(instance, self.model.limits):
                    return  # reported as past the limits (check_values)
                yield Problem(
                    entry.rel,
                    line,
                    f"'{name}' is not a valid date: '{instance}'",
                    "write YYYY-MM-DD, or YYYY-MM / YYYY when the day is unknown",
                    "date",
                )
            elif "x-hub-ref" in schema or schema.get("pattern") == SLUG_PATTERN:
                yield Problem(
                    entry.rel,
                    line,
                    f"'{name}' is not a valid id: '{instance}'",
                    "ids are file names without .md: lowercase letters, digits and hyphens",
                    "id",
                )
            elif "https?" in str(schema.get("pattern", "")):
                yield Problem(
                    entry.rel,
                    line,
                    f"'{name}' is not an allowed web address: '{instance}'",
                    "use an http://, https:// or mailto: address",
                    "url",
                )
            else:
                yield Problem(
                    entry.rel,
                    line,
                    f"'{name}' has the wrong form: '{instance}'",
                    schema.get("description", ""),
                    "value",
                )
            return
        if kind == "minItems":
            yield Problem(
                entry.rel,
                line,
                f"'{name}' needs at least {error.validator_value} "
                f"value{'s' if error.validator_value != 1 else ''}",
                schema.get("description", ""),
                "required",
            )
            return
        if kind == "minLength":
            yield Problem(entry.rel, line, f"'{name}' is empty", schema.get("description", ""), "required")
            return
        if kind == "maxLength":
            yield Problem(
                entry.rel,
                line,
                f"'{name}' is {len(instance)} characters long; it may have at most {error.validator_value}",
                "shorten it: the rest of what you want to say belongs in the text below the front matter",
                "length",
            )
            return
        if kind == "minimum":
            yield Problem(
                entry.rel,
                line,
                f"'{name}' must be at least {error.validator_value}, not {instance}",
                "",
                "value",
            )
            return
        yield Problem(entry.rel, line, f"'{name}': {error.message}", "", "schema")

    def _check_order(
        self, entry: Entry, fields: dict[str, Field], data: Any, path: tuple = ()
    ) -> Iterator[Problem]:
        """Values the model says may not come after (``not_after``) or before (``not_before``)
        another field of the same mapping: a baseline year after the year of the value, an
        end before the start. Partial dates compare on what both give (2012-04 is not before
        2012)."""
        if not isinstance(data, dict):
            return
        for name, f in fields.items():
            value, here = data.get(name), path + (name,)
            for other_name, after in ((f.not_after, True), (f.not_before, False)):
                other = fields.get(other_name) if other_name else None
                bound = data.get(other_name) if other else None
                if other is None or not _comparable(f, value, bound):
                    continue
                if after and _before(bound, value):
                    described = other.help[:1].lower() + other.help[1:] if other.help else other.label.lower()
                    message = f"'{where(here)}': {f.label.lower()} {value} is after the {described} ({bound})"
                elif not after and _before(value, bound):
                    message = f"'{where(here)}' ({value}) is before the {other.label.lower()} ({bound})"
                else:
                    continue
                rule = "date" if f.kind == "date" else "order"
                yield Problem(entry.rel, entry.line(*here), message, "", rule)
            element = f.of if f.kind == "list" and f.of is not None else f
            if element.kind != "object" or not element.shape:
                continue
            records = value if f.kind == "list" and isinstance(value, list) else [value]
            for index, record in enumerate(records):
                at = here + (index,) if f.kind == "list" else here
                yield from self._check_order(entry, element.shape, record, at)

    def _check_items(self, entry: Entry) -> Iterator[Problem]:
        seen: dict[str, int] = {}
        items = entry.data.get("items")
        if not isinstance(items, list):
            return
        for index, item in enumerate(items):
            if not isinstance(item, dict) or not isinstance(item.get("id"), str):
                continue
            line = entry.line("items", index, "id")
            if item["id"] in seen:
                yield Problem(
                    entry.rel,
                    line,
                    f"item id '{item['id']}' is used twice in this entry (first on line {seen[item['id']]})",
                    "give every item its own id",
                    "duplicate",
                )
            else:
                seen[item["id"]] = line

    # -- the library ------------------------------------------------------------
    def check_library(
        self, entries: list[Entry], unreadable: set[tuple[str, str]] = frozenset()
    ) -> list[Problem]:
        """References and duplicates across ``entries``. References to the
        ``unreadable`` (type, id)s exist but could not be read: they are already
        reported on their own file, so they are not reported again here."""
        problems: list[Problem] = []
        index: dict[str, dict[str, Entry]] = {name: {} for name in self.model.types}
        for entry in entries:
            other = index[entry.type].get(entry.slug)
            if other is not None:
                problems.append(
                    Problem(
                        entry.rel,
                        1,
                        f"duplicate id '{entry.slug}': {other.rel} is also a "
                        f"{self.model.types[entry.type].label.lower()} with that id",
                        "rename one of the files",
                        "duplicate",
                    )
                )
            else:
                index[entry.type][entry.slug] = entry
        library = index
        for entry in entries:
            fields = self.model.types[entry.type].fields
            for path, f, value in values_of_kind(fields, entry.data, REF_KIND):
                if not isinstance(value, str) or not re.match(SLUG_PATTERN, value):
                    continue
                target = library[f.target].get(value)
                line = entry.line(*path)
                if target is None and (f.target, value) in unreadable:
                    continue
                if target is None:
                    ctype = self.model.types[f.target]
                    hint = (
                        suggest(value, library[f.target])
                        or f"add content/{ctype.folder}/{value}.md, or fix the id"
                    )
                    problems.append(
                        Problem(
                            entry.rel,
                            line,
                            f"'{where(path)}' refers to {ctype.label.lower()} '{value}', "
                            "which does not exist",
                            hint,
                            "reference",
                        )
                    )
                elif not entry.draft and target.draft:
                    problems.append(
                        Problem(
                            entry.rel,
                            line,
                            f"'{where(path)}' refers to '{value}', which is a draft",
                            "publish it, or remove the reference",
                            "reference",
                        )
                    )
        problems.extend(check_references(self.model, entries, suggest))
        return problems


def _comparable(f: Field, value: Any, bound: Any) -> bool:
    """Whether two values of field ``f``'s kind can be put in order (both given, both valid)."""
    if f.kind == "date":
        return all(isinstance(v, str) and re.match(DATE_PATTERN, v) for v in (value, bound))
    return all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in (value, bound))


def _before(value: Any, bound: Any) -> bool:
    """Whether ``value`` comes before ``bound``; a date on what both give."""
    if isinstance(value, str):
        return value < bound[: len(value)]
    return value < bound


def _help_for(schema: dict, field_name: str) -> str:
    prop = (schema.get("properties") or {}).get(field_name) or {}
    return prop.get("description", "")


def _describe_schema(schema: dict) -> str:
    t = schema.get("type")
    if t == "array":
        items = schema.get("items") or {}
        return f"a list of {_describe_schema(items)}"
    if "x-hub-term" in schema:
        return f"a {schema['x-hub-term'].rstrip('s')} from the taxonomy"
    return {
        "string": "text",
        "integer": "a whole number",
        "number": "a number",
        "boolean": "true or false",
        "object": "a mapping of fields",
    }.get(t, str(t))
