"""The MkDocs internals the parallel render uses are used only with the MkDocs they were
written for: another version, or a missing name, stops the build with one clear line."""

from __future__ import annotations

import os

import mkdocs
import pytest
from mkdocs.commands import build as mkdocs_build
from mkdocs.exceptions import Abort
from mkdocs.structure.pages import Page

from knowledgehub.model.project import Project
from knowledgehub.site import mkdocs_private
from knowledgehub.site.build import build_site
from knowledgehub.site.parallel import ParallelRender


def test_the_installed_mkdocs_is_one_the_internals_were_written_for():
    assert mkdocs_private.problem() is None
    populate_page, build_page = mkdocs_private.page_builders()
    assert populate_page is mkdocs_build._populate_page
    assert build_page is mkdocs_build._build_page


@pytest.mark.parametrize("version", ["1.7.0", "2.0.0", "1.5.3", "1.7.0rc1"])
def test_another_mkdocs_version_stops_the_parallel_render_with_one_line(monkeypatch, version):
    monkeypatch.setattr(mkdocs, "__version__", version)
    with pytest.raises(Abort) as raised:
        mkdocs_private.require()
    message = str(raised.value)
    assert f"MkDocs {version} is installed" in message
    assert "mkdocs>=1.6,<1.7" in message
    assert "HUB_RENDER_WORKERS=0" in message
    assert "\n" not in message
    with pytest.raises(Abort):
        mkdocs_private.page_builders()
    with pytest.raises(Abort):
        ParallelRender(["case-studies/a.md"], 2)


@pytest.mark.parametrize("version", ["1.6.0", "1.6.1", "1.6.9"])
def test_every_1_6_release_is_accepted(monkeypatch, version):
    monkeypatch.setattr(mkdocs, "__version__", version)
    assert mkdocs_private.problem() is None


@pytest.mark.parametrize("name", ["_build_page", "_populate_page"])
def test_a_missing_private_function_is_named(monkeypatch, name):
    monkeypatch.delattr(mkdocs_build, name)
    with pytest.raises(Abort) as raised:
        mkdocs_private.page_builders()
    message = str(raised.value)
    assert f"mkdocs.commands.build.{name}" in message
    assert mkdocs.__version__ in message
    assert "\n" not in message


def test_a_missing_page_method_is_named(monkeypatch):
    monkeypatch.delattr(Page, "validate_anchor_links")
    with pytest.raises(Abort) as raised:
        mkdocs_private.require()
    assert "Page.validate_anchor_links" in str(raised.value)


@pytest.mark.skipif(not hasattr(os, "fork"), reason="workers are forked")
def test_a_parallel_build_on_another_mkdocs_fails_without_a_traceback(
    project_copy, tmp_path, monkeypatch, capsys
):
    monkeypatch.setattr(mkdocs, "__version__", "1.7.0")
    monkeypatch.setenv("HUB_RENDER_WORKERS", "2")
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("the previous site")
    assert build_site(Project.find(config_file=project_copy / "mkdocs.yml"), site_dir=site) == 1
    err = capsys.readouterr().err
    assert "MkDocs 1.7.0 is installed" in err
    assert "Traceback" not in err
    assert (site / "index.html").read_text() == "the previous site"
    # serially, the internals are not needed: the same MkDocs builds the site
    monkeypatch.setenv("HUB_RENDER_WORKERS", "0")
    assert build_site(Project.find(config_file=project_copy / "mkdocs.yml"), site_dir=site) == 0
