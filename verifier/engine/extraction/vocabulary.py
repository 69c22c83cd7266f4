"""TTB class and type designations (parts 4, 5 and 7), folded, with their beverage type.

Not the full Beverage Alcohol Manual: the designations agents meet daily.
Longer phrases are tried first so "straight bourbon whiskey" beats "whiskey".
"""

from __future__ import annotations

from verifier.engine.models import BeverageType

_SPIRITS = """
straight bourbon whiskey, straight bourbon whisky, kentucky straight bourbon whiskey,
bourbon whiskey, bourbon whisky, bourbon, straight rye whiskey, straight rye whisky,
rye whiskey, rye whisky, tennessee whiskey, corn whiskey, malt whiskey, wheat whiskey,
blended whiskey, blended whisky, scotch whisky, blended scotch whisky, single malt scotch whisky,
irish whiskey, canadian whisky, whiskey, whisky, vodka, flavored vodka, gin, london dry gin,
dry gin, distilled gin, rum, dark rum, white rum, spiced rum, flavored rum, tequila, tequila blanco,
tequila reposado, tequila anejo, mezcal, brandy, grape brandy, apple brandy, fruit brandy,
cognac, armagnac, pisco, grappa, applejack, liqueur, cordial, schnapps, absinthe, amaretto,
triple sec, aquavit, cachaca, sotol, soju, baijiu, shochu, neutral spirits, grain spirits,
spirit whiskey, agave spirits, cocktail, bitters
"""

_WINE = """
red wine, white wine, rose wine, table wine, light wine, red table wine, white table wine,
dessert wine, sparkling wine, champagne, sparkling red wine, carbonated wine, crackling wine,
fruit wine, apple wine, cider, perry, mead, honey wine, port, sherry, madeira, marsala,
vermouth, sake, prosecco, cava, wine, red blend, red wine blend, white blend,
cabernet sauvignon, cabernet franc, merlot, pinot noir, pinot noir rose, pinot grigio, pinot gris,
pinot blanc, chardonnay, sauvignon blanc, fume blanc, riesling, zinfandel, white zinfandel,
syrah, shiraz, petite sirah, grenache, garnacha, tempranillo, malbec, sangiovese, nebbiolo,
barbera, carmenere, petit verdot, mourvedre, gamay, viognier, chenin blanc, semillon,
gewurztraminer, moscato, muscat, albarino, gruner veltliner, vermentino, torrontes,
primitivo, nero d avola, montepulciano, aglianico, touriga nacional, verdejo, rose
"""

_MALT = """
malt beverage, malt liquor, beer, ale, pale ale, india pale ale, ipa, double ipa, hazy ipa,
lager, pilsner, pilsener, stout, imperial stout, porter, wheat beer, hefeweizen, witbier,
saison, sour ale, amber ale, brown ale, bock, kolsch, hard seltzer, flavored malt beverage
"""


def _phrases(block: str) -> list[str]:
    return [phrase.strip() for phrase in block.replace("\n", " ").split(",") if phrase.strip()]


CLASS_TYPES: dict[str, BeverageType] = {
    **{phrase: BeverageType.DISTILLED_SPIRITS for phrase in _phrases(_SPIRITS)},
    **{phrase: BeverageType.WINE for phrase in _phrases(_WINE)},
    **{phrase: BeverageType.MALT_BEVERAGE for phrase in _phrases(_MALT)},
}
# Longest first: the most specific designation on the label is the one stated.
CLASS_TYPE_PHRASES: list[str] = sorted(
    CLASS_TYPES, key=lambda phrase: (-len(phrase.split()), -len(phrase))
)

# Words that are not a designation but still tell the beverage type.
TYPE_HINTS: dict[str, BeverageType] = {
    "proof": BeverageType.DISTILLED_SPIRITS,
    "distilled": BeverageType.DISTILLED_SPIRITS,
    "distillery": BeverageType.DISTILLED_SPIRITS,
    "aged": BeverageType.DISTILLED_SPIRITS,
    "vinted": BeverageType.WINE,
    "cellared": BeverageType.WINE,
    "winery": BeverageType.WINE,
    "vineyards": BeverageType.WINE,
    "vineyard": BeverageType.WINE,
    "sulfites": BeverageType.WINE,
    "vintage": BeverageType.WINE,
    "appellation": BeverageType.WINE,
    "brewed": BeverageType.MALT_BEVERAGE,
    "brewery": BeverageType.MALT_BEVERAGE,
    "brewing": BeverageType.MALT_BEVERAGE,
    "hops": BeverageType.MALT_BEVERAGE,
}

# Equivalent spellings TTB accepts in a designation.
SPELLING_VARIANTS = {"whisky": "whiskey", "rose": "rose", "pilsener": "pilsner"}

# Words that make a phrase generic rather than a brand: a label's tallest line
# being one of these says nothing about whose brand it is.
GENERIC_WORDS = frozenset(
    [
        "wine",
        "wines",
        "winery",
        "vineyard",
        "vineyards",
        "estate",
        "estates",
        "cellars",
        "cellar",
        "reserve",
        "distillery",
        "distilling",
        "distillers",
        "brewery",
        "brewing",
        "company",
        "co",
        "inc",
        "llc",
        "ltd",
        "the",
        "of",
        "and",
        "de",
        "la",
        "le",
        "les",
        "du",
        "del",
        "di",
        "vino",
        "vin",
        "red",
        "white",
        "rose",
        "blend",
        "government",
        "warning",
        "contains",
        "sulfites",
        "product",
        "imported",
        "bottled",
        "by",
    ]
)
