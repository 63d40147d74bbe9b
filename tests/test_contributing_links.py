"""CONTRIBUTING.md speaks of the repository mkdocs.yml configures (``repo_url``): the clone
line and every link to the repository use it, no ``<...>`` placeholder is left for the
reader to fill, and the ways to contribute without git come first."""

from __future__ import annotations

import re

import yaml
from conftest import ROOT

GUIDE = ROOT / "CONTRIBUTING.md"


class _Config(yaml.SafeLoader):
    """mkdocs.yml as the repository has it: ``!ENV [NAME, default]`` is its default."""


_Config.add_constructor("!ENV", lambda loader, node: loader.construct_scalar(node.value[-1]))
_Config.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)


def repo_url() -> str:
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_Config)
    return str(config["repo_url"]).rstrip("/")


def problems(text: str, url: str) -> list[str]:
    """What is wrong with the guide ``text`` for the repository at ``url``."""
    found = []
    if not re.search(rf"^git clone {re.escape(url)}(\.git)? \S+$", text, re.M):
        found.append("the clone line does not use repo_url")
    host = re.match(r"^https?://[^/]+", url).group(0)
    for link in re.findall(r"\]\((https?://[^)\s]+)\)|<(https?://[^>\s]+)>", text):
        address = link[0] or link[1]
        if address.startswith(host) and not address.startswith(url + "/") and address != url:
            found.append(f"{address} is not under repo_url")
    for placeholder in re.findall(r"<(?!!--)(?!https?://)[^>\n]*>", text):
        found.append(f"placeholder {placeholder}")
    return found


def test_contributing_uses_the_configured_repository():
    text = GUIDE.read_text(encoding="utf-8")
    url = repo_url()
    assert url.startswith("https://")
    assert problems(text, url) == []
    assert f"{url}/issues/new/choose" in text


def test_the_check_finds_another_repository_and_placeholders():
    text = GUIDE.read_text(encoding="utf-8")
    assert "the clone line does not use repo_url" in problems(text, "https://github.com/someone/else")
    broken = text.replace(f"git clone {repo_url()}", "git clone <the repository's URL>", 1)
    assert any(p.startswith("placeholder") for p in problems(broken, repo_url()))
    moved = text.replace(f"{repo_url()}/issues/new/choose", "https://github.com/old/place/issues/new/choose")
    assert any("is not under repo_url" in p for p in problems(moved, repo_url()))


def test_the_ways_without_git_come_first():
    top = GUIDE.read_text(encoding="utf-8").split("\n## ", 1)[0]
    assert "`contribute/`" in top
    assert "/issues/new/choose" in top and "attach the report" in top
    assert "e-mail to the editors" in top.lower()
    assert top.index("Contribute* page") < top.index("**With git**")
