"""`/`: the verify form, its answer and its errors."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from artifacts.models import Artifact
from tests.web.conftest import (
    application_fields,
    changed_warning_label,
    passing_label,
    record_for,
)
from verifier.models import Channel, Verification
from verifier.services.engine_slots import engine_slot

pytestmark = pytest.mark.django_db


def upload(rendered, name: str = "front") -> SimpleUploadedFile:
    extension = rendered.image_format
    return SimpleUploadedFile(f"{name}.{extension}", rendered.panels[0], f"image/{extension}")


def test_anonymous_visitor_is_sent_to_sign_in(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/")


def test_non_staff_account_gets_a_plain_refusal(client, django_user_model):
    user = django_user_model.objects.create_user(username="clerk", password="x")
    client.force_login(user)
    response = client.get("/")
    assert response.status_code == 403
    assert "not a staff account" in response.content.decode()


def test_form_labels_every_field(agent):
    page = agent.get("/").content.decode()
    for field in (
        "images",
        "brand_name",
        "class_type",
        "alcohol_content",
        "net_contents",
        "bottler",
        "country_of_origin",
        "beverage_type",
    ):
        assert f'<label for="id_{field}"' in page, field
    assert "Check this label" in page


def test_a_check_answers_303_to_its_record_which_keeps_the_picture(agent, staff_user):
    rendered = passing_label()
    response = agent.post("/", {"images": upload(rendered), **application_fields(rendered)})
    verification = Verification.objects.get()
    assert response.status_code == 303
    assert response["Location"] == f"/records/{verification.request_id}/"
    assert verification.channel == Channel.WEB
    assert verification.user == staff_user
    assert Artifact.objects.get().verification == verification  # the pictures are kept

    page = agent.get(response["Location"]).content.decode()
    assert "verdict--COMPLIANT" in page
    assert ">COMPLIANT</h2>" in page
    assert "data:image/jpeg;base64," in page  # the kept picture, read back
    assert "<rect" in page  # with its evidence boxes
    agent.get(response["Location"])  # a reload shows the record and writes nothing
    assert Verification.objects.count() == 1


def test_dont_keep_a_copy_leaves_no_picture(agent):
    rendered = passing_label()
    response = agent.post("/", {"images": upload(rendered), "dont_keep": "on"})
    assert response.status_code == 303
    assert not Artifact.objects.exists()
    page = agent.get(response["Location"]).content.decode()
    assert "Picture 1 was not kept" in page


def test_changed_warning_word_is_marked_in_the_required_text(agent):
    rendered = changed_warning_label()
    response = agent.post(
        "/", {"images": upload(rendered), **application_fields(rendered)}, follow=True
    )
    page = response.content.decode()
    assert "verdict--NON_COMPLIANT" in page
    warning = page[page.index('id="warning-text"') :]
    assert re.search(r"<del>.*women</del>", warning)
    assert re.search(r"<ins>.*woman</ins>", warning)
    assert "(changed)" in warning


def test_file_that_is_not_a_picture_is_refused_next_to_the_field(agent):
    bad = SimpleUploadedFile("label.pdf", b"%PDF-1.4 not a picture", "application/pdf")
    response = agent.post("/", {"images": bad, "brand_name": "Old Tom"})
    page = response.content.decode()
    assert response.status_code == 400
    assert "“label.pdf” is not a picture this service can read" in page
    assert 'aria-invalid="true"' in page
    assert 'value="Old Tom"' in page  # what was typed is kept
    assert not Verification.objects.exists()


def test_missing_picture_is_refused(agent):
    response = agent.post("/", {"brand_name": "Old Tom"})
    assert response.status_code == 400
    assert "Choose at least one picture of the label." in response.content.decode()


def test_unknown_beverage_type_is_refused_by_the_form(agent):
    response = agent.post("/", {"images": upload(passing_label()), "beverage_type": "cider"})
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()


def test_record_needs_a_signed_in_staff_account(agent, staff_user, django_user_model):
    url = f"/records/{record_for(passing_label(), user=staff_user).request_id}/"
    assert agent.get(url).status_code == 200
    assert Client().get(url).status_code == 302
    clerk = Client()
    clerk.force_login(django_user_model.objects.create_user(username="clerk", password="x"))
    assert clerk.get(url).status_code == 403


def test_a_busy_server_answers_503_with_when_to_try_again(agent, settings):
    """Every engine slot taken: the page says so with the API's status, writes nothing."""
    settings.ENGINE_CONCURRENCY = 1
    settings.ENGINE_QUEUE_WAIT_SECONDS = 0.1
    rendered = passing_label()
    with engine_slot():  # another agent's label is being checked
        response = agent.post("/", {"images": upload(rendered), **application_fields(rendered)})
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert "again in a few seconds" in response.content.decode()
    assert Verification.objects.count() == 0
