"""``hub from-issue``'s work: a submitted issue form turned into an entry file, written only
when the hub's own checks (those of ``hub check``) pass on it, and a comment in plain words
saying what needs a change, question by question.

The entry's id is made from its title; organisations, events and other entries are found
by their id, title or short name, and a name the library does not know yet is left out of
the entry and listed in the comment. Nothing from the issue is run: it is text, and the
front matter is written by a YAML dumper, never by pasting answers into YAML.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from knowledgehub.library.load import load_library
from knowledgehub.library.loader import Entry, load_file, parse_front_matter, split_front_matter
from knowledgehub.model.content import ContentModel
from knowledgehub.model.project import Project, entry_files, max_id_length
from knowledgehub.model.questions import contributed_types
from knowledgehub.model.schema import DATE_PATTERN
from knowledgehub.outputs.issue_answers import (
    MAX_BODY,
    Answers,
    Reader,
    is_empty,
    links_in,
    quote,
    split_sections,
)
from knowledgehub.outputs.scaffold import MAX_SLUG, slugify
from knowledgehub.outputs.submission_form import ATTACHMENTS_LABEL, CONSENT_LABEL, Asked, asked


@dataclass
class Outcome:
    """What ``from_issue`` did: the file written (or None), and the comment to post."""

    written: Path | None
    comment: str
    type_name: str | None = None
    answers: Answers = field(default_factory=Answers)


# -- which form ---------------------------------------------------------------------------------
def guess_type(model: ContentModel, body: str) -> str | None:
    """The contributed type whose form the body answers: the one whose questions hold most of
    the body's headings (then: the one it answers the larger share of); None when unsure."""
    headings = set(re.findall(r"^###\s+(.+?)\s*$", body, re.M))
    scores = []
    for name in contributed_types(model):
        labels = {a.label for a in asked(model, name)}
        matches = len(headings & labels)
        scores.append((matches, matches / max(len(labels), 1), name))
    scores.sort(reverse=True)
    if not scores or scores[0][0] < 2 or (len(scores) > 1 and scores[0][:2] == scores[1][:2]):
        return None
    return scores[0][2]


def library_names(project: Project, model: ContentModel) -> dict[str, list[tuple[str, list[str]]]]:
    """Type → (id, [title, short name]) of each entry of the types that entries refer to."""
    wanted = {f.target for f in model.iter_all_fields() if f.kind == "ref"}
    folders = {model.types[t].folder for t in wanted if t in model.types}
    entries = []
    for path in entry_files(project.content_dir, model):
        if path.relative_to(project.content_dir).parts[0] in folders:
            entry = load_file(path, project.content_dir, model)
            if isinstance(entry, Entry):
                entries.append(entry)
    return entry_names(model, entries)


def entry_names(model: ContentModel, entries: list[Entry]) -> dict[str, list[tuple[str, list[str]]]]:
    """Type → (id, [title, short name]) of ``entries`` of the types that entries refer to."""
    wanted = {f.target for f in model.iter_all_fields() if f.kind == "ref"}
    names: dict[str, list[tuple[str, list[str]]]] = {}
    for entry in entries:
        if entry.type not in wanted:
            continue
        short = model.types[entry.type].short_name_field
        called = [str(entry.data.get("title", "")), str(entry.data.get(short, "")) if short else ""]
        names.setdefault(entry.type, []).append((entry.slug, called))
    return names


# -- the answers -------------------------------------------------------------------------------
def read_answers(model: ContentModel, type_name: str, body: str, reader: Reader) -> Answers:
    """The front matter and body sections a submitted form of ``type_name`` gives."""
    answers = Answers()
    elements = asked(model, type_name)
    sections, twice = split_sections(body, [a.label for a in elements])
    for label in twice:
        answers.problem(
            label,
            f"the heading “### {label}” appears twice; please remove the line that repeats it from "
            "your answers.",
        )
    for a in elements:
        text = sections.get(a.label, "")
        required = a.question.required and (a.parent is None or a.parent.required)
        if is_empty(text):
            if required:
                answers.problem(a.label, "this question needs an answer.")
            continue
        if a.question.kind == "body":
            answers.sections.append((a.label, text))
            continue
        value = reader.value(a, text, answers)
        if value is None:
            unknown = [name for label, name in answers.missing_entries if label == a.label]
            if required and unknown:
                answers.problem(
                    a.label,
                    f"{quote(unknown[0])} is not in the library yet; name one that is, or suggest it "
                    "first with its own form.",
                )
            continue
        if a.parent is not None:
            answers.data.setdefault(a.parent.field, {})[a.question.field] = value
        else:
            answers.data[a.question.field] = value
    attached = sections.get(ATTACHMENTS_LABEL, "")
    answers.attachments = links_in(attached) if not is_empty(attached) else []
    _documents_from_attachments(model, type_name, elements, answers)
    consent = sections.get(CONSENT_LABEL)
    if consent is not None and ("- [ ]" in consent or "- [x]" not in consent.lower()):
        answers.problem(CONSENT_LABEL, "please tick both boxes.")
    _make_up_ids(model, type_name, answers)
    return answers


