"""`POST|GET /verifications/{id}/decisions`: ownership, the error shape, the schema."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
import yaml

from verifier.models import Decision, Verification

pytestmark = pytest.mark.django_db


def verification(user: Any, **fields: Any) -> Verification:
    defaults: dict[str, Any] = {
        "request_id": uuid.uuid4(),
        "user": user,
        "channel": "api",
        "backend_requested": "tesseract",
        "backend_used": "tesseract",
        "engine_version": "2.0.1",
        "verdict": "NEEDS_REVIEW",
        "result": {"status": "NEEDS_REVIEW"},
        "processing_ms": 300,
    }
    return Verification.objects.create(**{**defaults, **fields})


def url(row: Verification) -> str:
    return f"/verifications/{row.request_id}/decisions"


def test_owner_records_decisions_and_lists_them_newest_first(api_client, user):
    row = verification(user)
    first = api_client.post(url(row), {"outcome": "reject", "note": "Wrong ABV."}, format="json")
    assert first.status_code == 201, first.content
    body = first.json()
    assert body["outcome"] == "reject"
    assert body["note"] == "Wrong ABV."
    assert body["user"] == "agent"
    assert body["channel"] == "api"
    assert body["request_id"] == str(row.request_id)
    assert body["check_overrides"] == {}

    second = api_client.post(
        url(row),
        {
            "outcome": "approve",
            "check_overrides": {"brand_name": {"outcome": "pass", "reason": "misread"}},
        },
        format="json",
    )
    assert second.status_code == 201, second.content
    assert second.json()["check_overrides"] == {
        "brand_name": {"outcome": "pass", "reason": "misread"}
    }

    listed = api_client.get(url(row))
    assert listed.status_code == 200
    assert [item["id"] for item in listed.json()] == [second.json()["id"], body["id"]]
    assert Verification.objects.get(pk=row.pk).verdict == "NEEDS_REVIEW"


def test_someone_elses_verification_is_absent_but_staff_see_it(
    client_for, user, other_user, staff_user
):
    row = verification(user)
    stranger = client_for(other_user)
    assert stranger.get(url(row)).status_code == 404
    refused = stranger.post(url(row), {"outcome": "approve"}, format="json")
    assert refused.status_code == 404
    assert refused.json()["error"]["code"] == "not_found"
    assert not Decision.objects.exists()

    staff = client_for(staff_user)
    assert staff.post(url(row), {"outcome": "approve"}, format="json").status_code == 201
    assert [item["user"] for item in staff.get(url(row)).json()] == ["auditor"]
    missing = f"/verifications/{uuid.uuid4()}/decisions"
    assert staff.get(missing).status_code == 404


def test_anonymous_clients_are_refused(anonymous_client, user):
    row = verification(user)
    response = anonymous_client.post(url(row), {"outcome": "approve"}, format="json")
    assert response.status_code in (401, 403)
    assert "error" in response.json()
    assert anonymous_client.get(url(row)).status_code in (401, 403)
    assert not Decision.objects.exists()


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"outcome": "maybe"}, "invalid_request"),
        ({}, "invalid_request"),
        ({"outcome": "approve", "verdict": "COMPLIANT"}, "invalid_request"),
        ({"outcome": "approve", "check_overrides": {"brand_name": {"outcome": "great"}}}, None),
        (
            {"outcome": "approve", "check_overrides": {"no_such_check": {"outcome": "pass"}}},
            "invalid_decision",
        ),
        (
            {"outcome": "approve", "check_overrides": {"brand_name": {"outcome": "pass"}}},
            "invalid_decision",
        ),
        ({"outcome": "approve", "note": "a\x00b"}, None),
    ],
)
def test_bad_decisions_get_the_error_shape_and_write_nothing(api_client, user, body, code):
    response = api_client.post(url(verification(user)), body, format="json")
    assert response.status_code == 400, response.content
    error = response.json()["error"]
    assert set(error) == {"code", "message", "details"}
    assert error["message"]
    if code:
        assert error["code"] == code
    assert not Decision.objects.exists()


def test_the_schema_documents_both_operations(api_client):
    response = api_client.get("/api/schema/")
    assert response.status_code == 200
    schema = yaml.safe_load(response.content)
    path = schema["paths"]["/verifications/{request_id}/decisions"]
    assert path["post"]["operationId"] == "verification_decision_create"
    assert "201" in path["post"]["responses"]
    assert path["get"]["operationId"] == "verification_decision_list"
    outcome = schema["components"]["schemas"]["DecisionInput"]["properties"]["outcome"]
    assert outcome  # an enum of approve / reject / request_correction
