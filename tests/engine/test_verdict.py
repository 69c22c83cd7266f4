"""The overall verdict from the checks, and a whole label run end to end on text."""

from __future__ import annotations

from tests.engine.text_readings import (
    SPIRITS_APPLICATION,
    SPIRITS_LABEL,
    WARNING,
    check_results,
    readings,
    warning_lines,
)
from verifier.engine.models import Check, Outcome, Verdict, WarningTypography
from verifier.engine.rules import CHECK_IDS, decide_verdict

MEASURED = WarningTypography(
    header_stroke_px=4.0,
    body_stroke_px=2.5,
    header_stroke_em=0.15,
    body_stroke_em=0.09,
    letter_height_mm=2.2,
    scale_source="caller",
)


def _check(outcome: Outcome) -> Check:
    return Check(id="x", outcome=outcome, message="", cfr="")


def test_any_fail_is_non_compliant():
    checks = [_check(Outcome.PASS), _check(Outcome.REVIEW), _check(Outcome.FAIL)]
    assert decide_verdict(checks) == Verdict.NON_COMPLIANT


def test_review_without_fail_needs_review():
    assert decide_verdict([_check(Outcome.PASS), _check(Outcome.REVIEW)]) == Verdict.NEEDS_REVIEW


def test_pass_with_not_applicable_and_skipped_is_compliant():
    checks = [_check(Outcome.PASS), _check(Outcome.NOT_APPLICABLE), _check(Outcome.SKIPPED)]
    assert decide_verdict(checks) == Verdict.COMPLIANT


def test_conforming_label_is_compliant_with_every_fixed_check_id():
    checks = check_results(
        readings([*SPIRITS_LABEL, *warning_lines()]), SPIRITS_APPLICATION, MEASURED
    )
    assert tuple(checks) == CHECK_IDS
    assert decide_verdict(checks.values()) == Verdict.COMPLIANT, [
        (c.id, c.message)
        for c in checks.values()
        if c.outcome not in (Outcome.PASS, Outcome.NOT_APPLICABLE)
    ]
    assert checks["brand_name"].evidence[0].box is not None


def test_woman_on_the_warning_makes_the_label_non_compliant():
    lines = [*SPIRITS_LABEL, *warning_lines(WARNING.replace("women", "woman"))]
    checks = check_results(readings(lines), SPIRITS_APPLICATION, MEASURED)
    assert decide_verdict(checks.values()) == Verdict.NON_COMPLIANT
    assert checks["warning_text"].outcome == Outcome.FAIL


def test_unmeasured_typography_needs_review_rather_than_passing():
    checks = check_results(readings([*SPIRITS_LABEL, *warning_lines()]), SPIRITS_APPLICATION)
    assert decide_verdict(checks.values()) == Verdict.NEEDS_REVIEW
