"""What the analytics keep of their own: anomaly alerts and backend comparison runs.

The dashboard itself stores nothing: it aggregates the audit rows
(`verifier.Verification`) in the database on every load. A comparison run
re-reads stored artifact images and writes its own rows; it never touches
the audit rows it compares against.
"""

from __future__ import annotations

from django.db import models

from verifier.models import Verification


class AlertKind(models.TextChoices):
    CHECK_FAIL_RATE = "check_fail_rate", "Check fail rate above baseline"
    REPEATED_FAILURE = "repeated_failure", "Same check failing for one bottler or batch"
    LATENCY_P95 = "latency_p95", "p95 processing time regression"
    REVIEW_RATE = "review_rate", "Review rate jump"


class AnomalyAlert(models.Model):
    """One anomaly `detect_anomalies` found. `fingerprint` makes a re-run over
    the same window find the alert it already raised instead of a new one."""

    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    kind = models.CharField(max_length=20, choices=AlertKind.choices)
    subject = models.CharField(max_length=300)  # the check, bottler, batch or backend
    message = models.TextField()
    window_start = models.DateTimeField()
    window_end = models.DateTimeField()
    details = models.JSONField(default=dict)  # the counts and the test's statistic
    fingerprint = models.CharField(max_length=400, unique=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        permissions = [("view_dashboard", "Can view the analytics dashboard")]

    def __str__(self) -> str:
        return self.message


class ComparisonRun(models.Model):
    """One `compare_backends` run: which labels, which backends, how far it got."""

    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    since = models.DateField()
    until = models.DateField(null=True, blank=True)
    verification_ids = models.JSONField(default=list, blank=True)  # --ids, when given
    backends = models.JSONField(default=list)  # as asked, in order
    skipped_backends = models.JSONField(default=dict, blank=True)  # name -> why

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Comparison {self.pk}: {', '.join(self.backends)} since {self.since}"


class ReadingStatus(models.TextChoices):
    OK = "ok", "Read"
    FAILED = "failed", "Failed"
    NO_IMAGES = "no_images", "Images gone"


class ComparisonReading(models.Model):
    """One label read again by one backend: its verdict and how long it took.
    Its existence marks the (label, backend) pair done, which makes a run resumable."""

    run = models.ForeignKey(ComparisonRun, on_delete=models.CASCADE, related_name="readings")
    verification = models.ForeignKey(Verification, on_delete=models.PROTECT, related_name="+")
    backend = models.CharField(max_length=16)
    status = models.CharField(max_length=10, choices=ReadingStatus.choices)
    verdict = models.CharField(max_length=16, blank=True)
    seconds = models.FloatField(default=0.0)
    error = models.TextField(blank=True)
    extracted_text = models.JSONField(default=dict, blank=True)  # lines and words, with boxes

    class Meta:
        ordering = ["run", "verification", "backend"]
        constraints = [
            models.UniqueConstraint(
                fields=["run", "verification", "backend"], name="one_reading_per_label_backend"
            )
        ]

    def __str__(self) -> str:
        return f"{self.verification_id} by {self.backend}: {self.status}"


class ComparisonOutcome(models.Model):
    """One check of one label as one backend decided it, beside the audit row's outcome."""

    reading = models.ForeignKey(
        ComparisonReading, on_delete=models.CASCADE, related_name="outcomes"
    )
    check_id = models.CharField(max_length=60)
    outcome = models.CharField(max_length=16)
    found = models.TextField(blank=True)  # what the backend read for it
    original_outcome = models.CharField(max_length=16, blank=True)  # the audit row's

    class Meta:
        ordering = ["reading", "check_id"]
        constraints = [
            models.UniqueConstraint(fields=["reading", "check_id"], name="one_outcome_per_check")
        ]

    def __str__(self) -> str:
        return f"{self.check_id}: {self.outcome}"


# Daily rollups: the dashboard's counts for whole UTC days that are over.
# Audit rows are append-only and stamped when written, so a day that has
# ended (plus a grace period for transactions still committing) never changes
# again and its counts can be kept. `RolledUpDay` marks a day whose rollup rows
# are complete.


class RolledUpDay(models.Model):
    day = models.DateField(unique=True)
    rolled_up_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return str(self.day)


class DailyRollup(models.Model):
    """One day's counts for one combination of the dashboard's filters.

    One row per (day, beverage type, channel, backend), a few dozen a day
    whatever the volume, with the counts as small JSON maps:
    `verdicts` {verdict: n}, `checks` {check id: {outcome: n}}, and `latency`
    {bucket: n}, a histogram whose bucket b holds times in [1.02^b, 1.02^(b+1)) ms.
    """

    day = models.DateField()
    beverage_type = models.CharField(max_length=20, blank=True)
    channel = models.CharField(max_length=8)
    backend = models.CharField(max_length=16)
    verdicts = models.JSONField(default=dict)
    checks = models.JSONField(default=dict)
    latency = models.JSONField(default=dict)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["day", "beverage_type", "channel", "backend"], name="one_rollup_per_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.beverage_type}/{self.channel}/{self.backend}"
