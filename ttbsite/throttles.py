"""API throttles: how often one client may verify, create batches, or fail a token.

Rates are settings (`API_THROTTLE_RATES`, from the environment; README), read
on every request (a test may change them); a rate of None switches a throttle off.
A client is its user when signed in, else its address as the trusted proxies
saw it (`REST_FRAMEWORK["NUM_PROXIES"]` follows `TRUSTED_PROXY_HOPS`).
Counts live in Django's cache: per process with the default local-memory
cache, so a limit holds per web worker.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from rest_framework.request import Request
from rest_framework.throttling import ScopedRateThrottle, SimpleRateThrottle

# The API routes (URL names) that are throttled, and the rate each one uses.
THROTTLED_ROUTES = {"verify": "verify", "batch-create": "batches"}


class RouteThrottle(ScopedRateThrottle):
    """DRF's scoped throttle, the scope chosen by the route (`THROTTLED_ROUTES`)
    rather than by an attribute on each view, and the rates from settings."""

    def allow_request(self, request: Request, view: Any) -> bool:
        match = request.resolver_match
        self.scope = THROTTLED_ROUTES.get(match.url_name if match else "")
        if self.scope is None:
            return True
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return SimpleRateThrottle.allow_request(self, request, view)

    def get_rate(self) -> str | None:
        return settings.API_THROTTLE_RATES.get(self.scope)


class FailedTokenThrottle(SimpleRateThrottle):
    """Counts only failed token authentications, per client address: guessing
    tokens is refused with 429 long before it could succeed, while a client
    with a good token is never slowed by it."""

    scope = "token_failures"

    def get_rate(self) -> str | None:
        return settings.API_THROTTLE_RATES.get(self.scope)

    def get_cache_key(self, request: Request, view: Any) -> str:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}

    def exhausted(self, request: Request) -> bool:
        """Whether this address has used up its failures; reads, never counts."""
        if self.rate is None:
            return False
        self.key = self.get_cache_key(request, None)
        self.now = self.timer()
        self.history = [t for t in self.cache.get(self.key, []) if t > self.now - self.duration]
        return len(self.history) >= self.num_requests

    def record_failure(self, request: Request) -> None:
        if self.rate is None:
            return
        self.exhausted(request)
        self.history.insert(0, self.now)
        self.cache.set(self.key, self.history, self.duration)
