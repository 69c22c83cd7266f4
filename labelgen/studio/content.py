"""What a studio label says, and what a truthful applicant types for it.

The wording is the studio's own (not labelgen's): statement forms that 27 CFR
allows and real labels use, container sizes from the standards of fill
(§4.72, §5.203; malt in U.S. units, §7.70), and applications written the way
agents type them.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from verifier.engine.models import Application, BeverageType

WARNING_HEADER = "GOVERNMENT WARNING:"
WARNING_BODY = (
    "(1) According to the Surgeon General, women should not drink alcoholic beverages "
    "during pregnancy because of the risk of birth defects. (2) Consumption of alcoholic "
    "beverages impairs your ability to drive a car or operate machinery, and may cause "
    "health problems."
)
SMALL_CONTAINER_ML = 237  # §16.22(b): up to 8 fl oz the warning may be 1 mm high

SPIRITS = BeverageType.DISTILLED_SPIRITS
WINE = BeverageType.WINE
MALT = BeverageType.MALT_BEVERAGE


@dataclass(frozen=True)
class Product:
    class_type: str
    designations: tuple[str, ...]  # appellation, age or standard-designation lines
    country: str | None  # None: domestic


@dataclass(frozen=True)
class Volume:
    ml: float
    printed: str
    typed: tuple[str, ...]  # the same volume as agents type it


@dataclass(frozen=True)
class Constraints:
    """What a failure needs of the label before anything is drawn."""

    beverage_types: tuple[BeverageType, ...] = (SPIRITS, WINE, MALT)
    must_import: bool = False
    proof_printed: bool = False
    min_ml: float = 0.0


@dataclass(frozen=True)
class LabelContent:
    beverage_type: BeverageType
    brand: str  # as the brand owner spells it
    brand_printed: str  # as set on the label (capitals, curly apostrophe)
    class_type: str
    designations: tuple[str, ...]
    abv: float
    proof: float | None  # as printed
    alcohol_text: str
    volume: Volume
    bottler_phrase: str  # "Imported by"
    bottler_name: str
    bottler_address: str  # "New York, NY"
    country: str | None  # where the product is from
    country_text: str | None  # the country statement as printed; None: none printed
    extras: tuple[str, ...]  # other text a real label carries (sulfites, a blurb)
    warning_header: str = WARNING_HEADER
    warning_body: str = WARNING_BODY
    header_bold: bool = True
    body_bold: bool = False
    warning_x_height_mm: float = 2.3

    @property
    def bottler_line(self) -> str:
        return f"{self.bottler_phrase} {self.bottler_name}, {self.bottler_address}"

    @property
    def has_warning(self) -> bool:
        return bool(self.warning_header or self.warning_body)


PRODUCTS: dict[BeverageType, tuple[Product, ...]] = {
    SPIRITS: (
        Product("Kentucky Straight Bourbon Whiskey", (), None),
        Product("Straight Rye Whiskey", ("Aged 4 Years",), None),
        Product("Tennessee Whiskey", ("Charcoal Mellowed",), None),
        Product("Vodka", ("Distilled from Corn",), None),
        Product("London Dry Gin", (), None),
        Product("Blended Scotch Whisky", (), "Scotland"),
        Product("Tequila Añejo", ("100% de Agave",), "Mexico"),
        Product("Mezcal", ("Joven",), "Mexico"),
        Product("Jamaica Rum", ("Aged 8 Years",), "Jamaica"),
        Product("Cognac", ("V.S.O.P.",), "France"),
        Product("Irish Whiskey", ("Triple Distilled",), "Ireland"),
    ),
    WINE: (
        Product("Cabernet Sauvignon", ("Napa Valley",), None),
        Product("Pinot Noir", ("Willamette Valley",), None),
        Product("Red Wine", ("California",), None),
        Product("Chardonnay", ("Sonoma Coast",), None),
        Product("Zinfandel", ("Lodi",), None),
        Product("White Wine", ("Vinho Verde", "Denominação de Origem Controlada"), "Portugal"),
        Product("Red Wine", ("Douro", "Denominação de Origem Controlada"), "Portugal"),
        Product(
            "Red Wine",
            ("Chianti Classico", "Denominazione di Origine Controllata e Garantita"),
            "Italy",
        ),
        Product("Red Wine", ("Rioja", "Denominación de Origen Calificada"), "Spain"),
        Product("White Wine", ("Sancerre", "Appellation Sancerre Contrôlée"), "France"),
        Product("Sparkling Wine", ("Prosecco", "Denominazione di Origine Controllata"), "Italy"),
        Product("Malbec", ("Mendoza",), "Argentina"),
    ),
    MALT: (
        Product("India Pale Ale", (), None),
        Product("American Lager", (), None),
        Product("Oatmeal Stout", (), None),
        Product("Wheat Ale", ("Unfiltered",), None),
        Product("Pale Ale", (), None),
        Product("Pilsner", (), "Czech Republic"),
        Product("Lager Beer", (), "Mexico"),
        Product("Belgian Strong Ale", (), "Belgium"),
        Product("Irish Stout", (), "Ireland"),
        Product("Lager", ("Brewed to the Purity Law of 1516",), "Germany"),
    ),
}

BRANDS: dict[str | None, tuple[str, ...]] = {
    None: (
        "Stone's Throw",
        "Hollow Oak",
        "Marrow & Vine",
        "Crooked Fence",
        "Lark & Lantern",
        "Widow's Peak",
        "Old Meridian",
        "Cask & Compass",
        "Three Wolves Hollow",
        "The Gilded Pike",
        "Ferryman's Rest",
        "Bell & Thistle",
        "Ironbound",
        "Juniper & Ash",
        "Blackwater Ridge",
    ),
    "Portugal": ("Quinta da Serra", "Casa do Rio", "Vale Formoso"),
    "Italy": ("Villa Ardenza", "Poggio Alto", "Tenuta San Lucio"),
    "Spain": ("Bodegas Valderas", "Marqués de Olite"),
    "France": ("Domaine Belcour", "Château Lavergne", "Maison Dufaure"),
    "Mexico": ("Casa Solana", "Tierra Roja", "El Viejo Cerro"),
    "Scotland": ("Glen Arrach", "Kilbride Moss"),
    "Jamaica": ("Port Royal Reserve", "Blue Cane"),
    "Ireland": ("Kilcarra", "Saint Brendan's"),
    "Czech Republic": ("Bohemian Crown", "Old Vltava"),
    "Germany": ("Brauhaus Kessler", "Alte Linde"),
    "Belgium": ("De Drie Klokken", "Abbey of Saint Aulaire"),
    "Argentina": ("Bodega Las Piedras", "Alto Cielo"),
}

PRODUCERS: dict[BeverageType, tuple[str, ...]] = {
    SPIRITS: ("Larkspur Distilling Co.", "Copperline Spirits LLC", "Old Forge Distillery"),
    WINE: ("Harrow & Finch Wine Co.", "Blue Heron Cellars", "Quarry Hill Vineyards"),
    MALT: ("North Fork Brewing Company", "Tall Pines Brewery", "Foundry Lane Beer Co."),
}
IMPORTERS = (
    "Atlantic Vine Imports",
    "Meridian Wine & Spirits",
    "Old Harbor Trading Co.",
    "Seaboard Selections LLC",
    "Calloway & Reyes Imports",
    "Blue Anchor Importers Inc.",
)
TOWNS: dict[BeverageType | None, tuple[str, ...]] = {
    SPIRITS: ("Bardstown, KY", "Louisville, KY", "Frankfort, KY", "Denver, CO", "Portland, OR"),
    WINE: ("Napa, CA", "Healdsburg, CA", "Dundee, OR", "Walla Walla, WA", "Lodi, CA"),
    MALT: ("Bend, OR", "Asheville, NC", "Burlington, VT", "Grand Rapids, MI", "San Diego, CA"),
    None: ("New York, NY", "Newark, NJ", "Miami, FL", "Boston, MA", "Chicago, IL", "Houston, TX"),
}
DOMESTIC_PHRASES: dict[BeverageType, tuple[str, ...]] = {
    SPIRITS: ("Distilled and bottled by", "Bottled by", "Produced and bottled by"),
    WINE: ("Produced and bottled by", "Vinted and bottled by", "Cellared and bottled by"),
    MALT: ("Brewed and canned by", "Brewed and bottled by", "Brewed by"),
}
COUNTRY_FORMS = ("Product of {}", "Produce of {}", "Made in {}", "Imported from {}", "{}")
BLURBS: dict[BeverageType, tuple[str, ...]] = {
    SPIRITS: (
        "Aged in new charred oak and drawn from barrels chosen one at a time.",
        "Small batches, slow distillation and patient ageing.",
    ),
    WINE: (
        "Hand harvested in the cool of the morning; bright fruit and a long finish.",
        "Pairs with grilled fish, roast chicken and good company.",
    ),
    MALT: (
        "Hazy, bright and loaded with citrus hops.",
        "Roasted malt, a whisper of oats and a smooth, dry finish.",
    ),
}


def _metric(ml: float, printed: str) -> Volume:
    typed = [f"{ml:g} mL", f"{ml:g}ml", f"{ml / 1000:g} L"]
    if ml % 10 == 0 and ml < 1000:
        typed.append(f"{ml / 10:g} cL")
    return Volume(ml, printed, tuple(typed))


def _fluid_ounces(ounces: float, printed: str, metric_ml: float | None = None) -> Volume:
    typed = [f"{ounces:g} fl oz", f"{ounces:g} FL. OZ."]
    if metric_ml:
        typed.append(f"{metric_ml:g} mL")
    return Volume(round(ounces * 29.5735, 1), printed, tuple(typed))


def _volumes(beverage: BeverageType, rng: random.Random) -> list[tuple[Volume, float]]:
    """Authorised sizes with their weights; the printed form is drawn here too."""
    if beverage is MALT:
        return [
            (_fluid_ounces(12, rng.choice(("12 FL. OZ.", "12 FL OZ", "12 fl oz")), 355), 5),
            (_fluid_ounces(11.2, "11.2 FL OZ (330 mL)", 330), 1),
            (_fluid_ounces(16.9, "16.9 FL OZ (500 mL)", 500), 1),
            (
                Volume(473.2, rng.choice(("1 PINT", "1 PINT (473 mL)")), ("1 pint", "16 fl oz")),
                2,
            ),
        ]
    cl_or_ml = rng.choice(("750 ML", "750ml", "750 mL", "75 cL", "75 CL"))
    common = [(_metric(750, cl_or_ml), 8), (_metric(375, "375 ML"), 1)]
    if beverage is WINE:
        return [
            *common,
            (_metric(187, "187 mL"), 1),
            (_metric(500, "500 ML"), 1),
            (_metric(1500, rng.choice(("1.5 L", "1.5 LITERS", "1.5 LITRES"))), 1),
            (_metric(3000, "3 LITERS"), 0.5),
        ]
    return [
        *common,
        (_metric(200, "200 ML"), 1),
        (_metric(700, "70 cL"), 1),
        (_metric(1000, rng.choice(("1 LITER", "1 L"))), 1),
        (_metric(1750, rng.choice(("1.75 LITERS", "1.75 L"))), 1),
    ]


def _alcohol(
    beverage: BeverageType, rng: random.Random, proof_printed: bool
) -> tuple[float, float | None, str]:
    """(ABV, printed proof or None, statement) in a form §5.65/§4.36/§7.65 allow."""
    if beverage is SPIRITS:
        abv = float(rng.choice((40, 40, 42, 43, 45, 46, 47, 50)))
        proof = abv * 2
        with_proof = (
            "{a:g}% Alc./Vol. ({p:g} Proof)",
            "ALC. {a:g}% BY VOL. ({p:g} PROOF)",
            "{a:g}% ALC. BY VOL. · {p:g} PROOF",
        )
        without = ("Alcohol {a:g}% by volume", "{a:g}% ALC/VOL", "{a:g}% Alcohol by Volume")
        if proof_printed or rng.random() < 0.5:
            return abv, proof, rng.choice(with_proof).format(a=abv, p=proof)
        return abv, None, rng.choice(without).format(a=abv)
    if beverage is WINE:
        abv = rng.choice((11.5, 12.0, 12.5, 13.0, 13.5, 13.5, 14.0, 14.5, 15.0))
        forms = (
            "ALC. {a:g}% BY VOL.",
            "Alcohol {a:g}% by volume",
            "{a:g}% alc./vol.",
            "ALC {a:g}% BY VOL",
        )
        return abv, None, rng.choice(forms).format(a=abv)
    abv = rng.choice((4.2, 4.7, 5.0, 5.2, 5.6, 6.5, 6.8, 7.2, 8.5))
    forms = ("{a:g}% ABV", "ALC. {a:g}% BY VOL.", "{a:g}% ALC/VOL", "Alc. {a:g}% by Vol.")
    return abv, None, rng.choice(forms).format(a=abv)


def _weighted(rng: random.Random, options: list[tuple[Volume, float]]) -> Volume:
    return rng.choices([volume for volume, _ in options], [w for _, w in options])[0]


def draw_content(rng: random.Random, constraints: Constraints) -> LabelContent:
    """A truthful, compliant label's wording drawn from `rng` within `constraints`."""
    beverage = rng.choice(constraints.beverage_types)
    products = [
        product
        for product in PRODUCTS[beverage]
        if product.country is not None or not constraints.must_import
    ]
    product = rng.choice(products)
    brand = rng.choice(BRANDS[product.country])
    brand_printed = brand.upper() if rng.random() < 0.4 else brand
    if "'" in brand_printed and rng.random() < 0.4:
        brand_printed = brand_printed.replace("'", "\u2019")  # typeset apostrophe
    abv, proof, alcohol_text = _alcohol(beverage, rng, constraints.proof_printed)
    volumes = [(v, w) for v, w in _volumes(beverage, rng) if v.ml >= constraints.min_ml]
    volume = _weighted(rng, volumes)
    if product.country:
        phrase, name, address = "Imported by", rng.choice(IMPORTERS), rng.choice(TOWNS[None])
        country_text = rng.choice(COUNTRY_FORMS).format(product.country)
    else:
        phrase = rng.choice(DOMESTIC_PHRASES[beverage])
        name = rng.choice(PRODUCERS[beverage])
        if rng.random() < 0.4:
            suffix = {SPIRITS: "Distilling Co.", WINE: "Winery", MALT: "Brewing Co."}[beverage]
            name = f"{brand} {suffix}"
        address, country_text = rng.choice(TOWNS[beverage]), None
    if rng.random() < 0.4:
        phrase = phrase.upper()
    extras = []
    if beverage is WINE:
        extras.append("CONTAINS SULFITES")
    if rng.random() < 0.5:
        extras.append(rng.choice(BLURBS[beverage]))
    warning_minimum = 1.0 if volume.ml <= SMALL_CONTAINER_ML else 2.0
    return LabelContent(
        beverage_type=beverage,
        brand=brand,
        brand_printed=brand_printed,
        class_type=product.class_type,
        designations=product.designations,
        abv=abv,
        proof=proof,
        alcohol_text=alcohol_text,
        volume=volume,
        bottler_phrase=phrase,
        bottler_name=name,
        bottler_address=address,
        country=product.country,
        country_text=country_text,
        extras=tuple(extras),
        warning_x_height_mm=round(warning_minimum + rng.uniform(0.15, 0.6), 2),
    )


