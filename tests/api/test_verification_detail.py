"""`GET /verifications/{request_id}`: the stored answer, for its owner and staff."""

from __future__ import annotations

import uuid

import pytest

from tests.api.helpers import error_of, panel_uploads

pytestmark = pytest.mark.django_db


@pytest.fixture
def verified(api_client, compliant_label) -> dict:
    response = api_client.post(
        "/verify", {"image": panel_uploads(compliant_label)}, format="multipart"
    )
    assert response.status_code == 200
    return response.json()


def test_owner_reads_the_stored_answer(api_client, verified):
    response = api_client.get(f"/verifications/{verified['request_id']}")

    assert response.status_code == 200
    body = response.json()
    assert body["channel"] == "api"
    assert body["created_at"]
    assert body["artifact"] is None  # nothing was saved
    stored = {k: v for k, v in body.items() if k not in ("channel", "created_at", "artifact")}
    assert stored == verified


def test_staff_read_anyone_s(client_for, staff_user, verified):
    response = client_for(staff_user).get(f"/verifications/{verified['request_id']}")
    assert response.status_code == 200
    assert response.json()["status"] == verified["status"]


def test_another_user_gets_404(client_for, other_user, verified):
    response = client_for(other_user).get(f"/verifications/{verified['request_id']}")
    assert response.status_code == 404
    assert error_of(response)["code"] == "not_found"


def test_anonymous_needs_to_log_in(anonymous_client, verified):
    response = anonymous_client.get(f"/verifications/{verified['request_id']}")
    assert response.status_code in (401, 403)
    assert error_of(response)["code"] == "not_authenticated"


def test_unknown_id_is_404(api_client):
    response = api_client.get(f"/verifications/{uuid.uuid4()}")
    assert response.status_code == 404
    assert "No verification" in error_of(response)["message"]
