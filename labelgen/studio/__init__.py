"""A second, independent test-label renderer, built to look unlike `labelgen`.

`labelgen` draws clean cream panels in two sans faces; the engine learnt its
look. The studio draws what approved labels look like: coloured, textured
and dotted stock, seals, ribbons, frames and rules that touch the type,
serif, condensed and script faces, centred and justified warnings on back
panels and turned side panels, photographed slightly off square and saved as
PNG, TIFF (with its DPI) or JPEG (without). Use it to judge the engine on
labels it was not tuned on, not to tune it.

    label = studio_label(7, failures=("warning_header_bold",))
    label.panels, label.application, label.expected_failures
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass

from labelgen.render import RenderedLabel
from labelgen.studio.content import LabelContent, draw_content, typed_application
from labelgen.studio.failures import (
    STUDIO_FAILURES,
    FailurePlan,
    apply_to_application,
    apply_to_label,
    choose_failures,
    constraints_for,
    plan_failures,
)
from labelgen.studio.finish import encode, fit, photograph
from labelgen.studio.fonts import MissingFontError, require_fonts
from labelgen.studio.layout import choose_dpi, paint_panels, plan_panels, widen_to_proportion
from labelgen.studio.look import Look, draw_look
from verifier.engine.models import Application, Verdict

CORPUS_STRIDE = 1_000_000  # label seeds of corpus s are s * stride + index

__all__ = [
    "STUDIO_FAILURES",
    "MissingFontError",
    "StudioSpec",
    "corpus_label_seed",
    "studio_corpus",
    "studio_label",
    "studio_spec",
]


@dataclass(frozen=True)
class StudioSpec:
    seed: int
    content: LabelContent  # what the label says (after any injected failure)
    look: Look
    failures: tuple[str, ...]
    plan: FailurePlan  # the variation chosen for each failure
    application: Application  # what the applicant filed
    dpi: float  # the print's true scale before the panels are fitted to 800-1600 px


def studio_spec(seed: int, failures: tuple[str, ...] = ()) -> StudioSpec:
    """Everything about the label but its pixels, drawn from `seed`."""
    failure_rng = random.Random(f"studio-failures:{seed}")
    plan = plan_failures(tuple(failures), failure_rng)
    content = draw_content(random.Random(f"studio-content:{seed}"), constraints_for(plan))
    content = apply_to_label(content, plan, failure_rng)
    application = typed_application(content, random.Random(f"studio-typing:{seed}"))
    filing_rng = random.Random(f"studio-filing:{seed}")
    application = apply_to_application(application, content, plan, filing_rng)
    look = draw_look(random.Random(f"studio-look:{seed}"), content, "warning_type_size" in plan)
    look = widen_to_proportion(content, look, seed)
    dpi = choose_dpi(content, look, seed)
    return StudioSpec(seed, content, look, tuple(failures), plan, application, dpi)


def studio_label(seed: int, failures: tuple[str, ...] = ()) -> RenderedLabel:
    """Render the label for `seed` with `failures` injected; same seed, same bytes."""
    require_fonts()
    spec = studio_spec(seed, failures)
    plans = plan_panels(spec.content, spec.look, spec.dpi, seed)
    photo_rng = random.Random(f"studio-photo:{seed}")
    panels = []
    for image in paint_panels(plans, spec.look, spec.dpi, seed):
        fitted, dpi = fit(photograph(image, spec.look, photo_rng), spec.dpi)
        panels.append(encode(fitted, spec.look, dpi))
    expected = frozenset(failures)
    return RenderedLabel(
        spec=spec,  # type: ignore[arg-type]  # a StudioSpec, not labelgen's LabelSpec
        panels=panels,
        image_format=spec.look.image_format,
        application=spec.application,
        expected_verdict=Verdict.NON_COMPLIANT if expected else Verdict.COMPLIANT,
        expected_failures=expected,
    )


def corpus_label_seed(seed: int, index: int) -> int:
    """The seed of label `index` in corpus `seed`: distinct corpora never share a label."""
    if not 0 <= index < CORPUS_STRIDE:
        raise ValueError(f"a corpus holds at most {CORPUS_STRIDE} labels, not index {index}")
    return seed * CORPUS_STRIDE + index


def studio_corpus(count: int, seed: int) -> Iterator[RenderedLabel]:
    """`count` labels; every odd one carries one or two failures, the rest none."""
    for index in range(count):
        label_seed = corpus_label_seed(seed, index)
        failures: tuple[str, ...] = ()
        if index % 2 == 1:
            rng = random.Random(f"studio-corpus:{label_seed}")
            failures = choose_failures(rng, rng.randint(1, 2))
        yield studio_label(label_seed, failures)
