"""Settings come from the environment and fail loudly on bad values."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def manage(*args: str, env: dict[str, str], data_dir: Path) -> subprocess.CompletedProcess:
    # Only what the test names: no DATABASE_URL or variables other tests set.
    inherited = {"DATABASE_URL", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    base = {k: v for k, v in os.environ.items() if k not in inherited}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**base, "DATA_DIR": str(data_dir), **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def production_env() -> dict[str, str]:
    return {
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(60),
        "ALLOWED_HOSTS": "labels.ttb.example.gov",
    }


def test_check_deploy_with_production_variables_prints_no_warnings(tmp_path: Path) -> None:
    result = manage("check", "--deploy", env=production_env(), data_dir=tmp_path)

    assert result.returncode == 0, result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout
    assert "WARNINGS" not in result.stdout + result.stderr


@pytest.mark.parametrize(
    ("variable", "value", "complaint"),
    [
        ("DEBUG", "maybe", "DEBUG='maybe' is not a boolean"),
        ("MAX_UPLOAD_MB", "ten", "MAX_UPLOAD_MB='ten' is not a whole number"),
        ("MAX_UPLOAD_MB", "0", "MAX_UPLOAD_MB=0 is below the minimum of 1"),
        ("VERIFY_ALLOW_ANONYMOUS", "sometimes", "VERIFY_ALLOW_ANONYMOUS='sometimes'"),
    ],
)
def test_bad_value_stops_start_up_naming_the_variable(
    tmp_path: Path, variable: str, value: str, complaint: str
) -> None:
    result = manage("check", env={variable: value}, data_dir=tmp_path)

    assert result.returncode != 0
    assert complaint in result.stderr


@pytest.mark.parametrize("missing", ["SECRET_KEY", "ALLOWED_HOSTS"])
def test_production_refuses_to_start_without_its_secrets(tmp_path: Path, missing: str) -> None:
    env = production_env()
    del env[missing]

    result = manage("check", env=env, data_dir=tmp_path)

    assert result.returncode != 0
    assert f"{missing}" in result.stderr and "must be set when DEBUG is off" in result.stderr


def test_secret_key_can_come_from_a_file(tmp_path: Path) -> None:
    key_file = tmp_path / "secret"
    key_file.write_text(secrets.token_urlsafe(60))
    env = production_env()
    del env["SECRET_KEY"]
    env["SECRET_KEY_FILE"] = str(key_file)

    result = manage("check", "--deploy", env=env, data_dir=tmp_path)

    assert result.returncode == 0, result.stderr


def test_embedded_default_is_sqlite_in_the_data_folder(tmp_path: Path) -> None:
    result = manage(
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings; print(settings.DATABASES['default']['NAME'])",
        env={},
        data_dir=tmp_path,
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(tmp_path / "db.sqlite3")
