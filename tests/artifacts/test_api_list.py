"""GET /artifacts: filters, pagination, permission."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone
from rest_framework.pagination import PageNumberPagination

from artifacts.models import Artifact

pytestmark = pytest.mark.django_db


def ids(response: Any) -> set[int]:
    assert response.status_code == 200, response.content
    return {item["id"] for item in response.json()["results"]}


def test_filters(viewer: Client, save: Any) -> None:
    today = save(verdict="COMPLIANT", brand_name="Stone Ridge", beverage_type="wine")
    old = save(verdict="NON_COMPLIANT", brand_name="Old Tom", beverage_type="distilled_spirits")
    ollama = save(verdict="NEEDS_REVIEW", brand_name="Hop Yard", backend_used="ollama")
    Artifact.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=10))
    day = timezone.now().date()

    assert ids(viewer.get("/artifacts")) == {today.pk, old.pk, ollama.pk}
    assert ids(viewer.get("/artifacts", {"start_date": day.isoformat()})) == {today.pk, ollama.pk}
    week_ago = (day - timedelta(days=7)).isoformat()
    assert ids(viewer.get("/artifacts", {"end_date": week_ago})) == {old.pk}
    assert ids(viewer.get("/artifacts", {"validation_status": "compliant"})) == {today.pk}
    assert ids(viewer.get("/artifacts", {"ocr_backend": "ollama"})) == {ollama.pk}
    assert ids(viewer.get("/artifacts", {"beverage_type": "distilled_spirits"})) == {old.pk}
    assert ids(viewer.get("/artifacts", {"brand": "ridge"})) == {today.pk}


def test_item_shape(viewer: Client, save: Any) -> None:
    artifact = save(verdict="COMPLIANT")
    item = viewer.get("/artifacts").json()["results"][0]
    assert item["request_id"] == str(artifact.request_id)
    assert item["state"] == "stored"
    assert item["validation_passed"] is True
    assert item["url"].endswith(f"/artifacts/{artifact.pk}")


def test_paginated(viewer: Client, save: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(PageNumberPagination, "page_size", 2)
    for _ in range(3):
        save()
    first = viewer.get("/artifacts").json()
    assert (first["count"], len(first["results"])) == (3, 2)
    assert len(viewer.get(first["next"]).json()["results"]) == 1


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"start_date": "yesterday"}, "start_date"),
        ({"validation_status": "great"}, "validation_status"),
        ({"start_date": "2025-02-01", "end_date": "2025-01-01"}, "end_date"),
    ],
)
def test_bad_filters_are_400_with_the_field(
    viewer: Client, params: dict[str, str], field: str
) -> None:
    response = viewer.get("/artifacts", params)
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid_request"
    assert error["message"].startswith(field)


def test_needs_login_and_permission(client: Client) -> None:
    assert client.get("/artifacts").status_code in (401, 403)
    client.force_login(User.objects.create_user("nobody"))
    response = client.get("/artifacts")
    assert response.status_code == 403
    assert response.json()["error"]["message"] == "You need the permission to view artifacts."
