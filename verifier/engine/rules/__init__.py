"""The 27 CFR checks: one small module per topic, each rule citing its section.

Check ids are fixed; other tools depend on them.
"""

from __future__ import annotations

from verifier.engine.extraction import warning_word_ids
from verifier.engine.models import Application, Check, LabelFields, PanelReading, WarningTypography
from verifier.engine.rules.alcohol_content import alcohol_content, mentions_table_wine
from verifier.engine.rules.common import reading_quality
from verifier.engine.rules.names import bottler, brand_name, class_type, country_of_origin
from verifier.engine.rules.net_contents import net_contents
from verifier.engine.rules.standards_of_fill import standard_of_fill
from verifier.engine.rules.verdict import decide_verdict
from verifier.engine.rules.warning_bold import warning_body_not_bold, warning_header_bold
from verifier.engine.rules.warning_format import warning_type_size
from verifier.engine.rules.warning_statement import (
    warning_header_caps,
    warning_present,
    warning_text,
)

__all__ = ["CHECK_IDS", "decide_verdict", "run_checks"]

CHECK_IDS = (
    "warning_present",
    "warning_text",
    "warning_header_caps",
    "warning_header_bold",
    "warning_body_not_bold",
    "warning_type_size",
    "brand_name",
    "class_type",
    "alcohol_content",
    "net_contents",
    "bottler",
    "country_of_origin",
    "standard_of_fill",
)


def run_checks(
    fields: LabelFields,
    application: Application,
    typography: WarningTypography,
    readings: list[PanelReading],
) -> list[Check]:
    """Every check, in the order of CHECK_IDS. Each names the backend that read the label."""
    quality = reading_quality(readings)
    label_text = "\n".join(reading.text for reading in readings)
    checks = [
        warning_present(fields, quality, readings),
        warning_text(fields, typography),
        warning_header_caps(fields),
        warning_header_bold(fields, typography),
        warning_body_not_bold(fields, typography),
        warning_type_size(fields, application, typography),
        brand_name(
            fields.brand_name,
            application,
            readings,
            quality,
            warning_word_ids(fields.warning_header, fields.warning_body),
        ),
        class_type(fields.class_type, application, quality),
        alcohol_content(fields, application, mentions_table_wine(label_text)),
        net_contents(fields, application, quality, readings),
        bottler(fields.bottler, application, quality, readings),
        country_of_origin(fields.country_of_origin, application, readings, quality),
        standard_of_fill(fields, application),
    ]
    backends = sorted({reading.backend for reading in readings})
    if len(backends) == 1:
        for item in checks:
            item.backend = backends[0]
    return checks
