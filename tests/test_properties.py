"""Robustness, property by property (Hypothesis): whatever an entry file holds,
the loader, the validator and the content policy answer with an entry or with
problems that name the file and a line of it — never a traceback, never a hang,
and never a silently accepted value of the wrong type.

The budget is fixed and the examples derandomized, so CI runs the same cases every
time; for a longer local hunt, HUB_HYPOTHESIS_EXAMPLES raises the budget and
HUB_HYPOTHESIS_RANDOM=1 draws new examples on every run.
Large files, deep nesting, alias bombs and object-constructing tags are tested
without timing: by what the loader does not do (read, expand, construct, call).
"""

from __future__ import annotations

import datetime
import functools
import math
import os
import re
import signal
import string
from pathlib import Path

import pycountry
import pytest
import yaml
from conftest import ROOT
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from knowledgehub.library import loader
from knowledgehub.library.loader import Entry, load_file, parse_front_matter
from knowledgehub.library.validate import Validator
from knowledgehub.model.content import field_at
from knowledgehub.model.problems import Problem
from knowledgehub.policy.check import PolicySettings, check_policy

EXAMPLES = int(os.environ.get("HUB_HYPOTHESIS_EXAMPLES", "150"))
BUDGET = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=not os.environ.get(
        "HUB_HYPOTHESIS_RANDOM"
    ),  # by default the same examples every run: CI is reproducible
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
)


@pytest.fixture(autouse=True)
def no_hang():
    """A property that runs for minutes has hung: fail it rather than wait."""

    def expired(signum, frame):
        raise TimeoutError("no answer within 300 s: the loader or validator hangs")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.alarm(300)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)


@pytest.fixture(scope="module")
def workdir(tmp_path_factory) -> Path:
    content = tmp_path_factory.mktemp("props") / "content"
    (content / "case-studies").mkdir(parents=True)
    return content


@pytest.fixture(scope="module")
def validator(model) -> Validator:
    return Validator(model)


def write_entry(content: Path, data: bytes, folder: str = "case-studies") -> Path:
    path = content / folder / "prop.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def file_lines(data: bytes) -> int:
    """How many lines the loader sees (it reads CRLF and a lone CR as line breaks)."""
    return data.replace(b"\r\n", b"\n").replace(b"\r", b"\n").count(b"\n") + 1


def answer(content: Path, model, validator, data: bytes, folder: str = "case-studies"):
    """Load and check one file; assert the answer is well formed; return (entry, errors)."""
    path = write_entry(content, data, folder)
    rel = f"{folder}/prop.md"
    result = load_file(path, content, model, rel)
    lines = file_lines(data)
    if isinstance(result, Entry):
        problems = list(result.problems) + validator.check_entry(result)
        # the policy also sweeps content/: only this file is there
        problems = [p for p in problems if p.path == rel or p.rule != "policy-config"]
    else:
        assert isinstance(result, list) and result, "an unreadable file must come with problems"
        problems = result
    for problem in problems:
        assert isinstance(problem, Problem)
        assert problem.path == rel, problem
        assert 1 <= problem.line <= lines, (problem, lines)
        assert problem.message and problem.rule
    errors = [p for p in problems if p.severity == "error"]
    return (result if isinstance(result, Entry) else None), errors


# -- an independent account of what the model allows --------------------------------------

COUNTRIES = {c.alpha_2 for c in pycountry.countries}


def valid_date(value) -> bool:
    if not isinstance(value, str) or not re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", value):
        return False
    parts = [int(p) for p in value.split("-")] + [1, 1]
    try:
        datetime.date(parts[0], parts[1], parts[2])
    except ValueError:
        return False
    return True


