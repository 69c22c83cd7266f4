"""`POST /verify` with bad input: a 4xx in the one error shape naming the problem,
and nothing written (no audit row) for any rejected request."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from PIL import Image

from tests.api.helpers import error_of, image_bytes, panel_uploads, upload
from verifier.models import Verification

pytestmark = pytest.mark.django_db


def rejected(response: Any, status: int, code: str, *words: str) -> dict[str, Any]:
    assert response.status_code == status, response.content
    error = error_of(response)
    assert error["code"] == code, error
    for word in words:
        assert word in error["message"], error
    assert Verification.objects.count() == 0
    return error


def verify(client: Any, **fields: Any) -> Any:
    return client.post("/verify", fields, format="multipart")


def test_no_image(anonymous_client):
    response = verify(anonymous_client, brand_name="Old Harbor")
    rejected(response, 400, "image_required", "image")


def test_image_sent_as_text_instead_of_a_file(anonymous_client):
    response = verify(anonymous_client, image="label.png")
    rejected(response, 400, "image_required", "file upload")


@pytest.mark.parametrize(
    "data",
    [b"GIF89a" + b"\x00" * 64, b"%PDF-1.7 not a label", image_bytes("BMP")],
    ids=["gif", "pdf", "bmp"],
)
def test_unsupported_format(anonymous_client, data):
    response = verify(anonymous_client, image=upload(data, "label.png"))
    rejected(response, 415, "unsupported_media_type", "JPEG")


def test_corrupt_image(anonymous_client):
    truncated = image_bytes("PNG", (400, 300))[:60]
    response = verify(anonymous_client, image=upload(truncated))
    rejected(response, 400, "corrupt_image")


def test_file_over_the_upload_limit(anonymous_client, settings):
    settings.MAX_UPLOAD_MB = 1
    big = image_bytes("PNG") + b"\x00" * (1024 * 1024)
    response = verify(anonymous_client, image=upload(big, "huge.png"))
    error = rejected(response, 413, "file_too_large", "huge.png", "1 MB")
    assert error["details"]["field"] == "image"


def test_decompression_bomb(anonymous_client):
    buffer = io.BytesIO()
    Image.new("1", (9000, 9000), 1).save(buffer, format="PNG")  # 81 Mpx in a few kB
    response = verify(anonymous_client, image=upload(buffer.getvalue(), "bomb.png"))
    rejected(response, 413, "image_too_large", "pixels")


def test_pixel_limit_follows_the_setting(anonymous_client, settings):
    settings.MAX_IMAGE_PIXELS = 1_000_000
    buffer = io.BytesIO()
    Image.new("L", (1200, 1000), 255).save(buffer, format="PNG")  # 1.2 Mpx: under the default
    response = verify(anonymous_client, image=upload(buffer.getvalue(), "scan.png"))
    error = rejected(response, 413, "image_too_large", "1,000,000 pixels")
    assert error["details"]["max_pixels"] == 1_000_000


def test_too_many_panels(anonymous_client, settings, compliant_label):
    settings.MAX_PANELS = 2
    images = panel_uploads(compliant_label) * 3
    response = verify(anonymous_client, image=images)
    rejected(response, 400, "too_many_panels", "at most 2")


@pytest.mark.parametrize(
    ("field", "value"),
    [("application", "{not json"), ("application", "[1, 2]"), ("ground_truth", "{'abv': 4}")],
)
def test_malformed_json(anonymous_client, compliant_label, field, value):
    response = verify(anonymous_client, image=panel_uploads(compliant_label), **{field: value})
    error = rejected(response, 400, "malformed_json", field)
    assert error["details"]["field"] == field


@pytest.mark.parametrize(
    "fields",
    [
        {"beverage_type": "cider"},
        {"application": json.dumps({"beverage_type": "sake"})},
        {"ground_truth": json.dumps({"product_type": "cider"})},
    ],
    ids=["field", "application", "ground_truth"],
)
def test_unknown_beverage_type(anonymous_client, compliant_label, fields):
    response = verify(anonymous_client, image=panel_uploads(compliant_label), **fields)
    rejected(response, 400, "unknown_beverage_type", "wine")


def test_unknown_form_fields_are_named(anonymous_client, compliant_label):
    response = verify(
        anonymous_client, image=panel_uploads(compliant_label), brand="X", colour="red"
    )
    error = rejected(response, 400, "unknown_fields", "brand", "colour")
    assert error["details"]["unknown"] == ["brand", "colour"]


def test_unknown_keys_in_application_json(anonymous_client, compliant_label):
    document = json.dumps({"brand_name": "X", "abv": 40})
    response = verify(anonymous_client, image=panel_uploads(compliant_label), application=document)
    rejected(response, 400, "unknown_fields", "abv")


def test_application_given_two_ways(anonymous_client, compliant_label):
    response = verify(
        anonymous_client,
        image=panel_uploads(compliant_label),
        application=json.dumps({"brand_name": "X"}),
        brand_name="Y",
    )
    rejected(response, 400, "ambiguous_application", "application", "individual fields")


@pytest.mark.parametrize(
    ("fields", "named"),
    [
        ({"ocr_backend": "gpt"}, "ocr_backend"),
        ({"dpi": "-3"}, "dpi"),
        ({"save_artifact": "perhaps"}, "save_artifact"),
        ({"timeout": "soon"}, "timeout"),
        ({"is_import": "maybe"}, "is_import"),
    ],
)
def test_invalid_option_values_name_the_field(anonymous_client, compliant_label, fields, named):
    response = verify(anonymous_client, image=panel_uploads(compliant_label), **fields)
    rejected(response, 400, "invalid_request", named)


def test_ground_truth_abv_must_be_a_number(anonymous_client, compliant_label):
    document = json.dumps({"abv": "forty"})
    response = verify(anonymous_client, image=panel_uploads(compliant_label), ground_truth=document)
    rejected(response, 400, "invalid_application", "abv")


def test_unavailable_backend_is_503(anonymous_client, compliant_label):
    response = verify(anonymous_client, image=panel_uploads(compliant_label), ocr_backend="ollama")
    if response.status_code == 200:
        pytest.skip("an Ollama backend answered here")
    rejected(response, 503, "backend_unavailable")
