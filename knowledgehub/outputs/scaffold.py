"""``hub new``: a new entry of any content type, written from the content model.

The template is generated from ``model/types.yml`` every time, so a field is
described in one place only. Required fields are present with a placeholder
that ``hub check`` rejects ("TODO: ..."); optional fields are commented out,
each with the field's help text and an example. The body is the type's
``outline``, one ``##`` heading per section, unless ``model/archetypes/<type>.md``
exists: then that file is the body (the front matter is still generated).
"""

from __future__ import annotations

import difflib
import json
import re
import unicodedata
from pathlib import Path
from typing import Any

import yaml

from knowledgehub.library.loader import EntryLoader
from knowledgehub.model.content import ContentModel, ContentType, Field, singular
from knowledgehub.model.project import Project, max_id_length
from knowledgehub.model.schema import DATE_PATTERN, SLUG_PATTERN

PLACEHOLDER = "TODO"
MAX_SLUG = 60
INDENT = "  "


class ScaffoldError(Exception):
    """The request cannot be carried out (unknown type, unusable title, existing file)."""


# -- names ----------------------------------------------------------------------
def slugify(text: str, max_length: int = MAX_SLUG) -> str:
    """An entry id from a title: ASCII lowercase words joined by hyphens.

    Accents are folded ('São Paulo' → 'sao-paulo'), apostrophes dropped
    ("Durban's" → 'durbans'), '&' read as 'and'; the id is cut at a word
    boundary so that it is at most ``max_length`` characters long. A title with
    no letters or digits (after folding) gives ''.
    """
    text = text.replace("&", " and ")
    text = re.sub(r"['’‘`]", "", text)
    decomposed = unicodedata.normalize("NFKD", text)
    # letters and digits stay, accents go, anything else separates words
    kept = "".join(
        c if unicodedata.category(c)[0] in "LN" else "" if unicodedata.category(c)[0] == "M" else " "
        for c in decomposed
    )
    folded = kept.encode("ascii", "ignore").decode("ascii")
    words = re.findall(r"[a-z0-9]+", folded.lower())
    slug = ""
    for word in words:
        longer = f"{slug}-{word}" if slug else word
        if len(longer) > max_length and slug:
            break
        slug = longer
    return slug[:max_length].strip("-")


def resolve_type(model: ContentModel, name: str) -> ContentType:
    """The content type called ``name`` (its id, its folder or its label, in any case)."""
    wanted = name.strip().lower()
    for ctype in model.types.values():
        if wanted in (ctype.name.lower(), ctype.folder.lower(), ctype.label.lower()):
            return ctype
    close = difflib.get_close_matches(wanted.replace(" ", "-"), list(model.types), n=1, cutoff=0.6)
    guess = f" (did you mean '{close[0]}'?)" if close else ""
    width = max(len(n) for n in model.types)
    known = "\n".join(f"  {t.name:<{width}}  {t.label}, in content/{t.folder}/" for t in model.types.values())
    raise ScaffoldError(f"unknown content type '{name}'{guess}; the known types are:\n{known}")


# -- YAML values ------------------------------------------------------------------
def _parses_as(text: str, value: Any) -> bool:
    try:
        return yaml.load(text, Loader=EntryLoader) == value
    except yaml.YAMLError:
        return False


