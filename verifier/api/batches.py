"""Batches: `POST /verify/batch`, `GET|DELETE /verify/batch/{id}`, and results.

Batches need an account: their results are read back later, and a user sees
only their own batches (staff see all).
"""

from __future__ import annotations

import csv
import io
import uuid
from typing import Any

from django.conf import settings
from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ttbsite.client_address import client_ip
from ttbsite.errors import ApiError
from ttbsite.spreadsheet import spreadsheet_safe
from verifier.api.inputs import (
    OptionsSerializer,
    reject_unknown_fields,
)
from verifier.api.outputs import VerificationOutputSerializer
from verifier.models import Batch, BatchItem
from verifier.selectors import batch_get, batch_item_list, batch_progress
from verifier.services.batches import batch_cancel, batch_create_from_upload


def _batch_or_404(batch_id: uuid.UUID, user: Any) -> Batch:
    batch = batch_get(batch_id=batch_id, user=user)
    if batch is None:
        raise ApiError(f"No batch {batch_id} that you may see.", code="not_found", status_code=404)
    return batch


class ProgressSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    created_at = serializers.DateTimeField()
    status = serializers.CharField(help_text="queued | running | done | cancelled")
    total = serializers.IntegerField()
    queued = serializers.IntegerField()
    running = serializers.IntegerField()
    done = serializers.IntegerField()
    failed = serializers.IntegerField()
    cancelled = serializers.IntegerField()
    eta_seconds = serializers.FloatField(allow_null=True)
    finished_at = serializers.DateTimeField(allow_null=True)


def _progress(batch: Batch) -> dict[str, Any]:
    return {"id": batch.pk, "created_at": batch.created_at, **batch_progress(batch=batch)}


