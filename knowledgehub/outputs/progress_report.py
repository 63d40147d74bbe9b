"""``hub from-issue`` for the progress form ("Report progress on a recommendation"): a
submitted report becomes a follow-up record of its item, written only when the entry's
file still passes the hub's checks with it, and a comment in plain words.

The item is found by its link as the reader copied it from the site (hosted or USB
edition), by its address (entry-id#item-id), or by the words quoted from it when they
point to one item clearly. Nothing from the issue is run: answers are text, and the
record is written as quoted YAML scalars (``follow_up_record.record_lines``).
"""

from __future__ import annotations

import re
from pathlib import Path

from knowledgehub.model.content import ContentModel
from knowledgehub.model.project import Project
from knowledgehub.outputs.follow_up_record import (
    Item,
    add_record,
    entry_of_link,
    item_address,
    library_items,
    nearest_items,
)
from knowledgehub.outputs.from_issue import Outcome, entry_names
from knowledgehub.outputs.issue_answers import (
    MAX_BODY,
    Answers,
    Reader,
    fold,
    is_empty,
    lines_of,
    quote,
    split_sections,
)
from knowledgehub.outputs.issue_form import ITEM_LABEL, PROGRESS_CONSENT, progress_asked
from knowledgehub.outputs.submission_form import plain_date

# quoted words are taken to be an item's when this share of them are the item's words or
# its entry's title's, at least QUOTE_OWN of them the item's own, and clearly more than
# of any other item
QUOTE_CUTOFF = 0.8
QUOTE_OWN = 0.4
QUOTE_MARGIN = 0.15


def is_progress_report(body: str) -> bool:
    """Whether ``body`` answers the progress form (its first question is the item)."""
    return f"### {ITEM_LABEL}" in body


def find_item(answer: str, items: dict[str, Item]) -> tuple[Item | None, bool, list[str]]:
    """(the item, whether it was told from quoted words, the nearest addresses if none)."""
    lines = lines_of(answer)
    for line in lines:
        for word in line.split():
            if "#" in word:
                address = item_address(word)
                if address in items:
                    return items[address], False, []
    addresses = [item_address(w) for line in lines for w in line.split() if "#" in w]
    said = set(fold(" ".join(lines)).split()) - set(addresses)
    scored = []
    for item in items.values():
        own = set(fold(item.text).split())
        title = set(fold(str(item.entry.data.get("title", ""))).split())
        if said:
            # the share of the quoted words that are the item's (or its entry's title's),
            # then the share that are the item's own
            scored.append((len(said & (own | title)) / len(said), len(said & own) / len(said), item.address))
    scored.sort(reverse=True)
    if scored and scored[0][0] >= QUOTE_CUTOFF and scored[0][1] >= QUOTE_OWN:
        runner_up = scored[1][:2] if len(scored) > 1 else (0.0, 0.0)
        if scored[0][0] - runner_up[0] >= QUOTE_MARGIN or scored[0][1] - runner_up[1] >= QUOTE_MARGIN:
            return items[scored[0][2]], True, []
    near = nearest_items(addresses[0], items, 3) if addresses else [a for r, _o, a in scored[:3] if r >= 0.5]
    return None, False, near


def _described(item: Item) -> str:
    return f"{quote(item.text, 100)} ({quote(str(item.entry.data.get('title', '')), 80)})"


