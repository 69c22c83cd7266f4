"""deploy/instance_init.sh: shellcheck, and what a run on an instance does.

The script runs for real, under a scratch root (TTB_INIT_ROOT) with stand-ins
for the commands that need an EC2 instance: curl (the metadata service), aws,
docker, dnf, systemctl, mount, mountpoint and chown. The stand-ins record every
call, and docker remembers which containers are running between runs.
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.deploy.conftest import DEPLOY

SCRIPT = DEPLOY / "instance_init.sh"

SETTINGS = {
    "app_image": "123456789012.dkr.ecr.us-east-1.amazonaws.com/ttb-label-verifier:1.0.0",
    "ollama_image": "ollama/ollama:0.6.8",
    "ollama_model": "llama3.2-vision",
    "allowed_hosts": "labels.example.gov",
    "csrf_trusted_origins": "https://labels.example.gov",
    "artifacts_bucket": "ttb-artifacts",
    "models_bucket": "ttb-models",
    "secret_key_secret_id": "arn:aws:secretsmanager:us-east-1:123456789012:secret:ttb/secret-key",
    "database_url_secret_id": (
        "arn:aws:secretsmanager:us-east-1:123456789012:secret:ttb/database-url"
    ),
    "app_port": "8000",
}
SECRETS = {
    SETTINGS["secret_key_secret_id"]: "django-secret-key-0123456789",
    SETTINGS["database_url_secret_id"]: "postgres://ttb:pa55word@db.internal:5432/ttb",
}

# One bash program plays every command; it knows which by the name it was called
# as. Bash rather than Python: a run makes some forty calls.
STAND_IN = r"""#!/bin/bash
name=$(basename "$0")
state=$STAND_IN_STATE
# One record per call, whole: commands in a pipe (aws ... | docker login) run at
# once, and two printfs each could interleave with the other's.
{ flock 9; { printf '%s\0' "$name" "$@"; printf '\n'; } >>"$state/calls"; } 9>>"$state/calls.lock"
last=${!#}
option() {
    local flag=$1
    shift
    while (($#)); do
        if [[ $1 == "$flag" ]]; then printf '%s' "$2"; return; fi
        shift
    done
}
case $name in
curl)
    case $last in
    */api/token) printf imds-token ;;
    */placement/region) printf us-east-1 ;;
    */tags/instance/ttb-config-path) printf /ttb ;;
    */tags/instance/ttb-role) [[ -n $STAND_IN_ROLE ]] || exit 22; printf %s "$STAND_IN_ROLE" ;;
    */local-ipv4) printf 10.20.128.15 ;;
    esac
    ;;
aws)
    case "$1 $2" in
    "ssm get-parameter")
        key=$(option --name "$@")
        file="$state/settings/${key#/ttb/}"
        [[ -f $file ]] || { echo "An error occurred (ParameterNotFound)" >&2; exit 254; }
        cat "$file"; echo ;;
    "secretsmanager get-secret-value")
        id=$(option --secret-id "$@")
        file="$state/secrets/${id//[:\/]/_}"
        [[ -f $file ]] || { echo "An error occurred (ResourceNotFoundException)" >&2; exit 254; }
        cat "$file"; echo ;;
    "ecr get-login-password") echo ecr-password ;;
    *) echo "aws stand-in: unexpected $*" >&2; exit 2 ;;
    esac
    ;;
docker)
    case $1 in
    run)
        if [[ " $* " == *" --entrypoint "* ]]; then echo 1000
        elif [[ " $* " == *" migrate "* && -s "$state/failing-migrations" ]]; then
            sed -i 1d "$state/failing-migrations"; exit 1
        elif [[ " $* " == *" --detach "* ]]; then
            touch "$state/running/$(option --name "$@")"
            echo 0123456789ab
        fi ;;
    rm) rm -f "$state/running/$last" ;;
    inspect) [[ -f "$state/running/$last" ]] || exit 1; echo true ;;
    network)
        case $2 in
        inspect) [[ -f "$state/networks/$3" ]] ;;
        create) touch "$state/networks/$3" ;;
        esac ;;
    login) cat >/dev/null ;;
    esac
    ;;
