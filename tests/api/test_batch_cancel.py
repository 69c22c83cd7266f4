"""`DELETE /verify/batch/{id}`: cancels what has not started; the rest finishes."""

from __future__ import annotations

import pytest
from django.utils import timezone

from tests.api.helpers import rendered, run_worker, upload
from verifier.models import BatchItem, BatchPanel, Verification

pytestmark = pytest.mark.django_db


@pytest.fixture
def batch_id(api_client) -> str:
    images = [upload(rendered(3).panels[0], f"{n}.png") for n in range(3)]
    response = api_client.post("/verify/batch", {"image": images}, format="multipart")
    assert response.status_code == 202
    return response.json()["id"]


def test_cancel_before_any_work(api_client, batch_id):
    response = api_client.delete(f"/verify/batch/{batch_id}")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "cancelled" and body["cancelled"] == 3
    run_worker()
    assert Verification.objects.count() == 0
    assert BatchPanel.objects.count() == 0
    assert set(BatchItem.objects.values_list("status", flat=True)) == {"cancelled"}


def test_a_running_item_finishes_the_others_are_cancelled(api_client, batch_id):
    first = BatchItem.objects.order_by("position").first()
    BatchItem.objects.filter(pk=first.pk).update(
        status="running", attempts=1, started_at=timezone.now()
    )

    body = api_client.delete(f"/verify/batch/{batch_id}").json()

    assert body["cancelled"] == 2 and body["running"] == 1
    assert BatchPanel.objects.filter(item=first).exists()  # its worker still needs them


def test_only_the_owner_or_staff_cancels(client_for, other_user, staff_user, batch_id):
    assert client_for(other_user).delete(f"/verify/batch/{batch_id}").status_code == 404
    assert BatchItem.objects.filter(status="queued").count() == 3
    assert client_for(staff_user).delete(f"/verify/batch/{batch_id}").status_code == 200
    assert BatchItem.objects.filter(status="queued").count() == 0
