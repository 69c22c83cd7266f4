"""The warning's frame: levelled only when the photo tilts it."""

from __future__ import annotations

import numpy as np
import pytest

from verifier.engine.frame import frame_of
from verifier.engine.models import Box, Word


def _row(slope: float) -> list[Word]:
    """Three lines of eight 120 px words, each line rising `slope` per pixel."""
    return [
        Word("word", 95.0, Box(40 + 140 * i, round(100 + 40 * line + slope * 140 * i), 120, 24))
        for line in range(3)
        for i in range(8)
    ]


@pytest.mark.parametrize(("slope", "levelled"), [(0.0, False), (0.0096, False), (0.03, True)])
def test_a_statement_is_levelled_only_when_tilted_by_a_degree_or_more(
    slope: float, levelled: bool
) -> None:
    """Studio seed 1000112: an untilted side strip measured 0.0096 (words' centres
    wander by a pixel or two); turning it by half a degree for nothing cut its
    crossed line crooked. Photos tilted 1-3 degrees measure 0.017-0.052."""
    frame = frame_of(np.full((300, 1300, 3), 255, np.uint8), _row(slope))
    assert (frame.level is not None) is levelled
    if levelled:
        assert frame.slope == pytest.approx(slope, abs=0.002)
