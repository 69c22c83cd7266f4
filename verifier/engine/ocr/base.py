"""What every OCR backend promises the rest of the engine."""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from PIL import Image

from verifier.engine.models import PanelReading


@runtime_checkable
class OcrBackend(Protocol):
    """Reads one panel image into lines of words with boxes.

    Boxes are in the coordinates of the image passed in, whatever the backend
    did to it (upscaling, deskewing, turning it to read vertical text).
    """

    name: str
    version: str  # what exactly reads: the Tesseract release, the model's name

    def read(self, image: Image.Image, *, panel: int, deadline: float | None) -> PanelReading:
        """Read `image`; `deadline` is a `time.monotonic()` value to finish by.

        Raises BackendTimeout past the deadline, BackendUnavailable when the
        backend cannot run at all.
        """
        ...
