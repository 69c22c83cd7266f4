"""Issue 15, finding 1: text and JSON that cannot be stored are refused with 400
in the error shape before any work, on both databases, and nothing is stored."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.api.helpers import error_of, image_bytes, upload
from verifier.models import Batch, BatchItem, Verification

pytestmark = pytest.mark.django_db

DEEP = "[" * 100_000  # the outside test's document
NUL = "\x00"
LONE_SURROGATE = "a\ud800"


def rows() -> tuple[int, int, int]:
    return Verification.objects.count(), Batch.objects.count(), BatchItem.objects.count()


def refused(response: Any, code: str, *words: str) -> dict[str, Any]:
    assert response.status_code == 400, response.content
    error = error_of(response)
    assert error["code"] == code, error
    for word in words:
        assert word in error["message"], error
    assert rows() == (0, 0, 0)
    return error


def verify(client: Any, **fields: Any) -> Any:
    return client.post("/verify", {"image": upload(image_bytes()), **fields}, format="multipart")


@pytest.mark.parametrize("field", ["application", "ground_truth"])
@pytest.mark.parametrize(
    ("text", "code", "word"),
    [
        # json.dumps writes NUL as \u0000 and a lone surrogate as \ud800: valid JSON.
        (json.dumps({"brand_name": f"Old{NUL}Tom"}), "invalid_text", "NUL"),
        (json.dumps({"brand_name": LONE_SURROGATE}), "invalid_text", "surrogate"),
        (DEEP, "json_too_deep", "deeper"),
        ('{"brand_name": "Old Tom", "net_contents": NaN}', "malformed_json", "NaN"),
    ],
    ids=["nul", "lone-surrogate", "deep", "nan"],
)
def test_json_application_data(anonymous_client, field, text, code, word):
    refused(verify(anonymous_client, **{field: text}), code, field, word)


def test_json_larger_than_the_limit(anonymous_client, settings):
    settings.MAX_JSON_KB = 1
    text = json.dumps({"brand_name": "x" * 400, "bottler": "y" * 400, "class_type": "z" * 400})
    refused(verify(anonymous_client, application=text), "json_too_large", "limit")


@pytest.mark.parametrize("character", ["\x00", "\x01", "\x1b", "\x7f", "\x85", "\t", "\n"])
def test_control_characters_in_a_single_line_field(anonymous_client, character):
    error = refused(verify(anonymous_client, brand_name=f"Old{character}Tom"), "invalid_text")
    assert error["details"] == {"field": "brand_name"}


def test_line_breaks_are_fine_in_a_multi_line_field_but_not_in_its_values(anonymous_client):
    # The JSON document may be laid out on lines; its values are single-line fields.
    text = '{\n\t"brand_name": "Old\\u0007Tom"\n}'
    refused(verify(anonymous_client, application=text), "invalid_text", "U+0007")


def test_a_field_sent_twice(anonymous_client):
    response = anonymous_client.post(
        "/verify",
        {"image": upload(image_bytes()), "brand_name": ["Old Tom", "New Tom"]},
        format="multipart",
    )
    refused(response, "duplicate_field", "brand_name")


def test_a_deep_json_request_body(anonymous_client):
    response = anonymous_client.post("/verify", DEEP, content_type="application/json")
    refused(response, "json_too_deep", "request body")


def test_a_json_list_body(anonymous_client):
    response = anonymous_client.post("/verify", "[1, 2]", content_type="application/json")
    refused(response, "invalid_request")


def post_batch(client: Any, manifest: bytes, name: str) -> Any:
    return client.post(
        "/verify/batch",
        {"image": [upload(image_bytes(), "a.png")], "manifest": upload(manifest, name)},
        format="multipart",
    )


@pytest.mark.parametrize(
    ("manifest", "name", "code", "word"),
    [
        (b"file,brand_name\na.png,Old\x00Tom\n", "manifest.csv", "invalid_text", "NUL"),
        (b"file,brand_name\na.png,Old\x1bTom\n", "manifest.csv", "invalid_text", "U+001B"),
        (DEEP.encode(), "manifest.json", "json_too_deep", "deeper"),
        (
            json.dumps([{"file": "a.png", "application": {"brand_name": "Old\x00Tom"}}]).encode(),
            "manifest.json",
            "invalid_text",
            "NUL",
        ),
        (
            json.dumps(
                [{"file": "a.png", "ground_truth": {"brand_name": LONE_SURROGATE}}]
            ).encode(),
            "manifest.json",
            "invalid_text",
            "surrogate",
        ),
    ],
    ids=["csv-nul", "csv-escape", "json-deep", "json-nul", "json-surrogate"],
)
def test_manifests(api_client, manifest, name, code, word):
    refused(post_batch(api_client, manifest, name), code, "manifest", word)


@pytest.fixture
def admin_client_(client: Any, django_user_model: Any) -> Any:
    admin = django_user_model.objects.create_superuser(username="boss", password="pw-boss-123")
    client.force_login(admin)
    return client


@pytest.mark.parametrize(
    "path",
    [
        "/admin/verifier/verification/?q=%00",
        "/admin/artifacts/artifact/?q=Old%00Tom",
        "/admin/artifacts/artifact/?state=%01",
    ],
)
def test_admin_query_parameters(admin_client_, path):
    refused(admin_client_.get(path), "invalid_text", "Query parameter")


def test_api_query_parameters(api_client):
    refused(api_client.get("/artifacts", {"brand": "Old\x00Tom"}), "invalid_text", "brand")
