"""What every agent page shows around its content: the section and the service notice."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from modelstatus.selectors import ModelStatusMissing, ModelStatusUnreadable, model_status_get


def model_notice() -> dict[str, str] | None:
    """A plain-words notice while the reading model downloads or after it failed.

    The page's script keeps it current (and adds /health problems); this is
    what a visitor without JavaScript sees.
    """
    try:
        document = model_status_get()
    except (ModelStatusMissing, ModelStatusUnreadable):
        return None
    status = document.get("status")
    if status in ("downloading", "extracting"):
        percentage = (document.get("progress") or {}).get("percentage")
        done = f" It is {int(percentage)}% done." if isinstance(percentage, int | float) else ""
        return {
            "level": "warning",
            "title": "The reading model is still downloading.",
            "text": f"Labels are read with the basic reader until it is ready.{done}",
        }
    if status == "error":
        return {
            "level": "warning",
            "title": "The reading model could not be installed.",
            "text": "Labels are read with the basic reader. Tell your administrator.",
        }
    return None


def page_context(section: str, **extra: Any) -> dict[str, Any]:
    return {
        "section": section,
        "service_notice": model_notice(),
        "model_status_url": reverse("model-status"),
        **extra,
    }
