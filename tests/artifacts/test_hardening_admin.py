"""Issue 15, finding 7 (artifacts admin): odd ids are a 400, not a 500, and
pictures and downloads are never kept in a browser cache."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import Permission, User
from django.test import Client

from artifacts.models import Artifact, ArtifactState, ArtifactTombstone

pytestmark = pytest.mark.django_db

LIST = "/admin/artifacts/artifact/"
DELETE = f"{LIST}delete-artifacts/"


@pytest.fixture
def staff(client: Client) -> Client:
    user = User.objects.create_user("compliance", password="x", is_staff=True)
    codenames = ["view_artifact", "delete_artifact"]
    user.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
    client.force_login(user)
    return client


@pytest.mark.parametrize("ids", ["²", "1,²", "١", "1e3", "-1", "99999999999999999999999"])
def test_odd_ids_in_the_delete_view_are_a_400(staff: Client, save: Any, ids: str) -> None:
    artifact = save()

    page = staff.get(DELETE, {"ids": ids})
    post = staff.post(DELETE, {"ids": ids, "reason": "Asked."})

    assert (page.status_code, post.status_code) == (400, 400)
    assert ArtifactTombstone.objects.count() == 0
    assert Artifact.objects.get().state == ArtifactState.STORED == artifact.state


def test_a_reason_with_a_nul_is_a_400_and_deletes_nothing(staff: Client, save: Any) -> None:
    artifact = save()

    response = staff.post(DELETE, {"ids": str(artifact.pk), "reason": "Asked\x00."})

    assert response.status_code == 400
    assert "NUL" in response.content.decode()
    assert ArtifactTombstone.objects.count() == 0
    assert Artifact.objects.get().state == ArtifactState.STORED


def test_ordinary_ids_still_work(staff: Client, save: Any) -> None:
    artifact = save()
    page = staff.get(DELETE, {"ids": f" {artifact.pk} , "})
    assert page.status_code == 200
    assert str(artifact.request_id) in page.content.decode()


def test_pictures_and_downloads_are_not_cached(staff: Client, s3: Any, save: Any) -> None:
    artifact = save()
    image_file = artifact.files.get(kind="image")

    for url in (
        f"{LIST}{artifact.pk}/thumbnail.jpg",
        f"{LIST}{artifact.pk}/evidence/0.png",
        f"{LIST}{artifact.pk}/files/{image_file.pk}",
    ):
        response = staff.get(url)
        assert response.status_code in (200, 302), url
        assert "no-store" in response["Cache-Control"], url


def test_artifact_pages_need_no_inline_style(staff: Client, save: Any) -> None:
    artifact = save()

    for path in (LIST, f"{LIST}{artifact.pk}/change/"):
        response = staff.get(path)
        assert response.status_code == 200
        assert "style-src 'self';" in response["Content-Security-Policy"] + ";"
        assert "style=" not in response.content.decode(), path
        assert "artifacts/admin.css" in response.content.decode()


@pytest.mark.parametrize(
    "path",
    [
        f"{LIST}99999999999999999999999/thumbnail.jpg",
        f"{LIST}99999999999999999999999/evidence/99999999999999999999.png",
        f"{LIST}99999999999999999999999/change/",
        "/artifacts/99999999999999999999999",
    ],
)
def test_ids_beyond_the_database_range_are_not_found(staff: Client, path: str) -> None:
    response = staff.get(path)
    assert response.status_code in (302, 404), (path, response.status_code)
