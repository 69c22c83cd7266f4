"""Errors the engine raises for input a caller can fix."""


class EngineError(Exception):
    """Base: carries a stable machine `code` and a message a person can act on."""

    code = "engine_error"

    def __init__(self, message: str, *, details: dict | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.details = details or {}


class UnsupportedImage(EngineError):
    """Not a JPEG, PNG, TIFF or WebP (recognised by content, not by name)."""

    code = "unsupported_media_type"


class CorruptImage(EngineError):
    code = "corrupt_image"


class ImageTooLarge(EngineError):
    """More pixels than MAX_IMAGE_PIXELS: a decompression bomb or an absurd scan."""

    code = "image_too_large"


class BackendUnavailable(EngineError):
    """The requested OCR backend cannot answer now (e.g. the model is still downloading)."""

    code = "backend_unavailable"


class BackendTimeout(EngineError):
    code = "backend_timeout"
