"""Issue 15, finding 2 (API): /verify, batch creation and failed token
authentication are throttled with DRF's own throttle classes; a throttled
request gets 429 with Retry-After in the error shape and stores nothing."""

from __future__ import annotations

from typing import Any

import pytest
from knox.models import AuthToken
from rest_framework.test import APIClient

from tests.api.helpers import error_of, image_bytes, upload
from verifier.models import Batch, Verification

pytestmark = pytest.mark.django_db


def throttled(response: Any) -> dict[str, Any]:
    assert response.status_code == 429, response.content
    assert int(response["Retry-After"]) >= 1
    error = error_of(response)
    assert error["code"] == "throttled", error
    return error


@pytest.fixture
def rates(settings: Any) -> dict[str, str | None]:
    settings.API_THROTTLE_RATES = {
        "verify": "3/minute",
        "batches": "2/minute",
        "token_failures": "4/minute",
    }
    return settings.API_THROTTLE_RATES


def test_verify_is_throttled_per_client(rates, anonymous_client, client_for, user):
    for _ in range(3):  # rejected (no image) but counted: they are still requests
        assert anonymous_client.post("/verify", {}, format="multipart").status_code == 400

    throttled(
        anonymous_client.post("/verify", {"image": upload(image_bytes())}, format="multipart")
    )
    assert Verification.objects.count() == 0
    # A signed-in client is counted on its own.
    assert client_for(user).post("/verify", {}, format="multipart").status_code == 400


def test_batch_creation_is_throttled_but_reading_is_not(rates, api_client):
    for _ in range(2):
        response = api_client.post("/verify/batch", {}, format="multipart")
        assert response.status_code == 400

    image = [upload(image_bytes(), "a.png")]
    throttled(api_client.post("/verify/batch", {"image": image}, format="multipart"))
    assert Batch.objects.count() == 0
    assert api_client.get("/artifacts").status_code != 429


def test_guessing_tokens_is_throttled_and_a_real_token_from_elsewhere_still_works(rates, user):
    guesser = APIClient(REMOTE_ADDR="198.51.100.7")
    guesser.credentials(HTTP_AUTHORIZATION="Token " + "0" * 64)
    for _ in range(4):
        response = guesser.get("/artifacts")
        assert response.status_code == 401, response.content

    throttled(guesser.get("/artifacts"))
    # Even the right token is not looked up from an address that is guessing.
    _, token = AuthToken.objects.create(user=user)
    guesser.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    throttled(guesser.get("/artifacts"))

    elsewhere = APIClient(REMOTE_ADDR="203.0.113.5")
    elsewhere.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert elsewhere.get("/artifacts").status_code in (200, 403)