def conforms(model, f, value) -> bool:
    """Whether ``value`` is what field ``f`` asks for, worked out without the schema."""
    kind = f.kind
    if kind == "list":
        return (
            isinstance(value, list)
            and len(value) >= (f.min or 0)
            and all(conforms(model, f.of, v) for v in value)
        )
    if kind == "object":
        return isinstance(value, dict) and fields_conform(model, f.shape, value)
    if kind in ("string", "text"):
        return isinstance(value, str) and value != "" and (not f.values or value in f.values)
    if kind == "date":
        return valid_date(value)
    if kind == "url":
        return isinstance(value, str) and bool(
            re.fullmatch(r"https?://[^\s/$.?#]\S*|mailto:[^\s@]+@[^\s@]+", value)
        )
    if kind == "email":
        return isinstance(value, str) and bool(re.fullmatch(r"[^\s@]+@[^\s@]+\.[^\s@]+", value))
    if kind in ("integer", "number"):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return False
        if kind == "integer" and isinstance(value, float) and not value.is_integer():
            return False  # JSON Schema's integers include 2013.0, and so does the hub
        return math.isfinite(value) and (f.min is None or value >= f.min)
    if kind == "boolean":
        return isinstance(value, bool)
    if kind == "country":
        return value in COUNTRIES
    if kind in ("slug", "ref"):
        return isinstance(value, str) and bool(re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", value))
    if kind == "term":
        return isinstance(value, str) and value in model.vocabulary(f.target).terms
    raise AssertionError(f"unknown kind {kind}")


def fields_conform(model, fields, data) -> bool:
    return (
        isinstance(data, dict)
        and set(data) <= set(fields)
        and all(name in data for name, f in fields.items() if f.required)
        and all(conforms(model, fields[name], value) for name, value in data.items())
    )


# -- strategies ---------------------------------------------------------------------

YAML_TOKENS = [
    "title",
    "summary",
    "date",
    "themes",
    "sources",
    "items",
    "indicators",
    "place",
    "year",
    "url",
    ":",
    ": ",
    "- ",
    "\n",
    "  ",
    "    ",
    "[",
    "]",
    "{",
    "}",
    ",",
    "'",
    '"',
    "#",
    "|",
    ">",
    "? ",
    "...",
    "---",
    "&a ",
    "*a",
    "&b ",
    "*b",
    "<<: *a",
    "!!python/object/apply:os.system",
    "!!python/name:os.system",
    "!!binary",
    "!!set",
    "!!omap",
    "!!timestamp",
    "!Ref",
    "%YAML 1.2",
    "%TAG ! tag:x,2000:",
    "\t",
    "yes",
    "no",
    "NO",
    "on",
    "null",
    "~",
    "true",
    "2012-02-14",
    "2012-13-45",
    "1e3",
    "0x1F",
    "0o17",
    ".inf",
    ".nan",
    "-.inf",
    "1_000",
    "\\",
    "\\x00",
    "\ufeff",
    "é",
    "\u2028",
    "<script>",
    "javascript:",
    "&#106;",
    "water-loss",
    "ZA",
    "https://example.org/",
]
yamlish = st.lists(st.one_of(st.sampled_from(YAML_TOKENS), st.text(max_size=6)), max_size=60).map("".join)
body_text = st.lists(
    st.one_of(
        st.sampled_from(
            [
                "\n",
                "\n\n",
                "## ",
                "<",
                ">",
                "</",
                "<script>",
                "<img src=x onerror=y>",
                "[a](",
                ")",
                "![b](",
                "{: ",
                "}",
                "javascript:",
                "&#106;",
                "&amp;",
                "files/x.png",
                "../",
                "data:",
                "```",
                "<!--",
                "-->",
                "style=",
                "url(",
                "\r",
                "\ufeff",
            ]
        ),
        st.text(max_size=12),
    ),
    max_size=40,
).map("".join)
# within the model's limits (model/types.yml `limits`: numbers below 1e15); what lies beyond
# them is refused with file and line, which tests/test_limits.py shows
finite_floats = st.floats(min_value=-1e15, max_value=1e15, exclude_min=True, exclude_max=True, width=64)
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**12), 10**12),
    finite_floats,
    st.text(max_size=24),
    st.dates().map(str),
    st.sampled_from(["water-loss", "ZA", "IN", "mile", "https://example.org/", "recommendation", "2012-02"]),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)


def dump(data) -> str:
    # non-ASCII escaped: PyYAML's emitter writes some line-break characters (U+0085)
    # raw in plain keys, which no YAML reader gives back; the text strategies cover raw Unicode
    return yaml.safe_dump(data, allow_unicode=False, sort_keys=False, width=10**6)


