"""`POST /verify/batch`: what is accepted (202 at once), and what is refused before
anything is stored (unsafe ZIPs, disagreeing manifests)."""

from __future__ import annotations

import json
import zipfile
from typing import Any

import pytest
from django_tasks_db.models import DBTaskResult

from tests.api.helpers import application_json, error_of, image_bytes, rendered, upload, zip_of
from verifier.models import Batch, BatchItem, BatchPanel, Verification

pytestmark = pytest.mark.django_db


def post_batch(client: Any, **fields: Any) -> Any:
    return client.post("/verify/batch", fields, format="multipart")


def nothing_stored() -> bool:
    return not (
        Batch.objects.exists()
        or BatchItem.objects.exists()
        or Verification.objects.exists()
        or DBTaskResult.objects.exists()
    )


def test_zip_is_accepted_at_once_with_one_task_per_label(api_client, user):
    labels = {f"labels/{seed}.png": rendered(seed).panels[0] for seed in (3, 4)}
    response = post_batch(api_client, batch_file=upload(zip_of(labels), "labels.zip"))

    assert response.status_code == 202, response.content
    body = response.json()
    assert body["status"] == "queued"
    assert body["total"] == 2 and body["queued"] == 2
    assert response["Location"].endswith(f"/verify/batch/{body['id']}")
    batch = Batch.objects.get(pk=body["id"])
    assert batch.user == user and batch.source_name == "labels.zip"
    assert sorted(batch.items.values_list("name", flat=True)) == sorted(labels)
    assert BatchPanel.objects.count() == 2
    item_tasks = DBTaskResult.objects.filter(task_path="verifier.tasks.batch_item_verify")
    assert item_tasks.count() == 2
    assert DBTaskResult.objects.filter(task_path="verifier.tasks.batch_watch").count() == 1
    assert Verification.objects.count() == 0  # the work happens in the workers


def test_several_images_with_a_csv_manifest_grouping_panels(api_client):
    two_panels = rendered(11, degradations=("multi_panel",))
    single = rendered(3)
    application = single.application
    manifest = (
        "file,label,brand_name,beverage_type\n"
        "front.png,bottle-1,,\n"
        "back.png,bottle-1,,\n"
        f"single.png,,{application.brand_name},{application.beverage_type}\n"
    )
    response = post_batch(
        api_client,
        image=[
            upload(two_panels.panels[0], "front.png"),
            upload(two_panels.panels[1], "back.png"),
            upload(single.panels[0], "single.png"),
        ],
        manifest=upload(manifest.encode(), "manifest.csv"),
    )

    assert response.status_code == 202, response.content
    items = BatchItem.objects.order_by("position")
    assert [item.name for item in items] == ["front.png + back.png", "single.png"]
    assert items[0].panels.count() == 2
    assert items[1].application == {
        "brand_name": application.brand_name,
        "beverage_type": str(application.beverage_type),
    }


def test_json_manifest_inside_the_zip(api_client):
    label = rendered(3)
    manifest = [{"file": "a.png", "application": json.loads(application_json(label))}]
    archive = zip_of(
        {"a.png": label.panels[0], "b.png": label.panels[0], "manifest.json": json.dumps(manifest)}
    )
    response = post_batch(api_client, batch_file=upload(archive, "b.zip"))

    assert response.status_code == 202, response.content
    items = {item.name: item for item in BatchItem.objects.all()}
    assert set(items) == {"a.png", "b.png"}  # the manifest is not a label
    assert items["a.png"].application["brand_name"] == label.application.brand_name
    assert items["b.png"].application == {}


def test_ground_truth_in_a_json_manifest(api_client):
    manifest = {
        "labels": [{"files": ["a.png"], "ground_truth": {"abv": 40, "product_type": "spirits"}}]
    }
    response = post_batch(
        api_client,
        image=[upload(rendered(3).panels[0], "a.png")],
        manifest=upload(json.dumps(manifest).encode(), "m.json"),
    )
    assert response.status_code == 202, response.content
    assert BatchItem.objects.get().application == {
        "alcohol_content": "40%",
        "beverage_type": "distilled_spirits",
    }


def test_entries_that_are_not_labels_become_failed_items(api_client, settings):
    settings.MAX_UPLOAD_MB = 1
    archive = zip_of(
        {
            "good.png": image_bytes(),
            "notes.txt": b"not a label",
            "big.png": image_bytes() + b"\x00" * (1024 * 1024 + 1),
            "__MACOSX/._good.png": b"resource fork",
            ".DS_Store": b"finder litter",
        }
    )
    response = post_batch(api_client, batch_file=upload(archive, "mixed.zip"))

    assert response.status_code == 202, response.content
    body = response.json()
    assert body["total"] == 3 and body["failed"] == 2 and body["queued"] == 1
    failures = {i.name: i.error_code for i in BatchItem.objects.filter(status="failed")}
    assert failures == {"notes.txt": "unsupported_media_type", "big.png": "file_too_large"}
    assert BatchPanel.objects.count() == 1


