"""Load shedding: a process runs at most ENGINE_CONCURRENCY verifications from
the API at once; beyond that `POST /verify` answers 503 with Retry-After in
the error shape, writing nothing. Batches queue instead. The verification
timeout covers the whole request, the wait for a slot included."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest

from tests.api.helpers import application_json, error_of, panel_uploads, run_worker, upload, zip_of
from verifier.engine.errors import BackendTimeout
from verifier.models import BatchItem, Channel, Verification
from verifier.services.engine_slots import engine_slot
from verifier.services.verifications import verification_create, verification_options

pytestmark = pytest.mark.django_db


def verify(client: Any, label: Any, **fields: Any) -> Any:
    data = {"image": panel_uploads(label), "application": application_json(label), **fields}
    return client.post("/verify", data, format="multipart")


@pytest.fixture
def one_slot(settings: Any) -> None:
    settings.ENGINE_CONCURRENCY = 1
    settings.ENGINE_QUEUE_WAIT_SECONDS = 0.2


def test_a_request_beyond_the_slots_is_shed_with_503(anonymous_client, compliant_label, one_slot):
    with engine_slot():  # another request is verifying
        response = verify(anonymous_client, compliant_label)

    assert response.status_code == 503, response.content
    error = error_of(response)
    assert error["code"] == "server_busy"
    assert "Try again" in error["message"]
    assert response["Retry-After"] == "5"
    assert Verification.objects.count() == 0


def test_a_freed_slot_serves_the_next_request(anonymous_client, compliant_label, one_slot):
    with engine_slot():
        pass

    response = verify(anonymous_client, compliant_label)

    assert response.status_code == 200, response.content
    assert Verification.objects.count() == 1


def test_the_wait_for_a_slot_counts_against_the_timeout(
    anonymous_client, compliant_label, settings
):
    """The slot frees up after 3 s; the request's timeout of 1 s ends its wait
    before that, although the queue wait alone would have allowed 30 s."""
    settings.ENGINE_CONCURRENCY = 1
    settings.ENGINE_QUEUE_WAIT_SECONDS = 30
    held, release = threading.Event(), threading.Event()

    def busy() -> None:
        with engine_slot():
            held.set()
            release.wait(3)

    other = threading.Thread(target=busy)
    other.start()
    held.wait(5)
    try:
        response = verify(anonymous_client, compliant_label, timeout=1)
    finally:
        release.set()
        other.join()

    assert response.status_code == 503, response.content
    assert error_of(response)["code"] == "server_busy"
    assert Verification.objects.count() == 0


def test_a_verification_past_its_deadline_is_not_started(compliant_label):
    with pytest.raises(BackendTimeout):
        verification_create(
            images=compliant_label.panels,
            application=compliant_label.application,
            options=verification_options(),
            channel=Channel.API,
            deadline=time.monotonic() - 1,
        )
    assert Verification.objects.count() == 0


def test_batches_queue_and_are_not_shed(api_client, compliant_label, one_slot):
    archive = zip_of({"label.png": compliant_label.panels[0]})
    response = api_client.post(
        "/verify/batch", {"batch_file": upload(archive, "labels.zip")}, format="multipart"
    )
    assert response.status_code == 202, response.content

    with engine_slot():  # every interactive slot is taken
        run_worker()

    item = BatchItem.objects.get()
    assert item.status == "done", (item.error_code, item.error_message)
    assert Verification.objects.filter(channel=Channel.BATCH).count() == 1
