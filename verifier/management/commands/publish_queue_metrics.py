"""Put the batch queue's depth and oldest ready age to CloudWatch (once a minute)."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError
from django.core.management.base import BaseCommand, CommandError

from verifier.queue_metrics import (
    OLDEST_READY_AGE,
    QUEUE_DEPTH,
    queue_metrics_publish,
    queue_metrics_read,
)


class Command(BaseCommand):
    help = (
        f"Put {QUEUE_DEPTH} (tasks ready for a worker now) and {OLDEST_READY_AGE} to "
        "CloudWatch under the Deployment dimension; the worker group scales on them. "
        "deploy/instance_init.sh runs it every minute on web instances. Credentials and "
        "region come the standard AWS way (AWS_ENDPOINT_URL_CLOUDWATCH for a test server)."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--namespace",
            default="TTBLabelVerifier",
            help="CloudWatch namespace (Terraform's queue_metrics_namespace).",
        )
        parser.add_argument(
            "--deployment",
            default="ttb-label-verifier",
            help="Value of the Deployment dimension (Terraform's name).",
        )
        parser.add_argument(
            "-n",
            "--dry-run",
            action="store_true",
            help="Print the numbers; put nothing.",
        )

    def handle(
        self, *args: Any, namespace: str, deployment: str, dry_run: bool, **options: Any
    ) -> None:
        if not namespace or namespace.startswith("AWS/"):
            raise CommandError(f"--namespace {namespace!r}: AWS/ names are AWS's own.")
        if not deployment:
            raise CommandError("--deployment must not be empty.")
        metrics = queue_metrics_read()
        summary = (
            f"{QUEUE_DEPTH}={metrics.depth} "
            f"{OLDEST_READY_AGE}={metrics.oldest_ready_age_seconds:.1f} "
            f"({namespace}, Deployment={deployment})"
        )
        if dry_run:
            self.stdout.write(f"{summary}: not published (--dry-run)")
            return
        cloudwatch = boto3.client(
            "cloudwatch",
            config=Config(connect_timeout=5, read_timeout=10, retries={"max_attempts": 3}),
        )
        try:
            queue_metrics_publish(
                metrics=metrics, namespace=namespace, deployment=deployment, cloudwatch=cloudwatch
            )
        except (BotoCoreError, ClientError) as error:
            raise CommandError(f"CloudWatch refused the metrics: {error}") from error
        self.stdout.write(self.style.SUCCESS(f"{summary}: published"))
