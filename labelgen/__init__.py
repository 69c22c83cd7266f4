"""The project's own test-label generator: labels with known answers.

`render_label(spec_for_seed(7, failures=("warning_header_bold",)))` gives the
panel images, the application data that goes with them, and the verdict and
failing checks the verifier must report.
"""

from labelgen.render import RenderedLabel, application_for, render_label
from labelgen.spec import (
    APPLICATION_CHECK_IDS,
    CHECK_IDS,
    DEGRADATIONS,
    LabelSpec,
    compatible_failures,
    spec_for_seed,
)

__all__ = [
    "APPLICATION_CHECK_IDS",
    "CHECK_IDS",
    "DEGRADATIONS",
    "LabelSpec",
    "RenderedLabel",
    "application_for",
    "compatible_failures",
    "render_label",
    "spec_for_seed",
]
