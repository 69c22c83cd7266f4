"""What the verification endpoints share: form checks, errors, permissions."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.datastructures import MultiValueDict
from rest_framework import serializers
from rest_framework.permissions import AllowAny, BasePermission, IsAuthenticated
from rest_framework.request import Request

from ttbsite.errors import ApiError
from ttbsite.text_inputs import check_form_data
from verifier.application_data import (
    APPLICATION_FIELDS,
    application_from_ground_truth,
    application_from_mapping,
    parse_json_object,
)
from verifier.engine import Application
from verifier.engine.backends import Backend
from verifier.upload_limits import check_image_size, check_panel_count

# Form fields that may hold line breaks (JSON documents), and those sent once per file.
MULTILINE_FIELDS = ("application", "ground_truth")
REPEATABLE_FIELDS = ("image",)


class VerifyPermission(BasePermission):
    """`/verify` is open to anonymous clients when VERIFY_ALLOW_ANONYMOUS is on."""

    def has_permission(self, request: Request, view: Any) -> bool:
        permission = AllowAny() if self.allows_anonymous() else IsAuthenticated()
        return permission.has_permission(request, view)

    @staticmethod
    def allows_anonymous() -> bool:
        """Also read by the schema (ttbsite/schema.py): is a token optional?"""
        return settings.VERIFY_ALLOW_ANONYMOUS


class OptionsSerializer(serializers.Serializer):
    """How to verify: shared by /verify and /verify/batch."""

    ocr_backend = serializers.ChoiceField(choices=[b.value for b in Backend], required=False)
    save_artifact = serializers.BooleanField(required=False, allow_null=True, default=None)
    dpi = serializers.FloatField(required=False, min_value=50, max_value=4800)


def reject_unknown_fields(request: Request, known: set[str]) -> None:
    """Parse the form (the first access to it) and refuse fields we do not know."""
    # Django's own form limits (too many files, oversized fields) and unsafe
    # text are answered by ttbsite.errors.api_exception_handler.
    if not isinstance(request.data, Mapping):
        raise ApiError("Send the fields as a form or a JSON object.", code="invalid_request")
    if isinstance(request.data, MultiValueDict):
        check_form_data(request.data, multiline=MULTILINE_FIELDS, repeatable=REPEATABLE_FIELDS)
    sent = set(request.data.keys()) | set(request.FILES.keys())
    unknown = sorted(sent - known)
    if unknown:
        raise ApiError(
            f"Unknown fields: {', '.join(unknown)}. Known fields: {', '.join(sorted(known))}.",
            code="unknown_fields",
            details={"unknown": unknown},
        )


def uploaded_images(request: Request, *, field: str = "image") -> list[UploadedFile]:
    """The uploaded panel files, checked for count and size (not content)."""
    files = request.FILES.getlist(field)
    if not files:
        hint = " as a file upload" if field in request.data else ""
        raise ApiError(
            f"Send the label{hint}: at least one {field!r} file (repeat it for more panels).",
            code="image_required",
            details={"field": field},
        )
    check_panel_count(len(files), details={"field": field})
    for upload in files:
        check_image_size(str(upload.name), upload.size, details={"field": field})
    return files


def application_from_input(data: Mapping[str, Any]) -> Application:
    """The filed data from a serializer's validated data, given one way:
    individual fields, `application` JSON, or the replaced system's
    `ground_truth` JSON. Raises `Rejected` (the API answers it 400)."""
    individual = {key: data[key] for key in APPLICATION_FIELDS if data.get(key) is not None}
    given = [name for name in ("application", "ground_truth") if data.get(name) not in (None, "")]
    if individual:
        given.append("individual fields")
    if len(given) > 1:
        raise ApiError(
            f"Application data was given more than one way ({', '.join(given)}): use one.",
            code="ambiguous_application",
            details={"given": given},
        )
    if data.get("application") not in (None, ""):
        document = parse_json_object(data["application"], field="application")
        return application_from_mapping(document)
    if data.get("ground_truth") not in (None, ""):
        document = parse_json_object(data["ground_truth"], field="ground_truth")
        return application_from_ground_truth(document)
    return application_from_mapping(individual)
