"""`POST /verify`: accepted requests, every input spelling, and their audit rows."""

from __future__ import annotations

import hashlib
import json
from typing import Any

import pytest

from tests.api.helpers import application_json, error_of, panel_uploads, upload
from verifier.models import Channel, Verification

pytestmark = pytest.mark.django_db


def verify(client: Any, images: list, **fields: Any) -> Any:
    return client.post("/verify", {"image": images, **fields}, format="multipart")


def test_compliant_label_with_application_json(api_client, user, compliant_label):
    response = verify(
        api_client, panel_uploads(compliant_label), application=application_json(compliant_label)
    )

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "COMPLIANT"
    assert body["validation_level"] == "FULL_VALIDATION"
    assert body["violations"] == []
    assert body["backend"] == "tesseract"
    assert response["X-Request-ID"] == body["request_id"]
    check = next(c for c in body["checks"] if c["id"] == "brand_name")
    assert check["outcome"] == "pass"
    assert check["cfr"]
    assert check["evidence"] and check["evidence"][0]["box"]["width"] > 0
    assert body["extracted_fields"]["brand_name"]["text"] == compliant_label.spec.brand
    assert body["processing_time_seconds"] > 0

    row = Verification.objects.get()
    assert str(row.request_id) == body["request_id"]
    assert row.channel == Channel.API
    assert row.user == user
    assert row.client_ip == "127.0.0.1"
    assert row.verdict == "COMPLIANT"
    assert row.brand_name == compliant_label.spec.brand
    assert row.check_outcomes["brand_name"] == "pass"
    assert row.images[0]["sha256"] == hashlib.sha256(compliant_label.panels[0]).hexdigest()
    assert row.images[0]["format"] == compliant_label.image_format
    assert row.images[0]["size_bytes"] == len(compliant_label.panels[0])
    assert row.images[0]["width"] > 0
    assert row.result == body


def test_individual_fields_report_a_brand_mismatch(api_client, brand_mismatch_label):
    application = brand_mismatch_label.application
    response = verify(
        api_client,
        panel_uploads(brand_mismatch_label),
        brand_name=application.brand_name,
        class_type=application.class_type,
        alcohol_content=application.alcohol_content,
        net_contents=application.net_contents,
        bottler=application.bottler,
        beverage_type=str(application.beverage_type),
        is_import="true" if application.is_import else "false",
        **({"country_of_origin": application.country_of_origin} if application.is_import else {}),
    )

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "NON_COMPLIANT"
    assert body["application"]["brand_name"] == "Northern Lights"
    violation = next(v for v in body["violations"] if v["check"] == "brand_name")
    assert violation["field"] == "brand_name"
    assert violation["expected"] == "Northern Lights"
    assert violation["type"] in {"mismatch", "missing"}
    assert Verification.objects.get().verdict == "NON_COMPLIANT"


def test_without_application_data_is_structural_only(anonymous_client, compliant_label):
    response = verify(anonymous_client, panel_uploads(compliant_label))

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["validation_level"] == "STRUCTURAL_ONLY"
    assert body["application"] == {}
    row = Verification.objects.get()
    assert row.user is None and row.application == {}


def test_replaced_system_ground_truth_is_mapped(anonymous_client, compliant_label):
    spec = compliant_label.spec
    product_type = {"wine": "wine", "distilled_spirits": "spirits", "malt_beverage": "beer"}[
        str(spec.beverage_type)
    ]
    ground_truth = {
        "brand_name": spec.brand,
        "abv": spec.abv,
        "net_contents": spec.net_contents,
        "bottler": compliant_label.application.bottler,
        "product_type": product_type,
    }
    response = verify(
        anonymous_client,
        panel_uploads(compliant_label),
        ground_truth=json.dumps(ground_truth),
        ocr_backend="tesseract",
        timeout="20",
    )

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["validation_level"] == "FULL_VALIDATION"
    assert body["application"] == {
        "brand_name": spec.brand,
        "alcohol_content": f"{spec.abv:g}%",
        "net_contents": spec.net_contents,
        "bottler": compliant_label.application.bottler,
        "beverage_type": str(spec.beverage_type),
    }
    for key in ("validation_level", "violations", "warnings", "processing_time_seconds"):
        assert key in body
    assert body["status"] in {"COMPLIANT", "NEEDS_REVIEW"}
    assert Verification.objects.count() == 1


def test_panels_of_one_label_set_are_read_together(api_client, two_panel_label):
    response = verify(
        api_client, panel_uploads(two_panel_label), application=application_json(two_panel_label)
    )

    assert response.status_code == 200, response.content
    body = response.json()
    assert len(body["images"]) == 2
    panels_with_evidence = {e["panel"] for c in body["checks"] for e in c["evidence"]}
    assert panels_with_evidence == {0, 1}
    assert body["status"] == two_panel_label.expected_verdict
    row = Verification.objects.get()
    assert [image["size_bytes"] for image in row.images] == [
        len(panel) for panel in two_panel_label.panels
    ]


def test_format_is_recognised_by_content_not_name(anonymous_client, compliant_label):
    misnamed = upload(compliant_label.panels[0], "label.gif")
    response = verify(anonymous_client, [misnamed])

    assert response.status_code == 200, response.content
    assert response.json()["images"][0]["format"] == compliant_label.image_format


def test_dpi_and_beverage_type_aliases_are_accepted(anonymous_client, compliant_label):
    response = verify(
        anonymous_client, panel_uploads(compliant_label), dpi="300", beverage_type="Spirits"
    )

    assert response.status_code == 200, response.content
    assert response.json()["application"] == {"beverage_type": "distilled_spirits"}


def test_anonymous_is_refused_when_not_allowed(anonymous_client, settings, compliant_label):
    settings.VERIFY_ALLOW_ANONYMOUS = False

    response = verify(anonymous_client, panel_uploads(compliant_label))

    assert response.status_code in (401, 403)
    assert error_of(response)["code"] == "not_authenticated"
    assert Verification.objects.count() == 0


def test_each_verification_writes_exactly_one_row(api_client, compliant_label):
    for _ in range(3):
        assert verify(api_client, panel_uploads(compliant_label)).status_code == 200

    assert Verification.objects.count() == 3
    assert len(set(Verification.objects.values_list("request_id", flat=True))) == 3
