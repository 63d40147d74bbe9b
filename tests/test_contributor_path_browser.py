"""A new contributor's whole path, from the site's own home page to a case study file that
`hub check` accepts, in the USB edition opened from the file system with no network: every
tap, typed answer and choice is one step, and these nine are enough."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from conftest import copy_project

from knowledgehub.model.project import Project
from knowledgehub.outputs.usb import build_usb

pytestmark = pytest.mark.browser

ROOT = Project.find()


@pytest.fixture(scope="module")
def usb(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("usb-path") / "hub-usb"
    assert build_usb(ROOT, out, quiet=True) == 0
    return out


def test_from_the_home_page_to_a_valid_case_study_in_few_steps(browser, usb, tmp_path):
    context = browser.new_context(accept_downloads=True, viewport={"width": 390, "height": 844})
    outside: list[str] = []

    def route(route):
        if route.request.url.startswith("file://"):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    context.route("**/*", route)
    page = context.new_page()
    steps: list[str] = []

    def step(what: str, action) -> None:
        steps.append(what)
        action()

    page.goto((usb / "index.html").as_uri())
    invite = page.get_by_role("link", name="Suggest a case study").first
    step("tap 'Suggest a case study' on the home page", invite.click)
    page.wait_for_function("() => !document.getElementById('hub-contribute').hidden")
    assert page.locator("#hub-cf-type").input_value() == "case-study"
    step("type the title", lambda: page.fill("#hub-cf-f-title", "Meters read by phone in Mangaung"))
    step(
        "type the summary",
        lambda: page.fill("#hub-cf-f-summary", "Readers photographed meters, and estimated bills fell."),
    )
    step("type the year", lambda: page.fill("#hub-cf-f-date-year", "2014"))
    step(
        "tick a theme",
        lambda: page.locator("#hub-cf-f-themes").get_by_label("Water loss and non-revenue water").check(),
    )
    step(
        "tap 'Add' under the documents",
        lambda: page.get_by_role("button", name="Add to which documents is it written from?").click(),
    )
    step("type the document's title", lambda: page.fill("#hub-cf-f-sources-0-title", "Metering report"))
    step(
        "write the context",
        lambda: page.fill("#hub-cf-f-body_Context", "Bills were estimated for most homes."),
    )
    assert page.locator("#hub-cf-problems").inner_text() == "Everything the library needs is there."
    with page.expect_download() as info:
        step("tap 'Download the file'", page.get_by_role("button", name="Download the file").click)
    name = info.value.suggested_filename
    text = Path(info.value.path()).read_text(encoding="utf-8")
    context.close()

    project = copy_project(tmp_path / "hub")
    (project / "content" / "case-studies" / name).write_text(text, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "knowledgehub.cli", "check"],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert outside == []
    # these steps are enough: a required question or a tap more and the form or the check refuses
    print(f"\n{len(steps)} steps from the home page to a valid case study:", *steps, sep="\n  ")
