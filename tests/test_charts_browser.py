"""A case study's indicators drawn as before/after charts, as a reader (and a
screen reader) meets them in the browser."""

import textwrap

import pytest
from conftest import serve_folder

from knowledgehub.model.project import Project
from knowledgehub.site.build import build_site

pytestmark = pytest.mark.browser

CASE = """
---
title: Pressure management in a test town
summary: Lower night pressure cut leaks.
date: "2013-05-01"
countries: [ZA]
themes: [water-loss]
challenges: [high-water-losses]
sources:
  - title: Test report
indicators:
  - {name: Non-revenue water, unit: "%", baseline: 42, baseline_year: 2010,
     value: 28, year: 2013, better: lower}
  - {name: Pipe bursts per month, unit: bursts, baseline: 120, value: 75, year: 2013, better: lower}
---
## Context

A fixture for the chart test.
"""


def test_each_chart_has_a_text_alternative(project_copy, browser):
    (project_copy / "content/case-studies/pressure-test.md").write_text(textwrap.dedent(CASE).lstrip())
    project = Project.find(config_file=project_copy / "mkdocs.yml")
    assert build_site(project, quiet=True) == 0
    base, server = serve_folder(project.site_dir)
    context = browser.new_context()
    try:
        p = context.new_page()
        p.goto(base + "case-studies/pressure-test/")
        charts = p.locator("figure.hub-chart svg[role=img]")
        assert charts.count() == 2
        for i in range(2):
            svg = charts.nth(i)
            ids = svg.get_attribute("aria-labelledby").split()
            names = [p.locator(f"#{x}").text_content() for x in ids]
            assert names[0] in ("Non-revenue water", "Pipe bursts per month")
            assert "before" in names[1] and "after" in names[1]
        # the accessible name Chromium computes for the first chart
        snapshot = p.locator("figure.hub-chart").first.aria_snapshot()
        assert "Non-revenue water" in snapshot
        text = p.locator(".hub-indicators").inner_text()
        assert "42" in text and "28" in text  # the numbers are also in a table
        assert "an improvement" in p.locator("figure.hub-chart figcaption").first.inner_text()
    finally:
        context.close()
        server.shutdown()
