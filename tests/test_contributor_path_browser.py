"""A new contributor's whole path, from the site's own home page to a case study file that
`hub check` accepts, in the USB edition opened from the file system with no network: every
tap, typed answer and choice is one step, and these nine are enough."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_contribute_form_browser import hub_check, offline, usb  # noqa: F401 (fixtures)

pytestmark = pytest.mark.browser


def test_from_the_home_page_to_a_valid_case_study_in_few_steps(offline, usb, tmp_path):  # noqa: F811
    page, outside, errors = offline
    page.set_viewport_size({"width": 390, "height": 844})
    steps: list[str] = []

    def step(what: str, action) -> None:
        steps.append(what)
        action()

    page.goto((usb / "index.html").as_uri())
    invite = page.get_by_role("link", name="Suggest a case study").first
    step("tap 'Suggest a case study' on the home page", invite.click)
    page.wait_for_url("**/contribute.html?*")
    page.wait_for_function("() => document.getElementById('hub-contribute')?.hidden === false")
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
        lambda: page.get_by_role("button", name="Add a document").click(),
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
    done = hub_check(tmp_path, "case-studies", name, text)
    assert done.returncode == 0, done.stdout + done.stderr
    assert outside == [] and errors == []
    # these steps are enough: a required question or a tap more and the form or the check refuses
    print(f"\n{len(steps)} steps from the home page to a valid case study:", *steps, sep="\n  ")
