"""Whether two readings of a check agree: read the same text where the check looked,
or fail it for the same reason (`second_look` settles each check with these).

"The same" depends on the check: the same differing words of the warning, the
same figure for alcohol and volume, a similar reading of a name; anything else
just the same check failing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from rapidfuzz import fuzz

from verifier.engine.extraction.normalize import fold
from verifier.engine.models import Check, Outcome
from verifier.engine.rules.warning_format import SCALE_UNCHECKED
from verifier.engine.rules.warning_statement import telling_small_letters

# Checks whose failure is a reading of a name: both readings must read
# much the same text for the failure to be the same.
_NAME_CHECKS = frozenset({"brand_name", "class_type", "bottler", "country_of_origin"})
_SAME_NAME = 80
# A filed word is looked for inside another word read from this many letters.
_RUN_INTO = 3
# Two measures of the warning's letters agree within this part of the larger: the
# engines' boxes hold the same letters a little more or less tightly (0.8 and 0.9 mm).
_SAME_SIZE = 0.2
VIOLATION_KINDS = frozenset({"changed", "missing", "added"})
# An added word is recognised inside another reading's differences from this many
# letters: a short word ("the", "of") would be found inside many a misreading.
_ADDED_LETTERS = 4
# Checks about what is printed: readings agree when they read the same.
_CONTENT_CHECKS = _NAME_CHECKS | {
    "warning_text",
    "warning_header_caps",
    "alcohol_content",
    "net_contents",
    "standard_of_fill",
}


def not_found(check: Check) -> bool:
    """A failure for something missing: it points at no place on the label."""
    return check.outcome is Outcome.FAIL and not check.evidence


def _differences(check: Check) -> dict[tuple[str, str], dict]:
    """A warning check's differences by (required words, words read), spacing aside."""
    return {
        (fold(str(d.get("expected", ""))), fold(str(d.get("found", "")))): d
        for d in check.details.get("diff", [])
        if d.get("kind") != "spacing"
    }


def shared_violations(failed: Check, other: Check) -> list[dict]:
    """The failing check's violations that the other reading saw too, however surely:
    the same words differing the same way; or words added to the text that the other
    reading also read where no required word has them, though it placed them
    differently ("seriously" added, against "seriously" read where "beverages" is
    required: one engine lost a word beside it). Failing that, the other reading's
    added words that this one saw so, or the required words both found missing where
    one found more missing around them ("beverages" against "beverages cause health
    problems.": the words one engine lost beside a missing one are not confirmed)."""
    seen = _differences(other)
    mine = _differences(failed)
    shared = [
        d
        for key, d in mine.items()
        if d.get("kind") in VIOLATION_KINDS and (key in seen or _added_within(d, seen.values()))
    ]
    return (
        shared
        or [d for d in seen.values() if _added_within(d, mine.values())]
        or _missing_within(mine.values(), seen.values())
    )


def _missing_within(first: Iterable[dict], second: Iterable[dict]) -> list[dict]:
    """Missing words of one reading within a run of missing words of the other, at the
    same place in the required text: the narrower run, which both found missing."""
    missing = [[d for d in looks if d.get("kind") == "missing"] for looks in (first, second)]
    return [
        narrow
        for narrow_looks, wide_looks in (missing, missing[::-1])
        for narrow in narrow_looks
        if any(_within(narrow, wide) for wide in wide_looks)
    ]


def _within(narrow: dict, wide: dict) -> bool:
    start, span = int(narrow.get("at", -1)), int(narrow.get("span", 0))
    wide_start, wide_span = int(wide.get("at", -1)), int(wide.get("span", 0))
    return (
        start >= 0
        and span > 0
        and wide_span > span
        and wide_start <= start
        and start + span <= wide_start + wide_span
    )


def _added_within(added: dict, differences: Iterable[dict]) -> bool:
    """Whether an added words' difference is among `differences`: words of its read
    where their required words do not have them."""
    words = _letters(fold(str(added.get("found", ""))))
    if added.get("kind") != "added" or len(words) < _ADDED_LETTERS:
        return False
    return any(
        d.get("kind") in VIOLATION_KINDS
        and words in _letters(fold(str(d.get("found", ""))))
        and words not in _letters(fold(str(d.get("expected", ""))))
        for d in differences
    )


def _letters(text: str | None) -> str:
    return re.sub(r"[^A-Za-z0-9]", "", text or "")


def _same_words(first: str | None, second: str | None) -> bool:
    """Much the same text, spaces aside (the second engine runs words together)."""
    if not first or not second:
        return False
    return fuzz.ratio(fold(first).replace(" ", ""), fold(second).replace(" ", "")) >= _SAME_NAME


