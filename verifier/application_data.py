"""Turn what a caller typed into an engine `Application`, or say what is wrong.

Three spellings reach us: the individual fields (`brand_name`, ...), the same
keys as one `application` JSON object, and the replaced system's
`ground_truth` object (`brand_name`, `abv`, `net_contents`, `bottler`,
`product_type`). The API, the batch manifest, the CLI and the web page all
go through here, so they accept exactly the same values.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

from ttbsite.text_inputs import UnsafeText, check_text, parse_json
from verifier.engine import Application, BeverageType
from verifier.engine.extraction.alcohol import parse_alcohol_text
from verifier.engine.extraction.net_contents import parse_net_contents_text
from verifier.engine.rules.alcohol_content import mentions_table_wine
from verifier.rejections import Rejected

# The individual-field keys: the engine's `Application` fields, in its order.
APPLICATION_FIELDS = tuple(field.name for field in dataclasses.fields(Application))
GROUND_TRUTH_FIELDS = ("brand_name", "abv", "net_contents", "bottler", "product_type")
MAX_TEXT_LENGTH = 500

# What people and the replaced system call each beverage type.
BEVERAGE_TYPE_NAMES: dict[str, BeverageType] = {
    "wine": BeverageType.WINE,
    "distilled_spirits": BeverageType.DISTILLED_SPIRITS,
    "distilled spirits": BeverageType.DISTILLED_SPIRITS,
    "spirits": BeverageType.DISTILLED_SPIRITS,
    "malt_beverage": BeverageType.MALT_BEVERAGE,
    "malt beverage": BeverageType.MALT_BEVERAGE,
    "malt": BeverageType.MALT_BEVERAGE,
    "beer": BeverageType.MALT_BEVERAGE,
}
_TRUE = {"true", "1", "yes", "on"}
_FALSE = {"false", "0", "no", "off"}


class ApplicationDataError(Rejected):
    """Application data a caller can fix; `field` names the offending key."""

    def __init__(self, message: str, *, field: str, code: str = "invalid_application") -> None:
        super().__init__(message, code=code, details={"field": field})
        self.field = field


def parse_json_object(text: str, *, field: str) -> dict[str, Any]:
    """A JSON object from a form field, or ApplicationDataError naming the field."""
    try:
        value = parse_json(text, field=field)
    except UnsafeText as error:
        raise ApplicationDataError(error.message, field=field, code=error.code) from error
    if not isinstance(value, dict):
        raise ApplicationDataError(
            f"{field} must be a JSON object with named fields.", field=field, code="malformed_json"
        )
    return value


def beverage_type_from(value: Any, *, field: str = "beverage_type") -> BeverageType | None:
    if value is None or value == "":
        return None
    key = str(value).strip().lower().replace("-", "_")
    if key in BEVERAGE_TYPE_NAMES:
        return BEVERAGE_TYPE_NAMES[key]
    if key.replace("_", " ") in BEVERAGE_TYPE_NAMES:
        return BEVERAGE_TYPE_NAMES[key.replace("_", " ")]
    raise ApplicationDataError(
        f"{field} {value!r} is not a beverage type: use wine, distilled_spirits or malt_beverage.",
        field=field,
        code="unknown_beverage_type",
    )


def _text(value: Any, *, field: str) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise ApplicationDataError(f"{field} must be text.", field=field)
    text = str(value).strip()
    try:
        check_text(text, field=field)
    except UnsafeText as error:
        raise ApplicationDataError(error.message, field=field, code=error.code) from error
    if len(text) > MAX_TEXT_LENGTH:
        raise ApplicationDataError(
            f"{field} is longer than {MAX_TEXT_LENGTH} characters.", field=field
        )
    return text or None


def _boolean(value: Any, *, field: str) -> bool | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ApplicationDataError(f"{field} must be true or false, not {value!r}.", field=field)


def _alcohol_content(value: Any, *, field: str) -> str | None:
    """Text as filed ("45% ABV", "90 proof"); a bare number is a percentage.

    Text with no figure the engine can compare ("strong") is refused here: checked
    against a label it would pass or fail on nothing. "Table wine" (27 CFR 4.36)
    is a filing without a figure the rule understands."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return f"{value:g}%"
    text = _text(value, field=field)
    if text is not None and parse_alcohol_text(text) is None and not mentions_table_wine(text):
        raise ApplicationDataError(
            f"{field} {text!r} has no alcohol figure. Write it as on the application, "
            "for example 45% ABV, 12.5% Alc./Vol., 90 proof or table wine.",
            field=field,
        )
    return text