def rejected(response: Any, status: int, code: str, *words: str) -> None:
    assert response.status_code == status, response.content
    error = error_of(response)
    assert error["code"] == code, error
    for word in words:
        assert word in error["message"], error
    assert nothing_stored()


@pytest.mark.parametrize("name", ["../escape.png", "/etc/label.png", "a/../../b.png", "C:/x.png"])
def test_path_traversal_refuses_the_whole_zip(api_client, name):
    archive = zip_of({"fine.png": image_bytes(), name: image_bytes()})
    response = post_batch(api_client, batch_file=upload(archive, "evil.zip"))
    rejected(response, 400, "unsafe_archive", name)


def test_too_many_entries(api_client, settings):
    settings.BATCH_MAX_ENTRIES = 3
    archive = zip_of({f"{n}.png": image_bytes() for n in range(4)})
    response = post_batch(api_client, batch_file=upload(archive, "many.zip"))
    rejected(response, 400, "too_many_entries", "4 files", "at most 3")


def test_too_much_uncompressed_data(api_client, settings):
    settings.BATCH_MAX_UNCOMPRESSED_MB = 1
    archive = zip_of({"a.png": b"\x89PNG\r\n\x1a\n" + b"\x00" * (1024 * 1024)})
    response = post_batch(api_client, batch_file=upload(archive, "big.zip"))
    rejected(response, 413, "archive_too_large", "1 MB")


def test_zip_bomb_ratio(api_client):
    bomb = zip_of({"bomb.png": b"\x00" * (20 * 1024 * 1024)}, compression=zipfile.ZIP_DEFLATED)
    response = post_batch(api_client, batch_file=upload(bomb, "bomb.zip"))
    rejected(response, 400, "unsafe_archive", "bomb.png", "compressed more than")


def test_not_a_zip(api_client):
    response = post_batch(api_client, batch_file=upload(b"PK\x03\x04 broken", "x.zip"))
    rejected(response, 400, "invalid_archive", "ZIP")


def test_zip_and_images_together_or_neither(api_client):
    rejected(post_batch(api_client, dpi="300"), 400, "image_required", "batch_file")
    both = post_batch(
        api_client,
        batch_file=upload(zip_of({"a.png": image_bytes()}), "a.zip"),
        image=[upload(image_bytes())],
    )
    rejected(both, 400, "image_required", "not both")


def test_manifest_naming_a_missing_file(api_client):
    manifest = b"file,brand_name\nmissing.png,X\n"
    response = post_batch(
        api_client,
        image=[upload(image_bytes(), "a.png")],
        manifest=upload(manifest, "manifest.csv"),
    )
    rejected(response, 400, "manifest_mismatch", "missing.png")


@pytest.mark.parametrize(
    ("manifest", "code", "word"),
    [
        (b"file,colour\na.png,red\n", "invalid_manifest", "colour"),
        (b"file,beverage_type\na.png,cider\n", "unknown_beverage_type", "cider"),
        (b'[{"file": "a.png", "application": {"abv": 4}}]', "unknown_fields", "abv"),
        (b"[{broken", "malformed_json", "JSON"),
    ],
)
def test_bad_manifests(api_client, manifest, code, word):
    response = post_batch(
        api_client,
        image=[upload(image_bytes(), "a.png")],
        manifest=upload(manifest, "manifest.txt"),
    )
    rejected(response, 400, code, word)


def test_unknown_fields_are_named(api_client):
    response = post_batch(api_client, image=[upload(image_bytes())], priority="high")
    rejected(response, 400, "unknown_fields", "priority")


def test_batches_need_an_account(anonymous_client):
    response = post_batch(anonymous_client, image=[upload(image_bytes())])
    assert response.status_code in (401, 403)
    assert nothing_stored()


def test_five_hundred_labels_fit(api_client):
    data = image_bytes()
    archive = zip_of({f"label-{n:03}.png": data for n in range(500)})
    response = post_batch(api_client, batch_file=upload(archive, "five-hundred.zip"))

    assert response.status_code == 202, response.content
    assert response.json()["total"] == 500
    assert BatchItem.objects.filter(status="queued").count() == 500


def test_more_files_than_a_form_may_carry_points_to_the_zip(api_client):
    images = [upload(image_bytes(), f"{n}.png") for n in range(101)]
    response = post_batch(api_client, image=images)
    rejected(response, 400, "too_many_files", "ZIP")
