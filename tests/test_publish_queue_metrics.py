"""manage.py publish_queue_metrics: real queue rows, a real CloudWatch API (moto's server)."""

from __future__ import annotations

import socket
from datetime import timedelta
from typing import Any

import boto3
import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from verifier.tasks import batch_item_verify, batch_watch

pytestmark = pytest.mark.django_db


@pytest.fixture
def cloudwatch(monkeypatch: pytest.MonkeyPatch, moto_server: str) -> Any:
    """The command's boto3 client finds the server the standard way (environment)."""
    for name, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_ENDPOINT_URL_CLOUDWATCH": moto_server,
    }.items():
        monkeypatch.setenv(name, value)
    return boto3.client("cloudwatch", region_name="us-east-1", endpoint_url=moto_server)


def published(cloudwatch: Any, namespace: str, deployment: str) -> dict[str, list[float]]:
    """Every value put per metric name under this namespace and deployment."""
    now = timezone.now()
    values: dict[str, list[float]] = {}
    for metric in cloudwatch.list_metrics(Namespace=namespace)["Metrics"]:
        assert metric["Dimensions"] == [{"Name": "Deployment", "Value": deployment}]
        statistics = cloudwatch.get_metric_statistics(
            Namespace=namespace,
            MetricName=metric["MetricName"],
            Dimensions=metric["Dimensions"],
            StartTime=now - timedelta(minutes=10),
            EndTime=now + timedelta(minutes=10),
            Period=60,
            Statistics=["Maximum", "SampleCount"],
        )["Datapoints"]
        values[metric["MetricName"]] = [point["Maximum"] for point in statistics]
        assert sum(point["SampleCount"] for point in statistics) == 1
    return values


def enqueued(*, ago: float, run_after_ago: float | None = None, status: str | None = None) -> None:
    """A real queue row: a batch item's task, enqueued `ago` seconds back."""
    now = timezone.now()
    task = batch_item_verify
    if run_after_ago is not None:
        task = task.using(run_after=now - timedelta(seconds=run_after_ago))
    result = task.enqueue(1)
    rows = DBTaskResult.objects.filter(id=result.id)
    rows.update(enqueued_at=now - timedelta(seconds=ago))
    if status is not None:
        rows.update(status=status)


def test_puts_the_ready_tasks_and_how_long_the_oldest_has_waited(cloudwatch: Any) -> None:
    enqueued(ago=120)
    enqueued(ago=30)
    enqueued(ago=900, run_after_ago=200)  # scheduled, due 200 s ago: waiting since then
    enqueued(ago=5000, status="RUNNING")  # a worker has it: not waiting
    enqueued(ago=7000, status="SUCCESSFUL")
    batch_watch.using(run_after=timezone.now() + timedelta(minutes=5)).enqueue("later")

    call_command("publish_queue_metrics", "--namespace", "Test/Ready", "--deployment", "ttb-a")

    values = published(cloudwatch, "Test/Ready", "ttb-a")
    assert values["QueueDepth"] == [3.0]
    (age,) = values["OldestReadyAgeSeconds"]
    assert 200 <= age < 260


def test_an_empty_queue_puts_zeros(cloudwatch: Any) -> None:
    enqueued(ago=50, status="SUCCESSFUL")
    call_command("publish_queue_metrics", "--namespace", "Test/Empty", "--deployment", "ttb-b")
    assert published(cloudwatch, "Test/Empty", "ttb-b") == {
        "QueueDepth": [0.0],
        "OldestReadyAgeSeconds": [0.0],
    }


def test_dry_run_prints_and_puts_nothing(cloudwatch: Any, capsys: pytest.CaptureFixture) -> None:
    enqueued(ago=10)
    call_command("publish_queue_metrics", "--namespace", "Test/Dry", "--deployment", "ttb-c", "-n")
    assert "QueueDepth=1 " in capsys.readouterr().out
    assert cloudwatch.list_metrics(Namespace="Test/Dry")["Metrics"] == []


def test_an_unreachable_cloudwatch_fails_the_command(
    cloudwatch: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    with socket.socket() as probe:  # a loopback port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    monkeypatch.setenv("AWS_ENDPOINT_URL_CLOUDWATCH", f"http://127.0.0.1:{port}")
    with pytest.raises(CommandError, match="CloudWatch refused the metrics"):
        call_command("publish_queue_metrics", "--deployment", "ttb-d")


def test_refuses_an_aws_namespace() -> None:
    with pytest.raises(CommandError, match="AWS/ names are AWS's own"):
        call_command("publish_queue_metrics", "--namespace", "AWS/EC2", "-n")
