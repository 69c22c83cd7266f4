"""`manage.py verify_label PATH…`: verdicts, exit codes, JSON output, directories."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from labelgen import RenderedLabel
from tests.api.helpers import application_json
from verifier.models import Verification

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


def write_label(folder: Path, label: RenderedLabel, name: str = "label") -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for index, data in enumerate(label.panels):
        path = folder / f"{name}-{index}.png"
        path.write_bytes(data)
        paths.append(path)
    return paths


def run(*args: str) -> tuple[int, str, str]:
    stdout, stderr = io.StringIO(), io.StringIO()
    try:
        call_command("verify_label", *args, stdout=stdout, stderr=stderr)
        code = 0
    except SystemExit as exit_:
        code = int(exit_.code)
    return code, stdout.getvalue(), stderr.getvalue()


def test_compliant_label_with_application_file(tmp_path, compliant_label):
    (tmp_path / "app.json").write_text(application_json(compliant_label))
    paths = write_label(tmp_path, compliant_label)

    code, out, _ = run(*map(str, paths), "--application", str(tmp_path / "app.json"))

    assert code == 0
    assert "COMPLIANT" in out
    row = Verification.objects.get()
    assert row.channel == "cli" and row.user is None
    assert row.application["brand_name"] == compliant_label.spec.brand
    assert str(row.request_id) in out


def test_non_compliant_with_flags_exits_1_and_says_why(tmp_path, brand_mismatch_label):
    paths = write_label(tmp_path, brand_mismatch_label)
    application = brand_mismatch_label.application

    code, out, _ = run(
        *map(str, paths),
        "--brand-name",
        application.brand_name,
        "--beverage-type",
        str(application.beverage_type),
        "--backend",
        "tesseract",
    )

    assert code == 1
    assert "NON_COMPLIANT" in out and "brand_name" in out


def test_json_output(tmp_path, two_panel_label):
    paths = write_label(tmp_path, two_panel_label)

    code, out, _ = run(*map(str, paths), "--json")

    answer = json.loads(out)
    assert answer["validation_level"] == "STRUCTURAL_ONLY"
    assert len(answer["images"]) == 2
    assert code == {"COMPLIANT": 0, "NON_COMPLIANT": 1, "NEEDS_REVIEW": 2}[answer["status"]]
    assert Verification.objects.count() == 1


def test_a_directory_verifies_each_label(tmp_path, compliant_label, two_panel_label):
    write_label(tmp_path / "labels", compliant_label, "single")
    write_label(tmp_path / "labels" / "bottle", two_panel_label, "panel")
    (tmp_path / "labels" / "notes.md").write_text("not a label")

    code, out, _ = run(str(tmp_path / "labels"), "--json")

    answers = [json.loads(line) for line in out.splitlines()]
    assert len(answers) == 2
    assert sorted(len(a["images"]) for a in answers) == [1, 2]
    assert Verification.objects.count() == 2
    worst = {"NON_COMPLIANT": 1, "NEEDS_REVIEW": 2, "COMPLIANT": 0}
    statuses = {a["status"] for a in answers}
    assert code == next((worst[s] for s in ("NON_COMPLIANT", "NEEDS_REVIEW") if s in statuses), 0)


def test_missing_file_is_exit_3(tmp_path):
    with pytest.raises(CommandError, match="No such file") as error:
        call_command("verify_label", str(tmp_path / "nope.png"))
    assert error.value.returncode == 3


def test_not_an_image_is_exit_3_and_writes_nothing(tmp_path):
    path = tmp_path / "label.png"
    path.write_text("hello")
    code, _, err = run(str(path))
    assert code == 3
    assert "not a JPEG" in err
    assert Verification.objects.count() == 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--beverage-type", "cider"], "not a beverage type"),
        (["--application", "{app}"], "not valid JSON"),
        (["--application", "{app}", "--brand-name", "X"], "not both"),
    ],
)
def test_bad_application_data(tmp_path, compliant_label, args, message):
    (tmp_path / "app.json").write_text("{broken")
    paths = write_label(tmp_path, compliant_label)
    args = [a.replace("{app}", str(tmp_path / "app.json")) for a in args]
    with pytest.raises(CommandError, match=message):
        call_command("verify_label", *map(str, paths), *args)
    assert Verification.objects.count() == 0


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_exit_code_from_a_real_process(tmp_path, brand_mismatch_label):
    db = connection.settings_dict
    if db["ENGINE"] != "django.db.backends.postgresql":
        pytest.skip("the subprocess needs a shared database (PostgreSQL)")
    url = f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"
    paths = write_label(tmp_path, brand_mismatch_label)
    env = {**os.environ, "DATABASE_URL": url, "DATA_DIR": str(tmp_path)}
    command = [sys.executable, "manage.py", "verify_label", *map(str, paths)]
    command += ["--brand-name", brand_mismatch_label.application.brand_name]

    finished = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)

    assert finished.returncode == 1, finished.stderr
    assert "NON_COMPLIANT" in finished.stdout
    assert Verification.objects.filter(channel="cli").count() == 1
