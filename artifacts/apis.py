"""`/artifacts`: list, read, fetch the image of, and delete saved verifications.

Reading needs the `artifacts.view_artifact` permission, deleting
`artifacts.delete_artifact`. Images of an S3 storage are handed out as a
redirect to a short-lived presigned URL; the file system storage streams them.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    inline_serializer,
)
from rest_framework import serializers, status
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from artifacts.models import Artifact, ArtifactState, FileKind
from artifacts.selectors import (
    artifact_document,
    artifact_file_get,
    artifact_file_read,
    artifact_file_url,
    artifact_files,
    artifact_get,
    artifact_list,
)
from artifacts.services import ArtifactAlreadyDeleted, artifact_delete
from ttbsite.errors import ApiError
from ttbsite.permissions import DELETE_ARTIFACT, VIEW_ARTIFACT
from verifier.models import VerdictChoice


class ArtifactPermission(BasePermission):
    """GET needs `view_artifact`; DELETE needs `delete_artifact`."""

    message = "You need the permission to view artifacts."

    def has_permission(self, request: Request, view: APIView) -> bool:
        if request.method == "DELETE":
            self.message = "You need the permission to delete artifacts."
            return request.user.has_perm(DELETE_ARTIFACT)
        return request.user.has_perm(VIEW_ARTIFACT)


class AnyAcceptNegotiation(BaseContentNegotiation):
    """The image endpoint answers with the image whatever the client accepts."""

    def select_parser(self, request: Request, parsers: list[Any]) -> Any:
        return parsers[0] if parsers else None

    def select_renderer(
        self, request: Request, renderers: list[Any], format_suffix: str | None = None
    ) -> tuple[Any, str]:
        return renderers[0], renderers[0].media_type


def _artifact_or_error(artifact_id: int) -> Artifact:
    artifact = artifact_get(artifact_id=artifact_id)
    if artifact is None:
        raise ApiError(f"There is no artifact {artifact_id}.", code="not_found", status_code=404)
    if artifact.state == ArtifactState.DELETED:
        raise ApiError(
            f"Artifact {artifact_id} was deleted on {artifact.deleted_at:%Y-%m-%d}.",
            code="artifact_deleted",
            status_code=status.HTTP_410_GONE,
            details={
                "deleted_at": artifact.deleted_at.isoformat() if artifact.deleted_at else None
            },
        )
    return artifact


def _storage_unavailable(error: Exception) -> ApiError:
    return ApiError(
        "The artifact storage did not answer; try again in a minute.",
        code="artifact_storage_unavailable",
        status_code=status.HTTP_503_SERVICE_UNAVAILABLE,
        details={"error": type(error).__name__},
    )


def _detail_url(request: Request | HttpRequest, artifact_id: int) -> str:
    return request.build_absolute_uri(reverse("artifact-detail", args=[artifact_id]))


class ArtifactListApi(APIView):
    permission_classes = [IsAuthenticated, ArtifactPermission]

    class FilterSerializer(serializers.Serializer):
        start_date = serializers.DateField(required=False)
        end_date = serializers.DateField(required=False)
        validation_status = serializers.CharField(required=False)
        ocr_backend = serializers.CharField(required=False, max_length=16)
        beverage_type = serializers.CharField(required=False, max_length=20)
        brand = serializers.CharField(required=False, max_length=200)
        state = serializers.ChoiceField(choices=ArtifactState.values, required=False)
        request_id = serializers.UUIDField(required=False)

        def validate_validation_status(self, value: str) -> str:
            verdict = value.upper()
            if verdict not in VerdictChoice.values:
                raise serializers.ValidationError(
                    f"Expected one of {', '.join(VerdictChoice.values)}, not {value!r}."
                )
            return verdict

        def validate(self, data: dict[str, Any]) -> dict[str, Any]:
            start, end = data.get("start_date"), data.get("end_date")
            if start and end and start > end:
                raise serializers.ValidationError({"end_date": "It is before start_date."})
            return data

    class OutputSerializer(serializers.Serializer):
        id = serializers.IntegerField()
        request_id = serializers.UUIDField()
        created_at = serializers.DateTimeField()
        state = serializers.CharField()
        verdict = serializers.CharField()
        validation_passed = serializers.BooleanField()
        ocr_backend = serializers.CharField()
        beverage_type = serializers.CharField()
        brand_name = serializers.CharField()
        retain_until = serializers.DateTimeField()
        url = serializers.SerializerMethodField()

        def get_url(self, artifact: Artifact) -> str:
            return _detail_url(self.context["request"], artifact.pk)

    @extend_schema(
        operation_id="artifact_list",
        parameters=[FilterSerializer, OpenApiParameter("page", int, description="From 1.")],
        responses={
            200: inline_serializer(  # one page of PAGE_SIZE artifacts
                name="ArtifactPage",
                fields={
                    "count": serializers.IntegerField(),
                    "next": serializers.URLField(allow_null=True),
                    "previous": serializers.URLField(allow_null=True),
                    "results": OutputSerializer(many=True),
                },
            )
        },
    )
    def get(self, request: Request) -> Response:
        filters = self.FilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        artifacts = artifact_list(filters=filters.validated_data)
        paginator = api_settings.DEFAULT_PAGINATION_CLASS()
        page = paginator.paginate_queryset(artifacts, request, view=self)
        data = self.OutputSerializer(page, many=True, context={"request": request}).data
        return paginator.get_paginated_response(data)


class ArtifactDetailApi(APIView):
    permission_classes = [IsAuthenticated, ArtifactPermission]

    class FileSerializer(serializers.Serializer):
        kind = serializers.CharField()
        panel = serializers.IntegerField(allow_null=True)
        name = serializers.CharField(source="file_name")
        key = serializers.CharField()
        size_bytes = serializers.IntegerField()
        sha256 = serializers.CharField()
        content_type = serializers.CharField()

    class DeleteInputSerializer(serializers.Serializer):
        reason = serializers.CharField(
            required=False, max_length=2000, default="Deletion requested through the API."
        )

    class TombstoneSerializer(serializers.Serializer):
        artifact_id = serializers.IntegerField()
        request_id = serializers.UUIDField()
        deleted_at = serializers.DateTimeField()
        actor = serializers.CharField()
        reason = serializers.CharField()
        keys = serializers.ListField(child=serializers.CharField())

    @extend_schema(operation_id="artifact_detail", responses={200: OpenApiTypes.OBJECT})
    def get(self, request: Request, artifact_id: int) -> Response:
        artifact = _artifact_or_error(artifact_id)
        files = artifact_files(artifact=artifact)
        try:
            documents = {
                kind: artifact_document(artifact=artifact, kind=kind)
                for kind in (FileKind.METADATA, FileKind.EXTRACTED_TEXT, FileKind.VALIDATION_RESULT)
            }
        except Exception as error:  # the storage's own errors: boto, OS
            raise _storage_unavailable(error) from error
        image_url = request.build_absolute_uri(reverse("artifact-image", args=[artifact.pk]))
        panels = [file.panel for file in files if file.kind == FileKind.IMAGE]
        return Response(
            {
                **ArtifactListApi.OutputSerializer(artifact, context={"request": request}).data,
                "failure_reason": artifact.failure_reason or None,
                "stored_at": artifact.stored_at,
                "metadata": documents[FileKind.METADATA],
                "extracted_text": documents[FileKind.EXTRACTED_TEXT],
                "result": documents[FileKind.VALIDATION_RESULT],
                "files": self.FileSerializer(files, many=True).data,
                "links": {
                    "self": _detail_url(request, artifact.pk),
                    "images": [f"{image_url}?panel={panel}" for panel in panels],
                },
            }
        )

    @extend_schema(
        operation_id="artifact_delete",
        request=DeleteInputSerializer,
        responses={200: TombstoneSerializer},
    )
    def delete(self, request: Request, artifact_id: int) -> Response:
        artifact = _artifact_or_error(artifact_id)
        data = request.data if request.data else request.query_params
        serializer = self.DeleteInputSerializer(data=data)
        serializer.is_valid(raise_exception=True)
        try:
            tombstone = artifact_delete(
                artifact=artifact, user=request.user, reason=serializer.validated_data["reason"]
            )
        except ArtifactAlreadyDeleted as error:
            raise ApiError(str(error), code="artifact_deleted", status_code=410) from error
        return Response(self.TombstoneSerializer(tombstone).data)


class ArtifactImageApi(APIView):
    permission_classes = [IsAuthenticated, ArtifactPermission]
    content_negotiation_class = AnyAcceptNegotiation

    class InputSerializer(serializers.Serializer):
        panel = serializers.IntegerField(required=False, default=0, min_value=0)

    @extend_schema(
        operation_id="artifact_image",
        parameters=[InputSerializer],
        responses={
            (200, "image/*"): OpenApiTypes.BINARY,
            302: OpenApiResponse(description="Redirect to a short-lived presigned URL."),
        },
    )
    def get(self, request: Request, artifact_id: int) -> HttpResponse:
        artifact = _artifact_or_error(artifact_id)
        params = self.InputSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        panel = params.validated_data["panel"]
        file = artifact_file_get(artifact=artifact, kind=FileKind.IMAGE, panel=panel)
        if file is None:
            raise ApiError(
                f"Artifact {artifact.pk} has no panel {panel}.",
                code="not_found",
                status_code=404,
                details={
                    "panels": [
                        f.panel for f in artifact_files(artifact=artifact) if f.panel is not None
                    ]
                },
            )
        file.artifact = artifact
        try:
            url = artifact_file_url(file=file) if artifact.state == ArtifactState.STORED else None
            if url:
                response: HttpResponse = HttpResponseRedirect(url)
            else:
                response = HttpResponse(
                    artifact_file_read(file=file), content_type=file.content_type
                )
        except FileNotFoundError as error:
            raise ApiError(
                f"Artifact {artifact.pk} has no stored image yet ({artifact.state}).",
                code="not_found",
                status_code=404,
            ) from error
        except Exception as error:
            raise _storage_unavailable(error) from error
        response["Cache-Control"] = "private, no-store"
        return response
