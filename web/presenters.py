"""Turn a verification's answer (the dict the API returns) into what the page shows.

The page reads the same stored answer the API returns, so a result looks the
same when it is fresh and when it is opened again from the audit trail. No
judgement happens here: outcomes, messages and the word diff come from the
engine; this module only names things for people and places the boxes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from verifier.engine.rules import check_spec

OUTCOME_WORDS = {
    "pass": ("✓", "Pass"),
    "fail": ("✗", "Fail"),
    "review": ("?", "Check by eye"),
    "not_applicable": ("–", "Does not apply"),
    "skipped": ("–", "Not checked"),
}

VERDICTS = {
    "COMPLIANT": {
        "symbol": "✓",
        "title": "COMPLIANT",
        "text": "Every check passed. The label matches the rules and the application.",
    },
    "NON_COMPLIANT": {
        "symbol": "✗",
        "title": "NON-COMPLIANT",
        "text": "The label breaks a rule or does not match the application.",
    },
    "NEEDS_REVIEW": {
        "symbol": "!",
        "title": "NEEDS REVIEW",
        "text": "Some things could not be confirmed. Please check them by eye.",
    },
}

# kind -> the visible tag of a difference in the warning
DIFF_KINDS = {
    "changed": "changed",
    "missing": "missing",
    "added": "added",
    "ocr_noise": "unclear",
    "unclear": "unclear",
}


LONG_LABEL = 90


def check_name(check_id: str) -> str:
    """What a check is about, in the words an agent uses (the registry's title)."""
    spec = check_spec(check_id)
    return spec.title if spec else check_id.replace("_", " ").capitalize()


@dataclass
class BoxMark:
    number: int
    panel: int
    left: int
    top: int
    width: int
    height: int
    outcome: str
    outcome_words: str
    check_id: str
    label: str  # what the box shows, for the caption


@dataclass
class CheckRow:
    id: str
    name: str
    outcome: str
    symbol: str
    outcome_words: str
    message: str
    cfr: str
    application: str | None
    application_is_rule: bool  # True: the "application" column shows a legal requirement
    label: str | None
    boxes: list[BoxMark] = field(default_factory=list)

    @property
    def label_is_long(self) -> bool:
        """The whole warning as read: the table shows its start, the diff the rest."""
        return self.label is not None and len(self.label) > LONG_LABEL


def verdict_view(status: str) -> dict[str, str]:
    return {"code": status, **VERDICTS.get(status, VERDICTS["NEEDS_REVIEW"])}


def check_rows(answer: dict[str, Any]) -> list[CheckRow]:
    """One row per check. Evidence boxes are numbered across the label set; checks
    that point at the same place (the warning, say) share its number."""
    rows: list[CheckRow] = []
    numbers: dict[tuple[int, int, int, int, int], int] = {}
    for check in answer.get("checks", []):
        outcome = check.get("outcome", "skipped")
        symbol, words = OUTCOME_WORDS.get(outcome, ("–", outcome.replace("_", " ")))
        spec = check_spec(check["id"])
        is_application = spec is not None and spec.compares_application
        expected = check.get("expected")
        if check["id"] == "warning_text" and expected:
            expected = "The required wording (see “Government warning” below)"
        row = CheckRow(
            id=check["id"],
            name=check_name(check["id"]),
            outcome=outcome,
            symbol=symbol,
            outcome_words=words,
            message=check.get("message", ""),
            cfr=check.get("cfr") or (spec.cfr if spec else ""),
            application=expected,
            application_is_rule=not is_application,
            label=check.get("found"),
        )
        for evidence in check.get("evidence") or []:
            box = evidence.get("box")
            if not box:
                continue
            panel = int(evidence.get("panel", 0))
            place = (
                panel,
                int(box["left"]),
                int(box["top"]),
                int(box["width"]),
                int(box["height"]),
            )
            number = numbers.setdefault(place, len(numbers) + 1)
            if any(mark.number == number for mark in row.boxes):
                continue
            row.boxes.append(
                BoxMark(
                    number=number,
                    panel=panel,
                    left=place[1],
                    top=place[2],
                    width=place[3],
                    height=place[4],
                    outcome=outcome,
                    outcome_words=words,
                    check_id=row.id,
                    label=row.name,
                )
            )
        rows.append(row)
    return rows


def problem_rows(rows: list[CheckRow]) -> list[CheckRow]:
    return [row for row in rows if row.outcome in ("fail", "review")]


@dataclass
class DiffPiece:
    """A run of the required text: plain, or marked with what happened to it."""

    kind: str  # "same" | "changed" | "missing" | "added" | "ocr_noise" | "unclear"
    required: str = ""
    found: str = ""

    @property
    def tag(self) -> str:
        return DIFF_KINDS.get(self.kind, "")


@dataclass
class WarningDiff:
    outcome: str
    message: str
    pieces: list[DiffPiece]
    unplaced: list[DiffPiece]  # differences we could not place in the text
    words_matched: str | None

    @property
    def has_marks(self) -> bool:
        return any(piece.kind != "same" for piece in self.pieces) or bool(self.unplaced)


def _find_run(words: list[str], run: list[str], start: int) -> int | None:
    for index in range(start, len(words) - len(run) + 1):
        if words[index : index + len(run)] == run:
            return index
    return None


def warning_diff(answer: dict[str, Any]) -> WarningDiff | None:
    """The required warning with the engine's differences marked in place.

    The engine lists differences in reading order, each with the required
    words it concerns (`expected`) and, when it gives one, the index of the
    first required word (`expected_index`). Without an index the words are
    found by searching forward from the previous difference, which is exact
    unless the same words are changed twice. An added word without an index
    cannot be placed at all, so it is listed below the text instead.
    """
    check = next((c for c in answer.get("checks", []) if c["id"] == "warning_text"), None)
    if check is None or not check.get("expected"):
        return None
    details = check.get("details") or {}
    required = str(check["expected"]).split()
    differences = details.get("diff") or []

    marks: dict[int, list[DiffPiece]] = {}  # position in `required` -> pieces placed there
    covered: dict[int, int] = {}  # position -> number of required words it replaces
    unplaced: list[DiffPiece] = []
    cursor = 0
    for difference in differences:
        kind = difference.get("kind", "")
        if kind not in DIFF_KINDS:
            continue
        piece = DiffPiece(
            kind=kind,
            required=difference.get("expected") or "",
            found=difference.get("found") or "",
        )
        run = piece.required.split()
        index = difference.get("expected_index")
        if not isinstance(index, int) or index < 0:
            index = _find_run(required, run, cursor) if run else None
        if index is None or any(position in covered for position in range(index, index + len(run))):
            unplaced.append(piece)
            continue
        marks.setdefault(index, []).append(piece)
        if run:
            covered[index] = len(run)
            for position in range(index + 1, index + len(run)):
                covered[position] = 0
        cursor = index + len(run)

    pieces: list[DiffPiece] = []
    plain: list[str] = []
    position = 0
    while position <= len(required):
        for piece in marks.get(position, []):
            if plain:
                pieces.append(DiffPiece("same", " ".join(plain)))
                plain = []
            pieces.append(piece)
        if position == len(required):
            break
        span = covered.get(position)
        if span:
            position += span
            continue
        plain.append(required[position])
        position += 1
    if plain:
        pieces.append(DiffPiece("same", " ".join(plain)))
    return WarningDiff(
        outcome=check.get("outcome", ""),
        message=check.get("message", ""),
        pieces=pieces,
        unplaced=unplaced,
        words_matched=details.get("words_matched"),
    )
