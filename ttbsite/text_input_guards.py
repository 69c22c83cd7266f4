"""Where the text rule (`ttbsite.text_inputs`) meets requests: every query
string, and every JSON body DRF parses."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from rest_framework.parsers import JSONParser

from ttbsite.text_inputs import UnsafeText, check_form_data, parse_json


class QueryTextMiddleware:
    """Refuse a query string with unsafe text (e.g. `?q=%00` in an admin search,
    which PostgreSQL would answer with an error) before any view runs."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            check_form_data(request.GET, repeatable=request.GET.keys())
        except UnsafeText as error:
            # Imported here: ttbsite.errors loads DRF's views, whose settings load
            # the parser below from this module.
            from ttbsite.errors import error_body

            return JsonResponse(
                error_body(error.code, f"Query parameter {error.message}", error.details),
                status=400,
            )
        return self.get_response(request)


class GuardedJSONParser(JSONParser):
    """DRF's JSON body parser with the same limits as every other JSON input."""

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        raw = stream.read() if stream is not None else b""
        return parse_json(raw, field="request body")
