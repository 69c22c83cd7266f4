"""Alcohol content against the application (27 CFR 5.65, 4.36, 7.65)."""

from __future__ import annotations

import pytest

from tests.engine.text_readings import check_results, readings
from verifier.engine.models import Application, BeverageType, Outcome
from verifier.engine.rules.common import UNSURE_FINDING

SPIRITS = BeverageType.DISTILLED_SPIRITS
WINE = BeverageType.WINE
MALT = BeverageType.MALT_BEVERAGE


def _alcohol(line: str, filed: str | None = None, kind: BeverageType | None = SPIRITS, **options):
    application = Application(alcohol_content=filed, beverage_type=kind)
    return check_results(readings([line], **options), application)["alcohol_content"]


@pytest.mark.parametrize(
    ("line", "filed"),
    [
        ("Alcohol 45% by volume", "45% Alc./Vol. (90 Proof)"),
        ("45% alc/vol", "45"),
        ("45 % ABV", "45%"),
        ("Alcohol by volume 45 percent", "45"),
        ("ALC. 45% BY VOL. 90 PROOF", "45% Alc./Vol. (90 Proof)"),
    ],
)
def test_every_regulatory_form_matches_the_filed_figure(line, filed):
    result = _alcohol(line, filed, kind=None)
    assert result.outcome == Outcome.PASS, result.message


def test_spirits_stating_only_proof_fail():
    result = _alcohol("90 Proof", "45%", SPIRITS)
    assert result.outcome == Outcome.FAIL
    assert "only proof" in result.message


def test_wine_decimal_comma_matches():
    assert _alcohol("ALC. 13,5% by vol.", "13.5", WINE).outcome == Outcome.PASS


def test_difference_within_spirits_tolerance_is_review_and_says_so():
    result = _alcohol("Alcohol 45.2% by volume", "45", SPIRITS)
    assert result.outcome == Outcome.REVIEW
    assert "±0.3" in result.message and "45.2%" in result.message


def test_difference_beyond_spirits_tolerance_fails():
    result = _alcohol("Alcohol 40% by volume", "45", SPIRITS)
    assert result.outcome == Outcome.FAIL
    assert "40%" in result.message and "45%" in result.message


def test_wine_tolerance_is_wider_below_fourteen_percent():
    assert _alcohol("Alc. 12% by vol.", "13", WINE).outcome == Outcome.REVIEW
    assert _alcohol("Alc. 15% by vol.", "16.5", WINE).outcome == Outcome.FAIL


def test_wine_figures_in_different_tax_classes_fail():
    result = _alcohol("Alc. 14.5% by vol.", "13.8", WINE)
    assert result.outcome == Outcome.FAIL
    assert "tax class" in result.message


def test_proof_not_twice_abv_fails():
    result = _alcohol("Alcohol 45% by volume (80 Proof)", None, SPIRITS)
    assert result.outcome == Outcome.FAIL
    assert "80 proof" in result.message and "90 proof" in result.message


def test_garbled_number_is_not_repaired_into_a_pass():
    result = _alcohol("ALC 4S% BY VOL", "45", SPIRITS)
    assert result.outcome == Outcome.REVIEW
    assert "4S%" in result.message


def test_low_confidence_different_figure_is_review():
    result = _alcohol("Alcohol 48% by volume", "45", SPIRITS, confidences={"48%": 60})
    assert result.outcome == Outcome.REVIEW


def test_every_wrong_figure_read_unsurely_is_kept_for_another_reading_to_confirm():
    """Studio seed 11000051: "ALC.40%BYVOL. (86PR00F)" read unsurely by the second
    engine, no alcohol statement by the first. The doubt carries its finding, so that
    a third look reading the same figures confirms it (`second_look.settle`)."""
    for line, filed, kind in [
        ("Alcohol 40% by volume (86 Proof)", None, SPIRITS),
        ("Alcohol 40% by volume (86 Proof)", "40% (80 Proof)", SPIRITS),
        ("Alc. 14.5% by vol.", "13.8", WINE),
        ("Alcohol 48% by volume", "45", SPIRITS),
    ]:
        result = _alcohol(line, filed, kind, confidence=60)
        assert result.outcome == Outcome.REVIEW, line
        assert UNSURE_FINDING in result.details, line
    within = _alcohol("Alcohol 45.2% by volume", "45", SPIRITS, confidence=60)
    assert within.outcome == Outcome.REVIEW and UNSURE_FINDING not in within.details


def test_figure_differing_only_in_confusable_digits_is_review():
    assert _alcohol("Alc. 13.8% by vol.", "13.3", WINE).outcome == Outcome.REVIEW


def test_not_found_is_review_never_fail():
    lines = ["A well read label with plenty of clear words on it"] * 5
    result = check_results(
        readings(lines), Application(alcohol_content="45%", beverage_type=SPIRITS)
    )
    assert result["alcohol_content"].outcome == Outcome.REVIEW
    assert "No alcohol content statement was found" in result["alcohol_content"].message


def test_blend_percentages_are_not_read_as_alcohol():
    result = _alcohol("85% Merlot 15% Syrah", None, WINE)
    assert result.outcome == Outcome.REVIEW
    assert result.found is None


def test_table_wine_may_omit_the_figure():
    result = _alcohol("Red Table Wine", None, WINE)
    assert result.outcome == Outcome.PASS


def test_malt_without_statement_is_not_applicable():
    assert _alcohol("Pale Ale", None, MALT).outcome == Outcome.NOT_APPLICABLE


def test_without_application_a_statement_on_spirits_passes():
    assert _alcohol("45% Alc./Vol.", None, SPIRITS).outcome == Outcome.PASS


def test_filed_figure_is_chosen_among_several_percentages():
    result = _alcohol(
        "Aged in 100% new oak, 12% of barrels charred. Alc. 14.5% by vol.", "14.5", WINE
    )
    assert result.outcome == Outcome.PASS