def _documents_from_attachments(model, type_name, elements: list[Asked], answers: Answers) -> None:
    """Attached files stand as the documents an entry is written from when none were named."""
    documents = next(
        (
            a
            for a in elements
            if a.question.kind == "records"
            and a.parent is None
            and any(p.kind == "url" for p in a.question.parts)
        ),
        None,
    )
    if documents is None or not answers.attachments or documents.question.field in answers.data:
        return
    first = documents.question.parts[0].field
    url = next(p.field for p in documents.question.parts if p.kind == "url")
    answers.data[documents.question.field] = [
        {first: name.rsplit(".", 1)[0] or name, url: link} for name, link in answers.attachments
    ]
    answers.problems[:] = [
        (label, message) for label, message in answers.problems if label != documents.label
    ]


def _make_up_ids(model: ContentModel, type_name: str, answers: Answers) -> None:
    """Ids of items (recommendations, commitments) from their text, unique in the entry."""
    for name, value in answers.data.items():
        f = model.types[type_name].fields.get(name)
        shape = f.of.shape if f is not None and f.of is not None and f.of.shape else None
        if not shape or not isinstance(value, list):
            continue
        id_field = next((n for n, sub in shape.items() if sub.kind == "slug" and sub.required), None)
        text_field = next(
            (n for n, sub in shape.items() if sub.kind in ("text", "string") and sub.required), None
        )
        if id_field is None or text_field is None:
            continue
        used: set[str] = set()
        for position, record in enumerate(value, 1):
            base = slugify(str(record.get(text_field, "")), 40) or f"item-{position}"
            candidate, n = base, 2
            while candidate in used:
                candidate, n = f"{base}-{n}", n + 1
            used.add(candidate)
            answers.data[name][position - 1] = {id_field: candidate, **record}


# -- the entry file ------------------------------------------------------------------------------
class _EntryDumper(yaml.SafeDumper):
    """Front matter as the hub writes it: dates in quotes, text of several lines as a block."""


def _represent_str(dumper: yaml.SafeDumper, value: str):
    style = '"' if re.fullmatch(DATE_PATTERN, value) else "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_EntryDumper.add_representer(str, _represent_str)


def entry_text(answers: Answers) -> tuple[str, list[tuple[int, str]]]:
    """The entry file, and (first line, heading) of each body section."""
    front = yaml.dump(answers.data, Dumper=_EntryDumper, sort_keys=False, allow_unicode=True, width=100)
    text = f"---\n{front}---\n"
    starts: list[tuple[int, str]] = []
    for heading, section in answers.sections:
        text += "\n"
        starts.append((text.count("\n") + 1, heading))
        text += f"## {heading}\n\n{section.strip()}\n"
    return text, starts


def _question_at(line: int, text: str, elements: list[Asked], starts: list[tuple[int, str]]) -> str:
    """The question whose answer is on ``line`` of the entry file."""
    if starts and line >= starts[0][0]:
        return next(heading for start, heading in reversed(starts) if line >= start)
    split = split_front_matter(text)
    lines = parse_front_matter(split[0], "entry")[1] if split else {}
    at = [path for path, n in sorted(lines.items(), key=lambda kv: kv[1]) if n <= line]
    path = at[-1] if at else ()
    for a in elements:
        if a.path == tuple(str(p) for p in path[: len(a.path)]):
            return a.label
    for a in elements:
        if path and a.path[0] == path[0]:
            return a.parent.label if a.parent else a.label
    return "The answers"


