"""The audit row is append-only: no update, no delete, from code or in bulk."""

from __future__ import annotations

import pytest

from tests.api.helpers import panel_uploads
from ttbsite.append_only import AppendOnlyError
from verifier.engine.ocr import get_backend
from verifier.engine.ocr.tesseract import tesseract_version
from verifier.models import Verification

pytestmark = pytest.mark.django_db


@pytest.fixture
def row(anonymous_client, compliant_label) -> Verification:
    response = anonymous_client.post(
        "/verify", {"image": panel_uploads(compliant_label)}, format="multipart"
    )
    assert response.status_code == 200
    return Verification.objects.get()


def test_a_row_cannot_be_changed(row):
    row.verdict = "COMPLIANT" if row.verdict != "COMPLIANT" else "NON_COMPLIANT"
    with pytest.raises(AppendOnlyError):
        row.save()
    with pytest.raises(AppendOnlyError):
        Verification.objects.filter(pk=row.pk).update(verdict="NEEDS_REVIEW")
    assert Verification.objects.get(pk=row.pk).verdict == row.result["status"]


def test_a_row_cannot_be_deleted(row):
    with pytest.raises(AppendOnlyError):
        row.delete()
    with pytest.raises(AppendOnlyError):
        Verification.objects.all().delete()
    assert Verification.objects.count() == 1


def test_a_row_names_the_engine_and_the_ocr_release_that_read(row):
    assert row.engine_version == row.result["engine_version"]
    # A label that did not pass every check was read again by the second engine.
    expected = {"tesseract": tesseract_version()}
    if row.verdict != "COMPLIANT":
        expected["rapidocr"] = get_backend("rapidocr").version
    assert row.backend_versions == expected
    assert row.result["backend_versions"] == row.backend_versions