nproc) echo 2 ;;
mountpoint) [[ -f "$state/mounts/${last//\//_}" ]] ;;
mount) touch "$state/mounts/${last//\//_}" ;;
esac
"""


@dataclass
class Sandbox:
    root: Path
    state: Path
    env: dict[str, str]

    def run(self) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["bash", str(SCRIPT)], env=self.env, capture_output=True, text=True, timeout=60
        )

    def calls(self, command: str | None = None) -> list[list[str]]:
        log = self.state / "calls"
        records = log.read_text().split("\0\n")[:-1] if log.exists() else []
        calls = [record.split("\0") for record in records]
        return [call[1:] for call in calls if command is None or call[0] == command]

    def docker_runs(self, container: str) -> list[list[str]]:
        return [
            args
            for args in self.calls("docker")
            if args[0] == "run" and "--name" in args and args[args.index("--name") + 1] == container
        ]

    def set_running(self, containers: list[str]) -> None:
        for marker in (self.state / "running").iterdir():
            marker.unlink()
        for container in containers:
            (self.state / "running" / container).touch()

    def remove_setting(self, key: str) -> None:
        (self.state / "settings" / key).unlink()

    def remove_secret(self, secret_id: str) -> None:
        (self.state / "secrets" / secret_file_name(secret_id)).unlink()


def secret_file_name(secret_id: str) -> str:
    return secret_id.replace(":", "_").replace("/", "_")


@pytest.fixture
def sandbox(tmp_path: Path) -> Sandbox:
    root, state, bin_dir = tmp_path / "root", tmp_path / "state", tmp_path / "bin"
    for folder in (root, state, bin_dir):
        folder.mkdir()
    for folder in ("running", "networks", "mounts", "settings", "secrets"):
        (state / folder).mkdir()
    for key, value in SETTINGS.items():
        (state / "settings" / key).write_text(value)
    for secret_id, value in SECRETS.items():
        (state / "secrets" / secret_file_name(secret_id)).write_text(value)
    program = tmp_path / "stand-in"
    program.write_text(STAND_IN)
    program.chmod(0o755)
    commands = ("curl", "aws", "docker", "dnf", "systemctl", "mount", "mountpoint", "chown")
    for command in (*commands, "nproc", "sleep"):
        (bin_dir / command).symlink_to(program)
    env = {
        "PATH": f"{bin_dir}:/usr/bin:/bin",
        "TTB_INIT_ROOT": str(root),
        "STAND_IN_STATE": str(state),
        "HOME": str(tmp_path),
    }
    return Sandbox(root=root, state=state, env=env)


def option_values(args: list[str], flag: str) -> list[str]:
    return [args[i + 1] for i, arg in enumerate(args) if arg == flag]


# ---------------------------------------------------------------- static checks


def test_shellcheck_is_clean() -> None:
    if shutil.which("shellcheck") is None:
        pytest.skip("shellcheck is not installed (apt-get install shellcheck)")
    result = subprocess.run(["shellcheck", str(SCRIPT)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout


def test_script_is_strict_and_executable() -> None:
    text = SCRIPT.read_text()
    assert text.startswith("#!/usr/bin/env bash\n")
    assert "\nset -euo pipefail\n" in text
    assert SCRIPT.stat().st_mode & stat.S_IXUSR


# ---------------------------------------------------------------- a first run


def test_first_run_starts_ollama_app_worker_and_the_model_fetch(sandbox: Sandbox) -> None:
    result = sandbox.run()
    assert result.returncode == 0, result.stderr
    image = SETTINGS["app_image"]

    (app,) = sandbox.docker_runs("ttb-app")
    assert app[-1] == image  # the image's own command: gunicorn
    assert f"{sandbox.root}/run/ttb:/var/run/ttb:ro" in option_values(app, "--volume")
    assert option_values(app, "--publish") == ["8000:8000"]
    assert option_values(app, "--restart") == ["unless-stopped"]

    (worker,) = sandbox.docker_runs("ttb-worker")
    assert worker[-4:] == [image, "python", "manage.py", "db_worker"]
    assert f"{sandbox.root}/run/ttb:/var/run/ttb:ro" in option_values(worker, "--volume")

    (fetch,) = sandbox.docker_runs("ttb-model-fetch")
    assert "--detach" in fetch
    assert fetch[-6:] == [image, "python", "manage.py", "fetch_model", "--bucket", "ttb-models"]
    assert f"{sandbox.root}/run/ttb:/var/run/ttb:rw" in option_values(fetch, "--volume")
    assert f"{sandbox.root}/var/lib/ollama/models:/ollama-models:rw" in option_values(
        fetch, "--volume"
    )
    assert "OLLAMA_MODELS_DIR=/ollama-models" in option_values(fetch, "--env")

    (ollama,) = sandbox.docker_runs("ttb-ollama")
    assert ollama[-1] == "ollama/ollama:0.6.8"
    assert option_values(ollama, "--network-alias") == ["ollama"]
    assert "--publish" not in ollama  # reachable from the app's network only

    migrations = [
        args
        for args in sandbox.calls("docker")
        if args[-3:] == ["manage.py", "migrate", "--noinput"]
    ]
    assert len(migrations) == 1


def test_status_and_secret_folders_are_tmpfs_mounts(sandbox: Sandbox) -> None:
    assert sandbox.run().returncode == 0
    mounts = {args[-1]: args for args in sandbox.calls("mount")}
    assert set(mounts) == {f"{sandbox.root}/run/ttb", f"{sandbox.root}/run/ttb-secrets"}
    assert mounts[f"{sandbox.root}/run/ttb"][:3] == ["-t", "tmpfs", "-o"]
    assert "mode=0700" in mounts[f"{sandbox.root}/run/ttb-secrets"][3]
    assert [
        "1000",
        f"{sandbox.root}/run/ttb",
        f"{sandbox.root}/var/lib/ollama/models",
    ] in sandbox.calls("chown")


def test_app_settings_come_from_ssm_into_an_env_file(sandbox: Sandbox) -> None:
    assert sandbox.run().returncode == 0
    env_file = sandbox.root / "etc/ttb/app.env"
    settings = dict(line.split("=", 1) for line in env_file.read_text().splitlines())
    assert settings == {
        "DEBUG": "false",
        # The private IP: the ALB's health check addresses the instance by it.
        "ALLOWED_HOSTS": "labels.example.gov,10.20.128.15",
        "CSRF_TRUSTED_ORIGINS": "https://labels.example.gov",
        "TRUSTED_PROXY_HOPS": "1",
        "AWS_REGION": "us-east-1",
        "AWS_DEFAULT_REGION": "us-east-1",
        "ARTIFACT_S3_BUCKET": "ttb-artifacts",
        "MODEL_BUCKET": "ttb-models",
        "OLLAMA_HOST": "http://ollama:11434",
        "OLLAMA_MODEL": "llama3.2-vision",
        "MODEL_STATUS_FILE": "/var/run/ttb/model-status.json",
        "SECRET_KEY_FILE": "/run/secrets/secret_key",
    }
    (app,) = sandbox.docker_runs("ttb-app")
    assert option_values(app, "--env-file") == [
        str(env_file),
        f"{sandbox.root}/run/ttb-secrets/database.env",
    ]
    ssm_names = [
        args[args.index("--name") + 1]
        for args in sandbox.calls("aws")
        if args[:2] == ["ssm", "get-parameter"]
    ]
    assert sorted(ssm_names) == sorted(f"/ttb/{key}" for key in SETTINGS)


def test_secrets_reach_files_never_a_command_line(sandbox: Sandbox) -> None:
    assert sandbox.run().returncode == 0
    secrets_dir = sandbox.root / "run/ttb-secrets"
    key_file, database_file = secrets_dir / "secret_key", secrets_dir / "database.env"
    assert key_file.read_text() == "django-secret-key-0123456789\n"
    assert (
        database_file.read_text() == "DATABASE_URL=postgres://ttb:pa55word@db.internal:5432/ttb\n"
    )
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o400
    assert stat.S_IMODE(database_file.stat().st_mode) == 0o400
    every_argument = " ".join(" ".join(call) for call in sandbox.calls())
    assert "django-secret-key" not in every_argument
    assert "pa55word" not in every_argument
    (app,) = sandbox.docker_runs("ttb-app")
    assert f"{key_file}:/run/secrets/secret_key:ro" in option_values(app, "--volume")


def test_installs_itself_as_a_boot_unit(sandbox: Sandbox) -> None:
    assert sandbox.run().returncode == 0
    installed = sandbox.root / "usr/local/sbin/ttb-instance-init"
    assert installed.read_text() == SCRIPT.read_text()
    assert os.access(installed, os.X_OK)
    unit = (sandbox.root / "etc/systemd/system/ttb-instance-init.service").read_text()
    assert "ExecStart=/usr/local/sbin/ttb-instance-init\n" in unit
    assert "Requires=docker.service" in unit
    assert ["enable", "ttb-instance-init.service"] in sandbox.calls("systemctl")
    assert ["enable", "--now", "docker"] in sandbox.calls("systemctl")


def test_schedules_retention_and_clean_up(sandbox: Sandbox) -> None:
    assert sandbox.run().returncode == 0

    units = sandbox.root / "etc/systemd/system"
    daily = (units / "ttb-maintenance-daily.service").read_text()
    retry = (units / "ttb-maintenance-retry.service").read_text()
    assert "docker exec ttb-worker" in daily
    for command in ("purge_expired_artifacts", "prune_orphan_artifacts", "prune_db_task_results"):
        assert f"python manage.py {command}" in daily
    assert "python manage.py retry_failed_artifacts" in retry
    assert "OnCalendar=*-*-* 03:15:00" in (units / "ttb-maintenance-daily.timer").read_text()
    assert "OnCalendar=*:0/15" in (units / "ttb-maintenance-retry.timer").read_text()
    assert [
        "enable",
        "--now",
        "ttb-maintenance-daily.timer",
        "ttb-maintenance-retry.timer",
    ] in sandbox.calls("systemctl")


def test_logs_in_to_ecr_only_for_ecr_images(sandbox: Sandbox) -> None:
    assert sandbox.run().returncode == 0
    logins = [args for args in sandbox.calls("docker") if args[0] == "login"]
    assert logins == [
        [
            "login",
            "--username",
            "AWS",
            "--password-stdin",
            "123456789012.dkr.ecr.us-east-1.amazonaws.com",
        ]
    ]
    pulls = [args[-1] for args in sandbox.calls("docker") if args[0] == "pull"]
    assert pulls == [SETTINGS["app_image"], "ollama/ollama:0.6.8"]


# ---------------------------------------------------------------- re-runs


def test_a_second_run_replaces_containers_and_leaves_a_running_fetch_alone(
    sandbox: Sandbox,
) -> None:
    assert sandbox.run().returncode == 0
    second = sandbox.run()
    assert second.returncode == 0, second.stderr
    assert "model fetch already running" in second.stderr
    assert len(sandbox.docker_runs("ttb-model-fetch")) == 1
    for container in ("ttb-app", "ttb-worker", "ttb-ollama"):
        assert len(sandbox.docker_runs(container)) == 2
        assert sandbox.calls("docker").count(["rm", "-f", container]) == 2
    assert [args for args in sandbox.calls("docker") if args[:2] == ["network", "create"]] == [
        ["network", "create", "ttb"]
    ]
    assert len(sandbox.calls("mount")) == 2  # already mounted the second time


def test_a_finished_fetch_is_started_again(sandbox: Sandbox) -> None:
    assert sandbox.run().returncode == 0
    sandbox.set_running(["ttb-app", "ttb-worker", "ttb-ollama"])  # the fetch exited
    assert sandbox.run().returncode == 0
    assert len(sandbox.docker_runs("ttb-model-fetch")) == 2


# ---------------------------------------------------------------- failures


def test_a_secret_without_a_value_stops_before_any_app_container(sandbox: Sandbox) -> None:
    sandbox.remove_secret(SETTINGS["database_url_secret_id"])
    result = sandbox.run()
    assert result.returncode != 0
    assert f"cannot read secret {SETTINGS['database_url_secret_id']}" in result.stderr
    assert "put-secret-value" in result.stderr
    assert sandbox.docker_runs("ttb-app") == []
    assert not (sandbox.root / "run/ttb-secrets/database.env").exists()


def test_a_missing_setting_stops_with_its_parameter_name(sandbox: Sandbox) -> None:
    sandbox.remove_setting("allowed_hosts")
    result = sandbox.run()
    assert result.returncode != 0
    assert "cannot read SSM parameter /ttb/allowed_hosts" in result.stderr
    assert not (sandbox.root / "etc/ttb/app.env").exists()
    assert sandbox.docker_runs("ttb-app") == []


# ---------------------------------------------------------------- scale_out roles (ttb-role tag)


def running_as(sandbox: Sandbox, role: str) -> subprocess.CompletedProcess[str]:
    sandbox.env["STAND_IN_ROLE"] = role
    if role == "web":
        (sandbox.state / "settings" / "queue_metrics_namespace").write_text("TTBLabelVerifier")
    return sandbox.run()


def test_a_web_instance_serves_publishes_the_queue_metrics_and_runs_no_task_worker(
    sandbox: Sandbox,
) -> None:
    result = running_as(sandbox, "web")
    assert result.returncode == 0, result.stderr
    assert sandbox.docker_runs("ttb-worker") == []
    assert len(sandbox.docker_runs("ttb-app")) == 1
    assert len(sandbox.docker_runs("ttb-ollama")) == 1
    assert len(sandbox.docker_runs("ttb-model-fetch")) == 1
    units = sandbox.root / "etc/systemd/system"
    metrics = (units / "ttb-queue-metrics.service").read_text()
    assert (
        "ExecStart=/usr/bin/docker exec ttb-app python manage.py publish_queue_metrics"
        " --namespace TTBLabelVerifier --deployment ttb\n"
    ) in metrics + "\n"
    assert "OnCalendar=*-*-* *:*:00" in (units / "ttb-queue-metrics.timer").read_text()
    assert "docker exec ttb-app sh -c" in (units / "ttb-maintenance-daily.service").read_text()
    assert [
        "enable",
        "--now",
        "ttb-maintenance-daily.timer",
        "ttb-maintenance-retry.timer",
        "ttb-queue-metrics.timer",
    ] in sandbox.calls("systemctl")


def test_a_worker_instance_runs_one_task_worker_per_vcpu_and_nothing_else(
    sandbox: Sandbox,
) -> None:
    result = running_as(sandbox, "worker")
    assert result.returncode == 0, result.stderr
    image = SETTINGS["app_image"]
    for name in ("ttb-worker", "ttb-worker-2"):  # the stand-in nproc says 2
        (worker,) = sandbox.docker_runs(name)
        assert worker[-4:] == [image, "python", "manage.py", "db_worker"]
        assert "OCR_THREADS=1" in option_values(worker, "--env")
        assert option_values(worker, "--stop-timeout") == ["60"]
    for name in ("ttb-app", "ttb-ollama", "ttb-model-fetch", "ttb-worker-3"):
        assert sandbox.docker_runs(name) == []
    assert not any("migrate" in args for args in sandbox.calls("docker"))
    assert [args[-1] for args in sandbox.calls("docker") if args[0] == "pull"] == [image]
    env_file = (sandbox.root / "etc/ttb/app.env").read_text()
    assert "OLLAMA_HOST" not in env_file and "\n\n" not in env_file
    assert not list((sandbox.root / "etc/systemd/system").glob("ttb-maintenance-*"))
    timers = [arg for args in sandbox.calls("systemctl") for arg in args if arg.endswith(".timer")]
    assert timers == []


def test_a_web_instance_retries_a_migration_another_instance_raced(sandbox: Sandbox) -> None:
    (sandbox.state / "failing-migrations").write_text("1\n")
    result = running_as(sandbox, "web")
    assert result.returncode == 0, result.stderr
    migrations = [args for args in sandbox.calls("docker") if "migrate" in args]
    assert len(migrations) == 2
    assert len(sandbox.docker_runs("ttb-app")) == 1


def test_an_unknown_role_stops_the_init(sandbox: Sandbox) -> None:
    result = running_as(sandbox, "database")
    assert result.returncode != 0
    assert "the ttb-role tag must be web or worker, not 'database'" in result.stderr
    assert sandbox.docker_runs("ttb-app") == []
