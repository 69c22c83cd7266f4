"""Classify each difference between required words and read words.

A read word that differs from the required one is either a different word on
the label (a violation) or OCR misreading the right word (noise). Edit
distance alone cannot tell them apart: "woman" vs "women" is one letter, as is
"WARNlNG" vs "WARNING". So:

- glyphs OCR confuses (l/I/1, O/0, B/S, rn/m ...) or a word cut short at
  either end ("IMPAI", "nancy", "pairs") explain a difference: noise;
- otherwise a word read with confidence >= CLEAR_WORD is taken as printed:
  changed ("WOMAN" read at 95 on a real label that does say WOMAN);
- a less confident word close to the required one: noise; far from it: unclear.

Noise and unclear lead to "review", never to a silent pass. A missing word
fails only when its neighbours were read well and OCR cannot have skipped
it: they sit on one line with no room between them for the word, or the
image shows no unread ink where the word would be printed (between them,
or at the end of the line before and the start of the line after).
Added words fail only when they continue the line they sit in; a run that
jumps elsewhere on the label is other text read out of order.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, replace

from rapidfuzz.distance import Levenshtein

from verifier.engine.extraction.normalize import fold_token
from verifier.engine.extraction.tokens import word_confidence
from verifier.engine.extraction.warning_alignment import Step
from verifier.engine.models import Box, Word
from verifier.engine.rules.common import HIGH_CONFIDENCE
from verifier.engine.rules.misreadings import is_fragment, misread
from verifier.engine.rules.word_positions import (
    Column,
    column_of,
    follows,
    no_ink_where_it_would_be,
    read_twice,
    room_between,
)

VIOLATIONS = frozenset({"changed", "missing", "added"})
UNCERTAIN = frozenset({"ocr_noise", "unclear"})
# Tesseract reports 88-91 on words it misread in real label photos, and 95+
# on misspellings actually printed (measured on approved COLA images).
CLEAR_WORD = 92.0
# A word read as required, though not surely, places its neighbours from this long.
_PLACED_LETTERS = 5


@dataclass(frozen=True)
class Difference:
    kind: str  # "changed" | "missing" | "added" | "ocr_noise" | "unclear" | "spacing"
    expected: str
    found: str
    confidence: float  # 0..100 of the read words; 0 for a missing word
    # Where on the panel: the words read, or for a missing word the words beside it.
    where: tuple[Box, ...] = ()
    # Where in the required text: the index of the first required word it
    # concerns (for added text, of the word it precedes) and how many.
    at: int = -1
    span: int = 0

    def as_dict(self) -> dict[str, object]:
        op = {"changed": "replace", "missing": "delete", "added": "insert"}.get(
            self.kind, self.kind
        )
        return {
            "op": op,
            "kind": self.kind,
            "expected": self.expected,
            "found": self.found,
            "confidence": round(self.confidence, 1),
            "at": self.at,
            "span": self.span,
        }

    @classmethod
    def from_dict(cls, data: dict[str, object]) -> Difference:
        """The difference `as_dict()` described."""
        return cls(
            str(data["kind"]),
            str(data.get("expected", "")),
            str(data.get("found", "")),
            float(data.get("confidence", 0.0)),  # type: ignore[arg-type]
            at=int(data.get("at", -1)),  # type: ignore[call-overload]
            span=int(data.get("span", 0)),  # type: ignore[call-overload]
        )

    def overlaps(self, other: Difference) -> bool:
        """Whether the two concern the same place in the required text (added text
        touches the words on either side of it)."""
        if self.at < 0 or other.at < 0:
            return True  # unplaced: assume the worst
        end, other_end = self.at + self.span, other.at + other.span
        if not self.span or not other.span:
            return self.at <= other_end and other.at <= end
        return self.at < other_end and other.at < end

    def sentence(self) -> str:
        if self.kind == "changed":
            return f"The label says '{self.found}' where '{self.expected}' is required."
        if self.kind == "missing":
            return f"'{self.expected}' is missing."
        if self.kind == "added":
            return f"The label adds '{self.found}', which is not in the required text."
        if self.kind == "ocr_noise":
            if not self.expected:
                return f"Stray text '{self.found}' was read; probably a reading error."
            return (
                f"'{self.found}' was read where '{self.expected}' is required; "
                "probably a reading error."
            )
        if self.kind == "unclear":
            if not self.found:
                return f"'{self.expected}' could not be read."
            return f"'{self.found}' was read unclearly where '{self.expected}' is required."
        return f"'{self.found}' is spaced differently from '{self.expected}'."


def _boxes(words: Sequence[Word]) -> tuple[Box, ...]:
    return tuple(word.box for word in words if word.box is not None)


def _min_confidence(words: Sequence[Word]) -> float:
    return min((word_confidence(word) for word in words), default=0.0)


def _neighbour(steps: Sequence[Step], index: int, direction: int, skip: str) -> Word | None:
    """The nearest read word before (-1) or after (+1), skipping steps of kind `skip`."""
    position = index + direction
    while 0 <= position < len(steps):
        words = steps[position].found_words
        if words and steps[position].op != skip:
            return words[-1] if direction < 0 else words[0]
        position += direction
    return None


def _run_edges(steps: Sequence[Step], index: int) -> tuple[int, int]:
    start = end = index
    while start > 0 and steps[start - 1].op == steps[index].op:
        start -= 1
    while end + 1 < len(steps) and steps[end + 1].op == steps[index].op:
        end += 1
    return start, end


def _classify_insert(
    steps: Sequence[Step], index: int, column: Column | None = None
) -> Difference | None:
    step = steps[index]
    if column is not None and not column.holds(step.found_words):
        return None  # text beside the statement (another column) read into its lines
    if column is not None and column.marks(step.found_words):
        return None
    before, after = _neighbour(steps, index, -1, "insert"), _neighbour(steps, index, +1, "insert")
    if len(step.found_words) == 1 and read_twice(step.found_words[0], before, after):
        return None  # the end of a word read again where two pieces of its line overlap
    found, confidence = step.found_text, _min_confidence(step.found_words)
    folded = fold_token(found)
    real_word = len(folded) >= 3 or folded.isdigit()
    if confidence < CLEAR_WORD or not real_word:
        return Difference("ocr_noise", "", found, confidence)
    start, end = _run_edges(steps, index)
    first, last = steps[start].found_words[0], steps[end].found_words[-1]
    before, after = _neighbour(steps, start, -1, "insert"), _neighbour(steps, end, +1, "insert")
    in_line = follows(before, first) or follows(last, after)
    return Difference(
        "added" if in_line else "unclear", "", found, confidence, _boxes(step.found_words)
    )


def _classify_delete(
    steps: Sequence[Step], index: int, unread_ink: Sequence[Box] | None
) -> Difference:
    expected = " ".join(steps[index].expected)
    start, end = _run_edges(steps, index)
    places = _places_of_run(steps, start, end)
    missing_text = " ".join(word for step in steps[start : end + 1] for word in step.expected)
    as_required = {id(word) for step in steps if step.op == "equal" for word in step.found_words}
    column = column_of(steps)
    missing = all(
        _nothing_printed_between(*place, missing_text, unread_ink, as_required, column)
        for place in places
    )
    neighbours = [word for word in places[0] if word is not None]
    return Difference("missing" if missing else "unclear", expected, "", 0.0, _boxes(neighbours))


def _placed_surely(word: Word, as_required: Collection[int]) -> bool:
    """A word whose box tells where the text around it is: read surely, or read as the
    required word it stands for and long enough not to be another's piece ("pregnancy."
    at 81 on a dotted ground)."""
    if word_confidence(word) >= HIGH_CONFIDENCE:
        return True
    return id(word) in as_required and len(fold_token(word.text)) >= _PLACED_LETTERS


def _nothing_printed_between(
    before: Word | None,
    after: Word | None,
    missing: str,
    unread_ink: Sequence[Box] | None,
    as_required: Collection[int],
    column: Column | None,
) -> bool:
    """Whether the image shows `missing` is not printed between two words placed surely
    (`_placed_surely`): no room for it between them on one line, or no unread ink where
    it would be, within the statement's `column`. ("No room" needs both on one line; a
    statement that stops short, nothing read after the gap, may go on where it was not
    read.)"""
    neighbours = [word for word in (before, after) if word is not None]
    if not neighbours or not all(_placed_surely(word, as_required) for word in neighbours):
        return False
    no_room = (
        before is not None
        and after is not None
        and follows(before, after)
        and not room_between(before, after, missing)
    )
    return no_room or no_ink_where_it_would_be(before, after, missing, unread_ink, column)


def _places_of_run(
    steps: Sequence[Step], start: int, end: int
) -> list[tuple[Word | None, Word | None]]:
    """The words read either side of a missing run, and either side of the same run slid
    over a word it ends or begins with: "because of [the risk of ... Consumption of]
    alcoholic" read "because of of alcoholic" may miss the words before the second
    "of" (a whole line) as well as after it (no room on its line)."""
    places = [(_neighbour(steps, start, -1, "delete"), _neighbour(steps, end, +1, "delete"))]
    left, right = start - 1, end + 1
    last, first = steps[end].expected[-1:], steps[start].expected[:1]
    if left >= 0 and _read_equal(steps[left]) and steps[left].expected[-1:] == last:
        places.append((_neighbour(steps, left, -1, "delete"), steps[left].found_words[0]))
    if right < len(steps) and _read_equal(steps[right]) and steps[right].expected[:1] == first:
        places.append((steps[right].found_words[-1], _neighbour(steps, right, +1, "delete")))
    return places


def _read_equal(step: Step) -> bool:
    return step.op == "equal" and bool(step.found_words)


def _slid_piece(replaced: Step, missing: Step, missing_first: bool) -> bool:
    """Whether `replaced` read a piece of the required word of `missing` beside it."""
    if replaced.op != "replace" or missing.op != "delete" or not missing.expected:
        return False
    word = missing.expected[-1] if missing_first else missing.expected[0]
    return is_fragment(word, replaced.found_text)


def _slid(steps: Sequence[Step], index: int) -> bool:
    """Whether this step is half of an alignment slid by a piece of a word:
    "(2) Consumption" read as "PTION" puts "PTION" on "(2)" and leaves
    "Consumption" missing. Neither half is a confirmed difference."""
    step = steps[index]
    before = steps[index - 1] if index > 0 else None
    after = steps[index + 1] if index + 1 < len(steps) else None
    if step.op == "replace":
        return (before is not None and _slid_piece(step, before, missing_first=True)) or (
            after is not None and _slid_piece(step, after, missing_first=False)
        )
    if step.op == "delete":
        return (before is not None and _slid_piece(before, step, missing_first=False)) or (
            after is not None and _slid_piece(after, step, missing_first=True)
        )
    return False


def _classify(
    steps: Sequence[Step], index: int, unread_ink: Sequence[Box] | None
) -> Difference | None:
    step = steps[index]
    expected = " ".join(step.expected)
    found = step.found_text
    confidence = _min_confidence(step.found_words)
    if step.op == "equal":
        return None
    if step.op in ("merge", "split"):
        return Difference("spacing", expected, found, confidence)
    if step.op == "shape" or (step.op == "replace" and misread(expected, found)):
        return Difference("ocr_noise", expected, found, confidence)
    if _slid(steps, index):
        return Difference("unclear", expected, found, confidence)
    if step.op == "replace":
        if confidence >= CLEAR_WORD:
            return Difference("changed", expected, found, confidence, _boxes(step.found_words))
        distance = Levenshtein.normalized_distance(fold_token(expected), fold_token(found))
        return Difference(
            "ocr_noise" if distance <= 0.5 else "unclear", expected, found, confidence
        )
    if step.op == "insert":
        return _classify_insert(steps, index, column_of(steps))
    return _classify_delete(steps, index, unread_ink)


def _merge_missing_runs(differences: list[Difference]) -> list[Difference]:
    """Consecutive missing words read better as one phrase: "'and may cause' is missing"."""
    merged: list[Difference] = []
    for difference in differences:
        previous = merged[-1] if merged else None
        if (
            previous
            and previous.kind == difference.kind
            and difference.kind in ("missing", "unclear")
            and not (previous.found or difference.found)
        ):
            merged[-1] = Difference(
                difference.kind,
                f"{previous.expected} {difference.expected}",
                "",
                0.0,
                previous.where + difference.where,
                previous.at,
                previous.span + difference.span,
            )
        else:
            merged.append(difference)
    return merged


def classify(steps: Sequence[Step], unread_ink: Sequence[Box] | None = None) -> list[Difference]:
    """The differences of an alignment, in reading order.

    `unread_ink`: blobs of ink no read word covers, when the image was examined
    (see `typography.unread_ink`); without it a missing word is judged on the
    words' positions alone.
    """
    differences = []
    for index, step in enumerate(steps):
        difference = _classify(steps, index, unread_ink)
        if difference is not None:
            at, span = step.expected_index, len(step.expected)
            differences.append(replace(difference, at=at, span=span))
    return _merge_missing_runs(differences)


def uncertain_steps(steps: Sequence[Step], unread_ink: Sequence[Box] | None = None) -> list[int]:
    """Indices of the steps whose difference may be a reading error: worth a second look."""
    return [
        index
        for index in range(len(steps))
        if (difference := _classify(steps, index, unread_ink)) is not None
        and difference.kind in UNCERTAIN
    ]


def matched_share(steps: Sequence[Step], expected_count: int) -> float:
    """Share of the required words that were read (exactly, misspaced or with confusable glyphs)."""
    matched = sum(
        len(step.expected) for step in steps if step.op in ("equal", "shape", "merge", "split")
    )
    return matched / expected_count if expected_count else 0.0
