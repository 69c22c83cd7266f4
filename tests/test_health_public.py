"""Issue 15, finding 7 (/health): the public gets only `{"status": …}`; staff,
a client with a valid token, and this machine itself get the components."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from knox.models import AuthToken

from ttbsite import health

pytestmark = pytest.mark.django_db(transaction=True)

OUTSIDE = "203.0.113.9"


@pytest.fixture
def leaky_storage(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken() -> dict:
        raise ConnectionError("Could not connect to https://s3.internal.example:9000/bucket")

    monkeypatch.setitem(health.PROBES, "artifact_storage", broken)


def test_the_public_gets_the_status_only(leaky_storage):
    response = Client(REMOTE_ADDR=OUTSIDE).get("/health")

    assert response.status_code == 200
    assert response.json() == {"status": "degraded"}


def test_a_proxy_on_this_machine_does_not_make_everyone_local(leaky_storage):
    response = Client(REMOTE_ADDR="127.0.0.1").get("/health", headers={"X-Forwarded-For": OUTSIDE})

    assert response.json() == {"status": "degraded"}


def test_a_bad_token_gets_the_public_answer(leaky_storage):
    client = Client(REMOTE_ADDR=OUTSIDE)
    response = client.get("/health", headers={"Authorization": "Token " + "0" * 64})

    assert response.json() == {"status": "degraded"}


def shows_components(response: Any) -> bool:
    body = response.json()
    return body["components"]["artifact_storage"]["status"] == "down" and "s3.internal" in str(body)


def test_staff_see_the_components(leaky_storage, django_user_model):
    staff = django_user_model.objects.create_user("auditor", password="pw-auditor-1", is_staff=True)
    client = Client(REMOTE_ADDR=OUTSIDE)
    client.force_login(staff)

    assert shows_components(client.get("/health"))


def test_a_token_sees_the_components(leaky_storage, django_user_model):
    _, token = AuthToken.objects.create(user=django_user_model.objects.create_user("agent"))
    client = Client(REMOTE_ADDR=OUTSIDE)

    assert shows_components(client.get("/health", headers={"Authorization": f"Token {token}"}))


def test_this_machine_sees_the_components(leaky_storage):
    assert shows_components(Client(REMOTE_ADDR="127.0.0.1").get("/health"))
    assert shows_components(Client(REMOTE_ADDR="::1").get("/health"))
