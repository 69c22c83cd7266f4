"""The label studio: a second renderer, built to look unlike labelgen, with known answers."""

from __future__ import annotations

import io
import random
import re
from collections.abc import Callable
from dataclasses import replace

import pytest
from PIL import Image, ImageChops

from labelgen.render import RenderedLabel
from labelgen.studio import (
    STUDIO_FAILURES,
    MissingFontError,
    StudioSpec,
    corpus_label_seed,
    studio_corpus,
    studio_label,
    studio_spec,
)
from labelgen.studio.content import Constraints, draw_content
from labelgen.studio.fonts import FAMILIES
from labelgen.studio.look import draw_look
from verifier.engine.models import BeverageType, Verdict
from verifier.engine.rules import CHECK_IDS

# 27 CFR 16.21, copied from the regulation rather than from the code under test.
STATUTE = (
    "GOVERNMENT WARNING: (1) According to the Surgeon General, women should not drink "
    "alcoholic beverages during pregnancy because of the risk of birth defects. (2) "
    "Consumption of alcoholic beverages impairs your ability to drive a car or operate "
    "machinery, and may cause health problems."
)
WINE_ML = {50, 100, 180, 187, 200, 250, 300, 330, 355, 360, 375, 473, 500, 550, 568, 600}
WINE_ML |= {620, 700, 720, 750, 1000, 1500, 1800, 2250, 3000}
SPIRITS_ML = {50, 100, 187, 200, 250, 331, 350, 355, 375, 475, 500, 570, 700, 710, 720, 750}
SPIRITS_ML |= {900, 945, 1000, 1500, 1750, 1800, 2000, 3000, 3750}
# Failures drawn in the picture; the others are what the applicant filed.
PICTURE_FAILURES = {
    "warning_present",
    "warning_text",
    "warning_header_caps",
    "warning_header_bold",
    "warning_body_not_bold",
    "warning_type_size",
    "country_of_origin",
    "standard_of_fill",
}
SEED = 4242


def images(label: RenderedLabel) -> list[Image.Image]:
    return [Image.open(io.BytesIO(data)) for data in label.panels]


def millilitres(typed: str) -> float:
    """A small reader of the net-contents forms the studio types ("0.75 L", "1 pint")."""
    number, unit = re.match(r"\s*([\d.]+)\s*([a-zA-Z. ]+)", typed).groups()
    unit = unit.lower().replace(".", "").replace(" ", "")
    factor = {"ml": 1, "cl": 10, "l": 1000, "floz": 29.5735, "pint": 473.176, "quart": 946.353}
    return float(number) * factor[unit]


def folded(text: str) -> str:
    return text.replace("\u2019", "'").casefold()


@pytest.fixture(scope="module")
def corpus() -> list[RenderedLabel]:
    return list(studio_corpus(8, seed=2))


@pytest.fixture(scope="module")
def clean() -> RenderedLabel:
    return studio_label(SEED)


def test_same_seed_same_bytes() -> None:
    failures = ("warning_text", "bottler")
    assert studio_label(11, failures).panels == studio_label(11, failures).panels
    assert studio_label(11).panels != studio_label(12).panels


def test_corpus_alternates_compliant_and_failing(corpus: list[RenderedLabel]) -> None:
    assert [bool(label.expected_failures) for label in corpus] == [False, True] * 4
    for label in corpus:
        failing = bool(label.expected_failures)
        assert label.expected_verdict is (Verdict.NON_COMPLIANT if failing else Verdict.COMPLIANT)
        assert len(label.expected_failures) <= 2
        assert label.expected_failures <= set(STUDIO_FAILURES)


def test_corpus_is_reproducible_and_corpora_share_no_label(corpus: list[RenderedLabel]) -> None:
    again = list(studio_corpus(2, seed=2))
    assert [label.panels for label in again] == [label.panels for label in corpus[:2]]
    assert [label.spec.seed for label in corpus] == [corpus_label_seed(2, i) for i in range(8)]
    seeds = [corpus_label_seed(seed, index) for seed in range(-5, 6) for index in range(500)]
    assert len(set(seeds)) == len(seeds)


