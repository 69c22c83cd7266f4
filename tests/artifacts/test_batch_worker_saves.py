"""A real `db_worker` saving a batch's artifacts to S3 (a moto server on loopback).

The server's PutObject is slowed down so that uploads outlast the labels'
reading: the worker must go on to the next label while an artifact uploads,
and when it is told to stop it must still store what it has queued.
"""

from __future__ import annotations

import signal
import time
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from moto.s3.models import S3Backend
from rest_framework.test import APIClient

from artifacts.models import Artifact, ArtifactState
from labelgen import render_label, spec_for_seed
from tests.artifacts.conftest import BUCKET
from tests.workers import wait_for
from verifier.models import BatchItem

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

PUT_SECONDS = 2.0
LABELS = 4


def test_the_worker_reads_on_while_uploading_and_stores_everything_before_it_stops(
    s3_server: Any,
    moto_server: str,
    start_worker: Any,
    monkeypatch: pytest.MonkeyPatch,
    django_user_model: Any,
) -> None:
    real_put = S3Backend.put_object

    def slow_put(self: S3Backend, *args: Any, **kwargs: Any) -> Any:
        time.sleep(PUT_SECONDS)
        return real_put(self, *args, **kwargs)

    monkeypatch.setattr(S3Backend, "put_object", slow_put)  # the server runs in this process
    label = render_label(spec_for_seed(3))
    api = APIClient()
    api.force_authenticate(django_user_model.objects.create_user("agent"))
    images = [SimpleUploadedFile(f"label{n}.png", label.panels[0]) for n in range(LABELS)]
    response = api.post(
        "/verify/batch", {"image": images, "save_artifact": "true"}, format="multipart"
    )
    assert response.status_code == 202, response.content

    worker = start_worker(
        lease_seconds=120,
        env={
            "ARTIFACT_S3_BUCKET": BUCKET,
            "ARTIFACT_S3_ENDPOINT_URL": moto_server,
            "ARTIFACT_S3_REGION": "us-east-1",
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",
        },
    )
    wait_for(
        lambda: BatchItem.objects.filter(status="done").count() == LABELS,
        timeout=120,
        what="the batch",
    )
    pending_when_stopped = Artifact.objects.filter(state=ArtifactState.PENDING).count()
    worker.send_signal(signal.SIGTERM)
    worker.wait(timeout=60)

    assert pending_when_stopped >= 1  # the stop came while uploads were still going
    artifacts = list(Artifact.objects.select_related("verification__batch_item"))
    assert [artifact.state for artifact in artifacts] == [ArtifactState.STORED] * LABELS
    listed = s3_server.list_objects_v2(Bucket=BUCKET)["Contents"]
    assert len(listed) == 4 * LABELS
    # Each artifact took at least PUT_SECONDS to store; the worker had finished
    # another label before the first one was stored.
    first_stored = min(artifact.stored_at for artifact in artifacts)
    finished = sorted(artifact.verification.batch_item.finished_at for artifact in artifacts)
    assert finished[1] < first_stored
