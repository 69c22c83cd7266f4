"""The audit trail (one append-only row per verification, from any channel)
and batches (label sets queued for the background workers)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from ttbsite.append_only import AppendOnlyModel


class Channel(models.TextChoices):
    API = "api", "API"
    BATCH = "batch", "Batch"
    WEB = "web", "Web page"
    CLI = "cli", "Command line"


class VerdictChoice(models.TextChoices):
    COMPLIANT = "COMPLIANT", "Compliant"
    NON_COMPLIANT = "NON_COMPLIANT", "Non-compliant"
    NEEDS_REVIEW = "NEEDS_REVIEW", "Needs review"


class Batch(models.Model):
    """Label sets uploaded together; their progress lives on the items."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="label_batches"
    )
    client_ip = models.GenericIPAddressField(null=True, blank=True)
    source_name = models.CharField(max_length=255, blank=True)  # the ZIP's file name
    backend_requested = models.CharField(max_length=16)
    dpi = models.FloatField(null=True, blank=True)
    save_artifact = models.BooleanField(default=False)
    total = models.PositiveIntegerField()
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name_plural = "batches"

    def __str__(self) -> str:
        return f"Batch {self.id} ({self.total} labels)"


class BatchItemStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"
    CANCELLED = "cancelled", "Cancelled"


FINISHED_ITEM_STATUSES = (BatchItemStatus.DONE, BatchItemStatus.FAILED, BatchItemStatus.CANCELLED)


class BatchItem(models.Model):
    """One label set of a batch: its panels wait as `BatchPanel` files."""

    batch = models.ForeignKey(Batch, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveIntegerField()
    name = models.CharField(max_length=500)  # file name(s) of its panels, for people
    application = models.JSONField(default=dict, blank=True)
    status = models.CharField(
        max_length=10, choices=BatchItemStatus.choices, default=BatchItemStatus.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    verdict = models.CharField(max_length=16, choices=VerdictChoice.choices, blank=True)
    error_code = models.CharField(max_length=40, blank=True)
    error_message = models.TextField(blank=True)

    class Meta:
        ordering = ["batch", "position"]
        constraints = [
            models.UniqueConstraint(fields=["batch", "position"], name="batch_item_position")
        ]
        indexes = [models.Index(fields=["status", "started_at"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.status})"


class BatchPanel(models.Model):
    """An uploaded panel image waiting for a worker. Its bytes are a file in the
    `batch_panels` storage (`key`), which workers on any machine read, never a
    database row; row and file are deleted once the item is finished (images
    are kept only as artifacts, and only when asked)."""

    item = models.ForeignKey(BatchItem, on_delete=models.CASCADE, related_name="panels")
    position = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=500)
    key = models.CharField(max_length=255)  # in STORAGES["batch_panels"]

    class Meta:
        ordering = ["item", "position"]

    def __str__(self) -> str:
        return self.name


class Verification(AppendOnlyModel):
    request_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    client_ip = models.GenericIPAddressField(null=True, blank=True)
    channel = models.CharField(max_length=8, choices=Channel.choices)
    batch = models.ForeignKey(
        Batch, null=True, blank=True, on_delete=models.PROTECT, related_name="verifications"
    )
    # One verification per batch item, enforced by the database: a re-queued
    # item whose first worker was only slow cannot leave two audit rows.
    batch_item = models.OneToOneField(
        BatchItem, null=True, blank=True, on_delete=models.PROTECT, related_name="verification"
    )

    backend_requested = models.CharField(max_length=16)
    backend_used = models.CharField(max_length=16)
    degraded = models.BooleanField(default=False)
    engine_version = models.CharField(max_length=16)
    backend_versions = models.JSONField(default=dict)  # e.g. {"tesseract": "5.3.0"}

    application = models.JSONField(default=dict, blank=True)
    brand_name = models.CharField(max_length=200, blank=True, db_index=True)
    beverage_type = models.CharField(max_length=20, blank=True)
    verdict = models.CharField(max_length=16, choices=VerdictChoice.choices, db_index=True)
    check_outcomes = models.JSONField(default=dict)  # check id -> outcome
    result = models.JSONField()  # the API's answer, as returned
    timings = models.JSONField(default=dict)
    processing_ms = models.PositiveIntegerField()
    images = models.JSONField(default=list)  # [{sha256, size_bytes, format, width, height}]

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["verdict", "created_at"])]

    def __str__(self) -> str:
        return f"{self.request_id} {self.verdict}"


class DecisionOutcome(models.TextChoices):
    APPROVE = "approve", "Approve"
    REJECT = "reject", "Reject"
    REQUEST_CORRECTION = "request_correction", "Request correction"


class Decision(AppendOnlyModel):
    """What an agent decided about a verification, append-only like the audit.

    The machine verdict on the verification is never edited: a later decision
    on the same verification supersedes an earlier one, and both stay.
    `check_overrides` maps a check id to the agent's outcome for it and why,
    e.g. {"brand_name": {"outcome": "pass", "reason": "label is right; the
    reading was wrong"}}.
    """

    verification = models.ForeignKey(
        Verification, on_delete=models.PROTECT, related_name="decisions"
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    channel = models.CharField(max_length=8, choices=Channel.choices)
    outcome = models.CharField(max_length=20, choices=DecisionOutcome.choices)
    note = models.TextField(blank=True)
    check_overrides = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["verification", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.outcome} on {self.verification_id}"
