"""The agents' review workspace (issue 14) in real Chromium: the picture beside
the checks, Post/Redirect/Get, the decision by keyboard, batch triage, print.

Records are built by hand from one cached engine answer per label (see
tests/web/conftest.py); only the reload test runs the engine through the page.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.web.browser.conftest import SCREENSHOTS, screenshot, serious_violations
from tests.web.conftest import (
    PASSWORD,
    application_fields,
    batch_of,
    changed_warning_label,
    passing_label,
    record_for,
)
from verifier.models import BatchItem, Decision, Verification

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDE = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}
ZOOMED_200 = {"width": 683, "height": 384}  # 1366 × 768 at 200 % zoom


@pytest.fixture
def agent_page(browser: Any, live_server: Any, staff_user: Any) -> Iterator[Any]:
    """A signed-in agent at 1366 × 768."""
    context = browser.new_context(viewport=WIDE)
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("User name").fill(staff_user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name="Check a label").wait_for()
    yield page
    context.close()


def sideways_scroll(page: Any) -> int:
    return page.evaluate("document.documentElement.scrollWidth - innerWidth")


def words_broken_mid_word(page: Any) -> list[str]:
    """Words the browser split across two lines (not at a hyphen or slash)."""
    return page.evaluate(
        r"""() => {
            const broken = [];
            const main = document.querySelector("main");
            const walker = document.createTreeWalker(main, NodeFilter.SHOW_TEXT);
            for (let node = walker.nextNode(); node; node = walker.nextNode()) {
                const element = node.parentElement;
                if (!element.offsetParent || element.closest(".visually-hidden, svg")) continue;
                for (const match of node.textContent.matchAll(/[^\s\-\/–—]+/g)) {
                    const range = document.createRange();
                    range.setStart(node, match.index);
                    range.setEnd(node, match.index + match[0].length);
                    const tops = new Set(Array.from(range.getClientRects())
                        .filter(r => r.width > 0).map(r => Math.round(r.top)));
                    if (tops.size > 1) broken.push(match[0]);
                }
            }
            return broken;
        }"""
    )


def test_a_check_redirects_to_its_record_and_a_reload_writes_nothing(agent_page, tmp_path):
    page = agent_page
    rendered = passing_label()
    picture = tmp_path / f"front.{rendered.image_format}"
    picture.write_bytes(rendered.panels[0])
    page.get_by_label("Choose the picture files").set_input_files(picture)
    for name, value in application_fields(rendered).items():
        if name != "beverage_type":
            page.locator(f"#id_{name}").fill(value)
    page.get_by_role("button", name="Check this label").click()

    expect(page).to_have_url(re.compile(r"/records/[0-9a-f-]{36}/$"))
    expect(page.locator("#verdict")).to_be_focused()  # after a check, focus is on the verdict
    expect(page.locator(".evidence img")).to_be_visible()  # the picture was kept
    assert Verification.objects.count() == 1
    page.reload()
    expect(page.locator("#verdict")).to_contain_text("COMPLIANT")
    assert Verification.objects.count() == 1


def test_the_picture_is_pinned_beside_the_checks_in_the_first_screen(
    agent_page, live_server, staff_user
):
    page = agent_page
    verification = record_for(changed_warning_label(), user=staff_user, keep_pictures=True)
    page.goto(f"{live_server.url}/records/{verification.request_id}/")
    picture = page.locator(".evidence img")
    expect(picture).to_be_visible()
    measured = page.evaluate(
        """() => {
            const picture = document.querySelector(".evidence img").getBoundingClientRect();
            const verdict = document.querySelector("#verdict").getBoundingClientRect();
            return {pictureTop: picture.top + scrollY, pictureRight: picture.right,
                    verdictLeft: verdict.left, verdictTop: verdict.top + scrollY,
                    height: document.documentElement.scrollHeight};
        }"""
    )
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    (SCREENSHOTS / "workspace-measures.txt").write_text(f"{measured}\n")  # for the report
    assert measured["pictureTop"] < WIDE["height"], measured  # in the first screen
    assert measured["pictureRight"] <= measured["verdictLeft"], measured  # side by side
    assert measured["verdictTop"] < WIDE["height"], measured

    # Failures first; the passes are one line that expands.
    expect(page.locator("tbody tr").first).to_have_id("check-warning_text")
    toggle = page.get_by_role("button", name=re.compile(r"^\d+ checks passed"))
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(page.locator("#check-brand_name")).to_be_hidden()
    toggle.click()
    expect(page.locator("#check-brand_name")).to_be_visible()

    # Zoom: the + key and a click on the picture; the box numbers are on it.
    width = picture.bounding_box()["width"]
    page.keyboard.press("+")
    expect(page.locator("[data-zoom-level]")).to_contain_text("Zoomed to")
    assert picture.bounding_box()["width"] > width * 1.4
    page.get_by_role("button", name="Fit").click()
    assert picture.bounding_box()["width"] == pytest.approx(width, abs=1)
    expect(page.locator(".evidence .box-number").first).to_be_attached()
    page.evaluate("scrollTo(0, 0)")
    assert serious_violations(page) == []
    screenshot(page, "workspace-1366x768", full_page=False)

    for size, name in ((PHONE, "390x844"), (ZOOMED_200, "200-percent")):
        page.set_viewport_size(size)
        page.reload()
        expect(page.locator("#verdict")).to_be_visible()
        assert sideways_scroll(page) <= 0, name
        assert words_broken_mid_word(page) == [], name
        screenshot(page, f"workspace-{name}")


def test_a_decision_by_keyboard_alone(agent_page, live_server, staff_user):
    page = agent_page
    verification = record_for(changed_warning_label(), user=staff_user)
    page.goto(f"{live_server.url}/records/{verification.request_id}/")
    page.locator("body").focus()
    page.keyboard.press("r")
    expect(page.locator("#id_note")).to_be_focused()
    expect(page.get_by_label("Reject")).to_be_checked()
    page.keyboard.type("Warning says woman")
    page.keyboard.press("Enter")

    expect(page).to_have_url(re.compile(r"#decision$"))
    expect(page.locator(".decision-current")).to_contain_text("Rejected by agent")
    decision = Decision.objects.get()
    assert (decision.outcome, decision.note, decision.channel) == (
        "reject",
        "Warning says woman",
        "web",
    )
    page.keyboard.press("a")
    page.keyboard.type("Re-read the bottle: it is right")
    page.keyboard.press("Enter")
    expect(page.locator(".decision-history > li")).to_have_count(2)
    expect(page.locator(".decision-history > li").first).to_contain_text("Approved")
    assert serious_violations(page) == []


def test_batch_triage_worst_first_tiles_and_next_label(agent_page, live_server, staff_user):
    page = agent_page
    batch = batch_of(
        staff_user,
        (passing_label(), "COMPLIANT"),
        (passing_label(), "NEEDS_REVIEW"),
        (changed_warning_label(), "NON_COMPLIANT"),
        (passing_label(), "COMPLIANT"),
    )
    page.goto(f"{live_server.url}/batches/{batch.pk}/")
    rows = page.locator("table.batch-items tbody tr")
    expect(rows.first).to_contain_text("Label 3")  # the non-compliant label first
    expect(rows.first).to_contain_text("warning wording")
    expect(rows.nth(1)).to_contain_text("Label 2")
    assert serious_violations(page) == []
    screenshot(page, "batch-triage-1366x768", full_page=False)

    page.locator("#tile-needs_review").click()
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Label 2")
    page.locator("#tile-all").click()
    expect(rows).to_have_count(4)

    # From the summary: one click to the first label needing attention, one to the next.
    page.locator("#first-attention").click()
    items = {i.position + 1: i.verification for i in BatchItem.objects.filter(batch=batch)}
    expect(page).to_have_url(re.compile(f"/records/{items[3].request_id}/$"))
    page.get_by_role("link", name=re.compile("Next label needing attention")).click()
    expect(page).to_have_url(re.compile(f"/records/{items[2].request_id}/$"))
    page.get_by_role("link", name="Back to the batch").click()
    expect(page).to_have_url(re.compile(f"/batches/{batch.pk}/$"))

    for size, name in ((PHONE, "390x844"), (ZOOMED_200, "200-percent")):
        page.set_viewport_size(size)
        page.reload()
        assert sideways_scroll(page) <= 0, name
        assert words_broken_mid_word(page) == [], name
        screenshot(page, f"batch-triage-{name}")


def test_a_record_prints_on_at_most_two_pages(agent_page, live_server, staff_user, tmp_path: Path):
    page = agent_page
    verification = record_for(changed_warning_label(), user=staff_user, keep_pictures=True)
    Decision.objects.create(
        verification=verification, user=staff_user, channel="web", outcome="reject", note="x"
    )
    page.goto(f"{live_server.url}/records/{verification.request_id}/")
    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.locator("#decision-form")).to_be_hidden()
    expect(page.locator("#check-brand_name")).to_be_visible()  # every check on paper
    expect(page.locator(".evidence img")).to_be_visible()
    pdf = page.pdf(format="Letter")
    (tmp_path / "record.pdf").write_bytes(pdf)
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
    (SCREENSHOTS / "print-pages.txt").write_text(f"{pages}\n")
    assert 1 <= pages <= 2, pages
