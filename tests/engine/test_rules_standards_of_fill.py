"""Standards of fill after T.D. TTB-200 (January 2025): 27 CFR 5.203, 4.72; malt units 7.70."""

from __future__ import annotations

import pytest

from tests.engine.text_readings import check_results, readings
from verifier.engine.models import Application, BeverageType, Outcome

SPIRITS = BeverageType.DISTILLED_SPIRITS
WINE = BeverageType.WINE
MALT = BeverageType.MALT_BEVERAGE


def _fill(line: str, kind: BeverageType | None):
    return check_results(readings([line]), Application(beverage_type=kind))["standard_of_fill"]


@pytest.mark.parametrize(
    "size", ["700 mL", "720 mL", "900 mL", "1.8 L", "355 mL", "12 FL OZ", "3.75 L"]
)
def test_spirits_sizes_added_or_kept_in_2025_pass(size):
    assert _fill(size, SPIRITS).outcome == Outcome.PASS


@pytest.mark.parametrize("size", ["600 mL", "400 mL", "4 L"])
def test_spirits_sizes_not_listed_fail(size):
    result = _fill(size, SPIRITS)
    assert result.outcome == Outcome.FAIL
    assert "5.203" in result.message


@pytest.mark.parametrize("size", ["355 mL", "473 mL", "620 mL", "2.25 L", "4 L", "6 L", "1 PINT"])
def test_wine_sizes_pass(size):
    assert _fill(size, WINE).outcome == Outcome.PASS


@pytest.mark.parametrize("size", ["900 mL", "1.75 L", "5 L"])
def test_wine_sizes_not_listed_fail(size):
    assert _fill(size, WINE).outcome == Outcome.FAIL


def test_malt_has_no_standard_of_fill():
    assert _fill("12 FL OZ (355 mL)", MALT).outcome == Outcome.NOT_APPLICABLE


def test_malt_metric_only_fails_units_rule():
    result = _fill("355 mL", MALT)
    assert result.outcome == Outcome.FAIL
    assert "U.S. units" in result.message


@pytest.mark.parametrize(
    "statement", ["16.9 FL: OZ (500 mL)", "16.9 FL 0Z (500 mL)", "11.2 FL, OZ (330 mL)"]
)
def test_malt_fluid_ounces_misread_by_a_mark_are_still_us_units(statement):
    """A dot read as a colon or a comma, an O read as a zero (studio seeds 5000108,
    11000026): engines said "metric units only" of a statement in fluid ounces."""
    assert _fill(statement, MALT).outcome == Outcome.NOT_APPLICABLE


def test_malt_us_unit_whose_figure_was_lost_is_no_metric_only_statement():
    """ "1 PINT (473 mL)" read "| PINT (473 mL)" (15000102): the pint is stated, its
    figure unread; a person checks it. Metric alone still fails."""
    result = _fill("5% ABV e | PINT (473 mL)", MALT)
    assert result.outcome == Outcome.REVIEW
    assert "U.S. unit" in result.message
    assert _fill("PINTAIL ALE 473 mL", MALT).outcome == Outcome.FAIL


def test_malt_sixteen_ounces_must_read_one_pint():
    result = _fill("16 FL OZ", MALT)
    assert result.outcome == Outcome.FAIL
    assert "1 pint" in result.message


def test_unknown_type_or_missing_statement_is_skipped():
    assert _fill("750 mL", None).outcome == Outcome.SKIPPED
    assert _fill("no volume here", WINE).outcome == Outcome.SKIPPED


def test_an_unlisted_size_read_unsurely_is_sure_when_the_application_states_it() -> None:
    """'80 cL' read at low confidence on a wine label: a doubt on its own (it may be
    '750 mL' misread), but not when the application states 800 mL as well (studio
    seed 1000043, read so by both engines)."""
    unsure = readings(["80 cL"], confidence=60)
    alone = check_results(unsure, Application(beverage_type=WINE))["standard_of_fill"]
    assert alone.outcome == Outcome.REVIEW
    filed = Application(beverage_type=WINE, net_contents="800 mL")
    result = check_results(unsure, filed)["standard_of_fill"]
    assert result.outcome == Outcome.FAIL
    assert "The application states the same size." in result.message
    other = Application(beverage_type=WINE, net_contents="750 mL")
    assert check_results(unsure, other)["standard_of_fill"].outcome == Outcome.REVIEW
