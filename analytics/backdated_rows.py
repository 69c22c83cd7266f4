"""Writing audit rows in the past, for the analytics tests and benchmark only.

`created_at` is `auto_now_add`, which stamps every row with the moment it is
written; a synthetic month of history needs rows written with their own times.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import models


@contextmanager
def settable_created_at(model: type[models.Model]) -> Iterator[None]:
    created = model._meta.get_field("created_at")
    created.auto_now_add = False  # type: ignore[attr-defined]
    try:
        yield
    finally:
        created.auto_now_add = True  # type: ignore[attr-defined]
