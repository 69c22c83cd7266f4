"""Is the artifact admin list fast with 100 000 rows?

    DATABASE_URL=postgres://ttb:ttb@127.0.0.1:5432/ttb_artifacts_bench \\
        .venv/bin/python -m bench.artifacts_admin --rows 100000

Fills the database (once) with verifications and their artifact rows, then
times the admin changelist unfiltered, filtered, by date and searched, through
Django's test client, with the number of SQL queries each page costs.
Target: every page under 300 ms.
"""

from __future__ import annotations

import argparse
import os
import random
import time
import uuid
from datetime import timedelta


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ttbsite.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from artifacts.models import Artifact, ArtifactState
    from verifier.models import Verification

    settings.ALLOWED_HOSTS = ["*"]
    call_command("migrate", verbosity=0)
    missing = args.rows - Artifact.objects.count()
    if missing > 0:
        fill(missing, Artifact, ArtifactState, Verification, timezone.now())
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE artifacts_artifact")
    user, _ = User.objects.get_or_create(
        username="bench-admin", defaults={"is_staff": True, "is_superuser": True}
    )
    client = Client()
    client.force_login(user)
    year = timezone.now().year
    pages = {
        "unfiltered": {},
        "verdict": {"verdict__exact": "NON_COMPLIANT"},
        "backend + beverage": {"ocr_backend": "ollama", "beverage_type": "wine"},
        "year": {"created_at__year": year},
        "brand search": {"q": "ridge"},
        "request id search": {"q": str(Artifact.objects.values_list("request_id").first()[0])},
        "page 200": {"p": 200},
    }
    print(f"{Artifact.objects.count()} artifact rows")
    for name, params in pages.items():
        client.get("/admin/artifacts/artifact/", params)  # warm
        started = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/admin/artifacts/artifact/", params)
        seconds = time.perf_counter() - started
        assert response.status_code == 200, response.status_code
        print(f"{name:<20} {seconds * 1000:7.0f} ms  {len(queries):3} queries")


def fill(count: int, Artifact, ArtifactState, Verification, now) -> None:
    from tqdm import tqdm

    rng = random.Random(1)
    brands = ["Stone Ridge", "Old Tom", "Hop Yard", "Vista Roja", "Blue Heron", "Cask 9"]
    verdicts = ["COMPLIANT", "NON_COMPLIANT", "NEEDS_REVIEW"]
    beverages = ["wine", "distilled_spirits", "malt_beverage"]
    for start in tqdm(range(0, count, 5000), desc="Filling", unit="5000 rows"):
        size = min(5000, count - start)
        verifications = Verification.objects.bulk_create(
            Verification(
                channel="batch",
                backend_requested="tesseract",
                backend_used=rng.choice(["tesseract", "tesseract", "ollama"]),
                engine_version="1.0.0",
                brand_name=f"{rng.choice(brands)} {rng.randint(1, 999)}",
                beverage_type=rng.choice(beverages),
                verdict=rng.choice(verdicts),
                result={},
                processing_ms=rng.randint(200, 2000),
            )
            for _ in range(size)
        )
        artifacts = []
        for verification in verifications:
            created = now - timedelta(minutes=rng.randint(0, 60 * 24 * 700))
            request_id = uuid.uuid4()
            artifacts.append(
                Artifact(
                    verification=verification,
                    request_id=request_id,
                    created_at=created,
                    prefix=f"artifacts/{created:%Y/%m/%d}/{request_id}/",
                    state=ArtifactState.STORED,
                    attempted_at=created,
                    stored_at=created,
                    retain_until=created + timedelta(days=365),
                    verdict=verification.verdict,
                    ocr_backend=verification.backend_used,
                    beverage_type=verification.beverage_type,
                    brand_name=verification.brand_name,
                )
            )
        Artifact.objects.bulk_create(artifacts)


if __name__ == "__main__":
    main()
