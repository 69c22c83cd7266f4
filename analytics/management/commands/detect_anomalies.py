"""Flag what changed in the last window; exit 1 when there is something new."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from analytics.alerts import alerts_post, alerts_record
from analytics.anomalies import detect


class Command(BaseCommand):
    help = (
        "Compare the last window of audit rows with the weeks before it: check fail "
        "rates, the same check failing for one bottler or batch, p95 processing time "
        "and the review rate (the tests are described in analytics/anomalies.py). "
        "New alerts are stored, shown on the dashboard, posted to "
        "ANALYTICS_ALERT_WEBHOOK_URL when set, and make the command exit with status 1."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--window-hours", type=int, default=24)
        parser.add_argument("--baseline-days", type=int, default=28)

    def handle(self, *args: Any, **options: Any) -> None:
        windows, findings = detect(
            window_hours=options["window_hours"], baseline_days=options["baseline_days"]
        )
        new = alerts_record(windows=windows, findings=findings)
        for alert in new:
            self.stdout.write(self.style.WARNING(f"{alert.get_kind_display()}: {alert.message}"))
        self.stdout.write(
            f"{len(findings)} finding(s) from {windows.start:%Y-%m-%d %H:%M} to "
            f"{windows.end:%Y-%m-%d %H:%M} UTC; {len(new)} new alert(s)."
        )
        if new and settings.ANALYTICS_ALERT_WEBHOOK_URL:
            try:
                alerts_post(alerts=new)
            except OSError as error:
                self.stderr.write(f"The alert webhook failed: {error}")
        if new:
            raise SystemExit(1)
