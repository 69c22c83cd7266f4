"""Fixtures for the agent pages: a staff account and labels with known answers."""

from __future__ import annotations

import csv
import io
import uuid
import zipfile
from functools import cache

import pytest
from django.test import Client

from labelgen import RenderedLabel, render_label, spec_for_seed
from verifier.models import Batch, BatchItem, BatchItemStatus, Channel, Verification

PASSWORD = "correct horse battery staple"


@cache
def label(seed: int, *failures: str) -> RenderedLabel:
    """A generated label; the engine reads these seeds as the generator intends."""
    return render_label(spec_for_seed(seed, failures=failures))


def passing_label() -> RenderedLabel:
    return label(1)


def changed_warning_label() -> RenderedLabel:
    """The warning says 'woman' where the law says 'women'."""
    return label(5, "warning_text")


def application_fields(rendered: RenderedLabel) -> dict[str, str]:
    """The application as an agent types it into the form."""
    values = rendered.application.to_dict()
    values.pop("is_import", None)
    return {key: str(value) for key, value in values.items()}


def batch_zip(*labels: RenderedLabel, manifest: bool = True) -> bytes:
    """A ZIP of `label-N.png` files and, by default, a manifest.csv with what was filed."""
    buffer = io.BytesIO()
    rows = []
    with zipfile.ZipFile(buffer, "w") as archive:
        for number, rendered in enumerate(labels, start=1):
            name = f"label-{number}.{rendered.image_format}"
            archive.writestr(name, rendered.panels[0])
            rows.append({"file": name, **application_fields(rendered)})
        if manifest:
            text = io.StringIO()
            columns = sorted({column for row in rows for column in row}, key=lambda c: c != "file")
            writer = csv.DictWriter(text, fieldnames=columns)
            writer.writeheader()
            writer.writerows(rows)
            archive.writestr("manifest.csv", text.getvalue())
    return buffer.getvalue()


_ANSWERS: dict[int, dict] = {}


def engine_answer(rendered: RenderedLabel) -> dict:
    """The stored answer for a label, computed once per test run (no audit row);
    labels come from `label()`'s cache, so the same label is the same object."""
    if id(rendered) not in _ANSWERS:
        _ANSWERS[id(rendered)] = _run_engine(rendered)
    return _ANSWERS[id(rendered)]


def _run_engine(rendered: RenderedLabel) -> dict:
    from dataclasses import asdict

    from verifier.application_data import application_from_mapping
    from verifier.engine import verify_label
    from verifier.services.verifications import verification_options, verification_payload

    application = application_from_mapping(application_fields(rendered))
    result = verify_label(list(rendered.panels), application, verification_options())
    return verification_payload(
        request_id=uuid.uuid4(),
        result=result,
        application=application,
        backend_requested="tesseract",
        processing_seconds=1.0,
        images=[asdict(image) for image in result.images],
    )


def record_for(
    rendered: RenderedLabel,
    *,
    user=None,
    keep_pictures: bool = False,
    batch_item: BatchItem | None = None,
    verdict: str | None = None,
) -> Verification:
    """An audit row built by hand from the label's (cached) answer, as the service
    writes it; `verdict` relabels it (for triage tests), `keep_pictures` saves
    its images as an artifact."""
    answer = {**engine_answer(rendered), "request_id": str(uuid.uuid4())}
    if verdict:
        answer["status"] = verdict
    verification = Verification.objects.create(
        request_id=answer["request_id"],
        user=user,
        channel=Channel.BATCH if batch_item else Channel.WEB,
        batch_id=batch_item.batch_id if batch_item else None,
        batch_item=batch_item,
        backend_requested="tesseract",
        backend_used=answer["backend"],
        engine_version=answer["engine_version"],
        application=answer["application"],
        brand_name=answer["application"].get("brand_name") or "",
        verdict=answer["status"],
        check_outcomes={check["id"]: check["outcome"] for check in answer["checks"]},
        result=answer,
        processing_ms=1000,
        images=answer["images"],
    )
    if keep_pictures:
        from artifacts.services import artifact_save

        artifact_save(
            verification=verification,
            images=list(rendered.panels),
            extracted_text={},
            result=answer,
        )
    return verification


def batch_of(user, *entries: tuple[RenderedLabel, str | None]) -> Batch:
    """A finished batch built by hand: one item per (label, verdict); verdict None
    is an item that could not be read."""
    batch = Batch.objects.create(user=user, backend_requested="tesseract", total=len(entries))
    for position, (rendered, verdict) in enumerate(entries):
        item = BatchItem.objects.create(
            batch=batch,
            position=position,
            name=f"label-{position + 1}.{rendered.image_format}",
            status=BatchItemStatus.DONE if verdict else BatchItemStatus.FAILED,
            verdict=verdict or "",
            error_message="" if verdict else "The picture is damaged.",
        )
        if verdict:
            record_for(rendered, user=user, batch_item=item, verdict=verdict)
    return batch


@pytest.fixture
def staff_user(django_user_model):
    return django_user_model.objects.create_user(username="agent", password=PASSWORD, is_staff=True)


@pytest.fixture
def agent(client: Client, staff_user) -> Client:
    client.force_login(staff_user)
    return client
