"""An agent's day in a real browser: sign in, check labels, run a batch.

Each test saves screenshots and runs axe-core on the pages it visits.
"""

from __future__ import annotations

import base64
import json
import re
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import connection
from playwright.sync_api import expect

from modelstatus.selectors import status_cache
from tests.web.browser.conftest import screenshot, serious_violations
from tests.web.conftest import (
    PASSWORD,
    application_fields,
    batch_zip,
    changed_warning_label,
    label,
    passing_label,
)
from verifier.models import Channel, Verification

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def write_picture(tmp_path: Path, rendered: Any, name: str) -> Path:
    path = tmp_path / f"{name}.{rendered.image_format}"
    path.write_bytes(rendered.panels[0])
    return path


def fill_application(page: Any, rendered: Any) -> None:
    fields = application_fields(rendered)
    beverage = fields.pop("beverage_type", "")
    for name, value in fields.items():
        page.locator(f"#id_{name}").fill(value)
    page.get_by_label("Beverage type").select_option(beverage)


def drop_file(page: Any, selector: str, path: Path, mime: str) -> None:
    """Drag a file from the desktop onto the drop zone (a real `drop` event)."""
    encoded = base64.b64encode(path.read_bytes()).decode()
    page.evaluate(
        """([selector, name, mime, encoded]) => {
            const bytes = Uint8Array.from(atob(encoded), c => c.charCodeAt(0));
            const transfer = new DataTransfer();
            transfer.items.add(new File([bytes], name, { type: mime }));
            const zone = document.querySelector(selector);
            for (const type of ["dragenter", "dragover", "drop"]) {
                zone.dispatchEvent(new DragEvent(type, { dataTransfer: transfer, bubbles: true }));
            }
        }""",
        [selector, path.name, mime, encoded],
    )


def test_sign_in_page_is_plain_and_refuses_a_wrong_password(page, live_server, staff_user):
    page.goto(f"{live_server.url}/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/$"))
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    assert serious_violations(page) == []
    screenshot(page, "01-sign-in")

    page.get_by_label("User name").fill(staff_user.username)
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_contain_text("correct username and password")
    screenshot(page, "02-sign-in-wrong-password")

    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Check a label")).to_be_visible()
    expect(page.get_by_text(f"Signed in as {staff_user.username}")).to_be_visible()


def test_verify_a_passing_label_dropped_on_the_page(page, sign_in, tmp_path):
    sign_in(page)
    assert serious_violations(page) == []
    screenshot(page, "03-verify-form")

    rendered = passing_label()
    picture = write_picture(tmp_path, rendered, "front")
    drop_file(page, "[data-dropzone]", picture, f"image/{rendered.image_format}")
    expect(page.locator(".chosen-status")).to_have_text("1 file chosen.")
    fill_application(page, rendered)
    screenshot(page, "04-verify-form-filled")

    page.get_by_role("button", name="Check this label").click()
    banner = page.locator("#verdict")
    expect(banner).to_contain_text("COMPLIANT")
    expect(banner).not_to_contain_text("NON-COMPLIANT")
    page.get_by_role("button", name=re.compile(r"checks passed")).click()  # folded: all passed
    expect(page.get_by_role("row", name=re.compile("^Brand name"))).to_contain_text("Pass")
    expect(page.locator(".evidence svg rect").first).to_be_attached()
    assert serious_violations(page) == []
    screenshot(page, "05-result-compliant")

    verification = Verification.objects.get()
    assert verification.channel == Channel.WEB
    expect(page).to_have_url(re.compile(f"/records/{verification.request_id}/$"))


def test_failing_label_shows_the_changed_warning_words(page, sign_in, tmp_path):
    sign_in(page)
    rendered = changed_warning_label()
    page.get_by_label("Choose the picture files").set_input_files(
        write_picture(tmp_path, rendered, "back")
    )
    fill_application(page, rendered)
    page.get_by_role("button", name="Check this label").click()

    expect(page.locator("#verdict")).to_contain_text("NON-COMPLIANT")
    expect(page.locator("#verdict")).to_contain_text("Government warning wording")
    warning = page.locator("#warning-text")
    expect(warning.locator("del")).to_contain_text("women")
    expect(warning.locator("ins")).to_contain_text("woman")
    expect(warning).to_contain_text("(changed)")
    row = page.get_by_role("row", name=re.compile("^Government warning wording"))
    expect(row).to_contain_text("Fail")
    assert serious_violations(page) == []
    screenshot(page, "06-result-non-compliant")
    page.locator("#warning").scroll_into_view_if_needed()
    screenshot(page, "07-result-warning-words", full_page=False)


