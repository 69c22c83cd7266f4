"""Real headless Chromium (Debian's), driven by Playwright, against a live server.

Screenshots land in test-artifacts/screenshots/ (not committed). Playwright's
sync API runs an event loop in the test thread, so Django's ORM must be told
that the test's own queries are safe (the fixture below, for these tests only).
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import connection

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = Path(settings.BASE_DIR) / "test-artifacts" / "screenshots"
SERIOUS = ("serious", "critical")

if not CHROMIUM.exists():
    pytest.skip(
        f"Browser tests need Debian's Chromium at {CHROMIUM} (apt-get install chromium).",
        allow_module_level=True,
    )

sync_playwright = pytest.importorskip("playwright.sync_api").sync_playwright


@pytest.fixture(scope="session")
def allow_orm_beside_playwright() -> Iterator[None]:
    """While Playwright's loop runs in this thread, Django's ORM refuses to run
    here unless told it is safe (it is: nothing else uses the loop)."""
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    yield
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="session")
def browser(allow_orm_beside_playwright: None) -> Iterator[Any]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def sign_in(live_server: Any, staff_user: Any) -> Any:
    """Sign in through the real form, as an agent does."""
    from tests.web.conftest import PASSWORD

    def run(page: Any) -> None:
        page.goto(f"{live_server.url}/")
        page.get_by_label("User name").fill(staff_user.username)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.get_by_role("heading", name="Check a label").wait_for()

    return run


def screenshot(page: Any, name: str, *, full_page: bool = True) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path


def serious_violations(page: Any) -> list[str]:
    """axe-core's serious and critical findings on the page, one line each."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']} – "
        + "; ".join(node["target"][0] for node in violation["nodes"][:3])
        for violation in results.response["violations"]
        if violation["impact"] in SERIOUS
    ]


@pytest.fixture
def batch_worker(tmp_path: Path) -> Iterator[Any]:
    """Start a real `manage.py db_worker` on the test database, on demand."""
    processes: list[subprocess.Popen] = []

    def start() -> subprocess.Popen:
        database = connection.settings_dict
        environment = {
            **os.environ,
            "DATABASE_URL": (
                f"postgres://{database['USER']}:{database['PASSWORD']}@{database['HOST']}:"
                f"{database['PORT']}/{database['NAME']}"
            ),
            # The test's own data folder (see tests/conftest.py): the worker reads
            # the batch panels the page stored and writes artifacts beside them.
            "DATA_DIR": str(tmp_path),
        }
        environment.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        process = subprocess.Popen(
            [
                sys.executable,
                "manage.py",
                "db_worker",
                "--no-reload",
                "--no-startup-delay",
                "--interval",
                "0.2",
            ],
            cwd=settings.BASE_DIR,
            env=environment,
            stdout=subprocess.DEVNULL,
            stderr=(tmp_path / "worker.log").open("w"),
        )
        processes.append(process)
        return process

    yield start
    for process in processes:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