def as_file(front: str, body: str) -> bytes:
    front = front if front.endswith("\n") or not front else front + "\n"
    return f"---\n{front}---\n{body}".encode("utf-8", "surrogatepass")


BASES = {
    "case-studies": {
        "title": "Leak detection in a test town",
        "summary": "What the town did.",
        "date": "2013-05-01",
        "countries": ["ZA"],
        "themes": ["water-loss"],
        "organisations": ["mile"],
        "place": {"city": "Durban", "country": "ZA"},
        "period": "2010-2013",
        "indicators": [
            {
                "name": "Non-revenue water",
                "unit": "%",
                "baseline": 40,
                "baseline_year": 2010,
                "value": 30,
                "year": 2013,
                "better": "lower",
            }
        ],
        "lessons": ["Measure first."],
        "sources": [{"title": "Town report", "year": 2013, "url": "https://example.org/report"}],
    },
    "workshops": {
        "title": "A workshop",
        "summary": "What the group said.",
        "date": "2012-05",
        "themes": ["coordination"],
        "questions": ["How?"],
        "sources": [{"title": "Minutes"}],
        "items": [
            {
                "id": "first",
                "kind": "recommendation",
                "text": "Do it.",
                "themes": ["coordination"],
                "actors": ["municipalities"],
            }
        ],
    },
    "courses": {
        "title": "A course",
        "summary": "What it teaches.",
        "provider": "mile",
        "themes": ["capacity-building"],
        "sources": [{"title": "Brochure"}],
        "certification": True,
        "capacity": 30,
        "sessions": [{"start": "2012-02-14", "end": "2012-02-15", "city": "Durban", "country": "ZA"}],
        "topics": ["Blue Drop"],
    },
}
TYPE_OF = {"case-studies": "case-study", "workshops": "workshop-outcome", "courses": "course"}


def paths_of(value, path=()):
    yield path
    if isinstance(value, dict):
        for key, item in value.items():
            yield from paths_of(item, path + (key,))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from paths_of(item, path + (index,))


def replaced(data, path, new):
    if not path:
        return new
    copy = dict(data) if isinstance(data, dict) else list(data)
    copy[path[0]] = replaced(copy[path[0]], path[1:], new)
    return copy


def deleted(data, path):
    holder = data
    for part in path[:-1]:
        holder = holder[part]
    return replaced(data, path[:-1], {k: v for k, v in holder.items() if k != path[-1]})


@st.composite
def mutated_entries(draw):
    folder = draw(st.sampled_from(sorted(BASES)))
    data = BASES[folder]
    for _ in range(draw(st.integers(1, 3))):
        candidates = [p for p in paths_of(data) if p]
        path = draw(st.sampled_from(candidates))
        action = draw(st.sampled_from(["replace", "replace", "delete", "add"]))
        if action == "replace":
            data = replaced(data, path, draw(values))
        elif action == "delete" and isinstance(path[-1], str):
            data = deleted(data, path)
        else:
            data = {
                **data,
                draw(st.text(alphabet=string.ascii_lowercase + "_", min_size=1, max_size=10)): draw(values),
            }
    return folder, data


# -- properties ------------------------------------------------------------------------


@BUDGET
@given(front=st.one_of(yamlish, st.text(max_size=200)), body=body_text)
def test_any_front_matter_text_gives_an_entry_or_problems(workdir, model, validator, front, body):
    answer(workdir, model, validator, as_file(front, body))


@BUDGET
@given(raw=st.binary(max_size=300))
def test_any_bytes_give_an_entry_or_problems(workdir, model, validator, raw):
    answer(workdir, model, validator, raw)
    answer(workdir, model, validator, b"---\n" + raw)


