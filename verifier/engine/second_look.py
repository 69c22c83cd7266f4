"""A fail must survive a second look.

Every check is decided on the first reading (Tesseract). A check that did not
pass is decided again on the second reading (`reread`: the second engine
wherever the first was in doubt, and on the check's own evidence). Then:

- passed on the first reading: it passes;
- failed on both, the same way: a confirmed fail, citing both readings;
- failed on one and passed on the other: the readings disagree, so it is
  `review`, and the check carries both readings;
- failed on one, undecided on the other: not confirmed, `review`;
- not decided on the first, or failed as missing, and passed on the second:
  the second engine read what the first could not, and it passes;
- otherwise the first reading's answer stands (review, not applicable,
  skipped), with what the second reading made of it.

"The same way" depends on the check (`same_failure`): the same differing
words of the warning, the same figure for alcohol and volume, a similar
reading of a name; anything else just the same check failing.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from rapidfuzz import fuzz

from verifier.engine.extraction.normalize import fold
from verifier.engine.models import Check, Evidence, Outcome
from verifier.engine.rules.warning_statement import violations_message
from verifier.engine.rules.word_diff import Difference

# Checks whose failure is a reading of a name: both readings must read
# much the same text for the failure to be the same.
_NAME_CHECKS = frozenset({"brand_name", "class_type", "bottler", "country_of_origin"})
_SAME_NAME = 80
_VIOLATION_KINDS = frozenset({"changed", "missing", "added"})
# Checks about what is printed: readings agree when they read the same.
_CONTENT_CHECKS = _NAME_CHECKS | {
    "warning_text",
    "warning_header_caps",
    "alcohol_content",
    "net_contents",
    "standard_of_fill",
}


def settle(first: Check, second: Check | None, *, first_reader: str, second_reader: str) -> Check:
    """The reported check, from the first reading's and (when there was one) the second's."""
    if first.outcome is Outcome.PASS or second is None:
        return first
    readers = (first_reader, second_reader)
    if not_found(first) and second.outcome is Outcome.PASS:
        # "Not on the label" is refuted by a reading that finds it there.
        return _decided_by_second(first, second, readers)
    failed = [check for check in (first, second) if check.outcome is Outcome.FAIL]
    if failed:
        other = second if failed[0] is first else first
        if len(failed) == 2 and same_failure(first, second):
            return _confirmed(first, second, readers)
        if len(failed) == 1 and other.outcome is Outcome.REVIEW and reads_the_same(first, second):
            # The other engine read the same text, only less surely: they agree.
            return _confirmed(first, second, readers)
        if len(failed) == 2:
            return _different_failures(first, second, readers)
        return _unconfirmed(first, second, readers)
    if second.outcome is Outcome.PASS:
        return _decided_by_second(first, second, readers)
    return _note(first, second, readers)


def not_found(check: Check) -> bool:
    """A failure for something missing: it points at no place on the label."""
    return check.outcome is Outcome.FAIL and not check.evidence


def _summary(check: Check, reader: str) -> dict[str, object]:
    return {
        "reader": reader,
        "outcome": check.outcome.value,
        "message": check.message,
        "found": check.found,
    }


def _evidence(*checks: Check) -> list[Evidence]:
    seen: set[tuple] = set()
    merged = []
    for check in checks:
        for item in check.evidence:
            key = (item.panel, item.box)
            if key not in seen:
                seen.add(key)
                merged.append(item)
    return merged


def _both(first: Check, second: Check, readers: tuple[str, str]) -> dict[str, object]:
    return {"first_look": _summary(first, readers[0]), "second_look": _summary(second, readers[1])}


def _note(first: Check, second: Check, readers: tuple[str, str]) -> Check:
    details = {**first.details, "second_look": _summary(second, readers[1])}
    return replace(first, details=details)


def _decided_by_second(first: Check, second: Check, readers: tuple[str, str]) -> Check:
    details = {**second.details, "first_look": _summary(first, readers[0])}
    return replace(second, backend=readers[1], details=details)


def _unconfirmed(first: Check, second: Check, readers: tuple[str, str]) -> Check:
    failed, other = (first, second) if first.outcome is Outcome.FAIL else (second, first)
    other_reading = (
        f"A second reading ({readers[1]})"
        if failed is first
        else f"The first reading ({readers[0]})"
    )
    if other.outcome is Outcome.PASS:
        why = (
            f"{other_reading} disagrees: {other.message} "
            "The two readings differ, so please check the label by eye."
        )
    else:
        why = (
            f"{other_reading} could not confirm this: {other.message} "
            "Please check the label by eye."
        )
    if failed is second:
        why = f"(Found on a second reading by {readers[1]}.) {why}"
    return replace(
        failed,
        outcome=Outcome.REVIEW,
        message=f"{failed.message} {why}",
        evidence=_evidence(first, second),
        details={**failed.details, **_both(first, second, readers)},
    )


def _confirmed(first: Check, second: Check, readers: tuple[str, str]) -> Check:
    """The failure both readings support, citing both; for the warning, only shared words."""
    failed, other = (first, second) if first.outcome is Outcome.FAIL else (second, first)
    details = {**failed.details, **_both(first, second, readers)}
    message = failed.message
    if failed.id == "warning_text":
        confirmed = _shared_violations(failed, other)
        others = [
            d for d in failed.details.get("diff", []) if d.get("kind") not in _VIOLATION_KINDS
        ]
        details["diff"] = confirmed + others
        message = violations_message([Difference.from_dict(d) for d in confirmed])
    return replace(
        failed,
        outcome=Outcome.FAIL,
        message=f"{message} Confirmed by a second reading ({readers[1]}).",
        backend="+".join(readers),
        evidence=_evidence(first, second),
        details=details,
    )


def _different_failures(first: Check, second: Check, readers: tuple[str, str]) -> Check:
    details = {**first.details, **_both(first, second, readers)}
    message = (
        f"{first.message} A second reading ({readers[1]}) also found a problem, but a "
        f"different one: {second.message} Please check the label by eye."
    )
    return replace(
        first,
        outcome=Outcome.REVIEW,
        message=message,
        evidence=_evidence(first, second),
        details=details,
    )


def _differences(check: Check) -> dict[tuple[str, str], dict]:
    """A warning check's differences by (required words, words read), spacing aside."""
    return {
        (fold(str(d.get("expected", ""))), fold(str(d.get("found", "")))): d
        for d in check.details.get("diff", [])
        if d.get("kind") != "spacing"
    }


