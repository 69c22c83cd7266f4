"""The admin: list, filters, search, thumbnails, detail page, the delete action."""

from __future__ import annotations

import io
from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth.models import Permission, User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from PIL import Image

from artifacts.models import Artifact, ArtifactState, ArtifactTombstone

pytestmark = pytest.mark.django_db

LIST = "/admin/artifacts/artifact/"


@pytest.fixture
def staff(client: Client) -> Client:
    user = User.objects.create_user("compliance", password="x", is_staff=True)
    user.user_permissions.add(*Permission.objects.filter(codename__in=["view_artifact"]))
    client.force_login(user)
    return client


@pytest.fixture
def deleter(staff: Client) -> Client:
    user = User.objects.get(username="compliance")
    user.user_permissions.add(Permission.objects.get(codename="delete_artifact"))
    return staff


def listed(response: Any) -> set[int]:
    return {artifact.pk for artifact in response.context["cl"].result_list}


def test_list_filters(staff: Client, save: Any) -> None:
    wine = save(brand_name="Stone Ridge", verdict="COMPLIANT", beverage_type="wine")
    spirits = save(brand_name="Old Tom", verdict="NON_COMPLIANT", beverage_type="distilled_spirits")
    ollama = save(brand_name="Hop Yard", backend_used="ollama", beverage_type="malt_beverage")
    Artifact.objects.filter(pk=ollama.pk).update(created_at=timezone.now() - timedelta(days=400))

    assert listed(staff.get(LIST)) == {wine.pk, spirits.pk, ollama.pk}
    assert listed(staff.get(LIST, {"verdict__exact": "COMPLIANT"})) == {wine.pk}
    assert listed(staff.get(LIST, {"ocr_backend": "ollama"})) == {ollama.pk}
    assert listed(staff.get(LIST, {"beverage_type": "distilled_spirits"})) == {spirits.pk}
    assert listed(staff.get(LIST, {"state__exact": "stored"})) == {wine.pk, spirits.pk, ollama.pk}
    year = timezone.now().year
    assert listed(staff.get(LIST, {"created_at__year": year})) == {wine.pk, spirits.pk}
    assert listed(staff.get(LIST, {"q": "stone"})) == {wine.pk}
    assert listed(staff.get(LIST, {"q": str(spirits.request_id)})) == {spirits.pk}


def test_list_queries_do_not_grow_with_rows(staff: Client, save: Any) -> None:
    save()
    with CaptureQueriesContext(connection) as few:
        assert staff.get(LIST).status_code == 200
    for _ in range(5):
        save()
    with CaptureQueriesContext(connection) as many:
        page = staff.get(LIST)
    assert len(many) == len(few)
    # Thumbnails are lazy links, not images read from storage while listing.
    assert page.content.count(b'loading="lazy"') == 6


def test_thumbnail_is_small_and_never_cached(staff: Client, s3: Any, save: Any) -> None:
    artifact = save()
    url = f"{LIST}{artifact.pk}/thumbnail.jpg"

    response = staff.get(url)

    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    # A deleted artifact's picture must not outlive it in a browser cache.
    assert "no-store" in response["Cache-Control"]
    assert max(Image.open(io.BytesIO(response.content)).size) <= 160


def test_detail_page_shows_json_evidence_and_downloads(staff: Client, s3: Any, save: Any) -> None:
    artifact = save()

    page = staff.get(f"{LIST}{artifact.pk}/change/")

    assert page.status_code == 200
    text = page.content.decode()
    assert "&quot;request_id&quot;: &quot;" in text  # pretty-printed metadata
    assert "health_warning" in text  # the validation result
    assert "STONE RIDGE" in text  # the extracted text
    assert f"{artifact.pk}/evidence/0.png" in text
    assert "Delete artifact" not in text  # no delete permission

    evidence = staff.get(f"{LIST}{artifact.pk}/evidence/0.png")
    assert evidence.status_code == 200
    picture = Image.open(io.BytesIO(evidence.content)).convert("RGB")
    assert picture.getpixel((20, 40)) == (22, 130, 60)  # the passed check's box, in green
    assert picture.getpixel((200, 100)) == (255, 255, 255)

    image_file = artifact.files.get(kind="image")
    download = staff.get(f"{LIST}{artifact.pk}/files/{image_file.pk}")
    assert download.status_code == 302
    assert "response-content-disposition=attachment" in download["Location"]


def test_delete_action_goes_through_the_service(deleter: Client, s3: Any, save: Any) -> None:
    first, second, kept = save(), save(), save()

    confirm = deleter.post(
        LIST, {"action": "delete_artifacts", "_selected_action": [first.pk, second.pk]}
    )
    assert confirm.status_code == 302
    page = deleter.get(confirm["Location"])
    assert str(first.request_id) in page.content.decode()

    missing_reason = deleter.post(confirm["Location"], {"ids": f"{first.pk},{second.pk}"})
    assert b"Say why" in missing_reason.content
    assert ArtifactTombstone.objects.count() == 0

    deleter.post(confirm["Location"], {"ids": f"{first.pk},{second.pk}", "reason": "Asked."})

    tombstones = ArtifactTombstone.objects.order_by("artifact_id")
    assert [t.artifact_id for t in tombstones] == [first.pk, second.pk]
    assert {(t.actor, t.reason) for t in tombstones} == {("compliance", "Asked.")}
    states = dict(Artifact.objects.values_list("pk", "state"))
    assert states[first.pk] == states[second.pk] == ArtifactState.DELETED
    assert states[kept.pk] == ArtifactState.STORED


def test_deleting_needs_the_permission(staff: Client, save: Any) -> None:
    artifact = save()
    response = staff.post(
        "/admin/artifacts/artifact/delete-artifacts/", {"ids": str(artifact.pk), "reason": "x"}
    )
    assert response.status_code == 403
    assert ArtifactTombstone.objects.count() == 0


def test_artifacts_cannot_be_added_or_edited(staff: Client, save: Any) -> None:
    artifact = save()
    assert staff.get(f"{LIST}add/").status_code == 403
    page = staff.get(f"{LIST}{artifact.pk}/change/")
    assert b'name="_save"' not in page.content


def test_tombstone_admin_is_read_only(deleter: Client, save: Any) -> None:
    from artifacts.services import artifact_delete

    tombstone = artifact_delete(artifact=save(), user=None, actor="system: test", reason="Test.")
    User.objects.get(username="compliance").user_permissions.add(
        Permission.objects.get(codename="view_artifacttombstone")
    )
    base = "/admin/artifacts/artifacttombstone/"
    assert deleter.get(base).status_code == 200
    assert deleter.get(base, {"q": str(tombstone.request_id)}).context["cl"].result_count == 1
    page = deleter.get(f"{base}{tombstone.pk}/change/")
    assert b'name="_save"' not in page.content
    assert deleter.post(f"{base}{tombstone.pk}/delete/").status_code == 403