@BUDGET
@given(
    data=st.dictionaries(
        st.one_of(st.sampled_from(sorted(BASES["case-studies"])), st.text(max_size=10)), values, max_size=8
    ),
    body=body_text,
)
def test_any_data_dumped_as_yaml_reads_back_as_it_was(workdir, model, validator, data, body):
    raw = as_file(dump(data), body)
    entry, errors = answer(workdir, model, validator, raw)
    if b"\x00" in raw:
        assert entry is None, "a NUL byte makes it a binary file"
        return
    assert entry is not None, "plain data written by a YAML library must read back"
    assert entry.data == data
    if not errors:
        assert fields_conform(model, model.types["case-study"].fields, entry.data), entry.data


@BUDGET
@given(case=mutated_entries(), body=body_text)
def test_an_entry_passes_only_when_every_value_has_its_type(workdir, model, validator, case, body):
    folder, data = case
    raw = as_file(dump(data), body)
    entry, errors = answer(workdir, model, validator, raw, folder)
    if b"\x00" in raw:
        return
    assert entry is not None and entry.data == data
    if not errors:
        assert fields_conform(model, model.types[TYPE_OF[folder]].fields, data), data


@functools.lru_cache(maxsize=1)
def the_model():
    from knowledgehub.model.content import ContentModel

    return ContentModel.load(ROOT / "model")


@st.composite
def valid_variants(draw):
    """Valid entries that differ from the bases in their free text, numbers and optional fields."""
    model = the_model()
    folder = draw(st.sampled_from(sorted(BASES)))
    fields = model.types[TYPE_OF[folder]].fields
    data = BASES[folder]
    for _ in range(draw(st.integers(1, 5))):
        path = draw(st.sampled_from([p for p in paths_of(data) if p]))
        f = field_at(fields, path)
        if f is None:
            continue
        if isinstance(path[-1], str) and not f.required and draw(st.booleans()):
            data = deleted(data, path)
        elif f.kind in ("string", "text") and not f.values:
            data = replaced(
                data,
                path,
                draw(
                    st.text(min_size=1, max_size=40).filter(lambda v: v.strip() and not v.startswith("TODO"))
                ),
            )
        elif f.kind == "number":
            data = replaced(data, path, draw(st.one_of(st.integers(-(10**9), 10**9), finite_floats)))
        elif f.kind == "integer":
            data = replaced(data, path, draw(st.integers(int(f.min or 0), 10**6)))
    return folder, data


@BUDGET
@given(case=st.one_of(valid_variants(), mutated_entries()))
def test_an_entry_that_passes_always_renders(workdir, model, validator, case):
    folder, data = case
    entry, errors = answer(workdir, model, validator, as_file(dump(data), "## Body\n"), folder)
    assume(entry is not None and not errors)
    render(model, entry)


def render(model, entry):
    from knowledgehub.library.catalog import Catalog
    from knowledgehub.site.render import Renderer

    catalog = Catalog(model, [entry])
    renderer = Renderer(catalog, ROOT / "overrides" / "hub")
    head, foot = renderer.render_entry(catalog.entries[0], catalog.entries[0].url())
    assert str(head) and str(foot)


def test_an_indicator_without_baseline_year_renders(workdir, model, validator):
    # found by the property above: baseline_year is optional, and once stopped the build
    data = {
        **BASES["case-studies"],
        "indicators": [
            {k: v for k, v in BASES["case-studies"]["indicators"][0].items() if k != "baseline_year"}
        ],
    }
    entry, errors = answer(workdir, model, validator, as_file(dump(data), "## Body\n"))
    assert errors == []
    render(model, entry)


def test_the_unmutated_bases_are_valid(workdir, model, validator):
    # the property above would prove little if its starting points were invalid
    for folder, data in BASES.items():
        entry, errors = answer(workdir, model, validator, as_file(dump(data), "## Body\n"), folder)
        assert errors == [], errors


@BUDGET
@given(body=body_text, value=st.text(max_size=40))
def test_the_policy_answers_any_body_and_value_with_lines_of_the_file(workdir, model, body, value):
    data = {**BASES["case-studies"], "title": value or "x"}
    raw = as_file(dump(data), body)
    path = write_entry(workdir, raw)
    entry = load_file(path, workdir, model, "case-studies/prop.md")
    if not isinstance(entry, Entry):
        return
    lines = file_lines(raw)
    for problem in check_policy(entry, model, PolicySettings()):
        assert problem.path == "case-studies/prop.md" and 1 <= problem.line <= lines, problem


