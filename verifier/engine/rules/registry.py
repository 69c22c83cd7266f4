"""The check registry: every 27 CFR check, named once (`verifier.engine.rules` exports it).

One `CheckSpec` per check id, in the order the answer lists them. Everything
that needs to know the checks reads this registry when it runs: `run_checks`
(and so the answer), `auto`'s escalation (which checks the vision model may
re-read, which fields come with a re-decided check), the answer's fields in
the replaced system's shape, the web page's titles and citations, and the
API schema's enum of check ids.

Adding a check is one rule function in `rules/` (citing its section in its
docstring) plus one entry here. Check ids are fixed; other tools depend on them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property

from verifier.engine.extraction import warning_word_ids
from verifier.engine.models import Application, Check, LabelFields, PanelReading, WarningTypography
from verifier.engine.rules.alcohol_content import (
    ALCOHOL_CONTENT_CFR,
    alcohol_content,
    mentions_table_wine,
)
from verifier.engine.rules.common import ReadingQuality, reading_quality
from verifier.engine.rules.names import BRAND_NAME_CFR, CLASS_TYPE_CFR, brand_name, class_type
from verifier.engine.rules.net_contents import NET_CONTENTS_CFR, net_contents
from verifier.engine.rules.origin import (
    BOTTLER_CFR,
    COUNTRY_OF_ORIGIN_CFR,
    bottler,
    country_of_origin,
)
from verifier.engine.rules.standards_of_fill import STANDARD_OF_FILL_CFR, standard_of_fill
from verifier.engine.rules.warning_bold import (
    BOLD_CFR,
    warning_body_not_bold,
    warning_header_bold,
)
from verifier.engine.rules.warning_format import TYPE_SIZE_CFR, warning_type_size
from verifier.engine.rules.warning_statement import (
    CAPITALS_CFR,
    STATEMENT_CFR,
    warning_header_caps,
    warning_present,
    warning_text,
)


@dataclass(frozen=True)
class CheckInputs:
    """What a rule may read: one reading of the label set and the application."""

    fields: LabelFields
    application: Application
    typography: WarningTypography
    readings: Sequence[PanelReading]

    @cached_property
    def quality(self) -> ReadingQuality:
        return reading_quality(list(self.readings))

    @cached_property
    def label_text(self) -> str:
        return "\n".join(reading.text for reading in self.readings)


@dataclass(frozen=True)
class CheckSpec:
    id: str
    title: str  # what the check is about, in the words an agent uses
    short_title: str  # a few words for a list of problems ("warning wording")
    cfr: str  # the sections it cites; an answer may name the one for the beverage type
    rule: Callable[[CheckInputs], Check]
    # The extracted fields the check is decided on: when another reading decides
    # the check, the answer's extracted fields take these from that reading.
    fields: tuple[str, ...] = ()
    # Whether `auto` may have the vision model re-read it. Checks that measure
    # the print (boxes, stroke widths) may not: the model gives no boxes.
    rereadable: bool = True
    # Checks whose reading this one rests on: re-decided after them.
    after: tuple[str, ...] = ()
    # Whether `expected` is the application's value (else a rule's requirement).
    compares_application: bool = False
    # The field the replaced system's `violations` name, when it is not the id.
    violation_field: str | None = None

    @property
    def reported_field(self) -> str:
        return self.violation_field or self.id


_WARNING = "government_warning"

CHECKS: dict[str, CheckSpec] = {
    spec.id: spec
    for spec in (
        CheckSpec(
            "warning_present",
            "Government warning is on the label",
            "warning",
            STATEMENT_CFR,
            lambda given: warning_present(given.fields, given.quality, given.readings),
            fields=("warning_header", "warning_body"),
            violation_field=_WARNING,
        ),
        CheckSpec(
            "warning_text",
            "Government warning wording",
            "warning wording",
            STATEMENT_CFR,
            lambda given: warning_text(given.fields, given.typography),
            fields=("warning_header", "warning_body"),
            violation_field=_WARNING,
        ),
        CheckSpec(
            "warning_header_caps",
            "“GOVERNMENT WARNING” in capital letters",
            "warning heading capitals",
            CAPITALS_CFR,
            lambda given: warning_header_caps(given.fields),
            fields=("warning_header",),
            violation_field=_WARNING,
        ),
        CheckSpec(
            "warning_header_bold",
            "“GOVERNMENT WARNING” in bold type",
            "warning heading bold",
            BOLD_CFR,
            lambda given: warning_header_bold(given.fields, given.typography),
            rereadable=False,
            violation_field=_WARNING,
        ),
        CheckSpec(
            "warning_body_not_bold",
            "Rest of the warning not in bold",
            "warning body bold",
            BOLD_CFR,
            lambda given: warning_body_not_bold(given.fields, given.typography),
            rereadable=False,
            violation_field=_WARNING,
        ),
        CheckSpec(
            "warning_type_size",
            "Warning type size",
            "warning type size",
            TYPE_SIZE_CFR,
            lambda given: warning_type_size(given.fields, given.application, given.typography),
            rereadable=False,
            violation_field=_WARNING,
        ),
        CheckSpec(
            "brand_name",
            "Brand name",
            "brand",
            BRAND_NAME_CFR,
            lambda given: brand_name(
                given.fields.brand_name,
                given.application,
                given.readings,
                given.quality,
                warning_word_ids(given.fields.warning_header, given.fields.warning_body),
            ),
            fields=("brand_name",),
            compares_application=True,
        ),
        CheckSpec(
            "class_type",
            "Class or type",
            "class or type",
            CLASS_TYPE_CFR,
            lambda given: class_type(
                given.fields.class_type, given.application, given.quality, given.readings
            ),
            fields=("class_type",),
            compares_application=True,
        ),
        CheckSpec(
            "alcohol_content",
            "Alcohol content",
            "alcohol content",
            ALCOHOL_CONTENT_CFR,
            lambda given: alcohol_content(
                given.fields, given.application, mentions_table_wine(given.label_text)
            ),
            fields=("alcohol_content", "abv", "proof"),
            compares_application=True,
        ),
        CheckSpec(
            "net_contents",
            "Net contents",
            "net contents",
            NET_CONTENTS_CFR,
            lambda given: net_contents(
                given.fields, given.application, given.quality, given.readings
            ),
            fields=("net_contents", "net_contents_ml"),
            compares_application=True,
        ),
        CheckSpec(
            "bottler",
            "Bottler or importer",
            "bottler",
            BOTTLER_CFR,
            lambda given: bottler(
                given.fields.bottler, given.application, given.quality, given.readings
            ),
            fields=("bottler",),
            compares_application=True,
        ),
        CheckSpec(
            "country_of_origin",
            "Country of origin",
            "country of origin",
            COUNTRY_OF_ORIGIN_CFR,
            lambda given: country_of_origin(
                given.fields.country_of_origin, given.application, given.readings, given.quality
            ),
            fields=("country_of_origin",),
            compares_application=True,
        ),
        CheckSpec(
            "standard_of_fill",
            "Standard container size",
            "container size",
            STANDARD_OF_FILL_CFR,
            lambda given: standard_of_fill(given.fields, given.application),
            # Skipped when no net contents was read: decided again when a
            # second reading decides net contents.
            after=("net_contents",),
            violation_field="net_contents",
        ),
    )
}

# The production check ids, in answer order (labelgen and the benches name failures by them).
CHECK_IDS: tuple[str, ...] = tuple(CHECKS)


def check_spec(check_id: str) -> CheckSpec | None:
    return CHECKS.get(check_id)


def rereadable_ids() -> frozenset[str]:
    """The checks `auto` may have the vision model read again."""
    return frozenset(spec.id for spec in CHECKS.values() if spec.rereadable)


def fields_of(check_ids: Iterable[str]) -> set[str]:
    """The extracted fields the given checks are decided on."""
    return {
        name for check_id in check_ids if (spec := CHECKS.get(check_id)) for name in spec.fields
    }


def run_checks(
    fields: LabelFields,
    application: Application,
    typography: WarningTypography,
    readings: list[PanelReading],
) -> list[Check]:
    """Every registered check, in registry order. Each names the backend that read the label."""
    given = CheckInputs(fields, application, typography, readings)
    checks = [spec.rule(given) for spec in CHECKS.values()]
    backends = sorted({reading.backend for reading in readings})
    if len(backends) == 1:
        for item in checks:
            item.backend = backends[0]
    return checks
