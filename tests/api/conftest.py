"""Fixtures for the API and CLI: generated labels, users, clients."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from rest_framework.test import APIClient

from labelgen import RenderedLabel
from tests.api.helpers import rendered


@pytest.fixture
def compliant_label() -> RenderedLabel:
    label = rendered(3)
    assert label.expected_verdict == "COMPLIANT"
    return label


@pytest.fixture
def brand_mismatch_label() -> RenderedLabel:
    return rendered(5, failures=("brand_name",))


@pytest.fixture
def two_panel_label() -> RenderedLabel:
    label = rendered(11, degradations=("multi_panel",))
    assert len(label.panels) == 2
    return label


@pytest.fixture
def user(django_user_model: Any) -> Any:
    return django_user_model.objects.create_user(username="agent", password="pw-agent-123")


@pytest.fixture
def other_user(django_user_model: Any) -> Any:
    return django_user_model.objects.create_user(username="other", password="pw-other-123")


@pytest.fixture
def staff_user(django_user_model: Any) -> Any:
    return django_user_model.objects.create_user(
        username="auditor", password="pw-auditor-123", is_staff=True
    )


@pytest.fixture
def anonymous_client() -> APIClient:
    return APIClient()


@pytest.fixture
def client_for() -> Callable[[Any], APIClient]:
    def make(user: Any) -> APIClient:
        client = APIClient()
        client.force_authenticate(user)
        return client

    return make


@pytest.fixture
def api_client(client_for: Callable[[Any], APIClient], user: Any) -> APIClient:
    return client_for(user)


@pytest.fixture
def api_schema() -> Iterator[Any]:
    """The app over WSGI, in this test's transaction: like Django's test client,
    keep the request signals from closing the test's database connection."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/schema/", get_wsgi_application())
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)
