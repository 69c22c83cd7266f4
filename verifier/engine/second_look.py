"""A fail must survive a second look.

Every check is decided on the first reading (Tesseract). A check that did not
pass is decided again on the second reading (`reread`: the second engine
wherever the first was in doubt, and on the check's own evidence). Then:

- passed on the first reading: it passes;
- failed on both the same way, or failed on one while the other read the
  same text less surely: a confirmed fail, citing both readings;
- failed on the first for something absent (a statement not found, words
  missing, the filed brand nowhere) and passed on the second: the second
  engine found it, so it passes;
- not found on the first, which could not tell it had read every panel, and
  not found on the second, which read every text-like region the first left
  (`PanelReading.unread` empty): absent, a confirmed fail;
- not found on one reading, found wrong on the other (750 mL where 1.5 L was
  filed): a third look at the place the wrong one was read confirms it when it
  reads the same;
- a wrong figure read too unsurely to fail (`UNSURE_FINDING`) by the second
  engine: confirmed when the first read the same figure unsurely too, or, where
  the first read none, when a third look reads it;
- otherwise, when one reading fails and the other does not agree, a third
  look decides: the evidence (for a statement not found, what the other reading
  read in doubt) read again by Tesseract at twice the scale on a flattened,
  binarised channel with its rules taken out (`reread.reread_regions`). It
  confirms the fail when it fails the same way or reads the same text there less
  surely (unless the other engine passed: then the engines disagree and it is
  `review`; nor does not finding a statement again confirm its absence), and
  settles a pass when it passes beside a reading that passed or that read the
  same text less surely (for the warning: whose only differences were doubts).
  Anything else is `review`, with every reading;
- not decided on the first, passed on the second (or, for a malt beverage's
  units, read in U.S. units): the second engine read what the first could
  not, and it passes; so does a warning each of whose
  words one reading could not make out the other read as required
  (`read_between_them`);
- in doubt on both (a rule run through the words): a third look that passes,
  or reads as required every word the first could not make out, settles a pass;
- not checked on the first (no warning read there): the second reading's
  answer, where a failure is confirmed only by a third look failing the same
  way;
- otherwise the first reading's answer stands (review, not applicable,
  skipped), with what the second reading made of it.

"The same way" depends on the check (`agreement.same_failure`): the same
differing words of the warning, the same figure for alcohol and volume, a
similar reading of a name; anything else just the same check failing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from verifier.engine.agreement import (
    VIOLATION_KINDS,
    not_found,
    reads_alike,
    reads_the_same,
    same_failure,
    shared_violations,
)
from verifier.engine.models import Check, Evidence, Outcome
from verifier.engine.rules.common import UNSURE_FINDING
from verifier.engine.rules.warning_format import SCALE_UNCHECKED
from verifier.engine.rules.warning_statement import violations_message
from verifier.engine.rules.word_diff import UNCERTAIN, Difference

# Checks that measure the print rather than read it: only the two engines'
# boxes give independent measures.
_MEASURED = frozenset({"warning_header_bold", "warning_body_not_bold", "warning_type_size"})


def settle(
    first: Check,
    second: Check | None,
    third: Check | None = None,
    *,
    readers: Sequence[str],
) -> Check:
    """The reported check from the first reading's, the second's and (when a third
    look was taken) the third's. `readers` names the three, for messages."""
    if first.outcome is Outcome.PASS or second is None:
        return first
    looks = list(zip((first, second, third), readers, strict=False))
    if first.outcome is Outcome.SKIPPED:
        # Not checked on the first reading (no warning read there): the second
        # reading's answer, where a failure needs the third look to confirm it.
        if second.outcome is Outcome.SKIPPED:
            return first
        if second.outcome is Outcome.FAIL:
            if _fails_as(third, second):
                return _confirmed(second, third, looks)  # type: ignore[arg-type]
            why = "It could not be confirmed by another reading; please check the label by eye."
            return _review(second, looks, why)
        return _decided_by(second, looks)
    if claims_absence(first) and second.outcome is Outcome.PASS:
        # "Not on the label" is refuted by a reading that finds it there.
        return _decided_by(second, looks)
    if first.details.get("not_found") and not_found(second):
        # Not found by the first reading, which could not tell it had read everything,
        # nor by the second, which read every text-like region the first left: absent.
        return _confirmed(second, first, looks)
    if first.outcome is Outcome.FAIL and second.outcome is Outcome.FAIL:
        if same_failure(first, second):
            return _confirmed(first, second, looks)
        # One reading found no statement, the other a wrong one: read again where the
        # wrong one is and failing the same way, or reading the same text there less
        # surely, two readings saw it there.
        placed = _placed_of_two(first, second)
        if placed is not None and _bears_out(third, placed):
            return _confirmed(placed, third, looks)  # type: ignore[arg-type]
        return _review(first, looks, "The readings found different problems.")
    if _unsure(second) and first.outcome is Outcome.REVIEW:
        # A wrong figure the second engine read unsurely: confirmed by the first engine
        # reading the same figure unsurely too, or, where the first read none, by a
        # third look that reads it.
        if _unsure(first) and reads_the_same(first, second):
            return _confirmed(second, first, looks)
        if first.found is None and _fails_as(third, second):
            return _confirmed(second, third, looks)  # type: ignore[arg-type]
    if Outcome.FAIL not in (first.outcome, second.outcome):
        if second.outcome is Outcome.PASS or _satisfied(second):
            return _decided_by(second, looks)
        if read_between_them(first, second):
            return _passed_together(first, second, looks)
        if third is not None and third.outcome is Outcome.PASS:
            # Both engines in doubt where the third look read it as required.
            return _decided_by(third, looks)
        if third is not None and read_between_them(first, third):
            return _passed_together(first, third, looks)
        return replace(first, details={**first.details, **_readings(looks)})
    failed, other = (first, second) if first.outcome is Outcome.FAIL else (second, first)
    if other.outcome is Outcome.REVIEW and reads_the_same(failed, other):
        # The other engine read the same text, only less surely: they agree.
        return _confirmed(failed, other, looks)
    if third is not None:
        if _bears_out(third, failed):
            # Failing the same way, or reading the same text there less surely. Not
            # finding it again where the other reading read something confirms no
            # absence: only a reading of the whole label could.
            if other.outcome is not Outcome.PASS and not not_found(failed):
                return _confirmed(failed, third, looks)
        elif third.outcome is Outcome.PASS and (
            other.outcome is Outcome.PASS
            or (other.outcome is Outcome.REVIEW and reads_alike(third, other))
        ):
            # Two readings found what is required where one did not (one of them
            # perhaps less surely, reading the same text): the one misread.
            return _decided_by(other if other.outcome is Outcome.PASS else third, looks)
    if other.outcome is Outcome.PASS:
        why = "The readings disagree; please check the label by eye."
    else:
        why = "It could not be confirmed by another reading; please check the label by eye."
    return _review(failed, looks, why)


