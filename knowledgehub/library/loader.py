"""Reading entries: front matter (with the line of every key) and body.

The loader never raises on bad input: every file yields either an ``Entry`` or
``Problem``s with the file and line, so that all mistakes are reported at once.
Front matter is parsed with a safe YAML loader that constructs only plain data
(no Python objects), keeps dates as written, reads ``no``/``yes`` as text and
refuses anchors and aliases.

A value past a limit is left out of the entry, with a problem on its line, and the rest
of the file is still checked; so is the front matter of a body past a limit. Only what
leaves the rest unreadable (YAML syntax, anchors and aliases, nesting past the limit) ends
the file, and its problem says so.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import frontmatter
import yaml

from knowledgehub.library.limits import (
    body_refusal,
    digits_hint,
    field_name,
    number_refusal,
    too_many_digits,
)
from knowledgehub.model.content import Limits
from knowledgehub.model.problems import Problem

MAX_BYTES = 1_000_000
MAX_DEPTH = 12
BOM = "\ufeff"
_DEFAULT_LIMITS = Limits()  # a model without a limits section


class EntryLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """Safe loader (libyaml's when available, for speed) whose implicit types are
    YAML 1.2's core: dates stay text, 'no' is not False."""


EntryLoader.yaml_implicit_resolvers = {}
for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items():
    kept = [
        (tag, rx)
        for tag, rx in resolvers
        if tag not in ("tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:bool")
    ]
    if kept:
        EntryLoader.yaml_implicit_resolvers[first] = kept
EntryLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


@dataclass
class Entry:
    path: Path  # absolute
    rel: str  # as shown in messages (relative to the project root)
    src_uri: str  # relative to the content folder, with forward slashes
    type: str
    slug: str
    data: dict[str, Any]
    lines: dict[tuple, int]  # path of a value in the front matter → its line
    body: str
    body_line: int  # line where the body starts
    problems: list[Problem] = field(default_factory=list)
    # paths of the front-matter values refused on their line and left out of ``data``
    left_out: list[tuple] = field(default_factory=list)
    body_refused: bool = False  # past a limit: ``body`` is left empty, neither rendered nor judged

    def line(self, *path: Any) -> int:
        """The line of the value at ``path`` (or of the nearest enclosing value)."""
        key = tuple(path)
        while key:
            if key in self.lines:
                return self.lines[key]
            key = key[:-1]
        return 1

    @property
    def draft(self) -> bool:
        return self.data.get("status") == "draft"

    def without_echoes(self, problems: list[Problem]) -> list[Problem]:
        """``problems`` of the checks that follow loading, less the ones a left-out value
        causes: a value refused on its line is not reported missing as well (nor its list
        as too short)."""
        if not self.left_out:
            return problems
        missing: set[str] = set()
        lists: set[str] = set()
        for path in self.left_out:
            parent, last = path[:-1], path[-1]
            if isinstance(last, int):
                lists.add(field_name(parent))
            else:
                missing.add(
                    f"missing required field '{last}'" + (f" in {field_name(parent)}" if parent else "")
                )
        return [p for p in problems if p.rule != "required" or not _echoes(p.message, missing, lists)]


def _echoes(message: str, missing: set[str], lists: set[str]) -> bool:
    if message in missing:
        return True
    # "'sources' needs at least 1 value": the name is quoted first
    return message.startswith("'") and message[1 : message.find("'", 1)] in lists


def read_text(path: Path, rel: str) -> tuple[str | None, list[Problem]]:
    """The file's text, normalised, and problems with its encoding."""
    problems: list[Problem] = []
    try:
        if path.is_symlink():
            problems.append(
                Problem(
                    rel,
                    1,
                    "entry files must not be symbolic links",
                    "copy the file into content/ instead",
                    "file",
                )
            )
            return None, problems
        size = path.stat().st_size
        if size > MAX_BYTES:
            return None, [
                Problem(
                    rel,
                    1,
                    f"file is too large ({size:,} bytes; the limit is {MAX_BYTES:,})",
                    "split it, or move attachments out of the text",
                    "file",
                )
            ]
        raw = path.read_bytes()
    except OSError as exc:
        return None, [Problem(rel, 1, f"cannot read the file: {exc.strerror or exc}", rule="file")]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return None, [
            Problem(
                rel,
                line,
                f"file is not valid UTF-8 (byte 0x{raw[exc.start]:02x} at offset {exc.start})",
                "save the file with UTF-8 encoding",
                "encoding",
            )
        ]
    if text.startswith(BOM):
        problems.append(
            Problem(
                rel, 1, "file starts with a byte-order mark (BOM)", "save as UTF-8 without BOM", "encoding"
            )
        )
        text = text[1:]
    if "\r" in text:
        line = text[: text.index("\r")].count("\n") + 1
        problems.append(
            Problem(
                rel,
                line,
                "file has Windows (CRLF) or old Mac (CR) line endings",
                "convert line endings to LF; git does it with core.autocrlf=input",
                "encoding",
            )
        )
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        return None, problems + [
            Problem(rel, line, "file contains a NUL byte; it looks like a binary file", rule="encoding")
        ]
    return text, problems


def split_front_matter(text: str) -> tuple[str, str, int] | None:
    """(front matter, body, line of the body's first non-blank line) or None when there is none."""
    if not text.startswith("---\n") and text.rstrip("\n") != "---":
        return None
    handler = frontmatter.YAMLHandler()
    if not handler.detect(text):
        return None
    closing = re.search(r"^-{3,}[ \t]*$", text[4:], re.MULTILINE)
    if closing is None:
        return None
    fm = text[4 : 4 + closing.start()]
    rest = text[4 + closing.end() :]
    if rest.startswith("\n"):
        rest = rest[1:]
    body = rest.lstrip("\n")
    body_offset = len(text) - len(body)
    body_line = text.count("\n", 0, body_offset) + 1
    return fm, body, body_line


def parse_front_matter(
    fm: str, rel: str, first_line: int = 2, limits: Limits = _DEFAULT_LIMITS
) -> tuple[dict | None, dict[tuple, int], list[Problem]]:
    """Parse YAML front matter safely. Lines in the result count from ``first_line``.
    A number past ``limits`` is refused on its line before Python reads it."""
    data, lines, problems, _left_out = read_front_matter(fm, rel, first_line, limits)
    return data, lines, problems


def read_front_matter(
    fm: str, rel: str, first_line: int = 2, limits: Limits = _DEFAULT_LIMITS
) -> tuple[dict | None, dict[tuple, int], list[Problem], list[tuple]]:
    """(data, line of every value, problems, paths of the values left out). A value that
    cannot be taken (past a limit, unreadable, tagged, under a key that is not text) is
    left out with a problem on its line; data is None only when the front matter as a
    whole cannot be read (YAML syntax, anchors and aliases, nesting past the limit), and
    that problem says the rest was not checked."""
    offset = first_line - 1
    loader = EntryLoader(fm)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = (mark.line + 1 + offset) if mark else first_line
        problem = (exc.problem or exc.context or "invalid YAML").strip()
        hint = _ends_file(_yaml_hint(problem))
        return None, {}, [Problem(rel, line, f"malformed YAML in front matter: {problem}", hint, "yaml")], []
    except yaml.YAMLError as exc:
        message = f"malformed YAML in front matter: {exc}"
        return None, {}, [Problem(rel, first_line, message, _ends_file(""), "yaml")], []
    except RecursionError:
        return None, {}, [_too_deep(rel, first_line)], []
    finally:
        loader.dispose()
    if node is None:
        return {}, {}, [], []

    lines: dict[tuple, int] = {}
    problems: list[Problem] = []
    left_out: list[tuple] = []
    seen: set[int] = set()

    def leave_out(path: tuple, line: int, message: str, hint: str, rule: str = "yaml") -> object:
        problems.append(Problem(rel, line, message, hint, rule))
        left_out.append(path)
        return _LEFT_OUT

    def walk(n: yaml.Node, path: tuple, depth: int, used_at: int | None = None) -> Any:
        line = n.start_mark.line + 1 + offset
        if id(n) in seen:
            raise _Refused(
                used_at or line,
                "YAML anchors and aliases (&name / *name) are not allowed in front matter",
                "write the value out in full",
            )
        seen.add(id(n))
        if depth > MAX_DEPTH:
            raise _Refused(line, f"front matter is nested more than {MAX_DEPTH} levels deep", "")
        if n.tag not in _PLAIN_TAGS:
            return leave_out(
                path,
                line,
                f"YAML tag '{n.tag}' is not allowed in front matter",
                "remove the tag; only plain values are accepted",
            )
        if isinstance(n, yaml.MappingNode):
            result: dict = {}
            for key_node, value_node in n.value:
                key_line = key_node.start_mark.line + 1 + offset
                if not isinstance(key_node, yaml.ScalarNode):
                    problems.append(Problem(rel, key_line, "a field name must be plain text", "", "yaml"))
                    continue
                if key_node.tag == "tag:yaml.org,2002:merge":
                    problems.append(
                        Problem(
                            rel,
                            key_line,
                            "YAML merge keys (<<) are not allowed in front matter",
                            "write the fields out in full",
                            "yaml",
                        )
                    )
                    continue
                key = key_node.value
                key_path = path + (key,)
                if key_path in lines:
                    problems.append(
                        Problem(rel, key_line, f"field '{key}' is given twice", "keep one of them", "yaml")
                    )
                lines[key_path] = key_line
                if (
                    value_node.tag == _STR
                    and type(value_node) is _SCALAR
                    and id(value_node) not in seen
                    and depth < MAX_DEPTH
                ):
                    # plain text, the most common value: what walk() would do, without the call
                    seen.add(id(value_node))
                    result[key] = value_node.value
                else:
                    value = walk(value_node, key_path, depth + 1, key_line)
                    if value is _LEFT_OUT:
                        result.pop(key, None)  # given twice: neither value is taken
                    else:
                        result[key] = value
            return result
        if isinstance(n, yaml.SequenceNode):
            items = []
            for item in n.value:
                # positions count the items kept, so that a value's path finds its line
                item_path = path + (len(items),)
                lines[item_path] = item.start_mark.line + 1 + offset
                if item.tag == _STR and type(item) is _SCALAR and id(item) not in seen and depth < MAX_DEPTH:
                    seen.add(id(item))
                    items.append(item.value)
                    continue
                value = walk(item, item_path, depth + 1)
                if value is _LEFT_OUT:
                    del lines[item_path]
                else:
                    items.append(value)
            return items
        if n.tag == "tag:yaml.org,2002:str":
            return n.value
        at = used_at or line
        if n.tag == _INT and too_many_digits(n.value, limits):
            return leave_out(
                path, at, "a whole number has too many digits", digits_hint(limits), "limit-number"
            )
        try:
            value = _SCALARS.construct_object(n)
        except yaml.YAMLError as exc:
            return leave_out(path, line, f"cannot read value: {getattr(exc, 'problem', exc)}", "")
        except (ValueError, OverflowError) as exc:
            return leave_out(path, at, f"cannot read number '{n.value[:40]}': {exc}", "", "limit-number")
        except KeyError:
            kind = n.tag.rsplit(":", 1)[-1]
            return leave_out(path, at, f"cannot read '{n.value[:40]}' as {kind}", "remove the tag")
        if isinstance(value, float) and not math.isfinite(value):
            return leave_out(
                path,
                line,
                f"'{n.value[:40]}' is not a number a reader can use",
                "write a finite number, or leave the field out",
            )
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            refusal = number_refusal(value, limits)
            if refusal:
                return leave_out(
                    path, at, f"'{n.value[:40]}' {refusal}", "write a smaller unit", "limit-number"
                )
        return value

    try:
        data = walk(node, (), 0)
    except _Refused as refused:
        hint = _ends_file(refused.hint)
        return None, {}, problems + [Problem(rel, refused.line, refused.message, hint, refused.rule)], []
    except RecursionError:
        return None, {}, problems + [_too_deep(rel, first_line)], []
    if not isinstance(data, dict):
        return (
            None,
            {},
            problems
            + [
                Problem(
                    rel,
                    first_line,
                    "front matter must be a mapping of fields (name: value)",
                    _ends_file("start each line with a field name followed by ':'"),
                    "yaml",
                )
            ],
            [],
        )
    return data, lines, problems, left_out


def _ends_file(hint: str) -> str:
    """The hint of a problem after which nothing more of the file could be read."""
    return f"{hint}; the rest of the file was not checked" if hint else "the rest of the file was not checked"


def _too_deep(rel: str, line: int) -> Problem:
    return Problem(rel, line, "front matter is nested too deeply", _ends_file(""), "yaml")


_LEFT_OUT = object()  # what the walk gives for a value it refused


_STR = "tag:yaml.org,2002:str"
_INT = "tag:yaml.org,2002:int"
_SCALAR = yaml.ScalarNode
_PLAIN_TAGS = {f"tag:yaml.org,2002:{name}" for name in ("str", "int", "float", "bool", "null", "map", "seq")}


class _Refused(Exception):
    def __init__(self, line: int, message: str, hint: str, rule: str = "yaml"):
        self.line, self.message, self.hint, self.rule = line, message, hint, rule


class _Constructor(EntryLoader):
    """A bare constructor for single scalar nodes (no stream)."""

    def __init__(self):  # noqa: D401 - no stream needed to construct scalars
        yaml.constructor.SafeConstructor.__init__(self)


_SCALARS = _Constructor()


def _yaml_hint(problem: str) -> str:
    if "mapping values are not allowed" in problem:
        return "a value containing ': ' must be quoted"
    if "found character '\\t'" in problem:
        return "indent with spaces, not tabs"
    if "could not find expected ':'" in problem:
        return "each field needs 'name: value'"
    if "expected <block end>" in problem:
        return "check the indentation of this line and the one before"
    return ""


def load_file(path: Path, content_dir: Path, model, rel: str | None = None) -> Entry | None | list[Problem]:
    """Load one entry file.

    Returns the Entry (whose ``problems`` lists what loading found), a list of
    problems when the file could not be read at all, or None when the file is not
    an entry (outside every type's folder).
    """
    path = Path(path)
    src_uri = path.relative_to(content_dir).as_posix()
    rel = rel or src_uri
    top = src_uri.split("/", 1)[0]
    ctype = model.type_by_folder.get(top)
    if ctype is None or "/" not in src_uri:
        return None
    slug = path.stem
    text, problems = read_text(path, rel)
    if text is None:
        return problems
    if not text.strip():
        return problems + [
            Problem(rel, 1, "file is empty", f"start from a template: hub new {ctype.name}", "file")
        ]
    split = split_front_matter(text)
    if split is None:
        return problems + [
            Problem(
                rel,
                1,
                "no front matter: an entry must start with a line '---', its fields, and another '---'",
                f"start from a template: hub new {ctype.name}",
                "file",
            )
        ]
    fm, body, body_line = split
    limits = model.limits
    # before anything parses the body: Markdown and HTML parsers take time that grows
    # faster than the depth of nesting or the length of a tag. A body past a limit is
    # left out of the entry; its front matter is still checked.
    refused = body_refusal(body, limits)
    if refused is not None:
        at, message, hint, rule = refused
        problems.append(Problem(rel, body_line + at - 1, message, hint, rule))
    data, lines, yaml_problems, left_out = read_front_matter(fm, rel, limits=limits)
    problems += yaml_problems
    if data is None:
        return problems
    return Entry(
        path,
        rel,
        src_uri,
        ctype.name,
        slug,
        data,
        lines,
        "" if refused else body,
        body_line,
        problems,
        left_out,
        refused is not None,
    )
