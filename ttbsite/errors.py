"""One JSON error shape for every 4xx/5xx the API returns.

{"error": {"code": "invalid_image", "message": "…", "details": {…}}}
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.response import SimpleTemplateResponse, TemplateResponse
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

from ttbsite.text_inputs import UnsafeText
from verifier.engine.errors import EngineError
from verifier.rejections import Rejected

logger = logging.getLogger(__name__)

# A 503 says when to try again (a model still loading, a backend restarting).
RETRY_AFTER_SECONDS = "30"
# HTTP status for each engine error a caller can fix (or wait out); others are 400.
ENGINE_ERROR_STATUS = {
    "unsupported_media_type": 415,
    "corrupt_image": 400,
    "image_too_large": 413,
    "backend_unavailable": 503,
    "backend_timeout": 504,
    "server_busy": 503,  # shed: every engine slot taken (verifier.services.engine_slots)
}


class ApiError(exceptions.APIException):
    """An error with a stable code, a message a person can act on, and details."""

    def __init__(
        self,
        message: str,
        *,
        code: str,
        status_code: int = status.HTTP_400_BAD_REQUEST,
        details: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(detail=message, code=code)
        self.status_code = status_code
        self.error_code = code
        self.details = details or {}
        self.headers = headers or (
            {"Retry-After": RETRY_AFTER_SECONDS} if status_code == 503 else {}
        )


def error_body(code: str, message: str, details: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "details": details or {}}}


def _first_message(detail: Any) -> str:
    """The first human message in DRF's nested validation detail."""
    if isinstance(detail, dict):
        for field, value in detail.items():
            message = _first_message(value)
            return message if field == "non_field_errors" else f"{field}: {message}"
    if isinstance(detail, list) and detail:
        return _first_message(detail[0])
    return str(detail)


def engine_error_status(error: EngineError) -> int:
    return ENGINE_ERROR_STATUS.get(error.code, status.HTTP_400_BAD_REQUEST)


def _as_api_error(exc: Exception) -> ApiError | None:
    """The errors raised below the views, in the one shape: the engine's and the
    services' (input a caller can fix, or a busy server), unsafe text, and
    Django's form-parsing limits, which would otherwise surface as a 500."""
    if isinstance(exc, EngineError):
        retry_after = exc.details.get("retry_after_seconds")
        return ApiError(
            exc.message,
            code=exc.code,
            status_code=engine_error_status(exc),
            details=exc.details,
            headers={"Retry-After": str(retry_after)} if retry_after is not None else None,
        )
    if isinstance(exc, Rejected):
        return ApiError(
            exc.message, code=exc.code, status_code=exc.status_code, details=exc.details
        )
    if isinstance(exc, UnsafeText):
        return ApiError(exc.message, code=exc.code, details=exc.details)
    if isinstance(exc, TooManyFilesSent | TooManyFieldsSent):
        return ApiError(
            f"The form carries too many files or fields ({exc}). "
            "Send a batch of more than 100 files as one ZIP.",
            code="too_many_files",
        )
    if isinstance(exc, RequestDataTooBig):
        return ApiError(
            "The form fields (not counting files) are too large.",
            code="request_too_large",
            status_code=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
        )
    return None


def api_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    exc = _as_api_error(exc) or exc
    if isinstance(exc, ApiError):
        return Response(
            error_body(exc.error_code, str(exc.detail), exc.details),
            status=exc.status_code,
            headers=exc.headers,
        )
    response = exception_handler(exc, context)
    if response is None:
        logger.exception("Unhandled API error", exc_info=exc)
        return Response(
            error_body("server_error", "The server failed to answer. The error was logged."),
            status=status.HTTP_500_INTERNAL_SERVER_ERROR,
        )
    if isinstance(exc, exceptions.ValidationError):
        details = exc.detail if isinstance(exc.detail, dict) else {"errors": exc.detail}
        response.data = error_body("invalid_request", _first_message(exc.detail), details)
    else:
        code = getattr(exc, "default_code", "error")
        if isinstance(exc, exceptions.APIException):
            codes = exc.get_codes()
            code = codes if isinstance(codes, str) else code
        response.data = error_body(code, _first_message(exc.detail))
    return response


def _wants_html(request: HttpRequest) -> bool:
    return "text/html" in request.headers.get("Accept", "") and not request.path.startswith(
        ("/api/", "/verify", "/artifacts", "/verifications", "/health", "/model-status")
    )


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if _wants_html(request):
        return SimpleTemplateResponse("404.html", status=404).render()
    return JsonResponse(error_body("not_found", f"Nothing at {request.path}."), status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    if _wants_html(request):
        return SimpleTemplateResponse("500.html", status=500).render()
    return JsonResponse(
        error_body("server_error", "The server failed to answer. The error was logged."),
        status=500,
    )


def signed_in_too_often(
    request: HttpRequest, original_response: HttpResponse | None, credentials: Any = None
) -> HttpResponse:
    """django-axes' answer to a locked-out sign-in: 429 with `Retry-After`, a page
    for a browser and the error shape for anything else."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    message = (
        f"Too many failed sign-ins for this user name from your address. "
        f"Wait {minutes} minutes and try again, or ask your administrator to unlock it."
    )
    if "text/html" in request.headers.get("Accept", ""):
        response: HttpResponse = TemplateResponse(
            request, "registration/locked_out.html", {"message": message}, status=429
        ).render()
    else:
        response = JsonResponse(error_body("signed_in_too_often", message), status=429)
    response["Retry-After"] = str(int(settings.AXES_COOLOFF_TIME.total_seconds()))
    return response
