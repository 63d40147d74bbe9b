"""What the policy reports, and how: ``Finding``, the elements it refuses with what it
says of each, what it says of a refused address scheme, and each problem said once."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from knowledgehub.model.problems import Problem
from knowledgehub.policy.settings import LINK_SCHEMES

_EXTERNAL_HINT = (
    "pages load nothing from outside the site: save the file in content/ and refer to it by a relative path"
)

_SCRIPT = {"script"}
_FRAMES = {"iframe", "frame", "frameset", "portal"}
_OBJECTS = {"object", "embed", "applet"}
_TAKEOVER = {
    "base": "it changes where every link on the page goes",
    "meta": "it can redirect the page or change how it is read",
    "link": "it loads a resource into the page",
    "style": "it restyles the whole page",
    "form": "it sends what readers type somewhere else",
}
_REFUSED_TAGS = _SCRIPT | _FRAMES | _OBJECTS | set(_TAKEOVER)


@dataclass(frozen=True)
class Finding:
    line: int  # relative to the text that was scanned, from 1
    rule: str
    message: str
    hint: str = ""


def _tag_finding(tag: str, line: int) -> Finding | None:
    if tag in _SCRIPT:
        return Finding(
            line,
            "policy-script",
            "a <script> element is not allowed",
            "entries may not run scripts: remove it",
        )
    article = "an" if tag[0] in "aeiou" else "a"
    if tag in _FRAMES:
        return Finding(
            line,
            "policy-frame",
            f"{article} <{tag}> element is not allowed",
            "link to the page instead: [its title](https://...)",
        )
    if tag in _OBJECTS:
        return Finding(
            line, "policy-object", f"{article} <{tag}> element is not allowed", "link to the file instead"
        )
    if tag in _TAKEOVER:
        return Finding(
            line, "policy-html", f"a <{tag}> element is not allowed: {_TAKEOVER[tag]}", "remove it"
        )
    return None


def _scheme_finding(scheme: str, line: int) -> Finding:
    if scheme in ("javascript", "vbscript", "livescript"):
        return Finding(
            line,
            "policy-url-scheme",
            f"a '{scheme}:' address is not allowed: it runs script",
            "link to an http:// or https:// address",
        )
    if scheme == "data":
        return Finding(
            line,
            "policy-url-scheme",
            "a 'data:' address is not allowed",
            "put the file in content/ and refer to it by a relative path",
        )
    return Finding(
        line,
        "policy-url-scheme",
        f"'{scheme}:' addresses are not allowed",
        f"use {', '.join(s + ':' for s in LINK_SCHEMES)} addresses, or a relative path to a file in content/",
    )


def _unique(findings: Iterable[Problem]) -> list[Problem]:
    """Each problem once (the checks overlap on purpose, and say the same thing the same way)."""
    seen: set[tuple[int, str, str]] = set()
    out = []
    for problem in findings:
        key = (problem.line, problem.rule, problem.message)
        if key not in seen:
            seen.add(key)
            out.append(problem)
    return out