def test_canvases_are_800_to_1600_pixels_on_the_long_side(corpus: list[RenderedLabel]) -> None:
    for label in corpus:
        expected_panels = 2 if label.spec.look.layout == "two_panel" else 1
        assert len(label.panels) == expected_panels
        for image in images(label):
            assert 800 <= max(image.size) <= 1600


def _seed_with(predicate: Callable[[StudioSpec], bool]) -> int:
    return next(seed for seed in range(400) if predicate(studio_spec(seed)))


def test_tiff_carries_its_dpi_and_jpeg_none() -> None:
    tiff = studio_label(_seed_with(lambda spec: spec.look.image_format == "tiff"))
    for image in images(tiff):
        assert image.format == "TIFF"
        assert image.info["dpi"][0] == pytest.approx(tiff.spec.dpi, rel=0.1)
    jpeg = studio_label(_seed_with(lambda spec: spec.look.image_format == "jpeg"))
    for image in images(jpeg):
        assert image.format == "JPEG"
        assert "dpi" not in image.info
        assert image.info.get("jfif_unit", 0) == 0  # no physical unit either


@pytest.mark.parametrize("check_id", STUDIO_FAILURES)
def test_every_failure_can_be_injected(check_id: str, clean: RenderedLabel) -> None:
    label = studio_label(SEED, (check_id,))
    assert label.expected_failures == {check_id}
    assert label.expected_verdict is Verdict.NON_COMPLIANT
    if check_id in PICTURE_FAILURES:
        assert _pixels_differ(label, clean)
    else:
        assert not _pixels_differ(label, clean)  # the same picture, filed differently
        assert label.application != clean.application


def _pixels_differ(label: RenderedLabel, other: RenderedLabel) -> bool:
    ours, theirs = images(label), images(other)
    if [image.size for image in ours] != [image.size for image in theirs]:
        return True
    return any(
        ImageChops.difference(a.convert("RGB"), b.convert("RGB")).getbbox() is not None
        for a, b in zip(ours, theirs, strict=True)
    )


def test_studio_injects_every_check_the_engine_has() -> None:
    assert set(STUDIO_FAILURES) == set(CHECK_IDS)


def test_conflicting_failures_are_refused() -> None:
    with pytest.raises(ValueError, match="cannot be combined"):
        studio_spec(1, ("warning_present", "warning_text"))
    with pytest.raises(ValueError, match="unknown check id"):
        studio_spec(1, ("warning_colour",))


@pytest.mark.parametrize("seed", range(12))
def test_compliant_label_is_filed_truthfully(seed: int) -> None:
    spec = studio_spec(seed)
    content, application = spec.content, spec.application
    assert folded(application.brand_name) == folded(content.brand_printed)
    assert application.class_type.casefold() == content.class_type.casefold()
    assert float(re.search(r"\d+(\.\d+)?", application.alcohol_content).group()) == content.abv
    assert millilitres(application.net_contents) == pytest.approx(content.volume.ml, rel=0.01)
    assert content.bottler_name in application.bottler
    assert application.beverage_type is content.beverage_type
    assert application.is_import is (content.country is not None)
    if content.country:
        assert content.country in application.country_of_origin
    assert f"{content.warning_header} {content.warning_body}" == STATUTE
    assert content.header_bold and not content.body_bold


@pytest.mark.parametrize("seed", range(40))
def test_warning_is_at_least_2_mm_on_containers_over_237_ml(seed: int) -> None:
    content = studio_spec(seed).content
    minimum = 1.0 if content.volume.ml <= 237 else 2.0
    assert content.warning_x_height_mm >= minimum


def test_type_size_failure_is_small_on_a_true_scale_tiff_yet_legible() -> None:
    label = studio_label(7, ("warning_type_size",))
    content = label.spec.content
    assert content.volume.ml > 237
    assert 0.8 <= content.warning_x_height_mm <= 1.2
    for image in images(label):
        assert image.format == "TIFF"
        dpi = image.info["dpi"][0]
        assert content.warning_x_height_mm / 25.4 * dpi >= 13  # pixels: readable by a person