def _unfiled(check: Check) -> str:
    """What of a name as read is not among the filed words, folded; filed words run
    into others ("CASKKOMPASS", as the second engine reads) are taken out of them."""
    filed = sorted(set(fold(check.expected or "").split()), key=len, reverse=True)
    rest = []
    for word in fold(check.found or "").split():
        for part in (part for part in filed if len(part) >= _RUN_INTO):
            word = word.replace(part, "", 1)
        if word and word not in filed:
            rest.append(word)
    return " ".join(rest)


def reads_the_same(first: Check, second: Check) -> bool:
    """Whether two readings read the same text where the check looked.

    Only checks about what is printed can agree this way; a measurement
    (bold, type size) or an absence needs both readings to fail, save a type size
    the one reading measured alike but had no alcohol statement to check its scale.
    """
    if first.id == "warning_text":
        failed = first if first.outcome is Outcome.FAIL else second
        other = second if failed is first else first
        return bool(shared_violations(failed, other))
    if first.id == "alcohol_content":
        keys = ("label_abv", "label_proof")
        return first.details.get("label_abv") is not None and all(
            first.details.get(key) == second.details.get(key) for key in keys
        )
    if first.id in ("net_contents", "standard_of_fill"):
        keys = ("label_ml", "container_ml")
        values = [(first.details.get(key), second.details.get(key)) for key in keys]
        return any(a is not None for a, _ in values) and all(a == b for a, b in values)
    if first.id == "brand_name" and first.details.get("reason") == "absent":
        # The filed brand is nowhere on the label, whatever each took for the brand;
        # or the other found it nowhere either, and read the same text less surely
        # ("RedMeadow" at 88 % for "Red Meadow") among its most prominent lines, if
        # not as the brand: "Ferryman's" over "Rest", each engine took one line.
        if second.details.get("reason") == "absent":
            return True
        prominent = [second.found, *second.details.get("prominent", [])]
        return bool(second.details.get("filed_brand_absent")) and any(
            _same_words(first.found, text) for text in prominent
        )
    if first.id in _NAME_CHECKS:
        if not first.found or not second.found:
            return False
        if fuzz.ratio(fold(first.found), fold(second.found)) < _SAME_NAME:
            return False
        # Much the same line, and the same where it is not what was filed: "Old Harbor
        # i New York" and "Old Harbor Tradir New York" for "Old Harbor Trading Co., New
        # York" read the filed words alike but not the place where they differ.
        first_other, second_other = _unfiled(first), _unfiled(second)
        return first_other == second_other or fuzz.ratio(first_other, second_other) >= _SAME_NAME
    if first.id == "warning_type_size":
        return _same_letters_scale_borne_out_once(first, second)
    if first.id == "warning_header_caps":
        # The same letters small: "overnment Warning" and "Government Warning" both
        # read the header in title case, one without its first letter.
        small = ["".join(telling_small_letters(c.found or "")) for c in (first, second)]
        return bool(small[0]) and fuzz.ratio(*small) >= _SAME_NAME
    return False


def reads_alike(passed: Check, other: Check) -> bool:
    """Whether a reading that passed and another in doubt read much the same text: for
    a name, the whole of it, spaces aside ("Cask e& Compass" and "Cask er Compass"),
    since where the doubtful one differs from the filed name is what it misread. For
    the warning, a reading whose only differences from the required text are doubts
    (a stray "(1)", a word it could not make out) read what the passing one read."""
    if passed.id in _NAME_CHECKS:
        return _same_words(passed.found, other.found)
    if passed.id == "warning_text":
        diff = other.details.get("diff", [])
        compared = "compared_from" in other.details
        return compared and not any(d.get("kind") in VIOLATION_KINDS for d in diff)
    return reads_the_same(passed, other)


def _same_letters_scale_borne_out_once(first: Check, second: Check) -> bool:
    """Letters too small on one reading, whose alcohol statement bore out the image's
    scale, and as small on the other, which read no alcohol statement to bear it out:
    the size of the label's print is the same for both."""
    failed, other = (first, second) if first.outcome is Outcome.FAIL else (second, first)
    if failed.outcome is not Outcome.FAIL or not other.details.get(SCALE_UNCHECKED):
        return False
    heights = [check.details.get("letter_height_mm") for check in (failed, other)]
    if None in heights:
        return False
    return abs(heights[0] - heights[1]) <= _SAME_SIZE * max(heights)


def same_failure(first: Check, second: Check) -> bool:
    """Whether two failing readings fail the check for the same reason."""
    if not_found(first) or not_found(second):
        return not_found(first) and not_found(second)
    if first.id in _CONTENT_CHECKS:
        return reads_the_same(first, second)
    return True