def _net_contents(value: Any, *, field: str) -> str | None:
    """Text as filed ("750 mL", "1 pint", "12 fl oz"); it must name a volume."""
    text = _text(value, field=field)
    if text is not None and parse_net_contents_text(text) is None:
        raise ApplicationDataError(
            f"{field} {text!r} is not a volume. Write a number and a unit, "
            "for example 750 mL, 1 L or 12 fl oz.",
            field=field,
        )
    return text


def _reject_unknown(data: Mapping[str, Any], known: tuple[str, ...], *, source: str) -> None:
    unknown = sorted(set(data) - set(known))
    if unknown:
        raise ApplicationDataError(
            f"{source} has unknown keys: {', '.join(unknown)}. Known keys: {', '.join(known)}.",
            field=source,
            code="unknown_fields",
        )


def application_from_mapping(
    data: Mapping[str, Any], *, source: str = "application"
) -> Application:
    """An Application from the individual-field keys (strings or JSON values)."""
    _reject_unknown(data, APPLICATION_FIELDS, source=source)
    return Application(
        brand_name=_text(data.get("brand_name"), field="brand_name"),
        class_type=_text(data.get("class_type"), field="class_type"),
        alcohol_content=_alcohol_content(data.get("alcohol_content"), field="alcohol_content"),
        net_contents=_net_contents(data.get("net_contents"), field="net_contents"),
        bottler=_text(data.get("bottler"), field="bottler"),
        country_of_origin=_text(data.get("country_of_origin"), field="country_of_origin"),
        beverage_type=beverage_type_from(data.get("beverage_type")),
        is_import=_boolean(data.get("is_import"), field="is_import"),
    )


def application_from_ground_truth(data: Mapping[str, Any]) -> Application:
    """The replaced system's `ground_truth`: `abv` is a number, `product_type`
    is wine | spirits | beer | malt."""
    _reject_unknown(data, GROUND_TRUTH_FIELDS, source="ground_truth")
    abv = data.get("abv")
    alcohol_content = None
    if abv is not None and abv != "":
        try:
            abv = float(abv)
        except (TypeError, ValueError) as error:
            raise ApplicationDataError(
                f"ground_truth.abv must be a number, not {abv!r}.", field="ground_truth"
            ) from error
        alcohol_content = f"{abv:g}%"
        if not 0 <= abv <= 100:
            raise ApplicationDataError(
                "ground_truth.abv must be between 0 and 100.", field="ground_truth"
            )
    product_type = data.get("product_type")
    if product_type not in (None, "") and str(product_type).lower() not in (
        "wine",
        "spirits",
        "beer",
        "malt",
    ):
        raise ApplicationDataError(
            f"ground_truth.product_type {product_type!r} is not one of wine, spirits, beer, malt.",
            field="ground_truth",
            code="unknown_beverage_type",
        )
    return Application(
        brand_name=_text(data.get("brand_name"), field="ground_truth.brand_name"),
        alcohol_content=alcohol_content,
        net_contents=_net_contents(data.get("net_contents"), field="ground_truth.net_contents"),
        bottler=_text(data.get("bottler"), field="ground_truth.bottler"),
        beverage_type=beverage_type_from(product_type, field="ground_truth.product_type"),
    )


def application_to_json(application: Application) -> dict[str, Any]:
    """The filed data as JSON (the audit row, the batch item, the answer)."""
    return {
        key: str(value) if key == "beverage_type" else value
        for key, value in application.to_dict().items()
    }
