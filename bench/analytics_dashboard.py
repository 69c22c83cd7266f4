"""Does the analytics dashboard load in under a second at 100 000 audit rows?

    .venv/bin/python -m bench.analytics_dashboard                 # 100 000 rows
    .venv/bin/python -m bench.analytics_dashboard --rows 20000 --keep

Creates a scratch database on the PostgreSQL server in --database-url (start it
as `.ci/run` does), migrates it, bulk-inserts --rows audit rows spread over
the last 90 days (fifteen checks each, a result document of realistic size,
one agent decision per 20 rows), runs ANALYZE, then times
`GET /admin/analytics/` through Django's test client for three ranges: the
default last 30 days, all 90 days (every row), and 90 days filtered to one
backend and beverage type. It prints each page's median of 5 loads (after a
warm-up), its SQL query count, and each aggregate's own time for the widest
range. The scratch database is dropped at the end unless --keep.
Target: every page under 1 s.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import time
import uuid
from datetime import timedelta
from urllib.parse import urlsplit, urlunsplit

import psycopg

BENCH_DATABASE = "ttb_analytics_bench"
CHECKS = {
    "brand_name": "27 CFR 4.33, 5.64, 7.64",
    "class_type": "27 CFR 4.34, 5.165, 7.141",
    "alcohol_content": "27 CFR 4.36, 5.65, 7.65",
    "net_contents": "27 CFR 4.37, 5.70, 7.70",
    "standard_of_fill": "27 CFR 4.72, 5.203",
    "bottler": "27 CFR 4.35, 5.66, 7.66",
    "country_of_origin": "27 CFR 4.35(a)(2), 5.69, 19 CFR 134.11",
    "warning_present": "27 CFR 16.21",
    "warning_text": "27 CFR 16.21",
    "warning_header_caps": "27 CFR 16.22(a)(2)",
    "warning_header_bold": "27 CFR 16.22(a)(2)",
    "warning_body_not_bold": "27 CFR 16.22(a)(2)",
    "warning_type_size": "27 CFR 16.22(b)",
    "sulfite_declaration": "27 CFR 4.32(e)",
    "same_field_of_vision": "27 CFR 5.63(a)",
}
BOTTLERS = [f"Bottler {number}, City {number % 40}, ST" for number in range(400)]


def server_url(database_url: str, name: str) -> str:
    parts = urlsplit(database_url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def fill(count: int, *, seed: int = 1) -> None:
    from django.contrib.auth.models import User
    from tqdm import tqdm

    from analytics.backdated_rows import settable_created_at
    from verifier.models import Decision, Verification

    rng = random.Random(seed)
    users = [User.objects.create_user(f"agent{number}") for number in range(25)]
    now = time_now()
    verdicts = ["COMPLIANT"] * 6 + ["NON_COMPLIANT"] * 3 + ["NEEDS_REVIEW"]
    outcomes = ["pass"] * 17 + ["fail", "review", "not_applicable"]
    for start in tqdm(range(0, count, 5000), desc="Filling", unit="5000 rows"):
        rows = []
        for _ in range(min(5000, count - start)):
            checks = {check_id: rng.choice(outcomes) for check_id in CHECKS}
            backend = rng.choice(["tesseract"] * 4 + ["auto", "ollama"])
            rows.append(
                Verification(
                    request_id=uuid.uuid4(),
                    created_at=now - timedelta(seconds=rng.randint(0, 90 * 86400 - 1)),
                    user=rng.choice([*users, None]),
                    channel=rng.choice(["api", "api", "batch", "web", "cli"]),
                    backend_requested=backend,
                    backend_used=backend,
                    engine_version="1.0.0",
                    application={"brand_name": "Stone Ridge", "bottler": rng.choice(BOTTLERS)},
                    brand_name="Stone Ridge",
                    beverage_type=rng.choice(["wine", "distilled_spirits", "malt_beverage"]),
                    verdict=rng.choice(verdicts),
                    check_outcomes=checks,
                    result={
                        "checks": [
                            {
                                "id": check_id,
                                "outcome": outcome,
                                "cfr": CHECKS[check_id],
                                "message": f"The {check_id.replace('_', ' ')} was checked.",
                                "confidence": round(rng.random(), 3),
                            }
                            for check_id, outcome in checks.items()
                        ]
                    },
                    processing_ms=int(rng.lognormvariate(7.0, 0.5)),
                )
            )
        with settable_created_at(Verification):
            created = Verification.objects.bulk_create(rows)
        decisions = [
            Decision(
                verification=row,
                created_at=row.created_at + timedelta(hours=1),
                user=rng.choice(users),
                channel="web",
                outcome=rng.choice(["approve", "reject", "request_correction"]),
            )
            for row in created[::20]
        ]
        with settable_created_at(Decision):
            Decision.objects.bulk_create(decisions)


def time_now():  # type: ignore[no-untyped-def]
    from django.utils import timezone

    return timezone.now()


def timed_page(client, params: dict[str, str]) -> tuple[float, float, int]:  # type: ignore[no-untyped-def]
    """The first load (which builds missing daily rollups), then the median of 5."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    started = time.perf_counter()
    response = client.get("/admin/analytics/", params)
    first = time.perf_counter() - started
    assert response.status_code == 200, response.status_code
    seconds = []
    for _ in range(5):
        started = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            client.get("/admin/analytics/", params)
        seconds.append(time.perf_counter() - started)
    return first, statistics.median(seconds), len(queries)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument(
        "--database-url",
        default=os.environ.get("DATABASE_URL", "postgres://ttb:ttb@127.0.0.1:5432/ttb"),
        help="a PostgreSQL server and a role that may CREATE DATABASE",
    )
    parser.add_argument("--keep", action="store_true", help="keep (and reuse) the scratch database")
    args = parser.parse_args()

    with psycopg.connect(args.database_url, autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [BENCH_DATABASE]
        ).fetchone()
        if not exists:
            connection.execute(f'CREATE DATABASE "{BENCH_DATABASE}"')
    os.environ["DATABASE_URL"] = server_url(args.database_url, BENCH_DATABASE)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ttbsite.settings")
    try:
        run(args.rows)
    finally:
        from django.db import connections

        connections.close_all()
        if not args.keep:
            with psycopg.connect(args.database_url, autocommit=True) as connection:
                connection.execute(f'DROP DATABASE IF EXISTS "{BENCH_DATABASE}" WITH (FORCE)')


