"""The label generator: deterministic labels whose right answer is known."""

from __future__ import annotations

import io
import random

import pytest
from PIL import Image

from labelgen import CHECK_IDS, application_for, compatible_failures, render_label, spec_for_seed
from labelgen.spec import _EXCLUSIVE
from verifier.engine.extraction.net_contents import parse_net_contents_text
from verifier.engine.models import BeverageType, Verdict


def test_same_seed_same_label() -> None:
    spec = spec_for_seed(42, failures=("brand_name",), degradations=("noise", "rotate"))
    assert (
        render_label(spec).panels
        == render_label(
            spec_for_seed(42, failures=("brand_name",), degradations=("noise", "rotate"))
        ).panels
    )


@pytest.mark.parametrize("beverage_type", list(BeverageType))
def test_clean_label_of_each_type_matches_its_application(beverage_type: BeverageType) -> None:
    label = render_label(spec_for_seed(1, beverage_type=beverage_type))
    assert label.expected_verdict is Verdict.COMPLIANT
    assert label.expected_failures == frozenset()
    assert label.application.beverage_type is beverage_type
    assert label.application.brand_name == label.spec.brand
    image = Image.open(io.BytesIO(label.panels[0]))
    assert image.info["dpi"][0] == pytest.approx(label.spec.dpi, abs=0.1)
    assert 600 <= image.width <= 1000


@pytest.mark.parametrize("check_id", CHECK_IDS)
def test_every_check_can_be_made_to_fail(check_id: str) -> None:
    clean = spec_for_seed(9)
    spec = spec_for_seed(9, failures=(check_id,))
    label = render_label(spec)
    assert label.expected_verdict is Verdict.NON_COMPLIANT
    assert label.expected_failures == {check_id}
    assert spec != clean or label.application != render_label(clean).application


def test_warning_wording_failures() -> None:
    assert (
        spec_for_seed(1, failures=("warning_header_caps",)).warning_header == "Government Warning:"
    )
    assert spec_for_seed(1, failures=("warning_present",)).warning_body == ""
    altered = spec_for_seed(1, failures=("warning_text",)).warning_body
    assert altered != spec_for_seed(1).warning_body


def test_standard_of_fill_failure_is_never_a_malt_beverage() -> None:
    for seed in range(30):
        spec = spec_for_seed(seed, failures=("standard_of_fill",))
        assert spec.beverage_type is not BeverageType.MALT_BEVERAGE
        assert spec.net_contents == "740 mL"


def test_import_missing_its_country() -> None:
    label = render_label(spec_for_seed(4, failures=("country_of_origin",)))
    assert label.spec.country is None
    assert label.application.is_import is True
    assert label.application.country_of_origin


def test_compatible_failures_never_conflict() -> None:
    rng = random.Random(0)
    for _ in range(200):
        chosen = compatible_failures(rng, 3)
        assert len(chosen) == 3
        for check_id in chosen:
            assert not set(chosen) & _EXCLUSIVE.get(check_id, set())


def test_degradations() -> None:
    multi = render_label(spec_for_seed(2, degradations=("multi_panel",)))
    assert len(multi.panels) == 2
    low = render_label(spec_for_seed(2, degradations=("low_resolution",)))
    image = Image.open(io.BytesIO(low.panels[0]))
    assert image.width == 640
    assert image.info["dpi"][0] == pytest.approx(640 / low.spec.width_in, rel=0.01)
    jpeg = render_label(spec_for_seed(2, degradations=("jpeg",)))
    assert jpeg.panels[0][:3] == b"\xff\xd8\xff"
    strip = render_label(spec_for_seed(2, degradations=("side_strip",)))
    assert Image.open(io.BytesIO(strip.panels[0])).width > strip.spec.width_in * strip.spec.dpi


@pytest.mark.parametrize("seed", range(40))
def test_injected_net_contents_really_differs_in_volume(seed: int) -> None:
    """ "16 FL OZ" filed for a "1 PINT" label is the same volume: no failure to catch."""
    spec = spec_for_seed(seed, failures=("net_contents",))
    filed = parse_net_contents_text(application_for(spec).net_contents)
    assert filed is not None
    assert abs(filed - spec.net_contents_ml) > 1.0
