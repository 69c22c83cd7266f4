"""The audit trail's client IP: REMOTE_ADDR, or what our own proxy saw."""

from __future__ import annotations

from django.test import RequestFactory

from ttbsite.client_address import client_ip


def request(forwarded: str | None = None):
    headers = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    return RequestFactory().get("/", REMOTE_ADDR="10.0.1.5", **headers)


def test_without_trusted_proxies_the_connecting_address_counts(settings) -> None:
    settings.TRUSTED_PROXY_HOPS = 0

    assert client_ip(request("203.0.113.9")) == "10.0.1.5"


def test_behind_the_alb_the_address_it_saw_counts(settings) -> None:
    settings.TRUSTED_PROXY_HOPS = 1

    assert client_ip(request("203.0.113.9")) == "203.0.113.9"


def test_a_client_cannot_forge_its_address_by_prepending_entries(settings) -> None:
    settings.TRUSTED_PROXY_HOPS = 1

    assert client_ip(request("198.51.100.66, 203.0.113.9")) == "203.0.113.9"


def test_a_missing_header_behind_a_proxy_falls_back_to_the_connection(settings) -> None:
    settings.TRUSTED_PROXY_HOPS = 1

    assert client_ip(request()) == "10.0.1.5"
