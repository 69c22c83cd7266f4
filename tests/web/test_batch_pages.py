"""`/batches/`: upload a ZIP, follow its progress, triage its results, export them."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from artifacts.models import Artifact
from tests.web.conftest import batch_of, batch_zip, changed_warning_label, passing_label
from verifier.models import Batch, BatchItem
from verifier.services.batches import batch_item_run
from verifier.services.decisions import decision_create

pytestmark = pytest.mark.django_db


def zip_upload(data: bytes, name: str = "labels.zip") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, "application/zip")


def test_upload_queues_the_labels_and_opens_the_progress_page(agent, staff_user):
    archive = batch_zip(passing_label(), changed_warning_label())
    response = agent.post("/batches/", {"archive": zip_upload(archive)})
    batch = Batch.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/batches/{batch.pk}/"
    assert batch.user == staff_user
    assert batch.total == 2
    page = agent.get(response["Location"]).content.decode()
    assert "0 of 2 checked (0%)" in page
    assert 'data-finished="false"' in page
    assert '<meta http-equiv="refresh"' in page  # without JavaScript it still updates
    assert "Download the results" not in page


def test_upload_keeps_the_pictures_of_every_label(agent):
    agent.post("/batches/", {"archive": zip_upload(batch_zip(passing_label()))})
    assert Batch.objects.get().save_artifact is True


def test_a_worker_run_batch_shows_brand_problems_and_links_each_record(agent):
    archive = batch_zip(passing_label(), changed_warning_label())
    agent.post("/batches/", {"archive": zip_upload(archive)})
    batch = Batch.objects.get()
    for item in BatchItem.objects.filter(batch=batch):
        batch_item_run(item_id=item.pk)  # what the worker does, here in the test
    page = agent.get(f"/batches/{batch.pk}/").content.decode()
    assert "Finished: all 2 checked (100%)" in page
    assert 'data-finished="true"' in page
    failing = BatchItem.objects.get(batch=batch, verdict="NON_COMPLIANT")
    record = f"/records/{failing.verification.request_id}/"
    assert f'href="{record}">Label 2</a>' in page  # numbered from 1
    assert changed_warning_label().application.brand_name in page
    assert "warning wording" in page  # the problem in plain words
    assert Artifact.objects.filter(verification=failing.verification).exists()
    assert "data:image/jpeg;base64," in agent.get(record).content.decode()


def test_the_list_is_worst_first_and_the_tiles_filter_it(agent, staff_user):
    batch = batch_of(
        staff_user,
        (passing_label(), "COMPLIANT"),
        (passing_label(), "NEEDS_REVIEW"),
        (changed_warning_label(), "NON_COMPLIANT"),
        (passing_label(), None),
    )
    page = agent.get(f"/batches/{batch.pk}/").content.decode()
    order = [page.index(f"label-{number}.png") for number in (3, 4, 2, 1)]
    assert order == sorted(order), "non-compliant, unreadable, review, compliant"
    assert 'aria-sort="ascending"' in page
    assert 'id="first-attention"' in page

    only = agent.get(f"/batches/{batch.pk}/?show=needs_review").content.decode()
    assert "label-2.png" in only
    assert "label-1.png" not in only and "label-3.png" not in only
    assert 'id="tile-needs_review" aria-current="true"' in only
    failed = agent.get(f"/batches/{batch.pk}/?show=failed").content.decode()
    assert "label-4.png" in failed and "label-3.png" not in failed

    by_number = agent.get(f"/batches/{batch.pk}/?sort=number").content.decode()
    order = [by_number.index(f"label-{number}.png") for number in (1, 2, 3, 4)]
    assert order == sorted(order)


def test_the_csv_counts_from_1_with_brand_problems_record_and_decision(agent, staff_user):
    batch = batch_of(
        staff_user, (passing_label(), "COMPLIANT"), (changed_warning_label(), "NON_COMPLIANT")
    )
    failing = BatchItem.objects.get(batch=batch, position=1).verification
    decision_create(
        verification=failing, user=staff_user, channel="web", outcome="reject", note="wording"
    )
    response = agent.get(f"/batches/{batch.pk}/results.csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [row["label"] for row in rows] == ["1", "2"]
    assert rows[1]["brand"] == changed_warning_label().application.brand_name
    assert rows[1]["result"] == "Non-compliant"
    assert "warning wording" in rows[1]["problems"]
    assert rows[1]["record"] == f"http://testserver/records/{failing.request_id}/"
    assert rows[1]["decision"] == "Rejected"
    assert rows[0]["decision"] == ""


def test_file_that_is_not_a_zip_is_refused_next_to_the_field(agent):
    response = agent.post("/batches/", {"archive": zip_upload(b"hello", name="labels.txt")})
    assert response.status_code == 400
    assert "“labels.txt” is not a ZIP file" in response.content.decode()
    assert not Batch.objects.exists()


def test_damaged_zip_is_refused_in_plain_words(agent):
    response = agent.post("/batches/", {"archive": zip_upload(b"PK\x03\x04 broken")})
    assert response.status_code == 400
    assert "could not be opened as a ZIP file" in response.content.decode()
    assert not Batch.objects.exists()


def test_bad_manifest_is_reported_on_the_manifest_field(agent):
    archive = batch_zip(passing_label(), manifest=False)
    manifest = SimpleUploadedFile("manifest.csv", b"picture,brand\nx.png,Y\n", "text/csv")
    response = agent.post("/batches/", {"archive": zip_upload(archive), "manifest": manifest})
    page = response.content.decode()
    assert response.status_code == 400
    assert 'id="manifest-error"' in page
    assert "the CSV needs a" in page
    assert "Allowed columns: file, label, brand_name" in page
    assert not Batch.objects.exists()


def test_batches_of_other_people_are_hidden_from_non_staff(client, agent, django_user_model):
    agent.post("/batches/", {"archive": zip_upload(batch_zip(passing_label()))})
    batch = Batch.objects.get()
    clerk = django_user_model.objects.create_user(username="clerk", password="x")
    client.force_login(clerk)
    assert client.get(f"/batches/{batch.pk}/").status_code == 403