def needs_third_look(first: Check, second: Check | None) -> bool:
    """Whether only a third look can settle the check: one reading fails, the other does
    not agree, and the failure points at a place that can be read again."""
    if second is None or first.outcome is Outcome.PASS:
        return False
    outcomes = (first.outcome, second.outcome)
    if _unsure(second) and first.outcome is Outcome.REVIEW:
        return first.found is None and any(item.box is not None for item in second.evidence)
    if outcomes == (Outcome.REVIEW, Outcome.REVIEW):
        # Both in doubt about what they read (a rule run through the words), each
        # doubting what the other did too: read the place once more, another way.
        return (
            first.id not in _MEASURED
            and not read_between_them(first, second)
            and any(item.box is not None for item in first.evidence)
        )
    if outcomes.count(Outcome.FAIL) == 2 and not same_failure(first, second):
        placed = _placed_of_two(first, second)
        return placed is not None and any(item.box is not None for item in placed.evidence)
    if outcomes.count(Outcome.FAIL) != 1:
        return False
    if claims_absence(first) and second.outcome is Outcome.PASS:
        return False
    failed, other = (first, second) if first.outcome is Outcome.FAIL else (second, first)
    if other.outcome is Outcome.REVIEW and reads_the_same(failed, other):
        return False
    if first.id in _MEASURED:
        return False  # Tesseract again measures the same pixels: no independent look
    # Where the failure points, or, for a statement not found, where the other reading
    # read something in doubt (under a rule, where Tesseract read nothing).
    return any(item.box is not None for item in failed.evidence + other.evidence)


def _satisfied(check: Check) -> bool:
    """A rule with nothing to require of what it read: a malt beverage's net contents
    read in U.S. units (the units rule of 7.70 has no standard of fill to pass)."""
    return check.outcome is Outcome.NOT_APPLICABLE and check.found is not None


def _unsure(check: Check) -> bool:
    """A failure the reading found but read too unsurely to report (`UNSURE_FINDING`)."""
    return check.outcome is Outcome.REVIEW and UNSURE_FINDING in check.details


def _fails_as(look: Check | None, failed: Check) -> bool:
    return look is not None and look.outcome is Outcome.FAIL and same_failure(failed, look)


def _bears_out(look: Check | None, failed: Check) -> bool:
    """A look that fails as `failed` does, or reads the same text there less surely."""
    if look is not None and look.outcome is Outcome.REVIEW:
        return reads_the_same(failed, look)
    return _fails_as(look, failed)


def _placed_of_two(first: Check, second: Check) -> Check | None:
    """Of two failures, the one that points at a place, when the other found nothing."""
    if not_found(first) != not_found(second):
        return second if not_found(first) else first
    return None


def questioned(checks: Sequence[Check]) -> list[Check]:
    """The checks a second reading may settle: every failure, and every doubt that
    reading the words again can settle."""
    return [
        check
        for check in checks
        if check.outcome is Outcome.FAIL
        or (check.outcome is Outcome.REVIEW and _reading_may_settle(check))
    ]