@pytest.mark.parametrize("seed", range(30))
def test_application_mismatches_are_real(seed: int) -> None:
    spec = studio_spec(seed, ("brand_name", "class_type", "net_contents", "bottler"))
    content, application = spec.content, spec.application
    assert set(folded(application.brand_name).split()).isdisjoint(folded(content.brand).split())
    assert application.class_type.casefold() != content.class_type.casefold()
    assert application.class_type.casefold() not in content.class_type.casefold()
    filed = millilitres(application.net_contents)
    assert abs(filed - content.volume.ml) > 0.1 * content.volume.ml
    assert content.bottler_name not in application.bottler


@pytest.mark.parametrize("seed", range(30))
def test_alcohol_mismatch_is_beyond_any_tolerance(seed: int) -> None:
    spec = studio_spec(seed, ("alcohol_content",))
    content = spec.content
    if spec.plan["alcohol_content"] == "proof":
        assert content.beverage_type is BeverageType.DISTILLED_SPIRITS
        assert content.proof != 2 * content.abv
        assert f"{content.proof:g}" in content.alcohol_text
    else:
        filed = float(re.search(r"\d+(\.\d+)?", spec.application.alcohol_content).group())
        assert abs(filed - content.abv) >= 3.0  # wine's widest tolerance is 1.5 points


@pytest.mark.parametrize("seed", range(30))
def test_label_side_failures(seed: int) -> None:
    fill = studio_spec(seed, ("standard_of_fill", "country_of_origin")).content
    assert fill.beverage_type is not BeverageType.MALT_BEVERAGE
    allowed = WINE_ML if fill.beverage_type is BeverageType.WINE else SPIRITS_ML
    assert fill.volume.ml not in allowed
    assert fill.country and fill.country_text is None
    warning = studio_spec(seed, ("warning_text", "warning_header_caps")).content
    assert f"{warning.warning_header} {warning.warning_body}" != STATUTE
    assert warning.warning_header != warning.warning_header.upper()
    assert not studio_spec(seed, ("warning_present",)).content.has_warning


@pytest.mark.parametrize("seed", range(60))
def test_compliant_sizes_are_authorised(seed: int) -> None:
    content = draw_content(random.Random(seed), Constraints())
    if content.beverage_type is BeverageType.MALT_BEVERAGE:
        assert re.search(r"FL\.? OZ|PINT", content.volume.printed, re.I)
    else:
        allowed = WINE_ML if content.beverage_type is BeverageType.WINE else SPIRITS_ML
        assert content.volume.ml in allowed


def test_looks_vary_across_a_corpus() -> None:
    seen: dict[str, set[str]] = {}
    for seed in range(150):
        content = draw_content(random.Random(seed), Constraints())
        look = draw_look(random.Random(seed), content, small_warning=False)
        features = {
            "palette": look.palette.name,
            "base": look.base,
            "texture": look.texture,
            "dots": look.dots,
            "frame": look.frame,
            "ribbon": look.ribbon,
            "layout": look.layout,
            "format": look.image_format,
            "align": look.warning_align,
            "brand kind": FAMILIES[look.brand_family].kind,
        }
        for name, value in features.items():
            seen.setdefault(name, set()).add(value)
    assert {"navy", "black and gold", "kraft", "forest", "burgundy"} <= seen["palette"]
    assert seen["base"] == {"flat", "linear", "radial"}
    assert seen["texture"] == {"none", "paper", "linen"}
    assert seen["dots"] == {"none", "grid", "halftone"}
    assert {"ribbon", "band"} <= seen["ribbon"]
    assert seen["layout"] == {"single", "two_panel", "side_strip"}
    assert seen["format"] == {"png", "tiff", "jpeg"}
    assert seen["align"] == {"centre", "justify", "left"}
    assert {"script", "serif", "condensed"} <= seen["brand kind"]


def test_a_missing_font_is_an_error_naming_its_package(monkeypatch: pytest.MonkeyPatch) -> None:
    gone = replace(FAMILIES["Z003"], regular="/nonexistent/Z003-MediumItalic.otf")
    monkeypatch.setitem(FAMILIES, "Z003", gone)
    with pytest.raises(MissingFontError, match="fonts-urw-base35"):
        studio_label(1)