def yaml_value(value: Any) -> str:
    """``value`` as YAML the loader reads back unchanged: strings plain when that is
    safe, quoted otherwise (dates always quoted, as the hub asks); lists in flow style."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, list):
        inner = ", ".join(yaml_value(v) for v in value)
        return (
            f"[{inner}]"
            if _parses_as(f"k: [{inner}]", {"k": value})
            else json.dumps(value, ensure_ascii=False)
        )
    text = str(value)
    if re.match(DATE_PATTERN, text) or not text or text.strip() != text:
        return json.dumps(text, ensure_ascii=False)
    if _parses_as(f"k: {text}", {"k": text}) and _parses_as(f"k: [{text}]", {"k": [text]}):
        return text
    return json.dumps(text, ensure_ascii=False)


# -- what a field wants -------------------------------------------------------------
def _a(noun: str) -> str:
    return f"{'an' if noun[:1].lower() in 'aeiou' else 'a'} {noun}"


def wants(f: Field, model: ContentModel) -> str:
    """What a value of ``f`` looks like, for the comment beside it."""
    kind = f.kind
    if f.values:
        return "one of: " + ", ".join(map(str, f.values))
    if kind == "list":
        least = f"at least {int(f.min)}; " if f.min else ""
        of = f.of
        if of is None:
            return f"{least}a list"
        if of.kind == "object":
            return f"{least}a list: one '- {next(iter(of.shape))}:' block each"
        if of.kind == "term":
            return f"{least}a list of {singular(of.target)} ids from model/taxonomy.yml, like [a, b]"
        if of.kind == "ref":
            where = f"entries in content/{model.types[of.target].folder}/"
            return f"{least}a list of ids of {where} (file names without .md), like [a, b]"
        if of.kind == "country":
            return f"{least}a list of two-letter ISO 3166 country codes, like [ZA, IN]"
        if of.kind in ("string", "text"):
            return f"{least}a list: one '- ' line each"
        return f"{least}a list of {of.describe()}s"
    if kind == "object":
        return "the fields below"
    if kind == "term":
        return f"{_a(singular(f.target))} id from model/taxonomy.yml ({f.target})"
    if kind == "ref":
        return f"the id (file name without .md) of an entry in content/{model.types[f.target].folder}/"
    return {
        "string": "a line of text",
        "text": "text; put it in quotes if it contains ': '",
        "date": 'a date in quotes: "YYYY-MM-DD", or "YYYY-MM" / "YYYY"',
        "url": "a web address (https://...)",
        "email": "an email address",
        "integer": "a whole number" + (f" of at least {f.min:g}" if f.min is not None else ""),
        "number": "a number" + (f" of at least {f.min:g}" if f.min is not None else ""),
        "boolean": "true or false",
        "country": "a two-letter ISO 3166 country code",
        "slug": "an id: lowercase letters, digits and hyphens",
    }.get(kind, kind)


def placeholder(f: Field, model: ContentModel) -> str:
    """The value a required field starts with: readable, and rejected by ``hub check``."""
    kind = f.kind
    if kind == "date":
        return f"{PLACEHOLDER}: YYYY-MM-DD"
    if kind == "term":
        return f"{PLACEHOLDER}: {_a(singular(f.target))} from model/taxonomy.yml"
    if kind == "ref":
        return f"{PLACEHOLDER}: id of {'an entry' if f.target == '*' else _a(f.target) + ' entry'}"
    if kind == "slug":
        return f"{PLACEHOLDER}: an id for this {f.name}" if f.name != "id" else f"{PLACEHOLDER}: a short id"
    if f.help:
        return f"{PLACEHOLDER}: {f.help[0].lower()}{f.help[1:]}"
    return f"{PLACEHOLDER}: {f.describe()}"


def _example(f: Field) -> str:
    return f"e.g. {yaml_value(f.example)}" if f.example not in (None, "", []) else ""


def _comment(f: Field, model: ContentModel, nested: bool = False) -> str:
    """The comment that says what a field wants: its help, whether it is required,
    the form of its value and an example."""
    status = "required" if f.required else "optional"
    parts = (
        [f"{f.help or f.name} — {status}"]
        if not nested
        else [f"{f.help or f.name}" + (" (required)" if f.required else "")]
    )
    parts.append(wants(f, model))
    example = _example(f)
    if example and f.kind != "object":
        parts.append(example)
    return "; ".join(parts)


# -- the template -----------------------------------------------------------------------
def _field_lines(
    name: str,
    f: Field,
    model: ContentModel,
    pad: str,
    live: bool,
    title: str | None = None,
    top: bool = False,
) -> list[str]:
    """The lines of one field at indentation ``pad``.

    ``live``: the enclosing mapping is in use. Then a required field is written
    with a placeholder (or, for the title, the title given) and an optional one is
    commented out, empty. In a mapping that is itself commented out (``live``
    false) every field is shown empty. Top-level fields carry their comment on the
    line above, nested ones beside them.
    """
    active = live and f.required
    trailing = "" if top else f"  # {_comment(f, model, nested=True)}"
    if f.kind == "object":
        lines = [f"{pad}{name}:{trailing}"] + _shape_lines(f.shape, model, pad + INDENT, active)
    elif f.kind == "list" and f.of is not None and f.of.kind == "object":
        lines = [f"{pad}{name}:{trailing}"] + _list_item_lines(f.of.shape, model, pad + INDENT, active)
    elif not active:
        lines = [f"{pad}{name}:{trailing}"]
    elif top and name == "title" and title:
        lines = [f"{pad}{name}: {yaml_value(title)}"]
    elif f.kind == "list":
        lines = [f"{pad}{name}: {yaml_value([placeholder(f.of, model)])}{trailing}"]
    else:
        lines = [f"{pad}{name}: {yaml_value(placeholder(f, model))}{trailing}"]
    if live and not f.required:
        lines = [f"{pad}# {line[len(pad) :]}" for line in lines]
    if top:
        lines.insert(0, f"# {_comment(f, model)}")
    return lines


def _shape_lines(shape: dict[str, Field], model: ContentModel, pad: str, live: bool) -> list[str]:
    lines: list[str] = []
    for name, f in shape.items():
        lines.extend(_field_lines(name, f, model, pad, live))
    return lines


def _list_item_lines(shape: dict[str, Field], model: ContentModel, pad: str, live: bool) -> list[str]:
    """One element of a list of mappings. Required fields come first, so that the
    element's '- ' starts a line in use; a shape with no required field is shown
    whole, each field empty."""
    live = live and any(f.required for f in shape.values())
    ordered = dict(sorted(shape.items(), key=lambda item: not item[1].required))
    lines = _shape_lines(ordered, model, pad + INDENT, live)
    lines[0] = f"{pad}- {lines[0][len(pad) + len(INDENT) :]}"
    return lines


def archetype_path(project_or_model_dir: Project | Path, type_name: str) -> Path:
    model_dir = (
        project_or_model_dir.model_dir
        if isinstance(project_or_model_dir, Project)
        else Path(project_or_model_dir)
    )
    return model_dir / "archetypes" / f"{type_name}.md"


def outline_body(ctype: ContentType) -> str:
    sections = ctype.outline or ["About"]
    return "\n".join(f"## {heading}\n" for heading in sections)


def entry_template(
    ctype: ContentType,
    model: ContentModel,
    title: str | None = None,
    rel_path: str | None = None,
    body: str | None = None,
) -> str:
    """The text of a new ``ctype`` entry: generated front matter, then ``body``
    (default: the type's outline as headings)."""
    where = rel_path or f"content/{ctype.folder}/<id>.md"
    lines = [
        "---",
        f"# A new {ctype.label.lower()}: {ctype.description}",
        "# Replace every TODO. Optional fields are commented out: remove the '# ' in front",
        "# of those you use and delete the others. Then check the entry with:",
        f"#   hub check {where}",
        "# Fields are described in model/types.yml, themes and other terms in model/taxonomy.yml.",
    ]
    for name, f in ctype.fields.items():
        lines.extend(_field_lines(name, f, model, "", live=True, title=title, top=True))
    lines.append("---")
    text = "\n".join(lines) + "\n\n"
    return text + (body if body is not None else outline_body(ctype))


def new_entry(
    project: Project,
    type_name: str,
    title: str | None = None,
    slug: str | None = None,
    model: ContentModel | None = None,
) -> Path:
    """Write a new entry from the template and return its path. Refuses (with
    ``ScaffoldError``) an unknown type, a title that gives no id, a bad id and an
    existing file."""
    model = model or ContentModel.load(project.model_dir)
    ctype = resolve_type(model, type_name)
    if title is not None and not title.strip():
        raise ScaffoldError(
            'the title is empty; give the entry a title, e.g. --title "Pressure management in Drakenstein"'
        )
    longest = min(MAX_SLUG, max_id_length(ctype.folder))  # the page's path must fit the USB zip
    if slug is None:
        if title is None:
            slug = f"new-{ctype.name}"[:longest]
        else:
            slug = slugify(title, longest)
            if not slug:
                raise ScaffoldError(
                    f"the title '{title}' gives no file name: "
                    "it has no letters or digits that can be used in an id; "
                    "give another title, or the file name with --id (lowercase letters, digits and hyphens)"
                )
    elif not re.match(SLUG_PATTERN, slug):
        suggestion = slugify(slug)
        hint = f" (did you mean '{suggestion}'?)" if suggestion else ""
        raise ScaffoldError(f"'{slug}' is not a valid id: use lowercase letters, digits and hyphens{hint}")
    elif len(slug) > max_id_length(ctype.folder):
        raise ScaffoldError(
            f"'{slug[:40]}...' is {len(slug)} characters long; an id of a {ctype.name} may have "
            f"{max_id_length(ctype.folder)} at most, so that its page fits the USB edition's zip "
            f"(try '{slugify(slug, longest)}')"
        )
    path = project.content_dir / ctype.folder / f"{slug}.md"
    rel = project.relative(path)
    if path.exists() or path.is_symlink():
        extra = " or --id" if title is not None else "; give the new entry a --title (or an --id)"
        raise ScaffoldError(
            f"{rel} already exists; it was left as it is. Choose another title{extra}"
            if title is not None
            else f"{rel} already exists; it was left as it is{extra}"
        )
    archetype = archetype_path(project, ctype.name)
    body = archetype.read_text(encoding="utf-8") if archetype.is_file() else None
    text = entry_template(ctype, model, title=title.strip() if title else None, rel_path=rel, body=body)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with open(path, "x", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
    except FileExistsError:
        raise ScaffoldError(f"{rel} already exists; it was left as it is") from None
    return path
