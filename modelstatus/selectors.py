"""Reads of the model download status document (written by `fetch_model`)."""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings


def model_status_summary() -> dict[str, Any]:
    """For /health: the model's state in a few keys."""
    try:
        document = json.loads(settings.MODEL_STATUS_FILE.read_text())
    except FileNotFoundError:
        return {"status": "not_started"}
    return {"status": document.get("status"), "model": document.get("model")}
