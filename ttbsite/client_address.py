"""The client's IP address for the audit trail, seen through trusted proxies."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str | None:
    """`REMOTE_ADDR`, or behind `TRUSTED_PROXY_HOPS` proxies (the ALB: 1) the
    address the nearest trusted proxy saw in `X-Forwarded-For`.

    Entries further left were written by the client itself and prove nothing,
    so only the one added by our own outermost proxy is taken.
    """
    hops = settings.TRUSTED_PROXY_HOPS
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if hops and forwarded:
        addresses = [part.strip() for part in forwarded.split(",") if part.strip()]
        if len(addresses) >= hops:
            return addresses[-hops]
    return request.META.get("REMOTE_ADDR") or None
