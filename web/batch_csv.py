"""The batch results as an agent opens them in Excel: labels counted from 1, the
brand, the problems in plain words, the record's address and the decision."""

from __future__ import annotations

import csv
import io
from typing import Any

from django.http import HttpRequest, HttpResponse

from ttbsite.spreadsheet import spreadsheet_safe
from verifier.models import Batch

COLUMNS = ("label", "file", "brand", "result", "problems", "record", "decision")
RESULT_WORDS = {
    "COMPLIANT": "Compliant",
    "NON_COMPLIANT": "Non-compliant",
    "NEEDS_REVIEW": "Needs review",
}
STATUS_WORDS = {
    "failed": "Could not be read",
    "queued": "Waiting",
    "running": "Being checked",
    "cancelled": "Stopped",
}


def batch_csv_response(
    batch: Batch, rows: list[dict[str, Any]], *, request: HttpRequest
) -> HttpResponse:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS)
    writer.writeheader()
    for row in rows:
        if row["status"] == "done":
            result = RESULT_WORDS.get(row["verdict"], row["verdict"])
        else:
            result = STATUS_WORDS.get(row["status"], row["status"])
        problems = "; ".join(row["problems"]) or (row["error"] if row["status"] == "failed" else "")
        line = {
            "label": row["number"],
            "file": row["name"],
            "brand": row["brand"],
            "result": result,
            "problems": problems,
            "record": request.build_absolute_uri(row["record_url"]) if row["record_url"] else "",
            "decision": row["decision"],
        }
        writer.writerow({key: spreadsheet_safe(value) for key, value in line.items()})
    return HttpResponse(
        # A byte-order mark so Excel reads the file as UTF-8 (brands have accents).
        "\ufeff" + buffer.getvalue(),
        content_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="batch-{batch.pk}.csv"'},
    )