def run(rows: int) -> None:
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from analytics.aggregates import TABLES
    from analytics.models import DailyRollup, RolledUpDay
    from analytics.scope import Scope
    from verifier.models import Verification

    settings.ALLOWED_HOSTS = ["*"]
    call_command("migrate", verbosity=0)
    missing = rows - Verification.objects.count()
    if missing > 0:
        fill(missing)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    # Every run starts without rollups, so the first load shows what building them costs.
    for model in (RolledUpDay, DailyRollup):
        model.objects.all().delete()
    admin, _ = User.objects.get_or_create(
        username="bench-admin", defaults={"is_staff": True, "is_superuser": True}
    )
    client = Client()
    client.force_login(admin)
    today = time_now().date()
    first = (today - timedelta(days=90)).isoformat()
    pages = {
        "last 30 days (default)": {},
        "all 90 days": {"start": first},
        "90 days, one backend and type": {
            "start": first,
            "backend": "tesseract",
            "beverage_type": "wine",
        },
    }
    print(f"{Verification.objects.count()} audit rows on PostgreSQL {connection.pg_version}")
    print(f"{'page':<32} {'first load':>10} {'median of 5':>12}")
    for name, params in pages.items():
        first, seconds, queries = timed_page(client, params)
        print(f"{name:<32} {first * 1000:7.0f} ms {seconds * 1000:9.0f} ms  {queries:3} queries")
    scope = Scope(first_day=today - timedelta(days=90), last_day=today)
    print("Each aggregate over all 90 days:")
    for name, table in TABLES.items():
        started = time.perf_counter()
        table(scope)
        print(f"  {name:<30} {(time.perf_counter() - started) * 1000:7.0f} ms")


if __name__ == "__main__":
    main()
