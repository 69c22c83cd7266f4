"""The batch queue's depth and age, for the worker group's scaling (issue 17).

Read from django-tasks-db's own table: a task is *ready* when it waits for a
worker now (`DBTaskResult.objects.ready()`: not started, not scheduled for
later). Published to CloudWatch by `manage.py publish_queue_metrics`, once a
minute on a web instance; the worker Auto Scaling Group tracks QueueDepth per
in-service worker instance (deploy/terraform/workers.tf).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Min
from django.utils import timezone
from django_tasks_db.models import DBTaskResult, get_date_max

QUEUE_DEPTH = "QueueDepth"
OLDEST_READY_AGE = "OldestReadyAgeSeconds"


@dataclass(frozen=True)
class QueueMetrics:
    depth: int  # tasks ready to run now
    oldest_ready_age_seconds: float  # how long the longest-waiting of them has waited; 0 if none


def queue_metrics_read(*, now: datetime | None = None) -> QueueMetrics:
    """The queue as the workers see it. A task waits from its enqueueing, or,
    when it was scheduled (`run_after`), from the moment it became due."""
    now = now or timezone.now()
    ready = DBTaskResult.objects.ready()
    unscheduled = ready.filter(run_after=get_date_max())
    waiting_since = [
        unscheduled.aggregate(since=Min("enqueued_at"))["since"],
        ready.exclude(run_after=get_date_max()).aggregate(since=Min("run_after"))["since"],
    ]
    oldest = min((since for since in waiting_since if since is not None), default=None)
    return QueueMetrics(
        depth=ready.count(),
        oldest_ready_age_seconds=max(0.0, (now - oldest).total_seconds()) if oldest else 0.0,
    )


def queue_metrics_publish(
    *, metrics: QueueMetrics, namespace: str, deployment: str, cloudwatch: Any
) -> None:
    """Put both numbers in one PutMetricData call, under the `Deployment` dimension
    the scaling policy names."""
    dimensions = [{"Name": "Deployment", "Value": deployment}]
    cloudwatch.put_metric_data(
        Namespace=namespace,
        MetricData=[
            {
                "MetricName": QUEUE_DEPTH,
                "Dimensions": dimensions,
                "Value": float(metrics.depth),
                "Unit": "Count",
            },
            {
                "MetricName": OLDEST_READY_AGE,
                "Dimensions": dimensions,
                "Value": round(metrics.oldest_ready_age_seconds, 3),
                "Unit": "Seconds",
            },
        ],
    )
