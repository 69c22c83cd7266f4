"""deploy/instance_init.sh schedules detect_anomalies hourly where the maintenance runs."""

from __future__ import annotations

from tests.deploy.test_instance_init import Sandbox, running_as, sandbox  # noqa: F401


def test_an_hourly_timer_runs_detect_anomalies_in_the_app_container(sandbox: Sandbox) -> None:  # noqa: F811
    assert sandbox.run().returncode == 0

    units = sandbox.root / "etc/systemd/system"
    service = (units / "ttb-anomalies.service").read_text()
    assert "ExecStart=/usr/bin/docker exec ttb-worker python manage.py detect_anomalies" in service
    assert "OnCalendar=hourly" in (units / "ttb-anomalies.timer").read_text()
    assert ["enable", "--now", "ttb-anomalies.timer"] in sandbox.calls("systemctl")


def test_worker_instances_do_not_run_it(sandbox: Sandbox) -> None:  # noqa: F811
    assert running_as(sandbox, "worker").returncode == 0

    assert not (sandbox.root / "etc/systemd/system/ttb-anomalies.timer").exists()
