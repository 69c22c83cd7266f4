"""compare_backends end to end on stored artifacts: Tesseract, the fake Ollama server
through the real client, RapidOCR; skipping, resuming, the admin report and CSV."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone

from analytics.models import ComparisonOutcome, ComparisonReading, ComparisonRun
from artifacts.services import artifact_save
from labelgen import render_label, spec_for_seed
from tests.analytics.conftest import audit_row
from tests.engine.ollama_doubles import MODEL, chat_answer, label_lines
from tests.fake_ollama import FakeOllama, tags_reply
from verifier.application_data import application_to_json
from verifier.engine.ocr.ollama import clear_availability_cache
from verifier.models import Verification

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def rendered_labels():
    """Two compliant labels."""
    return [render_label(spec_for_seed(seed)) for seed in (3, 21)]


@pytest.fixture
def stored_labels(add_rows, rendered_labels) -> list[Verification]:
    """Audit rows saying what the first reading found, and their stored images."""
    stored = []
    # The second label's first reading failed its brand (a misread): a disagreement.
    for label, brand in zip(rendered_labels, ("pass", "fail"), strict=True):
        checks = {"brand_name": brand, "warning_text": "pass", "net_contents": "pass"}
        row = audit_row(at=timezone.now() - timedelta(hours=2), checks=checks)
        row.application = application_to_json(label.application)
        (verification,) = add_rows(row)
        artifact = artifact_save(
            verification=verification,
            images=label.panels,
            extracted_text={"panels": []},
            result=verification.result,
        )
        assert artifact.state == "stored"
        stored.append(verification)
    return stored


@pytest.fixture
def fake_ollama(settings, rendered_labels) -> Iterator[FakeOllama]:
    clear_availability_cache()
    with FakeOllama() as server:
        settings.OLLAMA_HOST = server.url
        settings.OLLAMA_MODEL = MODEL
        server.route("GET", "/api/tags", tags_reply(f"{MODEL}:latest"))
        server.route("POST", "/api/chat", chat_answer(label_lines(rendered_labels[0].spec)))
        yield server
    clear_availability_cache()


def compare(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("compare_backends", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def since() -> str:
    return (timezone.now() - timedelta(days=1)).date().isoformat()


def test_three_backends_compared_check_by_check_and_the_audit_rows_untouched(
    stored_labels, fake_ollama
):
    before = list(Verification.objects.order_by("pk").values())
    first = stored_labels[0]

    output, _ = compare(
        "--since", since(), "--ids", str(first.pk), "--backends", "tesseract,ollama,rapidocr"
    )

    run = ComparisonRun.objects.get()
    assert f"Run {run.pk} finished: 3 reading(s)." in output
    assert run.finished_at is not None and run.skipped_backends == {}
    readings = {r.backend: r for r in run.readings.all()}
    assert set(readings) == {"tesseract", "ollama", "rapidocr"}
    for backend, reading in readings.items():
        assert reading.verification_id == first.pk and reading.status == "ok", backend
        assert reading.seconds > 0 and reading.verdict in ("COMPLIANT", "NEEDS_REVIEW")
        brand = reading.outcomes.get(check_id="brand_name")
        assert brand.outcome == "pass" and brand.original_outcome == "pass"
        assert brand.found == rendered_brand(first)
        assert reading.outcomes.count() >= 10  # every check the engine ran, not only the audit's
    assert readings["tesseract"].verdict == "COMPLIANT"
    assert readings["tesseract"].extracted_text["panels"][0]["lines"]
    assert list(Verification.objects.order_by("pk").values()) == before


def rendered_brand(verification: Verification) -> str:
    return verification.application["brand_name"]


def test_unavailable_backends_are_skipped_saying_why(stored_labels, fake_ollama, settings):
    fake_ollama.route("GET", "/api/tags", tags_reply("some-other-model:latest"))

    ids = [str(verification.pk) for verification in stored_labels]

    _, errors = compare(
        "--since", since(), "--ids", *ids, "--backends", "tesseract,ollama,nonesuch"
    )

    run = ComparisonRun.objects.get()
    assert run.verification_ids == [verification.pk for verification in stored_labels]
    assert "Skipping nonesuch: unknown backend" in errors
    assert "Skipping ollama:" in errors and MODEL in run.skipped_backends["ollama"]
    assert sorted(run.readings.values_list("backend", "verification_id")) == [
        ("tesseract", verification.pk) for verification in stored_labels
    ]
    settings.OLLAMA_HOST = None
    with pytest.raises(CommandError, match="None of the backends"):
        compare("--since", since(), "--backends", "ollama")


def test_a_run_resumes_where_it_stopped(stored_labels):
    compare("--since", since(), "--backends", "tesseract")
    run = ComparisonRun.objects.get()
    kept = ComparisonReading.objects.get(verification=stored_labels[0])
    ComparisonReading.objects.filter(verification=stored_labels[1]).delete()  # as if stopped

    output, _ = compare("--resume", str(run.pk))

    assert "finished: 2 reading(s)" in output and ComparisonRun.objects.count() == 1
    assert ComparisonReading.objects.get(verification=stored_labels[0]).pk == kept.pk  # not re-read
    assert ComparisonReading.objects.get(verification=stored_labels[1]).status == "ok"


def test_admin_report_matrix_disagreements_timings_and_csv(stored_labels, client: Client):
    compare("--since", since(), "--backends", "tesseract")
    run = ComparisonRun.objects.get()
    client.force_login(User.objects.create_superuser("boss"))

    page = client.get(f"/admin/analytics/comparisonrun/{run.pk}/change/").content.decode()

    assert "<caption>brand_name</caption>" in page
    # brand_name: the audit rows said pass and fail, Tesseract read both as pass.
    assert "1/2 (50%)" in page and "2/2 (100%)" in page
    second = stored_labels[1]
    assert f'href="/admin/verifier/verification/{second.pk}/change/"' in page
    assert "/admin/artifacts/artifact/" in page and "Timings" in page
    response = client.get(f"/admin/analytics/comparisonrun/{run.pk}/csv/")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:3] == ["verification_id", "request_id", "backend"]
    assert len(rows) - 1 == ComparisonOutcome.objects.filter(reading__run=run).count()


def test_a_label_whose_filed_data_no_longer_parses_is_a_failed_reading_not_a_crash(
    add_rows, rendered_labels
):
    row = audit_row(at=timezone.now() - timedelta(hours=1))
    row.application = {"brand_name": "Black Fox", "vintage_year": 2019}  # no such field now
    (verification,) = add_rows(row)
    artifact_save(
        verification=verification,
        images=rendered_labels[0].panels,
        extracted_text={"panels": []},
        result=verification.result,
    )

    compare("--since", since(), "--backends", "tesseract")

    reading = ComparisonReading.objects.get()
    assert reading.status == "failed" and "vintage_year" in reading.error
