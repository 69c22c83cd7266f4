"""Issue 15, finding 7 (pages): a Content-Security-Policy the pages pass (no
inline script), records never cached, a field sent twice refused, and no
password-reset page where no mail is sent."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from rest_framework.test import APIClient

from tests.web.conftest import application_fields, passing_label
from verifier.models import Batch, Verification

pytestmark = pytest.mark.django_db

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\ssrc=)[^>]*>", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.IGNORECASE)


STYLE_ATTRIBUTE = re.compile(r"<[^>]+\sstyle\s*=|<style", re.IGNORECASE)


def sources(policy: str, directive: str) -> list[str]:
    directives = dict(
        (part.split()[0], part.split()[1:]) for part in policy.split(";") if part.strip()
    )
    return directives.get(directive) or directives["default-src"]


def assert_passes_the_policy(response: Any, path: str) -> None:
    assert response.status_code == 200, path
    policy = response["Content-Security-Policy"]
    assert sources(policy, "script-src") == ["'self'"], policy
    assert "frame-ancestors 'none'" in policy
    page = response.content.decode()
    assert not INLINE_SCRIPT.search(page), (path, INLINE_SCRIPT.search(page))
    assert not EVENT_HANDLER.search(page), (path, EVENT_HANDLER.search(page))
    if path != "/api/docs/":  # Swagger UI styles itself inline: only there is it allowed
        assert sources(policy, "style-src") == ["'self'"], policy
        assert not STYLE_ATTRIBUTE.search(page), (path, STYLE_ATTRIBUTE.search(page))


@pytest.fixture
def boss(django_user_model: Any) -> Client:
    client = Client()
    client.force_login(
        django_user_model.objects.create_superuser(username="boss", password="pw-boss-123")
    )
    return client


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/batches/",
        "/admin/",
        "/admin/artifacts/artifact/",
        "/admin/verifier/verification/",
        "/admin/knox/authtoken/",
        "/api/docs/",
    ],
)
def test_pages_carry_a_policy_without_inline_script(boss, path):
    assert_passes_the_policy(boss.get(path), path)


def test_the_sign_in_page_too(client):
    assert_passes_the_policy(client.get("/accounts/login/"), "/accounts/login/")
    assert_passes_the_policy(client.get("/admin/login/"), "/admin/login/")


def upload(rendered: Any) -> SimpleUploadedFile:
    extension = rendered.image_format
    return SimpleUploadedFile(f"front.{extension}", rendered.panels[0], f"image/{extension}")


def test_records_are_never_cached_and_pass_the_policy(agent, staff_user):
    rendered = passing_label()
    fresh = agent.post("/", {"images": upload(rendered), **application_fields(rendered)})
    verification = Verification.objects.get()
    assert fresh.status_code == 303
    assert "no-store" in fresh["Cache-Control"]
    record = agent.get(f"/records/{verification.request_id}/")
    api = APIClient()
    api.force_authenticate(staff_user)
    stored = api.get(f"/verifications/{verification.request_id}")

    for response in (record, stored):
        assert response.status_code == 200
        assert "no-store" in response["Cache-Control"]
    assert_passes_the_policy(record, "record")


def test_a_field_sent_twice_is_refused(agent):
    rendered = passing_label()
    response = agent.post(
        "/", {"images": upload(rendered), "brand_name": ["Old Tom", "Stone's Throw"]}
    )

    assert response.status_code == 400
    assert "brand_name was sent 2 times" in response.content.decode()
    assert Verification.objects.count() == 0


def test_a_control_character_in_a_form_field_is_refused(agent):
    rendered = passing_label()
    response = agent.post("/", {"images": upload(rendered), "bottler": "Old\x1bTom"})

    assert response.status_code == 400
    assert "control character (U+001B)" in response.content.decode()
    assert Verification.objects.count() == 0


def test_the_batch_form_refuses_a_field_sent_twice(agent):
    archive = SimpleUploadedFile("labels.zip", b"PK\x05\x06" + b"\x00" * 18)
    response = agent.post("/batches/", {"archive": archive, "save_copy": ["on", "on"]})

    assert response.status_code == 400
    assert "save_copy was sent 2 times" in response.content.decode()
    assert Batch.objects.count() == 0


@pytest.mark.parametrize("path", ["/accounts/password_reset/", "/accounts/password_reset/done/"])
def test_password_reset_is_off_without_mail(client, settings, path):
    assert settings.EMAIL_HOST is None
    assert client.get(path).status_code == 404
    assert client.post(path, {"email": "boss@example.gov"}).status_code == 404
