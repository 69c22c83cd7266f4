"""Fixtures for the agent pages: a staff account and labels with known answers."""

from __future__ import annotations

import csv
import io
import zipfile
from functools import cache

import pytest
from django.test import Client

from labelgen import RenderedLabel, render_label, spec_for_seed

PASSWORD = "correct horse battery staple"


@cache
def label(seed: int, *failures: str) -> RenderedLabel:
    """A generated label; the engine reads these seeds as the generator intends."""
    return render_label(spec_for_seed(seed, failures=failures))


def passing_label() -> RenderedLabel:
    return label(1)


def changed_warning_label() -> RenderedLabel:
    """The warning says 'woman' where the law says 'women'."""
    return label(5, "warning_text")


def application_fields(rendered: RenderedLabel) -> dict[str, str]:
    """The application as an agent types it into the form."""
    values = rendered.application.to_dict()
    values.pop("is_import", None)
    return {key: str(value) for key, value in values.items()}


def batch_zip(*labels: RenderedLabel, manifest: bool = True) -> bytes:
    """A ZIP of `label-N.png` files and, by default, a manifest.csv with what was filed."""
    buffer = io.BytesIO()
    rows = []
    with zipfile.ZipFile(buffer, "w") as archive:
        for number, rendered in enumerate(labels, start=1):
            name = f"label-{number}.{rendered.image_format}"
            archive.writestr(name, rendered.panels[0])
            rows.append({"file": name, **application_fields(rendered)})
        if manifest:
            text = io.StringIO()
            columns = sorted({column for row in rows for column in row}, key=lambda c: c != "file")
            writer = csv.DictWriter(text, fieldnames=columns)
            writer.writeheader()
            writer.writerows(rows)
            archive.writestr("manifest.csv", text.getvalue())
    return buffer.getvalue()


@pytest.fixture
def staff_user(django_user_model):
    return django_user_model.objects.create_user(username="agent", password=PASSWORD, is_staff=True)


@pytest.fixture
def agent(client: Client, staff_user) -> Client:
    client.force_login(staff_user)
    return client
