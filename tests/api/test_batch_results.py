"""`GET /verify/batch/{id}/results.csv` and `.json`: every item, one line each."""

from __future__ import annotations

import csv
import io

import pytest

from tests.api.helpers import application_json, rendered, run_worker, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def finished_batch(api_client) -> str:
    mismatch = rendered(5, failures=("brand_name",))
    manifest = f'[{{"file": "mismatch.png", "application": {application_json(mismatch)}}}]'
    response = api_client.post(
        "/verify/batch",
        {
            "image": [upload(mismatch.panels[0], "mismatch.png"), upload(b"text", "=cmd.txt")],
            "manifest": upload(manifest.encode(), "manifest.json"),
        },
        format="multipart",
    )
    assert response.status_code == 202
    run_worker()
    return response.json()["id"]


def test_csv(api_client, finished_batch):
    response = api_client.get(f"/verify/batch/{finished_batch}/results.csv")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert f"batch-{finished_batch}.csv" in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [row["position"] for row in rows] == ["0", "1"]
    verified, failed = rows
    assert verified["status"] == "done" and verified["verdict"] == "NON_COMPLIANT"
    assert "brand_name" in verified["violations"].split(";")
    assert verified["request_id"]
    assert failed["status"] == "failed" and failed["error_code"] == "unsupported_media_type"
    # A spreadsheet must not run a file name as a formula.
    assert failed["name"] == "'=cmd.txt"


def test_json(api_client, finished_batch):
    response = api_client.get(f"/verify/batch/{finished_batch}/results.json")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "done" and body["done"] == 1 and body["failed"] == 1
    verified, failed = body["items"]
    assert verified["result"]["status"] == "NON_COMPLIANT"
    assert verified["result"]["request_id"] == verified["request_id"]
    assert failed["error"]["code"] == "unsupported_media_type"


def test_results_are_private(client_for, other_user, finished_batch):
    client = client_for(other_user)
    assert client.get(f"/verify/batch/{finished_batch}/results.csv").status_code == 404
    assert client.get(f"/verify/batch/{finished_batch}/results.json").status_code == 404
