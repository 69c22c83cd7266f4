"""OCR backends, looked up by the name a caller puts in `Options.backend`.

Tesseract and the second engine (RapidOCR) are built in; another backend registers a factory in
`_FACTORIES` and `get_backend()` hands it out under its name.
"""

from __future__ import annotations

from collections.abc import Callable

from verifier.engine.backends import Backend
from verifier.engine.errors import BackendUnavailable
from verifier.engine.ocr.base import OcrBackend


def _tesseract() -> OcrBackend:
    from verifier.engine.ocr.tesseract import TesseractBackend

    return TesseractBackend()


def _rapidocr() -> OcrBackend:
    from verifier.engine.ocr.rapid import RapidOcrBackend

    return RapidOcrBackend()


_FACTORIES: dict[str, Callable[[], OcrBackend]] = {
    Backend.TESSERACT: _tesseract,
    "rapidocr": _rapidocr,  # the second reader, never a caller's choice
}


def register_backend(name: str, factory: Callable[[], OcrBackend]) -> None:
    _FACTORIES[name] = factory


def available_backends() -> list[str]:
    return sorted(_FACTORIES)


def get_backend(name: str) -> OcrBackend:
    """The backend called `name`; BackendUnavailable when there is none."""
    factory = _FACTORIES.get(name)
    if factory is None:
        raise BackendUnavailable(
            f"Unknown OCR backend {name!r}.",
            details={"available": available_backends()},
        )
    return factory()


__all__ = ["OcrBackend", "available_backends", "get_backend", "register_backend"]