def test_bad_file_is_explained_next_to_the_picture_field(page, sign_in, tmp_path):
    sign_in(page)
    document = tmp_path / "label.pdf"
    document.write_bytes(b"%PDF-1.4\n% not a picture\n")
    page.get_by_label("Choose the picture files").set_input_files(document)
    page.locator("#id_brand_name").fill("Old Tom")
    page.get_by_role("button", name="Check this label").click()

    field_error = page.locator("#images-error")
    expect(field_error).to_contain_text("“label.pdf” is not a picture this service can read")
    expect(page.get_by_role("alert")).to_contain_text("Pictures of the label")
    expect(page.get_by_label("Choose the picture files")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#id_brand_name")).to_have_value("Old Tom")
    expect(page.locator("#error-summary")).to_be_focused()
    assert serious_violations(page) == []
    screenshot(page, "08-error-bad-file")
    assert not Verification.objects.exists()


def test_form_is_usable_with_the_keyboard_alone(page, sign_in, tmp_path):
    sign_in(page)
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to main content")).to_be_focused()
    reached = []
    for _ in range(30):
        page.keyboard.press("Tab")
        focused = page.evaluate("document.activeElement.id || document.activeElement.textContent")
        reached.append(focused.strip())
        if focused.strip() == "Check this label":
            break
    for field in ("id_images", "id_brand_name", "id_beverage_type", "Check this label"):
        assert field in reached, reached
    # Every focused control shows a visible outline.
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline == "solid"


def sticking_out(page: Any) -> list[str]:
    """Elements wider than the window (tables scroll inside their own box)."""
    return page.evaluate(
        """() => Array.from(document.querySelectorAll("body *"))
            .filter(e => !e.closest(".table-scroll"))
            .filter(e => e.getBoundingClientRect().right > innerWidth + 1)
            .map(e => e.tagName.toLowerCase() + (e.id ? "#" + e.id : "") + "." + e.className)"""
    )


def test_progress_text_shows_while_the_label_is_read(page, sign_in):
    sign_in(page)
    # Hold the submission in the page so the "working" state can be looked at.
    page.evaluate(
        "document.querySelector('form[data-working]')"
        ".addEventListener('submit', event => event.preventDefault())"
    )
    page.get_by_role("button", name="Check this label").click()
    expect(page.get_by_role("status").filter(has_text="Reading the label…")).to_be_visible()
    expect(page.get_by_role("button", name="Check this label")).to_be_disabled()
    expect(page.locator(".working-seconds")).to_contain_text("so far", timeout=3000)
    screenshot(page, "04b-verify-working", full_page=False)


def test_narrow_window_keeps_one_readable_column(page, sign_in, tmp_path):
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page)
    screenshot(page, "09-verify-form-narrow")
    assert sticking_out(page) == []

    rendered = changed_warning_label()
    page.get_by_label("Choose the picture files").set_input_files(
        write_picture(tmp_path, rendered, "front")
    )
    page.get_by_role("button", name="Check this label").click()
    expect(page.locator("#verdict")).to_be_visible()
    screenshot(page, "10-result-narrow")
    assert sticking_out(page) == []


def test_banner_says_the_model_is_downloading(page, sign_in, isolated_data):
    status_cache.clear()
    settings.MODEL_STATUS_FILE.write_text(
        json.dumps(
            {"status": "downloading", "model": "llama3.2-vision", "progress": {"percentage": 42.5}}
        )
    )
    try:
        sign_in(page)
        banner = page.locator("#service-status")
        expect(banner).to_contain_text("The reading model is still downloading.")
        expect(banner).to_contain_text("42% done")
        screenshot(page, "11-banner-model-downloading", full_page=False)
    finally:
        status_cache.clear()


def test_small_batch_runs_to_100_percent(page, sign_in, tmp_path, batch_worker):
    if connection.vendor != "postgresql":
        pytest.skip("The batch worker shares the test database only on PostgreSQL.")
    sign_in(page)
    page.get_by_role("link", name="Check many labels (ZIP file)").click()
    assert serious_violations(page) == []
    screenshot(page, "12-batch-upload")

    archive = tmp_path / "labels.zip"
    archive.write_bytes(batch_zip(passing_label(), changed_warning_label(), label(2)))
    page.get_by_label("ZIP file with the label pictures").set_input_files(archive)
    page.get_by_role("button", name="Start checking").click()

    progress = page.locator("#batch-progress")
    expect(progress).to_have_attribute("max", "3")
    expect(page.locator("#progress-label")).to_contain_text("0 of 3 checked (0%)")
    screenshot(page, "13-batch-waiting")

    batch_worker()  # the page must now update itself, without a reload
    expect(page.locator("#progress-label")).to_contain_text(
        "Finished: all 3 checked (100%)", timeout=60_000
    )
    expect(progress).to_have_attribute("value", "3")
    expect(page.locator(".count--compliant .count")).to_have_text("2")
    expect(page.locator(".count--non-compliant .count")).to_have_text("1")
    expect(page.get_by_role("link", name="Download the results (CSV for Excel)")).to_be_visible()
    assert serious_violations(page) == []
    screenshot(page, "14-batch-finished")

    expect(page.locator("th[aria-sort='ascending']")).to_contain_text("Result")
    first = page.locator("tbody tr").first
    expect(first).to_contain_text("label-2")  # non-compliant sorts first
    page.get_by_role("link", name="Label 2", exact=True).click()
    expect(page.locator("#verdict")).to_contain_text("NON-COMPLIANT")
    expect(page.locator(".evidence img")).to_be_visible()  # a batch record shows its picture
