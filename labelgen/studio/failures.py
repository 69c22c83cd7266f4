"""Defects the studio can put on a label (or in its application) on purpose.

Each failure is either something a person sees in the picture (the warning,
the country line, the container size) or a real mismatch between the label
and what the applicant filed. The studio's variations are its own.
"""

from __future__ import annotations

import random
import re
from dataclasses import replace

from labelgen.studio.content import (
    BRANDS,
    IMPORTERS,
    MALT,
    PRODUCERS,
    PRODUCTS,
    SPIRITS,
    WARNING_BODY,
    WINE,
    Constraints,
    LabelContent,
    Volume,
)
from verifier.engine.models import Application
from verifier.engine.rules import CHECK_IDS

STUDIO_FAILURES: tuple[str, ...] = tuple(CHECK_IDS)

WARNING_FAILURES = frozenset(
    {
        "warning_text",
        "warning_header_caps",
        "warning_header_bold",
        "warning_body_not_bold",
        "warning_type_size",
    }
)
# Failures that cannot share a label: both redraw the same part of the warning.
_EXCLUSIVE: dict[str, frozenset[str]] = {
    "warning_present": WARNING_FAILURES,
    **{check_id: frozenset({"warning_present"}) for check_id in WARNING_FAILURES},
}
_EXCLUSIVE["warning_header_bold"] |= {"warning_body_not_bold"}
_EXCLUSIVE["warning_body_not_bold"] |= {"warning_header_bold"}

# (printed, altered): each breaks the §16.21 wording in a way a reader can point at.
WARNING_ALTERATIONS = (
    ("women should not", "a woman should not"),
    ("operate machinery", "operate machines"),
    ("during pregnancy", "while pregnant"),
    ("(2) Consumption", "Consumption"),
    ("(1) According", "According"),
    (" because of the risk of birth defects", ""),
    (", and may cause health problems", ""),
    ("may cause health problems", "may cause serious health problems"),
    ("impairs your ability", "seriously impairs your ability"),
    ("drink alcoholic beverages", "drink alcohol"),
)
HEADER_MISCASINGS = ("Government Warning:", "Government Warning:", "Government warning:")
# Sizes in neither §4.72 (wine) nor §5.203 (spirits).
UNAUTHORISED_ML = {WINE: (740, 650, 800), SPIRITS: (740, 600, 800)}

FailurePlan = dict[str, str]  # check id -> the variation chosen for it


def choose_failures(rng: random.Random, count: int) -> tuple[str, ...]:
    """`count` distinct check ids that can be injected together."""
    chosen: list[str] = []
    for check_id in rng.sample(STUDIO_FAILURES, len(STUDIO_FAILURES)):
        if len(chosen) == count:
            break
        if not any(check_id in _EXCLUSIVE.get(other, ()) for other in chosen):
            chosen.append(check_id)
    return tuple(chosen)


def plan_failures(failures: tuple[str, ...], rng: random.Random) -> FailurePlan:
    """Pick a variation for each failure; refuse unknown or conflicting ids."""
    for check_id in failures:
        if check_id not in STUDIO_FAILURES:
            raise ValueError(f"unknown check id {check_id!r}; known: {', '.join(STUDIO_FAILURES)}")
        clash = _EXCLUSIVE.get(check_id, frozenset()) & set(failures)
        if clash:
            raise ValueError(f"{check_id} cannot be combined with {', '.join(sorted(clash))}")
    plan: FailurePlan = {}
    for check_id in failures:
        variation = ""
        if check_id == "warning_text":
            variation = str(rng.randrange(len(WARNING_ALTERATIONS)))
        elif check_id == "warning_header_caps":
            variation = rng.choice(HEADER_MISCASINGS)
        elif check_id == "alcohol_content":
            variation = rng.choice(("filed_figure", "filed_figure", "proof"))
        plan[check_id] = variation
    return plan


def constraints_for(plan: FailurePlan) -> Constraints:
    beverages = [SPIRITS, WINE, MALT]
    if "standard_of_fill" in plan:
        beverages.remove(MALT)  # no federal standard of fill for malt beverages (§7.70)
    proof = plan.get("alcohol_content") == "proof"
    if proof:
        beverages = [SPIRITS]
    return Constraints(
        beverage_types=tuple(beverages),
        must_import="country_of_origin" in plan,
        proof_printed=proof,
        min_ml=300.0 if "warning_type_size" in plan else 0.0,
    )


