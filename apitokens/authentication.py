"""Token authentication: hashed at rest and expiring (django-rest-knox), and
throttled on failure, so tokens cannot be guessed at speed."""

from __future__ import annotations

from typing import Any

from knox.auth import TokenAuthentication
from rest_framework import exceptions
from rest_framework.request import Request

from ttbsite.throttles import FailedTokenThrottle


class ThrottledTokenAuthentication(TokenAuthentication):
    """`Authorization: Token …`; an address that has failed too often gets 429
    with `Retry-After` before its next token is even looked up."""

    def authenticate(self, request: Request) -> tuple[Any, Any] | None:
        throttle = FailedTokenThrottle()
        if throttle.exhausted(request):
            raise exceptions.Throttled(wait=throttle.wait())
        try:
            return super().authenticate(request)
        except exceptions.AuthenticationFailed:
            throttle.record_failure(request)
            raise
