"""Issue 15, finding 2 (sign-in): django-axes locks a user name out from one
address after a few wrong passwords, on the admin and on the agents' sign-in
page; the right password is then refused too, with 429, Retry-After and a
message saying what to do. Another address is not locked out."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

ATTACKER = "198.51.100.7"


@pytest.fixture
def boss(django_user_model: Any) -> Any:
    return django_user_model.objects.create_superuser(username="boss", password="pw-boss-123")


@pytest.fixture
def limit(settings: Any) -> int:
    settings.AXES_FAILURE_LIMIT = 3
    return 3


def sign_in(client: Client, path: str, password: str, **headers: str) -> Any:
    return client.post(path, {"username": "boss", "password": password}, headers=headers)


@pytest.mark.parametrize("path", ["/admin/login/", "/accounts/login/"])
def test_wrong_passwords_lock_the_user_out_from_that_address(boss, limit, path):
    attacker = Client(REMOTE_ADDR=ATTACKER)
    for _ in range(limit - 1):
        response = sign_in(attacker, path, "wrong")
        assert response.status_code == 200  # the form again, with its error
        assert "_auth_user_id" not in attacker.session

    locked = sign_in(attacker, path, "wrong", accept="text/html")
    assert locked.status_code == 429
    assert int(locked["Retry-After"]) >= 60
    assert "Too many failed sign-ins" in locked.content.decode()

    right = sign_in(attacker, path, "pw-boss-123", accept="application/json")
    assert right.status_code == 429
    assert right.json()["error"]["code"] == "signed_in_too_often"
    assert "_auth_user_id" not in attacker.session

    elsewhere = Client(REMOTE_ADDR="203.0.113.5")
    assert sign_in(elsewhere, path, "pw-boss-123").status_code == 302
    assert elsewhere.session["_auth_user_id"] == str(boss.pk)


def test_a_success_before_the_limit_resets_the_count(boss, limit):
    client = Client(REMOTE_ADDR=ATTACKER)
    for _ in range(limit - 1):
        sign_in(client, "/admin/login/", "wrong")
    assert sign_in(client, "/admin/login/", "pw-boss-123").status_code == 302
    client.logout()
    for _ in range(limit - 1):
        assert sign_in(client, "/admin/login/", "wrong").status_code == 200
