"""Agents' decisions as the record page shows them: newest first, the newest in force."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from verifier.models import Decision
from web.presenters import OUTCOME_WORDS, CheckRow

# The per-check override menu: outcome -> words ("" keeps the machine's result).
OVERRIDE_CHOICES = (
    ("", "Keep the machine’s result"),
    ("pass", "Pass (the label is right; the reading was wrong)"),
    ("fail", "Fail"),
    ("review", "Check by eye"),
    ("not_applicable", "Does not apply"),
)
DECISION_WORDS = {
    "approve": "Approved",
    "reject": "Rejected",
    "request_correction": "Correction requested",
}


@dataclass
class OverrideView:
    check_name: str
    outcome_words: str
    reason: str


@dataclass
class DecisionView:
    outcome: str
    words: str
    user: str
    created_at: Any
    channel: str
    note: str
    overrides: list[OverrideView]
    in_force: bool


def decision_history(decisions: Iterable[Decision], rows: list[CheckRow]) -> list[DecisionView]:
    names = {row.id: row.name for row in rows}
    views = []
    for index, decision in enumerate(decisions):
        overrides = [
            OverrideView(
                check_name=names.get(check_id, check_id),
                outcome_words=OUTCOME_WORDS.get(value.get("outcome", ""), ("", ""))[1],
                reason=value.get("reason", ""),
            )
            for check_id, value in (decision.check_overrides or {}).items()
        ]
        views.append(
            DecisionView(
                outcome=decision.outcome,
                words=DECISION_WORDS.get(decision.outcome, decision.outcome),
                user=decision.user.get_username(),
                created_at=decision.created_at,
                channel=decision.get_channel_display(),
                note=decision.note,
                overrides=overrides,
                in_force=index == 0,
            )
        )
    return views
