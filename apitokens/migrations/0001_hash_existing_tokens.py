"""Existing plaintext DRF tokens become hashed, expiring knox tokens, and the
plaintext table is emptied. Clients keep their token until it expires
(API_TOKEN_TTL_DAYS from now), then need a new one (`drf_create_token`)."""

from datetime import timedelta

from django.conf import settings
from django.db import migrations
from django.utils import timezone

PLAINTEXT_TABLE = "authtoken_token"


def hash_plaintext_tokens(apps, schema_editor):
    from knox.crypto import hash_token
    from knox.settings import CONSTANTS

    connection = schema_editor.connection
    if PLAINTEXT_TABLE not in connection.introspection.table_names():
        return
    AuthToken = apps.get_model("knox", "AuthToken")
    expiry = timezone.now() + timedelta(days=settings.API_TOKEN_TTL_DAYS)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT key, user_id FROM {PLAINTEXT_TABLE}")
        AuthToken.objects.bulk_create(
            AuthToken(
                digest=hash_token(key),
                token_key=key[: CONSTANTS.TOKEN_KEY_LENGTH],
                user_id=user_id,
                expiry=expiry,
            )
            for key, user_id in cursor.fetchall()
        )
        cursor.execute(f"DELETE FROM {PLAINTEXT_TABLE}")


class Migration(migrations.Migration):
    dependencies = [("knox", "0009_extend_authtoken_field")]

    operations = [migrations.RunPython(hash_plaintext_tokens, migrations.RunPython.noop)]