def apply_to_label(content: LabelContent, plan: FailurePlan, rng: random.Random) -> LabelContent:
    """The picture-side defects: what gets printed differently."""
    if "warning_present" in plan:
        content = replace(content, warning_header="", warning_body="")
    if "warning_text" in plan:
        printed, altered = WARNING_ALTERATIONS[int(plan["warning_text"])]
        content = replace(content, warning_body=WARNING_BODY.replace(printed, altered))
    if "warning_header_caps" in plan:
        content = replace(content, warning_header=plan["warning_header_caps"])
    if "warning_header_bold" in plan:
        content = replace(content, header_bold=False)
    if "warning_body_not_bold" in plan:
        content = replace(content, body_bold=True)
    if "warning_type_size" in plan:
        # About half the 2 mm minimum for containers over 237 mL (§16.22(b)).
        content = replace(content, warning_x_height_mm=round(rng.uniform(0.9, 1.1), 2))
    if "country_of_origin" in plan:
        content = replace(content, country_text=None)
    if "standard_of_fill" in plan:
        ml = rng.choice(UNAUTHORISED_ML[content.beverage_type])
        printed = rng.choice((f"{ml} ML", f"{ml} mL", f"{ml / 10:g} cL"))
        content = replace(content, volume=Volume(ml, printed, (f"{ml} mL", f"{ml}ml")))
    if plan.get("alcohol_content") == "proof" and content.proof:
        wrong = content.proof + rng.choice((-10, -6, 6, 10))
        text = re.sub(r"\d+(?=\)? proof)", f"{wrong:g}", content.alcohol_text, flags=re.I)
        content = replace(content, proof=wrong, alcohol_text=text)
    return content


def apply_to_application(
    application: Application, content: LabelContent, plan: FailurePlan, rng: random.Random
) -> Application:
    """The filing-side defects: the applicant typed a different fact."""
    if "brand_name" in plan:
        application = replace(application, brand_name=_other_brand(content, rng))
    if "class_type" in plan:
        application = replace(application, class_type=_other_class(content, rng))
    if plan.get("alcohol_content") == "filed_figure":
        step = rng.choice((3.0, 3.5, 4.0, 5.0))
        filed = content.abv + step if content.abv < 12 or rng.random() < 0.5 else content.abv - step
        application = replace(application, alcohol_content=f"{filed:g}%")
    if "net_contents" in plan:
        application = replace(application, net_contents=_other_volume(content, rng))
    if "bottler" in plan:
        names = (*IMPORTERS, *PRODUCERS[content.beverage_type])
        name = rng.choice([n for n in names if _words(n).isdisjoint(_words(content.bottler_name))])
        application = replace(application, bottler=f"{name}, {content.bottler_address}")
    if "country_of_origin" in plan:
        application = replace(application, country_of_origin=content.country, is_import=True)
    return application


def _words(text: str) -> set[str]:
    ignored = {"co", "inc", "llc", "company", "the", "of", "&", "and"}
    return {word for word in re.findall(r"[\w']+|&", text.lower()) if word not in ignored}


def _other_brand(content: LabelContent, rng: random.Random) -> str:
    brands = sorted({brand for pool in BRANDS.values() for brand in pool})
    return rng.choice([b for b in brands if _words(b).isdisjoint(_words(content.brand))])


def _other_class(content: LabelContent, rng: random.Random) -> str:
    """A designation sharing no telling word with the label's ("Lager" is not "Lager Beer")."""
    generic = {"wine", "ale", "beer", "whiskey", "whisky"}
    printed = _words(" ".join((content.class_type, *content.designations))) - generic
    classes = sorted({product.class_type for product in PRODUCTS[content.beverage_type]})
    return rng.choice([c for c in classes if (_words(c) - generic).isdisjoint(printed)])


def _other_volume(content: LabelContent, rng: random.Random) -> str:
    """A filed volume at least 15% away: "16 fl oz" for "1 PINT" is no mismatch."""
    if content.beverage_type is MALT:
        options = {355.0: "12 fl oz", 473.2: "1 pint", 500.0: "16.9 fl oz", 946.4: "1 quart"}
    else:
        options = {375.0: "375 mL", 750.0: "750 mL", 1000.0: "1 L", 1500.0: "1.5 L"}
    far = [typed for ml, typed in options.items() if abs(ml - content.volume.ml) > 0.15 * ml]
    return rng.choice(far)
