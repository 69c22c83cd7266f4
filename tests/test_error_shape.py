"""Every API error answers in one JSON shape: {"error": {"code", "message", "details"}}."""

from __future__ import annotations

import pytest
from django.test import Client


def assert_error_shape(body: dict) -> dict:
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "details"}
    assert isinstance(body["error"]["message"], str) and body["error"]["message"]
    return body["error"]


def test_unknown_api_path_is_a_json_404() -> None:
    response = Client().get("/no/such/endpoint", HTTP_ACCEPT="application/json")

    assert response.status_code == 404
    error = assert_error_shape(response.json())
    assert error["code"] == "not_found"
    assert "/no/such/endpoint" in error["message"]


def test_a_browser_gets_a_readable_404_page() -> None:
    response = Client().get("/no/such/page", HTTP_ACCEPT="text/html")

    assert response.status_code == 404
    assert b"Page not found" in response.content


@pytest.mark.django_db
def test_schema_and_docs_are_served_without_a_cdn() -> None:
    client = Client()
    schema = client.get("/api/schema/")
    docs = client.get("/api/docs/")

    assert schema.status_code == 200
    assert b"openapi" in schema.content
    assert docs.status_code == 200
    html = docs.content.decode()
    assert "cdn" not in html.lower() and "unpkg" not in html.lower()
    assert "/static/drf_spectacular_sidecar/" in html
