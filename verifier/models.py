"""The audit trail: one append-only row per verification, from any channel."""

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


class Verification(AppendOnlyModel):
    request_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    client_ip = models.GenericIPAddressField(null=True, blank=True)
    channel = models.CharField(max_length=8, choices=Channel.choices)
    batch_id = models.UUIDField(null=True, blank=True, db_index=True)

    backend_requested = models.CharField(max_length=16)
    backend_used = models.CharField(max_length=16)
    degraded = models.BooleanField(default=False)
    engine_version = models.CharField(max_length=16)

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
