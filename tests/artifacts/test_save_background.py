"""Saving in the background (`artifact_save(in_background=True)`), as batch
workers do: the caller goes on while the artifact uploads on another thread.

The background thread has its own database connection, so these tests commit
for real (`transaction=True`) and wait for the thread before they end.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.db import connections, transaction

from artifacts.models import Artifact, ArtifactState
from artifacts.services import artifact_background_wait, artifact_save
from artifacts.storage import upload as real_upload
from tests.artifacts.conftest import BUCKET, make_png, sample_extracted_text
from verifier.models import Verification

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def settled() -> Iterator[None]:
    yield
    artifact_background_wait()  # and close the thread's connection before the DB goes


@pytest.fixture
def held_uploads(monkeypatch: pytest.MonkeyPatch) -> threading.Event:
    """Uploads wait (at most 10 s) until the returned event is set."""
    release = threading.Event()

    def held(storage: Any, *, key: str, content: bytes) -> str:
        release.wait(timeout=10)
        return real_upload(storage, key=key, content=content)

    monkeypatch.setattr("artifacts.services.upload", held)
    return release


def save_in_background(verification: Verification) -> Artifact:
    return artifact_save(
        verification=verification,
        images=[make_png()],
        extracted_text=sample_extracted_text(),
        result=verification.result,
        in_background=True,
    )


def state(artifact: Artifact) -> str:
    return Artifact.objects.values_list("state", flat=True).get(pk=artifact.pk)


def test_returns_pending_at_once_and_stores_in_the_background(
    s3: Any, make_verification: Callable[..., Verification], held_uploads: threading.Event
) -> None:
    artifact = save_in_background(make_verification())

    assert artifact.state == state(artifact) == ArtifactState.PENDING
    held_uploads.set()
    artifact_background_wait()

    assert state(artifact) == ArtifactState.STORED
    listed = s3.list_objects_v2(Bucket=BUCKET, Prefix=artifact.prefix)["Contents"]
    assert len(listed) == 4


def test_a_background_failure_is_kept_for_the_retry(
    unreachable_s3: None, make_verification: Callable[..., Verification]
) -> None:
    artifact = save_in_background(make_verification())
    artifact_background_wait()

    artifact.refresh_from_db()
    assert artifact.state == ArtifactState.FAILED
    assert "could not be reached" in artifact.failure_reason
    assert all(file.kept_content is not None for file in artifact.files.all())


def test_at_most_two_wait_then_the_caller_waits_too(
    s3: Any, make_verification: Callable[..., Verification], held_uploads: threading.Event
) -> None:
    first, second, third = (make_verification() for _ in range(3))
    save_in_background(first)
    save_in_background(second)
    returned = threading.Event()

    def call() -> None:
        save_in_background(third)
        returned.set()
        connections.close_all()  # this thread's connection

    caller = threading.Thread(target=call)
    caller.start()

    assert not returned.wait(timeout=1)  # blocked: two are already in flight
    held_uploads.set()
    assert returned.wait(timeout=10)
    caller.join()
    artifact_background_wait()
    assert set(Artifact.objects.values_list("state", flat=True)) == {ArtifactState.STORED}


def test_inside_a_transaction_it_uploads_before_returning(
    s3: Any, make_verification: Callable[..., Verification]
) -> None:
    """The background thread could not see uncommitted rows."""
    verification = make_verification()
    with transaction.atomic():
        artifact = save_in_background(verification)

    assert artifact.state == ArtifactState.STORED
