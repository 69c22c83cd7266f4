"""What a generated label says, and which failures it carries on purpose.

A `LabelSpec` is plain data; `spec_for_seed()` draws a plausible one from a
seed so that a whole corpus is reproducible from one number.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field, replace

from verifier.engine.models import BeverageType
from verifier.engine.rules import CHECK_IDS, CHECKS

WARNING_HEADER = "GOVERNMENT WARNING:"
WARNING_BODY = (
    "(1) According to the Surgeon General, women should not drink alcoholic beverages "
    "during pregnancy because of the risk of birth defects. (2) Consumption of "
    "alcoholic beverages impairs your ability to drive a car or operate machinery, "
    "and may cause health problems."
)

# Checks against the application's values (the registry's `compares_application`).
APPLICATION_CHECK_IDS = frozenset(
    check_id for check_id, spec in CHECKS.items() if spec.compares_application
)

DEGRADATIONS: tuple[str, ...] = (
    "rotate",  # a few degrees off square, as a hand-held photo
    "blur",
    "noise",
    "jpeg",  # heavy JPEG compression
    "low_resolution",  # resampled to ~800 px wide, as the COLA registry shows it
    "side_strip",  # the warning printed on a vertical strip, rotated 90 degrees
    "multi_panel",  # front and back label as two images
)

# Failures that cannot be combined on one label: both change the warning block.
_EXCLUSIVE = {
    "warning_present": {
        "warning_text",
        "warning_header_caps",
        "warning_header_bold",
        "warning_body_not_bold",
        "warning_type_size",
    },
    "warning_header_bold": {"warning_body_not_bold"},
    "warning_body_not_bold": {"warning_header_bold"},
}


@dataclass(frozen=True)
class LabelSpec:
    beverage_type: BeverageType
    brand: str
    class_type: str
    alcohol_text: str  # as printed, e.g. "45% ALC./VOL. (90 PROOF)"
    abv: float
    net_contents: str  # as printed, e.g. "750 mL"
    net_contents_ml: float
    bottler: str
    country: str | None  # None for a domestic product
    warning_header: str = WARNING_HEADER
    warning_body: str = WARNING_BODY
    header_bold: bool = True
    body_bold: bool = False
    warning_x_height_mm: float = 2.3  # §16.22(b): 2 mm for containers over 237 mL
    font_family: str = "dejavu"  # "dejavu" | "liberation"
    dpi: int = 200
    width_in: float = 3.6
    seed: int = 0
    failures: tuple[str, ...] = ()
    degradations: tuple[str, ...] = ()
    # What the applicant filed, when it differs from the label (a failure).
    application_overrides: dict[str, str | bool | None] = field(default_factory=dict)


_BRAND_FIRST = ("Old", "Blue", "Copper", "Stone's", "Silver", "Red", "Iron", "Golden", "Black")
_BRAND_SECOND = (
    "Harbor",
    "Heron",
    "Fox",
    "Throw",
    "Creek",
    "Ridge",
    "Lantern",
    "Anchor",
    "Meadow",
)
_CITIES = ("Louisville, KY", "Napa, CA", "Portland, OR", "Austin, TX", "Asheville, NC")
_IMPORTERS = ("Atlantic Imports LLC", "Harbor Trading Co.", "Vine & Barrel Imports Inc.")

_PRODUCTS: dict[BeverageType, list[tuple[str, str | None]]] = {
    BeverageType.DISTILLED_SPIRITS: [
        ("Kentucky Straight Bourbon Whiskey", None),
        ("Vodka", None),
        ("London Dry Gin", None),
        ("Blanco Tequila", "Mexico"),
        ("Single Malt Scotch Whisky", "Scotland"),
        ("Gold Rum", "Jamaica"),
    ],
    BeverageType.WINE: [
        ("Cabernet Sauvignon", None),
        ("Chardonnay", None),
        ("Red Wine", None),
        ("Pinot Noir", "France"),
        ("Chianti", "Italy"),
        ("Rioja", "Spain"),
    ],
    BeverageType.MALT_BEVERAGE: [
        ("India Pale Ale", None),
        ("Lager", None),
        ("Stout", None),
        ("Pilsner", "Germany"),
        ("Belgian Ale", "Belgium"),
    ],
}
_NET_CONTENTS: dict[BeverageType, list[tuple[str, float]]] = {
    BeverageType.DISTILLED_SPIRITS: [("750 mL", 750), ("1 L", 1000), ("375 mL", 375)],
    BeverageType.WINE: [("750 mL", 750), ("1.5 L", 1500), ("375 mL", 375)],
    BeverageType.MALT_BEVERAGE: [("12 FL OZ", 354.9), ("1 PINT", 473.2), ("22 FL OZ", 650.6)],
}


def alcohol_statement(beverage_type: BeverageType, abv: float, proof: float | None) -> str:
    """How the label words its alcohol content (§5.65, §4.36, §7.65 forms)."""
    if beverage_type is BeverageType.DISTILLED_SPIRITS:
        text = f"{abv:g}% ALC./VOL."
        return f"{text} ({proof:g} PROOF)" if proof is not None else text
    if beverage_type is BeverageType.WINE:
        return f"Alc. {abv:g}% by vol."
    return f"{abv:g}% ALC/VOL"


def spec_for_seed(
    seed: int,
    *,
    beverage_type: BeverageType | None = None,
    failures: tuple[str, ...] = (),
    degradations: tuple[str, ...] = (),
) -> LabelSpec:
    """A plausible, compliant label drawn from `seed`, then the failures applied."""
    rng = random.Random(seed)
    beverage = beverage_type or rng.choice(list(BeverageType))
    if beverage_type is None and "standard_of_fill" in failures:
        # Malt beverages have no federal standard of fill (§7.70) to break.
        beverage = rng.choice((BeverageType.WINE, BeverageType.DISTILLED_SPIRITS))
    class_type, country = rng.choice(_PRODUCTS[beverage])
    brand = f"{rng.choice(_BRAND_FIRST)} {rng.choice(_BRAND_SECOND)}"
    if beverage is BeverageType.DISTILLED_SPIRITS:
        abv = float(rng.choice((40, 43, 45, 46, 50)))
        proof = abv * 2 if rng.random() < 0.6 else None
    elif beverage is BeverageType.WINE:
        abv, proof = rng.choice((12.5, 13.0, 13.5, 14.5)), None
    else:
        abv, proof = rng.choice((4.8, 5.0, 5.5, 6.5, 7.2)), None
    net_text, net_ml = rng.choice(_NET_CONTENTS[beverage])
    role = {
        BeverageType.DISTILLED_SPIRITS: "Distilled and bottled by",
        BeverageType.WINE: "Produced and bottled by",
        BeverageType.MALT_BEVERAGE: "Brewed and bottled by",
    }[beverage]
    company = f"{brand} {'Brewing' if beverage is BeverageType.MALT_BEVERAGE else 'Cellars'} Co."
    if beverage is BeverageType.DISTILLED_SPIRITS:
        company = f"{brand} Distilling Co."
    if country:
        bottler = f"Imported by {rng.choice(_IMPORTERS)}, New York, NY"
    else:
        bottler = f"{role} {company}, {rng.choice(_CITIES)}"
    spec = LabelSpec(
        beverage_type=beverage,
        brand=brand,
        class_type=class_type,
        alcohol_text=alcohol_statement(beverage, abv, proof),
        abv=abv,
        net_contents=net_text,
        net_contents_ml=net_ml,
        bottler=bottler,
        country=country,
        font_family=rng.choice(("dejavu", "liberation")),
        warning_x_height_mm=round(rng.uniform(2.2, 2.6), 2),
        seed=seed,
        degradations=tuple(degradations),
    )
    for failure in failures:
        spec = inject_failure(spec, failure, rng)
    return replace(spec, failures=tuple(failures))


def compatible_failures(rng: random.Random, count: int) -> tuple[str, ...]:
    """`count` distinct check ids that can be injected on one label together."""
    chosen: list[str] = []
    for check_id in rng.sample(CHECK_IDS, len(CHECK_IDS)):
        if len(chosen) == count:
            break
        if any(check_id in _EXCLUSIVE.get(other, ()) for other in chosen):
            continue
        if any(other in _EXCLUSIVE.get(check_id, ()) for other in chosen):
            continue
        chosen.append(check_id)
    return tuple(chosen)


def inject_failure(spec: LabelSpec, check_id: str, rng: random.Random) -> LabelSpec:
    """Change the label (or what the applicant filed) so that `check_id` fails."""
    overrides = dict(spec.application_overrides)
    if check_id == "warning_present":
        return replace(spec, warning_header="", warning_body="")
    if check_id == "warning_text":
        return replace(spec, warning_body=_altered_warning_body(rng))
    if check_id == "warning_header_caps":
        return replace(spec, warning_header="Government Warning:")
    if check_id == "warning_header_bold":
        return replace(spec, header_bold=False)
    if check_id == "warning_body_not_bold":
        return replace(spec, body_bold=True)
    if check_id == "warning_type_size":
        # Half the §16.22(b) minimum, at a resolution where it stays readable.
        return replace(spec, warning_x_height_mm=1.0, dpi=max(spec.dpi, 400))
    if check_id == "brand_name":
        overrides["brand_name"] = (
            "Northern Lights" if spec.brand != "Northern Lights" else "Red Oak"
        )
    elif check_id == "class_type":
        overrides["class_type"] = _other_class(spec)
    elif check_id == "alcohol_content":
        return _wrong_alcohol(spec, rng, overrides)
    elif check_id == "net_contents":
        overrides["net_contents"] = _other_net_contents(spec)
    elif check_id == "bottler":
        overrides["bottler"] = "Westbrook Spirits Group, Denver, CO"
    elif check_id == "country_of_origin":
        country = spec.country or "France"
        overrides["country_of_origin"] = country
        overrides["is_import"] = True
        # An import names its importer; only the country line goes missing.
        bottler = spec.bottler
        if not bottler.startswith("Imported by"):
            bottler = f"Imported by {_IMPORTERS[spec.seed % len(_IMPORTERS)]}, New York, NY"
        return replace(spec, country=None, bottler=bottler, application_overrides=overrides)
    elif check_id == "standard_of_fill":
        return _nonstandard_fill(spec)
    else:
        raise ValueError(f"unknown check id {check_id!r}")
    return replace(spec, application_overrides=overrides)


def _altered_warning_body(rng: random.Random) -> str:
    alterations = (
        ("women should", "woman should"),
        ("operate machinery", "operate machines"),
        ("(2) Consumption", "Consumption"),
        (" because of the risk of birth defects", ""),
        ("may cause health problems", "may cause serious health problems"),
    )
    old, new = rng.choice(alterations)
    return WARNING_BODY.replace(old, new)


def _other_class(spec: LabelSpec) -> str:
    alternatives = [name for name, _ in _PRODUCTS[spec.beverage_type] if name != spec.class_type]
    return alternatives[spec.seed % len(alternatives)]


def _wrong_alcohol(
    spec: LabelSpec, rng: random.Random, overrides: dict[str, str | bool | None]
) -> LabelSpec:
    if spec.beverage_type is BeverageType.DISTILLED_SPIRITS and rng.random() < 0.5:
        # Proof must be twice the ABV (§5.65): print a proof that is not.
        text = alcohol_statement(spec.beverage_type, spec.abv, spec.abv * 2 + 10)
        return replace(spec, alcohol_text=text, application_overrides=overrides)
    # Beyond any tolerance the rules might grant (§4.36 allows 1.5 points for wine).
    overrides["alcohol_content"] = f"{spec.abv + 3:g}% ABV"
    return replace(spec, application_overrides=overrides)


def _other_net_contents(spec: LabelSpec) -> str:
    """A filed volume that really differs: "16 FL OZ" is no failure on a "1 PINT" label."""
    if spec.beverage_type is BeverageType.MALT_BEVERAGE:
        choices = (("16 FL OZ", 16 * 29.5735), ("12 FL OZ", 12 * 29.5735))
    else:
        choices = (("700 mL", 700.0), ("750 mL", 750.0))
    return next(text for text, ml in choices if abs(ml - spec.net_contents_ml) > 1.0)


def _nonstandard_fill(spec: LabelSpec) -> LabelSpec:
    """740 mL is in neither §4.72 nor §5.203."""
    if spec.beverage_type is BeverageType.MALT_BEVERAGE:
        raise ValueError("malt beverages have no federal standard of fill (§7.70)")
    return replace(spec, net_contents="740 mL", net_contents_ml=740.0)
