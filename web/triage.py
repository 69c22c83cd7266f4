"""Batch triage: what is wrong with each label in plain words, worst first, and
which label an agent should open next.

Reads the stored answers and decisions only; no judgement happens here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Case, QuerySet, Value, When

from verifier.engine.rules import check_spec
from verifier.models import BatchItem, BatchItemStatus, Verification

# The filters the count tiles apply: query value -> the tile's words.
FILTERS = {
    "non_compliant": "Non-compliant",
    "needs_review": "Needs review",
    "compliant": "Compliant",
    "failed": "Could not be read",
}
# Each filter's tile: the verdict it counts (None: items that could not be read),
# its CSS modifier and its symbol (colour is never alone).
TILES = (
    ("non_compliant", "NON_COMPLIANT", "non-compliant", "✗"),
    ("needs_review", "NEEDS_REVIEW", "review", "!"),
    ("compliant", "COMPLIANT", "compliant", "✓"),
    ("failed", None, "failed", ""),
)
# Worst first: what an agent must act on comes to the top.
SEVERITY = Case(
    When(status=BatchItemStatus.DONE, verdict="NON_COMPLIANT", then=Value(0)),
    When(status=BatchItemStatus.FAILED, then=Value(1)),
    When(status=BatchItemStatus.DONE, verdict="NEEDS_REVIEW", then=Value(2)),
    When(status=BatchItemStatus.DONE, verdict="COMPLIANT", then=Value(3)),
    default=Value(4),
)
WORST_FIRST = ("severity", "position")
ATTENTION_VERDICTS = ("NON_COMPLIANT", "NEEDS_REVIEW")


def problem_words(answer: dict[str, Any]) -> list[str]:
    """Each failed or doubtful check in a few plain words, failures first."""
    words: list[tuple[int, str]] = []
    for check in answer.get("checks", []):
        outcome = check.get("outcome")
        if outcome not in ("fail", "review"):
            continue
        spec = check_spec(check["id"])
        name = spec.short_title if spec else check["id"].replace("_", " ")
        if check.get("found") in (None, "") and check["id"] != "warning_text":
            name = f"{name} not found"
        elif outcome == "review":
            name = f"{name} unclear"
        words.append((0 if outcome == "fail" else 1, name))
    return [name for _, name in sorted(words, key=lambda pair: pair[0])]


def brand_of(verification: Verification | None, item: BatchItem | None = None) -> str:
    """The brand as filed, else as read on the label."""
    if verification is not None:
        if verification.brand_name:
            return verification.brand_name
        for check in (verification.result or {}).get("checks", []):
            if check["id"] == "brand_name" and check.get("found"):
                return str(check["found"])
    if item is not None:
        return str((item.application or {}).get("brand_name") or "")
    return ""


def count_tiles(counts: dict[str, int], *, failed: int) -> list[dict[str, Any]]:
    return [
        {
            "key": key,
            "words": FILTERS[key],
            "count": counts.get(verdict, 0) if verdict else failed,
            "css": css,
            "symbol": symbol,
        }
        for key, verdict, css, symbol in TILES
    ]


def first_needing_attention(rows: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The first listed label that is not compliant and has no decision yet."""
    return next(
        (
            row
            for row in rows
            if row["verdict"] in ATTENTION_VERDICTS and row["record_url"] and not row["decision"]
        ),
        None,
    )


def filter_items(items: QuerySet[BatchItem], show: str) -> QuerySet[BatchItem]:
    if show == "failed":
        return items.filter(status=BatchItemStatus.FAILED)
    if show in FILTERS:
        return items.filter(status=BatchItemStatus.DONE, verdict=show.upper())
    return items


@dataclass
class BatchPlace:
    """Where a record sits in its batch, for "back to batch" and "next"."""

    batch_id: Any
    number: int  # 1-based label number
    total: int
    next_request_id: Any | None  # the next label needing attention, None when none is left
    waiting: int  # labels needing attention without a decision, this one excluded


def batch_place(verification: Verification) -> BatchPlace | None:
    """The next label needing attention: not compliant, no decision yet, the worst
    first, starting after this one and wrapping round."""
    item = verification.batch_item
    if item is None:
        return None
    candidates = list(
        BatchItem.objects.filter(
            batch_id=item.batch_id,
            status=BatchItemStatus.DONE,
            verdict__in=ATTENTION_VERDICTS,
            verification__decisions__isnull=True,
        )
        .exclude(pk=item.pk)
        .annotate(severity=SEVERITY)
        .order_by(*WORST_FIRST)
        .values_list("severity", "position", "verification__request_id")
    )
    here = (
        BatchItem.objects.filter(pk=item.pk)
        .annotate(severity=SEVERITY)
        .values_list("severity", "position")
        .get()
    )
    after = [entry for entry in candidates if entry[:2] > here]
    following = (after or candidates)[:1]
    return BatchPlace(
        batch_id=item.batch_id,
        number=item.position + 1,
        total=item.batch.total,
        next_request_id=following[0][2] if following else None,
        waiting=len(candidates),
    )
