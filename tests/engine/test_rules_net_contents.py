"""Net contents against the application, after unit normalisation (27 CFR 5.70, 4.37, 7.70)."""

from __future__ import annotations

import pytest

from tests.engine.text_readings import check_results, readings
from verifier.engine.extraction.net_contents import parse_net_contents_text
from verifier.engine.models import Application, BeverageType, Outcome


def _net(line: str, filed: str | None, kind: BeverageType = BeverageType.WINE, **options):
    application = Application(net_contents=filed, beverage_type=kind)
    return check_results(readings([line], **options), application)["net_contents"]


@pytest.mark.parametrize(
    ("text", "ml"),
    [
        ("750ML", 750),
        ("75 cl", 750),
        ("0.75 L", 750),
        ("1.75 LITERS", 1750),
        ("12 FL. OZ.", 354.88),
        ("1 PINT (16 FL OZ)", 473.18),
        ("1 PINT 8 FL OZ", 709.76),
        ("1 quart", 946.35),
        ("1 gallon", 3785.41),
        ("1,5 L", 1500),
        ("12-FL. OZ.", 354.88),  # a hyphen joining figure and unit (studio seed 1000118)
        ("750-ML", 750),
        ("75:CL", 750),  # studio seed 3000102
        ("75.CL", 750),  # studio seed 5000090, a dot of the ground between
    ],
)
def test_units_normalise_to_millilitres(text, ml):
    assert parse_net_contents_text(text) == pytest.approx(ml, abs=0.05)


@pytest.mark.parametrize(
    ("label", "filed"),
    [
        ("75 cl", "750 mL"),
        ("NET CONTENTS 0.75 L", "750 mL"),
        ("12 FL OZ", "355 mL"),
        ("1 PINT", "16 fl oz"),
    ],
)
def test_equivalent_statements_pass(label, filed):
    result = _net(label, filed)
    assert result.outcome == Outcome.PASS, result.message


def test_different_volume_fails_and_names_both():
    result = _net("NET CONTENTS 700 mL", "750 mL")
    assert result.outcome == Outcome.FAIL
    assert "700 mL" in result.message and "750 mL" in result.message


def test_low_confidence_different_volume_is_review():
    assert _net("700 mL", "750 mL", confidences={"700": 50}).outcome == Outcome.REVIEW


def test_missing_on_a_well_read_label_fails():
    lines = ["A well read label with plenty of clear words on it"] * 5
    result = check_results(readings(lines), Application(net_contents="750 mL"))["net_contents"]
    assert result.outcome == Outcome.FAIL
    assert "750 mL" in result.message


def test_missing_on_a_poorly_read_label_is_review():
    result = check_results(readings(["blurry"], confidence=30), Application(net_contents="750 mL"))
    assert result["net_contents"].outcome == Outcome.REVIEW


def test_without_application_a_statement_passes():
    assert _net("750 mL", None).outcome == Outcome.PASS


def test_doubtful_different_volume_that_no_misreading_explains_fails():
    """OCR turns "750" into "760", never "700 mL" into "1.5L"."""
    result = _net("1.5L", "700 mL", confidences={"1.5L": 55})
    assert result.outcome == Outcome.FAIL
    assert "1.5L" in result.message and "700 mL" in result.message


@pytest.mark.parametrize(
    ("misread", "confidence"),
    [("aL", 60), ("LoL", 25), ("eye", 40)],  # "1 L", "1.5 L", "1.5 L" under noise
)
def test_missing_with_a_doubtful_short_reading_is_review(misread, confidence):
    lines = ["A well read label with plenty of clear words on it"] * 5 + [misread]
    result = check_results(
        readings(lines, confidences={misread: confidence}), Application(net_contents="1.5 L")
    )["net_contents"]
    assert result.outcome == Outcome.REVIEW
    assert repr(misread) in result.message
    # It shows the agent where: the doubtful words' place on the label.
    assert [item.text for item in result.evidence] == [misread]
    assert result.evidence[0].box is not None
