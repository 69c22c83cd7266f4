"""Check many labels: upload a ZIP, watch the progress, read the results."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models import Case, Value, When
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from ttbsite.client_address import client_ip
from verifier.models import Batch, BatchItem, BatchItemStatus
from verifier.rejections import Rejected
from verifier.selectors import batch_get, batch_item_list, batch_progress
from verifier.services.batches import batch_cancel, batch_create_from_upload
from web.access import staff_required
from web.forms import BatchForm
from web.page_context import page_context

# Rejections in words an agent can act on, and the field they belong to.
REJECTION_WORDS = {
    "invalid_archive": (
        "archive",
        "This file could not be opened as a ZIP file. Make the ZIP file again and choose it.",
    ),
    "image_required": ("archive", "The ZIP file has no label pictures in it."),
}
# Sortable columns of the item list: query value -> (heading, database ordering).
SORTS = {
    "number": ("Number", ("position",)),
    "name": ("File", ("name", "position")),
    "result": ("Result", ("severity", "position")),
}
VERDICT_ORDER = ("NON_COMPLIANT", "NEEDS_REVIEW", "COMPLIANT")
# "Result" sorts the worst first: what an agent must act on comes to the top.
SEVERITY = Case(
    When(status=BatchItemStatus.DONE, verdict="NON_COMPLIANT", then=Value(0)),
    When(status=BatchItemStatus.FAILED, then=Value(1)),
    When(status=BatchItemStatus.DONE, verdict="NEEDS_REVIEW", then=Value(2)),
    When(status=BatchItemStatus.DONE, verdict="COMPLIANT", then=Value(3)),
    default=Value(4),
)


def _rejection(form: BatchForm, error: Rejected) -> None:
    field, words = REJECTION_WORDS.get(error.code, (None, error.message))
    if error.code == "invalid_manifest" or error.message.startswith("manifest"):
        field = "manifest" if form.cleaned_data.get("manifest") else "archive"
    form.add_error(field or "archive", words)


def _recent_batches(user: Any) -> list[dict[str, Any]]:
    # No selector lists a user's batches yet; this is the only query of its kind.
    batches = Batch.objects.filter(user=user).order_by("-created_at")[:10]
    return [{"batch": batch, "progress": batch_progress(batch=batch)} for batch in batches]


@staff_required
@require_http_methods(["GET", "POST"])
def batch_upload_page(request: HttpRequest) -> HttpResponse:
    form = BatchForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        archive = form.cleaned_data["archive"]
        manifest_upload = form.cleaned_data.get("manifest")
        try:
            batch = batch_create_from_upload(
                user=request.user,
                client_ip=client_ip(request),
                archive=archive,
                images=[],
                manifest=manifest_upload,
                backend=settings.OCR_DEFAULT_BACKEND,
                dpi=None,
                save_artifact=form.cleaned_data.get("save_copy"),
            )
        except Rejected as error:
            _rejection(form, error)
        else:
            return redirect("web:batch", batch_id=batch.pk)
    status = 400 if form.is_bound else 200
    context = page_context(
        "batches",
        form=form,
        recent=_recent_batches(request.user),
        max_batch_mb=settings.MAX_BATCH_UPLOAD_MB,
    )
    return render(request, "web/batch_upload.html", context, status=status)


def _item_rows(items: list[BatchItem]) -> list[dict[str, Any]]:
    rows = []
    for item in items:
        verification = getattr(item, "verification", None) if item.status == "done" else None
        rows.append(
            {
                "number": item.position + 1,
                "name": item.name,
                "status": item.status,
                "verdict": item.verdict,
                "error": item.error_message,
                "record_url": reverse("web:record", args=[verification.request_id])
                if verification
                else None,
            }
        )
    return rows


def _verdict_counts(items: list[BatchItem]) -> dict[str, int]:
    counts = {verdict: 0 for verdict in VERDICT_ORDER}
    for item in items:
        if item.status == BatchItemStatus.DONE and item.verdict in counts:
            counts[item.verdict] += 1
    return counts


@never_cache
@staff_required
def batch_page(request: HttpRequest, batch_id: Any) -> HttpResponse:
    batch = batch_get(batch_id=batch_id, user=request.user)
    if batch is None:
        raise Http404("No such batch.")
    sort = request.GET.get("sort", "number")
    if sort not in SORTS:
        sort = "number"
    descending = request.GET.get("order") == "descending"
    ordering = SORTS[sort][1]
    if descending:
        ordering = tuple(f"-{field}" for field in ordering)
    items = list(batch_item_list(batch=batch).annotate(severity=SEVERITY).order_by(*ordering))
    progress = batch_progress(batch=batch)
    finished = progress["queued"] + progress["running"] == 0
    processed = progress["done"] + progress["failed"] + progress["cancelled"]
    counts = _verdict_counts(items)
    columns = [
        {
            "key": key,
            "heading": heading,
            "sorted": "descending"
            if key == sort and descending
            else "ascending"
            if key == sort
            else None,
            "next_order": "descending" if key == sort and not descending else "ascending",
        }
        for key, (heading, _) in SORTS.items()
    ]
    context = page_context(
        "batches",
        batch=batch,
        progress=progress,
        processed=processed,
        percentage=round(100 * processed / batch.total) if batch.total else 100,
        finished=finished,
        counts=counts,
        rows=_item_rows(items),
        columns=columns,
        csv_url=reverse("batch-results-csv", args=[batch.pk]),
    )
    return render(request, "web/batch.html", context)


@staff_required
@require_POST
def batch_cancel_page(request: HttpRequest, batch_id: Any) -> HttpResponse:
    batch = batch_get(batch_id=batch_id, user=request.user)
    if batch is None:
        raise Http404("No such batch.")
    batch_cancel(batch=batch)
    return redirect("web:batch", batch_id=batch.pk)
