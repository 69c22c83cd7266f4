"""artifact_save_wanted(): the request decides, else ARTIFACT_DEFAULT_SAVE; disabled wins."""

from __future__ import annotations

from typing import Any

import pytest

from artifacts.services import artifact_save_wanted


@pytest.mark.parametrize(
    ("enabled", "default", "requested", "wanted"),
    [
        (True, False, None, False),
        (True, True, None, True),
        (True, False, True, True),
        (True, True, False, False),
        (False, True, True, False),
        (False, True, None, False),
    ],
)
def test_who_decides(
    settings: Any, enabled: bool, default: bool, requested: bool | None, wanted: bool
) -> None:
    settings.ARTIFACT_STORAGE_ENABLED = enabled
    settings.ARTIFACT_DEFAULT_SAVE = default
    assert artifact_save_wanted(requested=requested) is wanted