def progress_from_issue(
    project: Project, model: ContentModel, body: str, out: Path | None = None, author: str | None = None
) -> Outcome:
    """Read a submitted progress report; add its record to the item when the entry's file
    passes the hub's checks with it (with ``out``: the changed file is written there)."""
    answers = Answers()
    if len(body) > MAX_BODY:
        answers.problem("The answers", f"they are too long ({len(body):,} characters) to read.")
        return Outcome(None, progress_comment(answers, None, author), None, answers)
    fu = model.follow_up
    elements = progress_asked(model)
    sections, twice = split_sections(body, [ITEM_LABEL, *(a.label for a in elements), PROGRESS_CONSENT])
    for label in twice:
        answers.problem(
            label,
            f"the heading “### {label}” appears twice; please remove the line that repeats it from "
            "your answers.",
        )
    items, slugs, entries = library_items(project, model)
    item, quoted, near = None, False, []
    said = sections.get(ITEM_LABEL, "")
    if is_empty(said):
        answers.problem(ITEM_LABEL, "this question needs an answer.")
    else:
        item, quoted, near = find_item(said, items)
        if item is None:
            hint = " The nearest: " + "; ".join(_described(items[a]) for a in near) + "." if near else ""
            answers.problem(
                ITEM_LABEL,
                "we could not tell which recommendation or commitment this is; on its page on the "
                f"hub, copy the link of the # beside it and paste it here.{hint}",
            )
    reader = Reader(model, entry_names(model, entries))
    values: dict[str, object] = {}
    for a in elements:
        text = sections.get(a.label, "")
        if is_empty(text):
            if a.question.required:
                answers.problem(a.label, "this question needs an answer.")
            continue
        value = reader.value(a, text, answers)
        if value is not None:
            values[a.question.field] = value
    consent = sections.get(PROGRESS_CONSENT)
    if consent is not None and ("- [ ]" in consent or "- [x]" not in consent.lower()):
        answers.problem(PROGRESS_CONSENT, "please tick both boxes.")
    if answers.problems or item is None:
        return Outcome(None, progress_comment(answers, None, author), None, answers)
    evidence = []
    for piece in values.get(fu.evidence) or []:
        url = str(piece.get("url") or "")
        linked = entry_of_link(url, slugs) if url else None
        if linked:
            evidence.append({fu.evidence_entry: linked})
        else:
            evidence.append({"source": str(piece.get("source") or url), **({"url": url} if url else {})})
    label = {a.question.field: a.label for a in elements}
    added = add_record(
        project,
        model,
        item,
        str(values[fu.status]),
        str(values["text"]),
        evidence,
        str(values["date"]),
        out,
    )
    if added.refusal:
        answers.problem("The answers", f"a maintainer needs to add this one by hand ({added.refusal}).")
    written = added.text.split("\n")
    for p in added.problems:
        if p.severity != "error":
            continue
        # the question is told by the key on the problem's line of the file
        line = written[p.line - 1] if 0 < p.line <= len(written) else ""
        key = line.strip().removeprefix("- ").split(":", 1)[0].strip()
        where = label.get(key) or (
            label.get(fu.evidence) if key in ("source", "url", fu.evidence_entry) else None
        )
        hint = f" ({p.hint})" if p.hint else ""
        # the question says where: not the record's place in the file
        message = re.sub(r"^follow-up '[^']*' ", "it ", re.sub(r" \(in '[^']*'\)", "", p.message))
        answers.problem(where or "The answers", f"{message}{hint}")
    if added.path is None:
        return Outcome(None, progress_comment(answers, None, author), None, answers)
    status_label = model.term_label(fu.vocabulary or "", str(values[fu.status]))
    done = (
        f"{_described(item)}, at `{item.address}`: {status_label.lower()}, "
        f"{plain_date(str(values['date'])) or values['date']}: {quote(str(values['text']), 200)}"
    )
    return Outcome(
        added.path,
        progress_comment(answers, done, author, quoted, project.relative(added.path)),
        item.entry.type,
        answers,
    )


def progress_comment(
    answers: Answers, done: str | None, author: str | None, quoted: bool = False, written: str = ""
) -> str:
    """The reply on the issue, in plain words."""
    who = f", @{author}" if author else ""
    if done:
        lines = [
            f"**Thank you{who}!** Your report is ready to be added to {done}",
            "",
            f"A pull request with it (`{written}`) follows; a maintainer checks what you named as "
            "evidence before it is published, and you are credited as the one who reported it.",
        ]
        if quoted:
            lines += [
                "",
                "We found the recommendation from the words you quoted: if it is not this one, edit "
                "the issue and paste the link of the # beside the right one.",
            ]
        return "\n".join(lines) + "\n"
    lines = [
        f"**Thank you{who}!** Before your report can be added, a few answers need a change.",
        "Edit the issue (its ⋯ menu, then *Edit*) and the hub reads it again.",
        "",
    ]
    lines += [f"- **{label}**: {message}" for label, message in answers.problems]
    return "\n".join(lines).strip() + "\n"
