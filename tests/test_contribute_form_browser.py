"""The contribute page as a contributor meets it: at a workshop with no internet, from the
USB edition opened from the file system, and on the hosted site on a phone."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import yaml
from conftest import copy_project

from knowledgehub.model.project import Project
from knowledgehub.outputs.usb import build_usb

pytestmark = pytest.mark.browser

ROOT = Project.find()
TITLE = "Night-time pressure management in Drakenstein: 30% less water lost"


@pytest.fixture(scope="module")
def usb(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("usb-contribute") / "hub-usb"
    assert build_usb(ROOT, out, quiet=True) == 0
    return out


@pytest.fixture
def offline(browser):
    """A page that may open files only: any other request is aborted and recorded."""
    context = browser.new_context(accept_downloads=True)
    outside: list[str] = []

    def route(route):
        if route.request.url.startswith("file://"):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    context.route("**/*", route)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    yield page, outside, errors
    context.close()


def open_form(page, usb: Path, query: str) -> None:
    page.goto((usb / "contribute.html").as_uri() + query)
    page.wait_for_function("() => !document.getElementById('hub-contribute').hidden")


def download(page) -> tuple[str, str]:
    with page.expect_download() as info:
        page.get_by_role("button", name="Download the file").click()
    return info.value.suggested_filename, Path(info.value.path()).read_text(encoding="utf-8")


def front_matter(text: str) -> dict:
    assert text.startswith("---\n")
    return yaml.safe_load(text.split("---\n", 2)[1])


def fill_case_study(page) -> None:
    page.fill("#hub-cf-f-title", TITLE)
    page.fill(
        "#hub-cf-f-summary", 'Lower pressure at night cut "water lost" from 42% to 29%: a city\'s #1 lesson.'
    )
    page.fill("#hub-cf-f-date-year", "2013")
    page.select_option("#hub-cf-f-date-month", label="May")
    page.fill("#hub-cf-f-countries", "South Africa")  # by name, from the list
    page.keyboard.press("Enter")
    page.locator("#hub-cf-f-themes").get_by_label("Water loss and non-revenue water").check()
    page.get_by_role("button", name="Add a document").click()
    page.fill("#hub-cf-f-sources-0-title", "Drakenstein water demand report: 2010-2013")
    page.fill("#hub-cf-f-sources-0-year", "2014")
    page.fill("#hub-cf-f-body_Context", "Drakenstein lost 42% of its water.\n\nPressure was high at night.")


def hub_check(tmp_path: Path, folder: str, name: str, text: str) -> subprocess.CompletedProcess:
    project = copy_project(tmp_path / "hub")
    (project / "content" / folder / name).write_text(text, encoding="utf-8")
    return subprocess.run(
        [sys.executable, "-m", "knowledgehub.cli", "check"],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_a_case_study_written_offline_passes_the_check_unchanged(offline, usb, tmp_path):
    page, outside, errors = offline
    open_form(page, usb, "?type=case-study&challenges=high-water-losses")
    # the address chose the type and the challenge, as "Share what worked" links do
    assert page.locator("#hub-cf-type").input_value() == "case-study"
    assert page.locator("#hub-cf-f-challenges").get_by_label("High water losses").is_checked()
    fill_case_study(page)
    assert "South Africa" in page.locator("#hub-cf-f-countries-chosen").inner_text()
    # the preview reads as the entry will, with what was typed as text
    preview = page.locator("#hub-cf-preview")
    assert TITLE in preview.inner_text() and "May 2013" in preview.inner_text()
    assert page.locator("#hub-cf-problems").inner_text() == "Everything the library needs is there."

    name, text = download(page)
    slug = "night-time-pressure-management-in-drakenstein-30-less-water-lost"
    assert name == f"{slug}.md"
    data = front_matter(text)
    assert data["title"] == TITLE and data["date"] == "2013-05" and data["countries"] == ["ZA"]
    assert data["themes"] == ["water-loss"] and data["challenges"] == ["high-water-losses"]
    assert data["sources"] == [{"title": "Drakenstein water demand report: 2010-2013", "year": 2014}]
    assert "## Context\n\nDrakenstein lost 42% of its water.\n\nPressure was high at night." in text
    done = hub_check(tmp_path, "case-studies", name, text)
    assert done.returncode == 0, done.stdout + done.stderr

    # "Propose on GitHub" carries the same file to the same place
    href = page.get_by_role("link", name="Propose on GitHub").get_attribute("href")
    address = urlsplit(href)
    assert address.netloc == "github.com" and address.path.endswith("/new/main")
    query = parse_qs(address.query)
    assert query["filename"] == [f"content/case-studies/{slug}.md"]
    assert query["value"] == [text]
    mail = page.get_by_role("link", name="Send to the editors").get_attribute("href")
    assert mail.startswith("mailto:editors@")

    # a reload (or a closed page) loses nothing
    page.reload()
    page.wait_for_function("() => !document.getElementById('hub-contribute').hidden")
    assert page.locator("#hub-cf-f-title").input_value() == TITLE
    assert page.locator("#hub-cf-f-date-month").input_value() == "05"
    assert page.locator("#hub-cf-f-sources-0-title").input_value().startswith("Drakenstein")
    assert download(page)[1] == text
    assert outside == [] and errors == []


def test_a_full_case_study_with_place_figures_and_the_library_s_organisations(offline, usb, tmp_path):
    page, outside, errors = offline
    open_form(page, usb, "?type=case-study")
    fill_case_study(page)
    page.fill("#hub-cf-f-organisations", "Municipal Institute of Learning (MILE)")
    page.keyboard.press("Enter")
    page.fill(
        "#hub-cf-f-event", "Water Services Master Class #1: Blue Drop, Green Drop and Water Loss Management"
    )
    page.keyboard.press("Enter")
    page.fill("#hub-cf-f-place-0-city", "Paarl")
    page.fill("#hub-cf-f-place-0-country", "South Africa")
    page.keyboard.press("Enter")
    page.get_by_role("button", name="Add a figure").click()
    for part, value in (
        ("name", "Water lost"),
        ("unit", "%"),
        ("baseline", "42"),
        ("value", "29.5"),
        ("year", "2013"),
    ):
        page.fill(f"#hub-cf-f-indicators-0-{part}", value)
    page.fill("#hub-cf-f-lessons", "Measure first.\n\nThen lower the pressure.")
    assert page.locator("#hub-cf-problems").inner_text() == "Everything the library needs is there."
    assert "Countries" in page.locator("#hub-cf-preview dl").inner_text()  # the entry page's label
    name, text = download(page)
    data = front_matter(text)
    assert data["organisations"] == ["mile"] and data["event"] == "mile-water-services-master-class-1"
    assert data["place"] == {"city": "Paarl", "country": "ZA"}  # one place: a mapping, not a list
    assert data["indicators"] == [
        {"name": "Water lost", "unit": "%", "baseline": 42, "value": 29.5, "year": 2013}
    ]
    assert data["lessons"] == ["Measure first.", "Then lower the pressure."]
    done = hub_check(tmp_path, "case-studies", name, text)
    assert done.returncode == 0, done.stdout + done.stderr
    # too long for an email link: the message says to attach the file instead
    page.fill("#hub-cf-f-body_Results", "Losses fell in every district of the city. " * 40)
    assert page.locator("#hub-cf-email-long").is_visible()
    mail = page.get_by_role("link", name="Send to the editors").get_attribute("href")
    assert len(mail) < 1000 and "attached" in parse_qs(urlsplit(mail).query)["body"][0]
    assert outside == [] and errors == []


def test_a_new_organisation_becomes_a_second_draft(offline, usb):
    page, outside, errors = offline
    open_form(page, usb, "?type=case-study")
    page.fill("#hub-cf-f-title", "Meters in Stellenbosch")
    page.fill("#hub-cf-f-organisations", "Stellenbosch Water Forum")
    page.keyboard.press("Enter")
    assert (
        "Stellenbosch Water Forum (new to the library"
        in page.locator("#hub-cf-f-organisations-chosen").inner_text()
    )
    assert "new to the library" in page.locator("#hub-cf-status").inner_text()
    drafts = page.locator("#hub-cf-draft option").all_inner_texts()
    assert (
        "Stellenbosch Water Forum (Organisation)" in drafts
        and "Meters in Stellenbosch (Case study)" in drafts
    )
    _, text = download(page)
    assert front_matter(text)["organisations"] == ["stellenbosch-water-forum"]
    page.select_option("#hub-cf-draft", label="Stellenbosch Water Forum (Organisation)")
    assert page.locator("#hub-cf-type").input_value() == "organisation"
    assert page.locator("#hub-cf-f-title").input_value() == "Stellenbosch Water Forum"
    assert download(page)[0] == "stellenbosch-water-forum.md"
    assert outside == [] and errors == []


def test_without_an_editors_address_the_email_way_is_not_offered(browser, tmp_path, monkeypatch):
    monkeypatch.setenv("HUB_EDITORS_EMAIL", "")
    project = copy_project(tmp_path / "hub")
    out = tmp_path / "usb"
    assert build_usb(Project.find(config_file=project / "mkdocs.yml"), out, quiet=True) == 0
    context = browser.new_context()
    try:
        page = context.new_page()
        open_form(page, out, "?type=event")
        page.fill("#hub-cf-f-title", "Leak week")
        assert page.get_by_role("link", name="Propose on GitHub").is_visible()
        assert page.get_by_role("link", name="Send to the editors").count() == 0
        assert not page.locator("#hub-cf-email-way").is_visible()
    finally:
        context.close()


def test_a_workshop_outcome_with_three_recommendations(offline, usb, tmp_path):
    page, outside, errors = offline
    open_form(page, usb, "?type=workshop-outcome")
    page.fill("#hub-cf-f-title", "Round table on meter reading, Durban 2014")
    page.fill("#hub-cf-f-summary", "What a round table of meter readers recommended.")
    page.locator("#hub-cf-f-themes").get_by_label("Water loss and non-revenue water").check()
    page.get_by_role("button", name="Add a document").click()
    page.fill("#hub-cf-f-sources-0-title", "Round table notes")
    page.fill("#hub-cf-f-body_Background", "Meter readers from four towns met for a day.")
    recommendations = [
        ("Read every meter each month", ["Municipalities"]),
        ("Publish the readings by district", ["Municipalities", "Water boards"]),
        ("Train readers to spot leaks", ["Sector partners"]),
    ]
    for i, (text, actors) in enumerate(recommendations):
        page.get_by_role("button", name="Add a point").click()
        page.select_option(f"#hub-cf-f-items-{i}-kind", "recommendation")
        page.fill(f"#hub-cf-f-items-{i}-text", text)
        for actor in actors:
            page.locator(f"#hub-cf-f-items-{i}-actors").get_by_label(actor).check()
    assert page.locator("#hub-cf-preview ol li").count() == 3

    name, text = download(page)
    items = front_matter(text)["items"]
    assert [i["text"] for i in items] == [t for t, _ in recommendations]
    assert {i["kind"] for i in items} == {"recommendation"}
    assert [i["actors"] for i in items] == [
        ["municipalities"],
        ["municipalities", "water-boards"],
        ["sector-partners"],
    ]
    assert len({i["id"] for i in items}) == 3
    done = hub_check(tmp_path, "workshops", name, text)
    assert done.returncode == 0, done.stdout + done.stderr
    # the case study's draft of the other test is another draft: both are kept
    assert page.locator("#hub-cf-draft option").count() >= 1
    assert outside == [] and errors == []


def test_refusals_are_explained_next_to_their_field_and_keep_what_was_typed(offline, usb):
    page, outside, errors = offline
    open_form(page, usb, "?type=case-study")
    page.get_by_role("button", name="New draft").click()
    page.fill("#hub-cf-f-date-year", "20x3")
    error = page.locator("#hub-cf-f-date-error")
    assert "four digits" in error.inner_text()
    assert "hub-cf-f-date-error" in page.locator("#hub-cf-f-date-year").get_attribute("aria-describedby")
    assert page.locator("#hub-cf-f-date-year").input_value() == "20x3"  # nothing typed is dropped
    page.fill("#hub-cf-f-date-year", "2013")
    page.fill("#hub-cf-f-date-day", "31")
    page.select_option("#hub-cf-f-date-month", label="April")
    assert "April 2013 has 30 days" in error.inner_text()
    page.fill("#hub-cf-f-title", "A title")
    page.fill("#hub-cf-f-title", "")
    assert page.locator("#hub-cf-f-title-error").inner_text() == "This question needs an answer."
    assert page.locator("#hub-cf-f-title").get_attribute("aria-invalid") == "true"
    assert "hub-cf-f-title-error" in page.locator("#hub-cf-f-title").get_attribute("aria-describedby")
    page.fill("#hub-cf-f-countries", "Atlantis")
    page.keyboard.press("Enter")
    assert "not in the list" in page.locator("#hub-cf-f-countries-error").inner_text()
    assert page.locator("#hub-cf-f-countries").input_value() == "Atlantis"
    # asking for the file shows every refusal at once; the draft still downloads
    _, text = download(page)
    assert "This question needs an answer." in page.locator("#hub-cf-f-summary-error").inner_text()
    assert 'date: "2013-04-31"' in text
    assert outside == [] and errors == []


def test_drafts_are_kept_switched_and_zipped(offline, usb, tmp_path):
    import zipfile

    page, outside, errors = offline
    open_form(page, usb, "?type=course")
    page.fill("#hub-cf-f-title", "Leak detection for plumbers")
    page.get_by_role("button", name="New draft").click()
    page.select_option("#hub-cf-type", "event")
    page.fill("#hub-cf-f-title", "Leak week 2015")
    names = page.locator("#hub-cf-draft option").all_inner_texts()
    assert "Leak detection for plumbers (Course)" in names and "Leak week 2015 (Event)" in names
    with page.expect_download() as info:
        page.get_by_role("button", name="Download all drafts (.zip)").click()
    archive = tmp_path / "drafts.zip"
    shutil.copy(info.value.path(), archive)
    with zipfile.ZipFile(archive) as z:
        assert z.testzip() is None  # every CRC-32 matches
        listed = z.namelist()
        assert "courses/leak-detection-for-plumbers.md" in listed and "events/leak-week-2015.md" in listed
        assert 'title: "Leak week 2015"' in z.read("events/leak-week-2015.md").decode("utf-8")
    page.select_option("#hub-cf-draft", label="Leak detection for plumbers (Course)")
    assert page.locator("#hub-cf-f-title").input_value() == "Leak detection for plumbers"
    page.get_by_role("button", name="Delete this draft").click()
    assert (
        "Leak detection for plumbers (Course)" not in page.locator("#hub-cf-draft option").all_inner_texts()
    )
    page.get_by_role("button", name="Undo").click()
    assert "Leak detection for plumbers (Course)" in page.locator("#hub-cf-draft option").all_inner_texts()
    assert outside == [] and errors == []


def test_typed_text_stays_text_in_the_preview_and_the_file(offline, usb, tmp_path):
    page, outside, errors = offline
    open_form(page, usb, "?type=case-study")
    page.get_by_role("button", name="New draft").click()
    hostile = '<img src=x onerror="document.title=1">: "quoted" #not-a-comment\u0085'
    page.fill("#hub-cf-f-title", hostile)
    page.fill("#hub-cf-f-summary", "line one\nkey: value\n---")
    assert page.locator("#hub-cf-preview img").count() == 0
    assert hostile.strip("\u0085") in page.locator("#hub-cf-preview").inner_text()
    _, text = download(page)
    data = front_matter(text)
    assert data["title"] == hostile and data["summary"] == "line one\nkey: value\n---"
    assert outside == [] and errors == []


def test_the_hosted_page_keeps_its_policy_and_fits_a_phone(browser, site_url):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    console: list[str] = []
    page.on("console", lambda m: console.append(m.text))
    page.on("pageerror", lambda e: console.append(str(e)))
    try:
        page.goto(site_url + "contribute/?type=workshop-outcome")
        page.wait_for_function("() => !document.getElementById('hub-contribute').hidden")
        page.fill("#hub-cf-f-title", "A round table")
        page.get_by_role("button", name="Add a point").click()
        page.fill("#hub-cf-f-items-0-text", "Share readings")
        assert "A round table" in page.locator("#hub-cf-preview").inner_text()
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        assert not [m for m in console if "Content Security Policy" in m or "Refused" in m], console
        assert page.locator("meta[http-equiv='Content-Security-Policy']").count() == 1
    finally:
        context.close()


def required_answers(page, question: dict, prefix: str, lists: dict) -> None:
    """Answer a required question the way a contributor would, by its kind."""
    qid = prefix + (question["field"] or "body_" + question["label"].replace(" ", "_"))
    kind = question["kind"]
    choices = question.get("choices") or lists.get(question.get("choices_from"), [])
    if kind in ("line", "text", "body", "lines"):
        page.fill(f"#{qid}", f"An answer to {question['label']}")
    elif kind == "date":
        page.fill(f"#{qid}-year", "2015")
    elif kind in ("integer", "number"):
        page.fill(f"#{qid}", str(question.get("min") or 1))
    elif kind == "url":
        page.fill(f"#{qid}", "https://example.org/")
    elif kind == "email":
        page.fill(f"#{qid}", "someone@example.org")
    elif kind == "boolean":
        page.select_option(f"#{qid}", "true")
    elif kind == "choice":
        page.select_option(f"#{qid}", choices[0]["value"])
    elif kind == "choices":
        page.check(f"#{qid}-0")
    elif kind in ("country", "countries", "entry", "entries"):
        page.fill(f"#{qid}", choices[0]["label"])
        page.keyboard.press("Enter")
    elif kind in ("records", "items"):
        if question.get("max") != 1:
            page.locator(f"#{qid} > .hub-cf__add-record").click()
        for part in question["parts"]:
            if part["required"]:
                required_answers(page, part, f"{qid}-0-", lists)
    else:
        raise AssertionError(f"no answer for a question of kind {kind}")


def test_every_type_s_form_answered_as_required_passes_the_check(offline, usb, tmp_path):
    page, outside, errors = offline
    open_form(page, usb, "")
    described = page.evaluate("() => JSON.parse(document.getElementById('hub-contribute-model').textContent)")
    written = []
    for ctype in described["types"]:
        page.get_by_role("button", name="New draft").click()
        page.select_option("#hub-cf-type", ctype["name"])
        for question in ctype["questions"]:
            if question["required"]:
                required_answers(page, question, "hub-cf-f-", described["lists"])
        page.fill("#hub-cf-f-title", f"A first {ctype['label'].lower()}")
        assert page.locator("#hub-cf-problems").inner_text() == "Everything the library needs is there.", (
            ctype
        )
        name, text = download(page)
        written.append((ctype["folder"], name, text))
    project = copy_project(tmp_path / "hub")
    for folder, name, text in written:
        (project / "content" / folder).mkdir(exist_ok=True)
        (project / "content" / folder / name).write_text(text, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "knowledgehub.cli", "check"],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert outside == [] and errors == []


def test_the_filled_form_with_its_refusals_passes_axe(browser, site_url):
    axe_playwright = pytest.importorskip("axe_playwright_python.sync_playwright")
    context = browser.new_context(viewport={"width": 390, "height": 844})
    try:
        page = context.new_page()
        page.goto(site_url + "contribute/?type=workshop-outcome")
        page.wait_for_function("() => !document.getElementById('hub-contribute').hidden")
        page.fill("#hub-cf-f-date-year", "20x3")
        page.fill("#hub-cf-f-countries", "South Africa")
        page.keyboard.press("Enter")
        page.get_by_role("button", name="Add a point").click()
        page.fill("#hub-cf-f-items-0-text", "Share readings")
        with page.expect_download():
            page.get_by_role("button", name="Download the file").click()
        assert page.locator(".hub-cf__error:not(:empty)").count() >= 3  # every refusal shown
        # the summary links to each field with a refusal
        first = page.locator("#hub-cf-problem-list a").first
        assert page.locator(first.get_attribute("href")).count() == 1
        results = axe_playwright.Axe().run(page)
        bad = [
            (v["id"], [n["target"] for n in v["nodes"]][:5])
            for v in results.response["violations"]
            if v["impact"] in ("serious", "critical")
        ]
        assert bad == []
    finally:
        context.close()


def test_two_tabs_keep_each_other_s_drafts_and_a_reload_keeps_a_choice(offline, usb):
    page, outside, errors = offline
    open_form(page, usb, "?type=case-study&challenges=high-water-losses")
    page.fill("#hub-cf-f-title", "Written in the first tab")
    other = page.context.new_page()
    open_form(other, usb, "?type=event")
    other.fill("#hub-cf-f-title", "Written in the second tab")
    page.fill("#hub-cf-f-summary", "More typing in the first tab, after the second saved.")
    # the challenge the address chose was unticked: a reload of the same address keeps it so
    page.locator("#hub-cf-f-challenges").get_by_label("High water losses").uncheck()
    page.reload()
    page.wait_for_function("() => !document.getElementById('hub-contribute').hidden")
    assert not page.locator("#hub-cf-f-challenges").get_by_label("High water losses").is_checked()
    names = page.locator("#hub-cf-draft option").all_inner_texts()
    assert "Written in the first tab (Case study)" in names
    assert "Written in the second tab (Event)" in names
    assert page.locator("#hub-cf-f-summary").input_value().startswith("More typing")
    other.close()
    assert outside == [] and errors == []


EVERYTHING = "Everything the library needs is there."


def test_markup_in_a_text_answer_is_refused_as_hub_check_refuses_it(offline, usb, tmp_path):
    page, outside, errors = offline
    open_form(page, usb, "?type=case-study")
    fill_case_study(page)
    assert page.locator("#hub-cf-problems").inner_text() == EVERYTHING
    page.fill("#hub-cf-f-body_Context", "Drakenstein lost water.<script>alert(1)</script>")
    error = page.locator("#hub-cf-f-body_Context-error")
    assert "Write plain text" in error.inner_text() and "<script>" in error.inner_text()
    assert page.locator("#hub-cf-problems").inner_text() != EVERYTHING
    name, text = download(page)
    refused = hub_check(tmp_path, "case-studies", name, text)
    assert refused.returncode != 0 and "script" in refused.stdout + refused.stderr
    # an autolink and a comparison are text, not tags
    page.fill("#hub-cf-f-body_Context", "See <https://example.org/report> where losses < 30% and a<b.")
    assert error.inner_text() == ""
    assert page.locator("#hub-cf-problems").inner_text() == EVERYTHING
    # an item of a workshop outcome
    page.get_by_role("button", name="New draft").click()
    page.select_option("#hub-cf-type", "workshop-outcome")
    page.get_by_role("button", name="Add a point").click()
    page.fill("#hub-cf-f-items-0-text", "Share <img src=x onerror=alert(1)> readings")
    page.locator("#hub-cf-f-items-0-text").blur()
    assert "Write plain text" in page.locator("#hub-cf-f-items-0-text-error").inner_text()
    assert outside == [] and errors == []


def test_figures_and_dates_in_the_wrong_order_are_refused_next_to_their_field(offline, usb):
    page, outside, errors = offline
    open_form(page, usb, "?type=case-study")
    fill_case_study(page)
    page.get_by_role("button", name="Add a figure").click()
    for part, value in (("name", "Water lost"), ("unit", "%"), ("baseline", "42"), ("value", "29")):
        page.fill(f"#hub-cf-f-indicators-0-{part}", value)
    page.fill("#hub-cf-f-indicators-0-baseline_year", "2016")
    page.fill("#hub-cf-f-indicators-0-year", "2014")
    error = page.locator("#hub-cf-f-indicators-0-baseline_year-error")
    assert error.inner_text() == "This cannot be later than “Year after” (2014)."
    assert page.locator("#hub-cf-problems").inner_text() != EVERYTHING
    page.fill("#hub-cf-f-indicators-0-baseline_year", "2012")
    assert error.inner_text() == ""
    assert page.locator("#hub-cf-problems").inner_text() == EVERYTHING
    # an event's end before its start, and a session's
    page.get_by_role("button", name="New draft").click()
    page.select_option("#hub-cf-type", "event")
    page.fill("#hub-cf-f-start-year", "2012")
    page.select_option("#hub-cf-f-start-month", label="April")
    page.fill("#hub-cf-f-start-day", "17")
    page.fill("#hub-cf-f-end-year", "2012")
    page.select_option("#hub-cf-f-end-month", label="April")
    page.fill("#hub-cf-f-end-day", "11")
    page.locator("#hub-cf-f-end-day").blur()
    assert (
        page.locator("#hub-cf-f-end-error").inner_text()
        == "This cannot be earlier than “Start” (17 April 2012)."
    )
    page.fill("#hub-cf-f-end-day", "")
    page.select_option("#hub-cf-f-end-month", label="No month")
    assert page.locator("#hub-cf-f-end-error").inner_text() == ""  # 2012 takes in 17 April 2012
    assert outside == [] and errors == []


def test_a_title_or_summary_too_long_is_counted_and_refused(offline, usb, tmp_path):
    page, outside, errors = offline
    open_form(page, usb, "?type=case-study")
    fill_case_study(page)
    described = page.evaluate("() => JSON.parse(document.getElementById('hub-contribute-model').textContent)")
    questions = {q["field"]: q for q in described["types"][0]["questions"]}
    most = questions["title"]["max_length"]
    assert page.locator("#hub-cf-f-title-count").inner_text() == f"{len(TITLE)} of {most} characters"
    long_title = "Pressure " * 400
    page.fill("#hub-cf-f-title", long_title)
    count = len(long_title.strip())
    assert page.locator("#hub-cf-f-title-count").inner_text() == f"{count} of {most} characters"
    assert (
        f"This has {count} characters; the most is {most}"
        in page.locator("#hub-cf-f-title-error").inner_text()
    )
    assert page.locator("#hub-cf-problems").inner_text() != EVERYTHING
    name, text = download(page)
    refused = hub_check(tmp_path, "case-studies", name, text)
    assert refused.returncode != 0 and f"may have at most {most}" in refused.stdout + refused.stderr
    page.fill("#hub-cf-f-title", TITLE)
    page.fill("#hub-cf-f-summary", "é" * (questions["summary"]["max_length"] + 1))  # characters, not bytes
    assert "Shorten it by 1." in page.locator("#hub-cf-f-summary-error").inner_text()
    page.fill("#hub-cf-f-summary", "é" * questions["summary"]["max_length"])
    assert page.locator("#hub-cf-problems").inner_text() == EVERYTHING
    assert outside == [] and errors == []


def test_messages_next_to_the_fields_are_shown_again_after_a_reload(offline, usb):
    page, outside, errors = offline
    open_form(page, usb, "?type=case-study")
    page.fill("#hub-cf-f-title", "A title")
    page.fill("#hub-cf-f-title", "")
    page.fill("#hub-cf-f-date-year", "20x3")
    assert page.locator("#hub-cf-f-title-error").inner_text() == "This question needs an answer."
    page.reload()
    page.wait_for_function("() => !document.getElementById('hub-contribute').hidden")
    assert page.locator("#hub-cf-f-title-error").inner_text() == "This question needs an answer."
    assert "four digits" in page.locator("#hub-cf-f-date-error").inner_text()
    assert page.locator("#hub-cf-f-summary-error").inner_text() == ""  # not yet asked for
    download(page)  # asking for the file shows every message, and a reload keeps them shown
    page.reload()
    page.wait_for_function("() => !document.getElementById('hub-contribute').hidden")
    assert page.locator("#hub-cf-f-summary-error").inner_text() == "This question needs an answer."
    assert outside == [] and errors == []


def test_a_draft_naming_a_new_organisation_says_the_file_alone_will_not_do(offline, usb):
    page, outside, errors = offline
    open_form(page, usb, "?type=case-study")
    fill_case_study(page)
    assert page.locator("#hub-cf-problems").inner_text() == EVERYTHING
    page.fill("#hub-cf-f-organisations", "Stellenbosch Water Forum")
    page.keyboard.press("Enter")
    error = page.locator("#hub-cf-f-organisations-error").inner_text()
    assert "“Stellenbosch Water Forum”, which is not in the library yet" in error
    assert "download both files" in error and "Download all drafts (.zip)" in error
    assert page.locator("#hub-cf-problems").inner_text() != EVERYTHING
    assert page.get_by_role("button", name="Download all drafts (.zip)").is_visible()
    assert outside == [] and errors == []
