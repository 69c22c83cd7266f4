"""Schemathesis against `/api/schema/`: generated requests to every operation,
authenticated, some with a real label image, must never get a 5xx, except the
documented 503/504 for an OCR backend that is unavailable."""

from __future__ import annotations

import io
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from knox.models import AuthToken

from tests.api.helpers import rendered

pytestmark = [pytest.mark.slow, pytest.mark.django_db]

EXAMPLES_PER_OPERATION = 25


def test_no_operation_answers_5xx(api_schema, user):
    _, token = AuthToken.objects.create(user=user)
    headers = {"Authorization": f"Token {token}"}
    label = rendered(3).panels[0]
    operations = [result.ok() for result in api_schema.get_all_operations()]
    paths = {operation.path for operation in operations}
    assert {"/verify", "/verify/batch", "/verifications/{request_id}"} <= paths
    server_errors: list[str] = []
    calls: list[str] = []

    for operation in operations:
        fuzz(operation, headers=headers, label=label, server_errors=server_errors, calls=calls)

    assert not server_errors, "\n".join(server_errors)
    for path in ("/verify", "/verify/batch"):
        answered = [call for call in calls if call.startswith(f"POST {path} ")]
        assert len(answered) >= 10, (path, len(answered))
    # Some generated requests must get past validation: a real label verified.
    assert "POST /verify 200" in calls


def fuzz(
    operation: Any, *, headers: dict, label: bytes, server_errors: list[str], calls: list[str]
) -> None:
    @given(case=operation.as_strategy(), data=st.data())
    @settings(
        max_examples=EXAMPLES_PER_OPERATION,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def check(case: Any, data: Any) -> None:
        body = case.body
        if isinstance(body, dict) and "image" in body and data.draw(st.booleans()):
            # A real label now and then, sent as a file (schemathesis sends binary
            # parts without a file name, which a form reads as text), with the
            # generated text fields or none of them.
            fields = {k: v for k, v in body.items() if k != "image" and isinstance(v, str)}
            form = fields if data.draw(st.booleans()) else {}
            form["image"] = [(io.BytesIO(label), "label.png")]
            response = case.call(headers=headers, data=form)
        else:
            response = case.call(headers=headers)
        calls.append(f"{operation.method.upper()} {operation.path} {response.status_code}")
        if response.status_code >= 500 and not _declared_unavailable(response):
            server_errors.append(
                f"{operation.method.upper()} {operation.path}: {response.status_code} "
                f"{response.text[:300]}"
            )

    check()


def _declared_unavailable(response: Any) -> bool:
    """503/504 naming an OCR backend that is off or slow is an answer, not a crash
    (e.g. `ocr_backend=ollama` where no vision model is configured)."""
    if response.status_code not in (503, 504):
        return False
    try:
        code = response.json()["error"]["code"]
    except (ValueError, KeyError, TypeError):
        return False
    return code in ("backend_unavailable", "backend_timeout")
