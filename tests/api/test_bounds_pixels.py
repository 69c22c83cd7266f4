"""Bounded work per request: a panel far larger than a label needs is read at
the working resolution, and the caller's DPI follows it."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from tests.api.helpers import upload
from verifier.engine.images import WORKING_MAX_PIXELS, WORKING_MAX_SIDE, load_image, working_dpi
from verifier.models import Verification

pytestmark = pytest.mark.django_db


def png(size: tuple[int, int], **params) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (236, 226, 200)).save(buffer, "PNG", **params)
    return buffer.getvalue()


def test_a_7000_pixel_flat_png_is_verified_at_the_working_size(anonymous_client):
    """The issue's request: a 62 KB PNG of 7000 x 7000 flat colour, no login."""
    data = png((7000, 7000))
    assert len(data) < 200_000

    response = anonymous_client.post(
        "/verify", {"image": upload(data, "huge.png")}, format="multipart"
    )

    assert response.status_code == 200, response.content
    (image,) = Verification.objects.get().images
    assert image["width"] <= WORKING_MAX_SIDE and image["height"] <= WORKING_MAX_SIDE
    assert image["width"] * image["height"] <= WORKING_MAX_PIXELS
    assert image["size_bytes"] == len(data)


def test_the_callers_dpi_is_put_on_the_working_scale() -> None:
    large, small = load_image(png((8000, 1000))), load_image(png((800, 600)))

    assert working_dpi(600, [large]) == 300
    assert working_dpi(600, [large, large]) == 300
    assert working_dpi(600, [small]) == 600
    assert working_dpi(None, [large]) is None
    # Shrunk by different factors: no one DPI fits; each file's own metadata is used.
    assert working_dpi(600, [large, small]) is None
