"""The saved copy (artifact) of a verification, as the result page links to it.

Reads go through the artifacts app's selectors. The pictures show on the record
to whoever may open it; the link to the saved copy itself (the artifacts API)
only to accounts allowed to view artifacts, the permission that API asks.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from artifacts.models import Artifact, ArtifactState, FileKind
from artifacts.selectors import artifact_file_get, artifact_file_read, artifact_of
from ttbsite.permissions import VIEW_ARTIFACT
from verifier.models import Verification


def _artifact(verification: Verification) -> Artifact | None:
    return artifact_of(verification=verification)


def artifact_links(verification: Verification, *, user: Any) -> dict[str, Any] | None:
    artifact = _artifact(verification)
    if artifact is None:
        return None
    readable = artifact.state in (
        ArtifactState.STORED,
        ArtifactState.FAILED,  # the bytes are kept in the database until a retry stores them
    )
    can_view = readable and user.has_perm(VIEW_ARTIFACT)
    return {
        "id": artifact.pk,
        "state": artifact.get_state_display().lower(),
        "url": reverse("artifact-detail", args=[artifact.pk]) if can_view else None,
        "readable": readable,  # the record page shows its pictures to whoever opens it
    }


def kept_images(verification: Verification) -> list[bytes] | None:
    """The saved panel images, front first; None when any cannot be read."""
    artifact = _artifact(verification)
    if artifact is None:
        return None
    images = []
    for panel in range(len(verification.images or [])):
        file = artifact_file_get(artifact=artifact, kind=FileKind.IMAGE, panel=panel)
        if file is None:
            return None
        file.artifact = artifact
        try:
            images.append(artifact_file_read(file=file))
        except Exception:  # a storage outage must not hide the result itself
            return None
    return images
