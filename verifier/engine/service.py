"""The one entry point: verify a label set (one or more panel images)."""

from __future__ import annotations

from collections.abc import Sequence

from verifier.engine.backends import Backend
from verifier.engine.errors import EngineError
from verifier.engine.escalation import verify_with_escalation
from verifier.engine.models import Application, Options, VerificationResult
from verifier.engine.pipeline import verify_with_backend


def verify_label(
    images: Sequence[bytes],
    application: Application | None = None,
    options: Options | None = None,
) -> VerificationResult:
    """Read every panel, extract the fields, run the 27 CFR checks, decide.

    `auto` escalates (`escalation.py`); any other backend reads alone
    (`pipeline.py`). Raises `verifier.engine.errors.EngineError` subclasses
    for input a caller can fix (unsupported, corrupt or oversized images;
    unavailable backend).
    """
    options = options or Options()
    application = application or Application()
    if not images:
        raise EngineError("Send at least one label image.")
    if len(images) > options.max_panels:
        raise EngineError(
            f"A label set has at most {options.max_panels} panel images; {len(images)} were sent.",
            details={"max_panels": options.max_panels},
        )
    if options.backend == Backend.AUTO:
        return verify_with_escalation(images, application, options)
    return verify_with_backend(images, application, options)
