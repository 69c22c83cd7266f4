"""The verification engine: plain Python, no Django.

`verify_label()` is the one entry point every caller uses.
"""

from verifier.engine.models import (
    Application,
    BeverageType,
    Check,
    Options,
    Outcome,
    Verdict,
    VerificationResult,
)
from verifier.engine.service import verify_label

__all__ = [
    "Application",
    "BeverageType",
    "Check",
    "Options",
    "Outcome",
    "Verdict",
    "VerificationResult",
    "verify_label",
]
