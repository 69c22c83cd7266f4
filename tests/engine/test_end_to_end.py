"""`verify_label` on rendered labels: every injected failure is caught by its check."""

from __future__ import annotations

import pytest

from labelgen import APPLICATION_CHECK_IDS, CHECK_IDS, render_label, spec_for_seed
from verifier.engine import Options, Outcome, Verdict, verify_label
from verifier.engine.errors import BackendUnavailable, UnsupportedImage
from verifier.engine.models import BeverageType, VerificationResult


def failing(result: VerificationResult) -> set[str]:
    return {check.id for check in result.checks if check.outcome is Outcome.FAIL}


def verify_spec(spec) -> tuple[VerificationResult, object]:
    label = render_label(spec)
    return verify_label(label.panels, label.application), label


@pytest.mark.parametrize("check_id", CHECK_IDS)
def test_injected_failure_is_caught_by_its_check(check_id: str) -> None:
    result, _ = verify_spec(spec_for_seed(200 + CHECK_IDS.index(check_id), failures=(check_id,)))
    assert result.verdict is Verdict.NON_COMPLIANT, [
        (check.id, check.outcome.value, check.message) for check in result.checks
    ]
    assert failing(result) == {check_id}


@pytest.mark.parametrize("beverage_type", list(BeverageType))
def test_clean_label_of_each_type_is_compliant(beverage_type: BeverageType) -> None:
    result, _ = verify_spec(spec_for_seed(31, beverage_type=beverage_type))
    assert result.verdict is Verdict.COMPLIANT, [
        (check.id, check.outcome.value, check.message) for check in result.checks
    ]
    assert result.beverage_type is beverage_type


def test_several_failures_at_once() -> None:
    failures = ("warning_header_caps", "brand_name", "net_contents")
    result, _ = verify_spec(spec_for_seed(44, failures=failures))
    assert result.verdict is Verdict.NON_COMPLIANT
    assert failing(result) == set(failures)


def test_front_and_back_panels_are_verified_together() -> None:
    result, _ = verify_spec(spec_for_seed(45, degradations=("multi_panel",)))
    assert len(result.readings) == 2
    assert result.verdict is Verdict.COMPLIANT
    assert result.check("warning_present").outcome is Outcome.PASS


def test_warning_on_a_side_strip_is_found() -> None:
    result, _ = verify_spec(spec_for_seed(46, degradations=("side_strip",)))
    assert result.verdict is Verdict.COMPLIANT


def test_without_application_nothing_is_compared() -> None:
    """No application: the comparisons do not apply; mandatory statements are
    still looked for on the label."""
    label = render_label(spec_for_seed(47))
    result = verify_label(label.panels)
    assert result.check("brand_name").outcome is Outcome.NOT_APPLICABLE
    for check_id in APPLICATION_CHECK_IDS:
        check = result.check(check_id)
        assert check.outcome in (Outcome.PASS, Outcome.NOT_APPLICABLE), check_id
        assert "application" not in check.message.replace("No brand name in the application", "")
    assert result.verdict is Verdict.COMPLIANT


def test_result_carries_timings_and_readings() -> None:
    label = render_label(spec_for_seed(48))
    result = verify_label(label.panels, label.application)
    assert set(result.timings) >= {"load", "ocr", "extraction", "typography", "rules", "total"}
    assert result.timings["total"] >= result.timings["ocr"] > 0
    assert result.backend == "tesseract"
    assert result.readings[0].dpi == pytest.approx(label.spec.dpi, abs=0.1)
    assert result.extracted_fields["brand_name"]["text"]


def test_bad_input_is_refused_before_any_reading() -> None:
    with pytest.raises(UnsupportedImage):
        verify_label([b"GIF89a not really"])
    label = render_label(spec_for_seed(49))
    with pytest.raises(BackendUnavailable):
        verify_label(label.panels, options=Options(backend="no-such-ocr"))
