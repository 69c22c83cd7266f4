"""`/batches/`: upload a ZIP, follow its progress, read and sort its results."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.web.conftest import batch_zip, changed_warning_label, label, passing_label
from verifier.models import Batch, BatchItem
from verifier.services.batches import batch_item_run

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


def test_finished_batch_counts_verdicts_links_results_and_offers_the_csv(agent):
    archive = batch_zip(passing_label(), changed_warning_label(), label(2))
    agent.post("/batches/", {"archive": zip_upload(archive)})
    batch = Batch.objects.get()
    for item in BatchItem.objects.filter(batch=batch):
        batch_item_run(item_id=item.pk)  # what the worker does, here in the test
    page = agent.get(f"/batches/{batch.pk}/").content.decode()
    assert "Finished: all 3 checked (100%)" in page
    assert 'data-finished="true"' in page
    assert f'href="/verify/batch/{batch.pk}/results.csv"' in page
    non_compliant = BatchItem.objects.get(batch=batch, verdict="NON_COMPLIANT")
    assert f'href="/records/{non_compliant.verification.request_id}/"' in page
    csv = agent.get(f"/verify/batch/{batch.pk}/results.csv")
    assert csv.status_code == 200


def test_result_column_sorts_the_worst_first(agent):
    archive = batch_zip(passing_label(), changed_warning_label())
    agent.post("/batches/", {"archive": zip_upload(archive)})
    batch = Batch.objects.get()
    for item in BatchItem.objects.filter(batch=batch):
        batch_item_run(item_id=item.pk)
    page = agent.get(f"/batches/{batch.pk}/?sort=result&order=ascending").content.decode()
    assert 'aria-sort="ascending"' in page
    assert page.index("label-2.png") < page.index("label-1.png")
    page = agent.get(f"/batches/{batch.pk}/?sort=result&order=descending").content.decode()
    assert page.index("label-1.png") < page.index("label-2.png")


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
    assert not Batch.objects.exists()


def test_batches_of_other_people_are_hidden_from_non_staff(client, agent, django_user_model):
    agent.post("/batches/", {"archive": zip_upload(batch_zip(passing_label()))})
    batch = Batch.objects.get()
    clerk = django_user_model.objects.create_user(username="clerk", password="x")
    client.force_login(clerk)
    assert client.get(f"/batches/{batch.pk}/").status_code == 403
