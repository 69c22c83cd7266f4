"""Index rows for what a saved verification left in artifact storage.

The objects live in `STORAGES["artifacts"]` (S3 or the data folder); these
rows say what is there, so the admin and the API filter on the database and
never list the bucket to answer a question.

The columns the admin filters on (verdict, backend, beverage type, brand) are
copied from the audit row when the artifact is created: the list then needs
no join, and the audit row itself is append-only, so the copy cannot drift.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from ttbsite.append_only import AppendOnlyModel
from verifier.models import VerdictChoice, Verification


class ArtifactState(models.TextChoices):
    PENDING = "pending", "Uploading"
    STORED = "stored", "Stored"
    FAILED = "failed", "Failed"
    DELETED = "deleted", "Deleted"


class FileKind(models.TextChoices):
    IMAGE = "image", "Label image"
    METADATA = "metadata", "Metadata"
    EXTRACTED_TEXT = "extracted_text", "Extracted text"
    VALIDATION_RESULT = "validation_result", "Validation result"


class Artifact(models.Model):
    verification = models.OneToOneField(
        Verification, on_delete=models.PROTECT, related_name="artifact"
    )
    request_id = models.UUIDField(unique=True, editable=False)
    created_at = models.DateTimeField(db_index=True)  # the verification's time
    prefix = models.CharField(max_length=200)  # artifacts/YYYY/MM/DD/{request-id}/

    state = models.CharField(max_length=8, choices=ArtifactState.choices, db_index=True)
    failure_reason = models.TextField(blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    attempted_at = models.DateTimeField()  # when the last upload began
    stored_at = models.DateTimeField(null=True, blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True)
    retain_until = models.DateTimeField(db_index=True)

    verdict = models.CharField(max_length=16, choices=VerdictChoice.choices)
    ocr_backend = models.CharField("OCR backend", max_length=16)
    beverage_type = models.CharField(max_length=20, blank=True)
    brand_name = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["verdict", "created_at"]),
            models.Index(fields=["ocr_backend", "created_at"]),
            models.Index(fields=["beverage_type", "created_at"]),
            models.Index(fields=["state", "retain_until"]),
        ]
        permissions = [("retry_artifact", "Can retry saving a failed artifact")]

    def __str__(self) -> str:
        return f"{self.request_id} ({self.get_state_display().lower()})"

    @property
    def validation_passed(self) -> bool:
        return self.verdict == VerdictChoice.COMPLIANT


class ArtifactFile(models.Model):
    """One object in storage: its key, size, SHA-256 and content type.

    `kept_content` holds the bytes only while the artifact is `failed`, so the
    retry command can upload them later; it is cleared once they are stored.
    The database is the durable place every instance shares (a container's
    local disk is not), and the bytes are written there only on failure.
    """

    artifact = models.ForeignKey(Artifact, on_delete=models.CASCADE, related_name="files")
    kind = models.CharField(max_length=20, choices=FileKind.choices)
    panel = models.PositiveSmallIntegerField(null=True, blank=True)  # images only
    key = models.CharField(max_length=300, unique=True)
    size_bytes = models.PositiveBigIntegerField()
    sha256 = models.CharField("SHA-256", max_length=64)
    content_type = models.CharField(max_length=100)
    kept_content = models.BinaryField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["artifact", "kind", "panel"]
        constraints = [
            models.UniqueConstraint(
                fields=["artifact", "kind", "panel"],
                condition=models.Q(panel__isnull=False),
                name="one_image_per_panel",
            ),
            models.UniqueConstraint(
                fields=["artifact", "kind"],
                condition=models.Q(panel__isnull=True),
                name="one_document_per_kind",
            ),
        ]

    def __str__(self) -> str:
        return self.key

    @property
    def file_name(self) -> str:
        return self.key.rsplit("/", 1)[-1]


class ArtifactTombstone(AppendOnlyModel):
    """What was deleted, when, by whom and why. Written once, never changed."""

    artifact = models.OneToOneField(Artifact, on_delete=models.PROTECT, related_name="tombstone")
    request_id = models.UUIDField(db_index=True)
    keys = models.JSONField(default=list)  # the object keys deleted
    deleted_at = models.DateTimeField(auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor = models.CharField(max_length=150)  # the user name, or "system: retention"
    reason = models.TextField()

    class Meta:
        ordering = ["-deleted_at"]

    def __str__(self) -> str:
        return f"{self.request_id} deleted by {self.actor}"