def _shared_violations(failed: Check, other: Check) -> list[dict]:
    """The failing check's violations that the other reading saw too, however surely."""
    seen = _differences(other)
    return [
        d
        for key, d in _differences(failed).items()
        if d.get("kind") in _VIOLATION_KINDS and key in seen
    ]


def _letters(text: str | None) -> str:
    return re.sub(r"[^A-Za-z0-9]", "", text or "")


def reads_the_same(first: Check, second: Check) -> bool:
    """Whether two readings read the same text where the check looked.

    Only checks about what is printed can agree this way; a measurement
    (bold, type size) or an absence needs both readings to fail.
    """
    if first.id == "warning_text":
        failed = first if first.outcome is Outcome.FAIL else second
        other = second if failed is first else first
        return bool(_shared_violations(failed, other))
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
        # The filed brand is nowhere on the label, whatever each took for the brand.
        return second.details.get("reason") == "absent"
    if first.id in _NAME_CHECKS:
        if not first.found or not second.found:
            return False
        return fuzz.ratio(fold(first.found), fold(second.found)) >= _SAME_NAME
    if first.id == "warning_header_caps":
        return bool(_letters(first.found)) and _letters(first.found) == _letters(second.found)
    return False


def same_failure(first: Check, second: Check) -> bool:
    """Whether two failing readings fail the check for the same reason."""
    if not_found(first) or not_found(second):
        return not_found(first) and not_found(second)
    if first.id in _CONTENT_CHECKS:
        return reads_the_same(first, second)
    return True


def questioned(checks: Sequence[Check]) -> list[Check]:
    """The checks a second reading may settle: every one that did not pass."""
    return [check for check in checks if check.outcome in (Outcome.FAIL, Outcome.REVIEW)]