@pytest.mark.parametrize("value", [".nan", ".inf", "-.inf"])
def test_non_finite_numbers_are_refused(workdir, model, validator, value):
    text = dump(BASES["case-studies"]).replace("baseline: 40", f"baseline: {value}")
    entry, errors = answer(workdir, model, validator, as_file(text, ""))
    assert errors, "a number that is not finite must be an error"


@pytest.mark.parametrize("line", ["indicators: 1", "indicators: true", "sessions: 5", "sessions: 2.5"])
def test_a_scalar_where_a_list_belongs_is_a_problem_not_a_crash(workdir, model, validator, line):
    folder = "case-studies" if line.startswith("indicators") else "courses"
    text = dump({k: v for k, v in BASES[folder].items() if k not in ("indicators", "sessions")}) + line + "\n"
    entry, errors = answer(workdir, model, validator, as_file(text, ""), folder)
    assert any(p.rule == "type" for p in errors)


# -- hostile YAML, refused without doing the work ----------------------------------------


@pytest.fixture
def constructions(monkeypatch):
    """Counts the scalars the loader constructs."""
    count = {"n": 0}
    real = loader._SCALARS.construct_object

    def counting(node, *args, **kwargs):
        count["n"] += 1
        return real(node, *args, **kwargs)

    monkeypatch.setattr(loader._SCALARS, "construct_object", counting)
    return count


def test_billion_laughs_is_refused_before_any_expansion(constructions):
    lines = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 12)]
    data, _, problems = parse_front_matter("\n".join(lines) + "\n", "f.md")
    # the line of the anchor (2) or of its first use (3)
    assert data is None and "aliases" in problems[0].message and problems[0].line in (2, 3)
    assert constructions["n"] <= 9, "the aliases were followed"


@pytest.mark.parametrize("depth", [13, 50, 999, 5000, 300_000])
def test_deep_nesting_is_refused_without_constructing_anything(constructions, depth):
    for text in (
        "x: " + "[" * depth + "1" + "]" * depth + "\n",
        "x: " + "{a: " * depth + "1" + "}" * depth + "\n",
    ):
        data, _, problems = parse_front_matter(text, "f.md")
        assert data is None and len(problems) == 1 and "nest" in problems[0].message, problems
        assert constructions["n"] == 0


def test_a_huge_file_is_refused_without_being_read(tmp_path, model, monkeypatch):
    path = write_entry(tmp_path / "content", b"")
    with open(path, "wb") as handle:
        handle.write(b"---\ntitle: x\n---\n")
        handle.truncate(loader.MAX_BYTES + 1)  # sparse
    monkeypatch.setattr(Path, "read_bytes", lambda self: pytest.fail("a file over the limit was read"))
    result = load_file(path, tmp_path / "content", model)
    assert isinstance(result, list) and "too large" in result[0].message and result[0].line == 1


@pytest.mark.parametrize(
    "value",
    [
        "!!python/object/apply:os.system ['echo pwned']",
        "!!python/object/new:os.system ['echo pwned']",
        "!!python/name:os.system",
        "!!python/module:os",
        "!!python/object:builtins.object {}",
        "!!binary aGVsbG8=",
        "!!set {a, b}",
        "!!omap [a: 1]",
        "!!timestamp 2012-02-14",
        "!Ref other",
        "!<tag:yaml.org,2002:python/object/apply:os.system> ['echo pwned']",
    ],
)
def test_tags_that_construct_objects_are_refused_and_nothing_runs(constructions, monkeypatch, value):
    calls = []
    monkeypatch.setattr(os, "system", lambda *a: calls.append(a) or 0)
    data, _, problems = parse_front_matter(f"title: ok\nx: {value}\n", "f.md")
    # the tagged value is left out on its line; the rest is read
    assert data == {"title": "ok"} and len(problems) == 1
    assert problems[0].line == 3 and "not allowed" in problems[0].message
    assert calls == []
    assert constructions["n"] <= 1  # at most 'ok', before the tag was met
