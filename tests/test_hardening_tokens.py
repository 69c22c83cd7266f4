"""Issue 15, finding 7 (tokens): API tokens are hashed at rest and expire;
`manage.py drf_create_token USER` prints a new one once; the admin never shows
one; the plaintext tokens of before are migrated to hashes."""

from __future__ import annotations

import importlib
import io
import types
import uuid
from datetime import timedelta
from typing import Any

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from django.utils import timezone
from knox.models import AuthToken
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db


@pytest.fixture
def user(django_user_model: Any) -> Any:
    return django_user_model.objects.create_user(username="agent", password="pw-agent-123")


def create_token(username: str) -> str:
    out = io.StringIO()
    call_command("drf_create_token", username, stdout=out, stderr=io.StringIO())
    line = out.getvalue().strip()
    assert line.startswith("Generated token ") and line.endswith(f" for user {username}"), line
    return line.split()[2]  # as operators' scripts (bench/batch.py) read it


def status_with(token: str) -> int:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client.get(f"/verifications/{uuid.uuid4()}").status_code


def test_the_printed_token_works_and_only_its_hash_is_stored(user, settings):
    token = create_token(user.username)

    assert status_with(token) == 404  # authenticated: no such verification
    stored = AuthToken.objects.get(user=user)
    assert token not in (stored.digest, stored.token_key)
    assert token not in stored.digest and len(stored.token_key) < len(token)
    expected_expiry = timezone.now() + timedelta(days=settings.API_TOKEN_TTL_DAYS)
    assert abs((stored.expiry - expected_expiry).total_seconds()) < 60


def test_an_expired_token_is_refused(user):
    token = create_token(user.username)
    AuthToken.objects.filter(user=user).update(expiry=timezone.now() - timedelta(seconds=1))

    assert status_with(token) == 401
    assert status_with("f" * 64) == 401


def test_reset_revokes_the_old_tokens(user):
    old = create_token(user.username)
    out = io.StringIO()
    call_command("drf_create_token", user.username, "--reset", stdout=out, stderr=io.StringIO())

    assert status_with(old) == 401
    assert status_with(out.getvalue().split()[2]) == 404


def test_an_unknown_user_is_a_command_error():
    with pytest.raises(CommandError, match="nobody"):
        call_command("drf_create_token", "nobody", stdout=io.StringIO())


def test_the_admin_never_shows_a_token(user, django_user_model):
    token = create_token(user.username)
    boss = django_user_model.objects.create_superuser(username="boss", password="pw-boss-123")
    client = Client()
    client.force_login(boss)

    listing = client.get("/admin/knox/authtoken/")
    digest = AuthToken.objects.get(user=user).digest
    detail = client.get(f"/admin/knox/authtoken/{digest}/change/")

    assert listing.status_code == 200 and detail.status_code == 200
    for page in (listing, detail):
        assert token not in page.content.decode()


def test_plaintext_tokens_of_before_are_hashed_and_removed(user):
    old_key = "a1b2c3d4e5" * 4  # a DRF token: 40 hex characters
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE authtoken_token (key varchar(40) PRIMARY KEY, user_id integer, "
            "created timestamp with time zone)"
            if connection.vendor == "postgresql"
            else "CREATE TABLE authtoken_token (key varchar(40) PRIMARY KEY, user_id integer, "
            "created datetime)"
        )
        cursor.execute(
            "INSERT INTO authtoken_token (key, user_id, created) VALUES (%s, %s, %s)",
            [old_key, user.pk, timezone.now()],
        )
    migration = importlib.import_module("apitokens.migrations.0001_hash_existing_tokens")

    migration.hash_plaintext_tokens(apps, types.SimpleNamespace(connection=connection))

    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM authtoken_token")
        assert cursor.fetchone()[0] == 0
    assert status_with(old_key) == 404  # still works, until it expires
    assert AuthToken.objects.get(user=user).expiry is not None
