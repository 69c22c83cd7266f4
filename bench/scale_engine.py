"""A stand-in for the engine for bench/scale.py: it sleeps instead of reading.

Only bench/scale_settings.py names it (`VERIFY_ENGINE`); production never
loads this module. Each call appends one line, ``<panel sha256> <pid>``, to
the file in `SCALE_STUB_LOG` before it sleeps, so the bench can tell which
worker started which label and prove that none ran twice.
"""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Sequence

from verifier.engine import Application, Options, VerificationResult
from verifier.engine.models import PanelImage, Verdict


def _service_seconds() -> float:
    return float(os.environ["SCALE_STUB_SECONDS"])


def verify_label_stub(
    images: Sequence[bytes], application: Application, options: Options
) -> VerificationResult:
    digest = hashlib.sha256(images[0]).hexdigest()
    descriptor = os.open(os.environ["SCALE_STUB_LOG"], os.O_WRONLY | os.O_APPEND | os.O_CREAT)
    try:
        os.write(descriptor, f"{digest} {os.getpid()}\n".encode())  # one write: atomic append
    finally:
        os.close(descriptor)
    time.sleep(_service_seconds())
    return VerificationResult(
        verdict=Verdict.COMPLIANT,
        checks=[],
        extracted_fields={},
        readings=[],
        beverage_type=None,
        backend="scale-stub",
        images=[
            PanelImage(
                sha256=hashlib.sha256(data).hexdigest(),
                size_bytes=len(data),
                format="png",
                width=1,
                height=1,
            )
            for data in images
        ],
    )
