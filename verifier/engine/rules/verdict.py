"""The overall answer from the checks."""

from __future__ import annotations

from collections.abc import Iterable

from verifier.engine.models import Check, Outcome, Verdict


def decide_verdict(checks: Iterable[Check]) -> Verdict:
    """NON_COMPLIANT if any check fails, else NEEDS_REVIEW if any asks for review, else COMPLIANT.

    Not applicable and skipped checks neither pass nor fail the label.
    """
    outcomes = {check.outcome for check in checks}
    if Outcome.FAIL in outcomes:
        return Verdict.NON_COMPLIANT
    if Outcome.REVIEW in outcomes:
        return Verdict.NEEDS_REVIEW
    return Verdict.COMPLIANT