def _reading_may_settle(check: Check) -> bool:
    """Doubts about the pixels, not the words, stay doubts: the type size when the
    image's scale is in doubt (unless the alcohol statement that would bear it out
    went unread), and a weight measured in between or too thin to tell (the second
    engine measures the same strokes)."""
    if check.id == "warning_type_size":
        return bool(check.details.get(SCALE_UNCHECKED))
    if check.id in ("warning_header_bold", "warning_body_not_bold"):
        measured = ("header_stroke_px", "body_stroke_px")
        return any(check.details.get(key) is None for key in measured)
    return True


def claims_absence(check: Check) -> bool:
    """A failure that says something required is not there: a statement not found,
    required words missing, the filed brand nowhere. A reading that finds it refutes it."""
    if check.outcome is not Outcome.FAIL:
        return False
    if not_found(check):
        return True
    if check.id == "warning_text":
        kinds = {d.get("kind") for d in check.details.get("diff", [])} & VIOLATION_KINDS
        return kinds == {"missing"}
    reason = check.details.get("reason")
    return (check.id, reason) in (("brand_name", "absent"), ("class_type", "partial"))


def _summary(check: Check, reader: str) -> dict[str, object]:
    return {
        "reader": reader,
        "outcome": check.outcome.value,
        "message": check.message,
        "found": check.found,
    }


_LOOK_NAMES = ("first_look", "second_look", "third_look")


def _readings(looks: Sequence[tuple[Check | None, str]]) -> dict[str, object]:
    """What each reading made of the check, for the details an agent can open."""
    return {
        name: _summary(check, reader)
        for name, (check, reader) in zip(_LOOK_NAMES, looks, strict=False)
        if check is not None
    }


def _evidence(*checks: Check | None) -> list[Evidence]:
    seen: set[tuple] = set()
    merged = []
    for check in checks:
        for item in check.evidence if check is not None else ():
            key = (item.panel, item.box)
            if key not in seen:
                seen.add(key)
                merged.append(item)
    return merged


def _decided_by(chosen: Check, looks: Sequence[tuple[Check | None, str]]) -> Check:
    reader = next(reader for check, reader in looks if check is chosen)
    return replace(chosen, backend=reader, details={**chosen.details, **_readings(looks)})


def _review(failed: Check, looks: Sequence[tuple[Check | None, str]], why: str) -> Check:
    reader = next(reader for check, reader in looks if check is failed)
    others = " ".join(
        f"{name} ({check.outcome.value}): {check.message}"
        for check, name in looks
        if check is not None and check is not failed
    )
    return replace(
        failed,
        outcome=Outcome.REVIEW,
        message=f"{failed.message} (Read by {reader}.) {why} Other readings: {others}",
        evidence=_evidence(*(check for check, _ in looks)),
        details={**failed.details, **_readings(looks)},
    )


def read_between_them(first: Check, second: Check) -> bool:
    """Whether two doubtful readings of the warning read every required word between
    them: each word one could not make out, the other read as required. Only
    doubts (noise, unclear words), never a difference either reading is sure of."""
    if first.id != "warning_text":
        return False
    doubts = [_doubts(check) for check in (first, second)]
    if None in doubts:
        return False
    ours, theirs = doubts
    return not any(a.overlaps(b) for a in ours for b in theirs)  # type: ignore[union-attr]


def _doubts(check: Check) -> list[Difference] | None:
    """A doubtful reading's doubts, placed in the required text (the words before
    where it began comparing among them); None when it is sure of a difference."""
    if check.outcome is not Outcome.REVIEW or "compared_from" not in check.details:
        return None
    found = [Difference.from_dict(d) for d in check.details.get("diff", [])]
    if any(d.kind not in UNCERTAIN for d in found):
        return None
    start = int(check.details["compared_from"])
    unread = [Difference("unclear", "", "", 0.0, at=0, span=start)] if start else []
    return found + unread


def _passed_together(
    first: Check, other: Check, looks: Sequence[tuple[Check | None, str]]
) -> Check:
    readers = [reader for check, reader in looks if check is first or check is other]
    message = (
        "The warning matches the required text word for word: every word one reading "
        "could not make out, the other read as required."
    )
    return replace(
        first,
        outcome=Outcome.PASS,
        message=message,
        backend="+".join(readers),
        details={**first.details, "diff": [], **_readings(looks)},
    )


def _confirmed(failed: Check, other: Check, looks: Sequence[tuple[Check | None, str]]) -> Check:
    """The failure two readings support, citing both; for the warning, only shared words."""
    if failed.outcome is not Outcome.FAIL:
        failed, other = other, failed
    readers = [reader for check, reader in looks if check is failed or check is other]
    confirming = next(reader for check, reader in looks if check is other)
    details = {**failed.details, **_readings(looks)}
    message = str(details.pop(UNSURE_FINDING, failed.message))
    if failed.id == "warning_text":
        confirmed = shared_violations(failed, other)
        diff = failed.details.get("diff", [])
        details["diff"] = confirmed + [d for d in diff if d.get("kind") not in VIOLATION_KINDS]
        message = violations_message([Difference.from_dict(d) for d in confirmed])
    return replace(
        failed,
        outcome=Outcome.FAIL,
        message=f"{message} Confirmed by another reading ({confirming}).",
        backend="+".join(readers),
        evidence=_evidence(failed, other),
        details=details,
    )
