"""The embedded run: SQLite in a fresh data folder, migrate, verify a label.

CI runs the suite on PostgreSQL; this test keeps the newcomer's path (no
DATABASE_URL at all) honest by running the real commands in a subprocess.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from labelgen import render_label, spec_for_seed
from verifier.engine import BeverageType, Verdict

ROOT = Path(__file__).resolve().parent.parent


def manage(*args: str, data_dir: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DEBUG"}}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**env, "DATA_DIR": str(data_dir)},
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_fresh_sqlite_install_migrates_and_verifies_a_label(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    label = render_label(spec_for_seed(3, beverage_type=BeverageType.DISTILLED_SPIRITS))
    assert label.expected_verdict == Verdict.COMPLIANT
    image = tmp_path / f"label.{label.image_format}"
    image.write_bytes(label.panels[0])
    application = tmp_path / "application.json"
    application.write_text(json.dumps(label.application.to_dict()))

    migrated = manage("migrate", "--no-input", data_dir=data_dir)
    verified = manage(
        "verify_label",
        str(image),
        "--application",
        str(application),
        "--json",
        data_dir=data_dir,
    )
    counted = manage(
        "shell",
        "--no-imports",
        "-c",
        "from django.db import connection; from verifier.models import Verification; "
        "print(connection.vendor, Verification.objects.count())",
        data_dir=data_dir,
    )

    assert migrated.returncode == 0, migrated.stderr
    assert (data_dir / "db.sqlite3").exists()
    assert verified.returncode == 0, verified.stdout + verified.stderr
    answer = json.loads(verified.stdout.strip().splitlines()[-1])
    assert answer["status"] == "COMPLIANT"
    assert counted.stdout.split() == ["sqlite", "1"], counted.stderr