class BatchItemPagination(PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 500


class BatchItemSerializer(serializers.Serializer):
    position = serializers.IntegerField()
    name = serializers.CharField()
    status = serializers.CharField()
    attempts = serializers.IntegerField()
    verdict = serializers.CharField(allow_blank=True)
    request_id = serializers.UUIDField(allow_null=True)
    error = serializers.DictField(allow_null=True)
    result = VerificationOutputSerializer(allow_null=True)


def _item(item: BatchItem) -> dict[str, Any]:
    verification = getattr(item, "verification", None)
    return {
        "position": item.position,
        "name": item.name,
        "status": item.status,
        "attempts": item.attempts,
        "verdict": item.verdict,
        "request_id": verification.request_id if verification else None,
        "error": {"code": item.error_code, "message": item.error_message}
        if item.error_code
        else None,
        "result": verification.result if verification else None,
    }


class BatchCreateApi(APIView):
    """Queue a batch: a ZIP (`batch_file`) or several `image` files, with an
    optional manifest (CSV or JSON; a `manifest.csv`/`.json` inside the ZIP
    works too). Answers 202 at once; poll `GET /verify/batch/{id}`.

    The ZIP is checked (paths, entry count, uncompressed size, compression
    ratio) before anything is stored; an unsafe one is refused whole. An
    entry that is not a usable image becomes a failed item with its reason.
    """

    class InputSerializer(OptionsSerializer):
        class Meta:
            ref_name = "BatchCreateInput"

        batch_file = serializers.FileField(required=False, help_text="A ZIP of label images.")
        image = serializers.ListField(
            child=serializers.FileField(), required=False, help_text="Label images (≤ 100)."
        )
        manifest = serializers.FileField(
            required=False, help_text="CSV or JSON: file grouping and application data."
        )

    class OutputSerializer(ProgressSerializer):
        class Meta:
            ref_name = "BatchCreated"

        url = serializers.CharField()

    @extend_schema(
        operation_id="batch_create",
        request={"multipart/form-data": InputSerializer},
        responses={202: OutputSerializer},
    )
    def post(self, request: Request) -> Response:
        reject_unknown_fields(request, set(self.InputSerializer().fields))
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        archive = request.FILES.get("batch_file")
        images = request.FILES.getlist("image")
        if bool(archive) == bool(images):
            raise ApiError(
                "Send either a ZIP as batch_file or label images as image, not both or neither.",
                code="image_required",
                details={"fields": ["batch_file", "image"]},
            )
        batch = batch_create_from_upload(
            user=request.user,
            client_ip=client_ip(request),
            archive=archive,
            images=images,
            manifest=request.FILES.get("manifest"),
            backend=data.get("ocr_backend") or settings.OCR_DEFAULT_BACKEND,
            dpi=data.get("dpi"),
            save_artifact=data.get("save_artifact"),
        )
        url = request.build_absolute_uri(f"/verify/batch/{batch.pk}")
        return Response(
            self.OutputSerializer({**_progress(batch), "url": url}).data,
            status=202,
            headers={"Location": url},
        )


class BatchDetailApi(APIView):
    """`GET`: progress and per-item results (paginated: `?page=`, `?page_size=` ≤ 500).
    `DELETE`: cancel the items that have not started."""

    class OutputSerializer(ProgressSerializer):
        class Meta:
            ref_name = "BatchDetail"

        items = BatchItemSerializer(many=True)
        count = serializers.IntegerField()
        next = serializers.CharField(allow_null=True)
        previous = serializers.CharField(allow_null=True)

    @extend_schema(operation_id="batch_detail", responses={200: OutputSerializer})
    def get(self, request: Request, batch_id: uuid.UUID) -> Response:
        batch = _batch_or_404(batch_id, request.user)
        paginator = BatchItemPagination()
        page = paginator.paginate_queryset(batch_item_list(batch=batch), request, view=self)
        answer = {
            **_progress(batch),
            "count": paginator.page.paginator.count,
            "next": paginator.get_next_link(),
            "previous": paginator.get_previous_link(),
            "items": [_item(item) for item in page],
        }
        return Response(self.OutputSerializer(answer).data)

    @extend_schema(operation_id="batch_cancel", responses={200: ProgressSerializer})
    def delete(self, request: Request, batch_id: uuid.UUID) -> Response:
        batch = _batch_or_404(batch_id, request.user)
        batch_cancel(batch=batch)
        return Response(ProgressSerializer(_progress(batch)).data)


class BatchResultsJsonApi(APIView):
    """Every item's result in one JSON document."""

    class OutputSerializer(ProgressSerializer):
        class Meta:
            ref_name = "BatchResults"

        items = BatchItemSerializer(many=True)

    @extend_schema(operation_id="batch_results_json", responses={200: OutputSerializer})
    def get(self, request: Request, batch_id: uuid.UUID) -> Response:
        batch = _batch_or_404(batch_id, request.user)
        items = [_item(item) for item in batch_item_list(batch=batch).iterator(chunk_size=200)]
        answer = {**_progress(batch), "items": items}
        return Response(
            self.OutputSerializer(answer).data,
            headers={"Content-Disposition": f'attachment; filename="batch-{batch.pk}.json"'},
        )


CSV_COLUMNS = (
    "position",
    "name",
    "status",
    "verdict",
    "request_id",
    "violations",
    "warnings",
    "error_code",
    "error_message",
    "processing_time_seconds",
)


class BatchResultsCsvApi(APIView):
    """One line per item; `violations`/`warnings` list the check ids, `;`-separated."""

    @extend_schema(
        operation_id="batch_results_csv",
        responses={(200, "text/csv"): OpenApiResponse(response=OpenApiTypes.STR)},
    )
    def get(self, request: Request, batch_id: uuid.UUID) -> HttpResponse:
        batch = _batch_or_404(batch_id, request.user)
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS)
        writer.writeheader()
        for item in batch_item_list(batch=batch).iterator(chunk_size=200):
            result = getattr(item, "verification", None)
            answer = result.result if result else {}
            row = {
                "position": item.position,
                "name": item.name,
                "status": item.status,
                "verdict": item.verdict,
                "request_id": result.request_id if result else "",
                "violations": ";".join(v["check"] for v in answer.get("violations", [])),
                "warnings": ";".join(w["check"] or "" for w in answer.get("warnings", [])),
                "error_code": item.error_code,
                "error_message": item.error_message,
                "processing_time_seconds": answer.get("processing_time_seconds", ""),
            }
            writer.writerow({key: spreadsheet_safe(value) for key, value in row.items()})
        return HttpResponse(
            buffer.getvalue(),
            content_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="batch-{batch.pk}.csv"'},
        )