def from_issue(
    project: Project,
    model: ContentModel,
    body: str,
    type_name: str | None = None,
    out: Path | None = None,
    author: str | None = None,
) -> Outcome:
    """Read ``body`` (a submitted issue form); write the entry when it passes the hub's checks."""
    if len(body) > MAX_BODY:
        answers = Answers()
        answers.problem("The answers", f"they are too long ({len(body):,} characters) to read.")
        return Outcome(None, comment(answers, None, author), type_name, answers)
    type_name = type_name or guess_type(model, body)
    if type_name is None:
        answers = Answers()
        answers.problem("The form", "these answers do not follow one of the hub's forms.")
        return Outcome(None, comment(answers, None, author), None, answers)
    reader = Reader(model, library_names(project, model))
    answers = read_answers(model, type_name, body, reader)
    ctype = model.types[type_name]
    elements = asked(model, type_name)
    title_label = elements[0].label if elements else "Title"
    title = str(answers.data.get(elements[0].question.field, "")) if elements else ""
    entry_id = slugify(title, min(MAX_SLUG, max_id_length(ctype.folder)))
    if not entry_id and not any(label == title_label for label, _ in answers.problems):
        answers.problem(title_label, "the title needs some letters or digits.")
    if answers.problems:
        return Outcome(None, comment(answers, None, author), type_name, answers)
    target = project.content_dir / ctype.folder / f"{entry_id}.md"
    final = (Path(out) / ctype.folder / f"{entry_id}.md") if out else target
    for existing in {target, final}:
        if existing.exists():
            answers.problem(
                title_label,
                f"the library already has an entry with this title ({project.relative(existing)}); "
                "please choose another.",
            )
            return Outcome(None, comment(answers, None, author), type_name, answers)
    text, starts = entry_text(answers)
    problems = check_in_place(project, model, target, text)
    errors = [p for p in problems if p.severity == "error"]
    for p in errors:
        hint = f" ({p.hint})" if p.hint else ""
        message = re.sub(r" \(in '[^']*'\)", "", p.message)  # the question says where
        answers.problem(_question_at(p.line, text, elements, starts), f"{message}{hint}")
    if errors:
        return Outcome(None, comment(answers, None, author), type_name, answers)
    final.parent.mkdir(parents=True, exist_ok=True)
    with open(final, "x", encoding="utf-8", newline="\n") as handle:
        handle.write(text)
    return Outcome(final, comment(answers, project.relative(final), author), type_name, answers)


def check_in_place(project: Project, model: ContentModel, path: Path, text: str) -> list:
    """The problems ``hub check`` finds in ``text`` as the entry file ``path`` (written for the
    check and removed after it)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "x", encoding="utf-8", newline="\n") as handle:
        handle.write(text)
    try:
        result = load_library(project, model, only=[path], with_catalog=False)
    finally:
        os.unlink(path)
    rel = project.relative(path)
    return [p for p in result.problems if p.path == rel]


# -- the comment ------------------------------------------------------------------------------
def comment(answers: Answers, written: str | None, author: str | None) -> str:
    """The reply on the issue, in plain words."""
    who = f", @{author}" if author else ""
    lines: list[str] = []
    if written:
        lines += [
            f"**Thank you{who}!** Your answers make a complete entry of the library (`{written}`).",
            "",
            "A pull request with it follows; a maintainer reviews it before it is published, and "
            "you are credited as the one who suggested it.",
        ]
    else:
        lines += [
            f"**Thank you{who}!** Before your answers can become an entry, a few of them need a change.",
            "Edit the issue (its ⋯ menu, then *Edit*) and the hub reads it again.",
            "",
        ]
        lines += [f"- **{label}**: {message}" for label, message in answers.problems]
    if answers.missing_entries:
        lines += ["", "Not yet in the library (a maintainer adds them, or links them to an entry):", ""]
        lines += [f"- **{label}**: {quote(name)}" for label, name in answers.missing_entries]
    if answers.attachments:
        lines += ["", "Attached files (a maintainer files them with the entry):", ""]
        lines += [f"- {quote(name)}: <{link}>" for name, link in answers.attachments]
    return "\n".join(lines).strip() + "\n"
