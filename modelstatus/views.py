"""`GET /model-status`: how far the vision model download is."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.permissions import AllowAny
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from modelstatus.selectors import ModelStatusMissing, ModelStatusUnreadable, model_status_get
from ttbsite.errors import ApiError


class _AlwaysJson(BaseContentNegotiation):
    """JSON whatever the Accept header says, like /health: a browser tab gets the document."""

    def select_parser(self, request: Request, parsers: list) -> None:
        return None

    def select_renderer(
        self, request: Request, renderers: list[BaseRenderer], format_suffix: str | None = None
    ) -> tuple[BaseRenderer, str]:
        return renderers[0], renderers[0].media_type


class ModelStatusView(APIView):
    """Unauthenticated, like /health: operators and the page poll it before signing in.

    The document passes through as written (no OutputSerializer): the writer
    owns its shape, and keys it adds later must reach the page unchanged.
    """

    authentication_classes = []
    permission_classes = [AllowAny]
    renderer_classes = [JSONRenderer]
    content_negotiation_class = _AlwaysJson

    @extend_schema(responses={200: OpenApiTypes.OBJECT}, auth=[])
    def get(self, request: Request) -> Response:
        try:
            document = model_status_get()
        except ModelStatusMissing:
            raise ApiError(
                "No model download has been attempted on this instance: there is no status "
                "file yet. Run `manage.py fetch_model` (the instance init script does).",
                code="model_status_not_found",
                status_code=status.HTTP_404_NOT_FOUND,
            ) from None
        except ModelStatusUnreadable as error:
            raise ApiError(
                f"The model status cannot be read: {error}. The download may still be "
                "running; check the fetch_model log on the instance.",
                code="model_status_unreadable",
                status_code=status.HTTP_503_SERVICE_UNAVAILABLE,
                headers={"Retry-After": "5"},
            ) from None
        return Response(document, headers={"Cache-Control": "no-cache"})