def typed_application(content: LabelContent, rng: random.Random) -> Application:
    """What a truthful agent files for `content`: same facts, their own typing."""
    brand = content.brand  # a brand printed in capitals is typed as the owner spells it
    if rng.random() < 0.25:
        brand = brand.upper()
    class_type = content.class_type
    if rng.random() < 0.3:
        class_type = class_type.upper() if rng.random() < 0.5 else class_type.lower()
    abv = f"{content.abv:g}"
    alcohol_forms = [f"{abv}%", f"{abv}% alc/vol", f"{abv}% ABV", content.alcohol_text]
    if content.proof:
        alcohol_forms.append(f"{abv}% Alc./Vol. ({content.proof:g} Proof)")
    bottler = f"{content.bottler_name}, {content.bottler_address}"
    if rng.random() < 0.4:
        bottler = f"{content.bottler_phrase.capitalize()} {bottler}"
    country = content.country
    if country and content.country_text and rng.random() < 0.4:
        country = content.country_text
    return Application(
        brand_name=brand,
        class_type=class_type,
        alcohol_content=rng.choice(alcohol_forms),
        net_contents=rng.choice(content.volume.typed),
        bottler=bottler,
        country_of_origin=country,
        beverage_type=content.beverage_type,
        is_import=content.country is not None,
    )
