"""Agent decisions on a verification: written once, read newest first.

An agent approves, rejects or asks for a correction, with a note and, where
the machine read the label wrong, per-check overrides ("label is right; the
reading was wrong"). The machine verdict is never edited: a later decision
supersedes an earlier one and both stay (`Decision` is append-only).

Every caller (the API, the record page) goes through `decision_create`, which
raises `Rejected` (code `invalid_decision`, `details["field"]` naming the
input) for anything a person must fix; nothing is written then.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import OuterRef, QuerySet, Subquery

from ttbsite.text_inputs import UnsafeText, check_text
from verifier.engine.models import Outcome
from verifier.engine.rules import CHECKS
from verifier.models import Channel, Decision, DecisionOutcome, Verification
from verifier.rejections import Rejected

NOTE_MAX_CHARS = 4000
REASON_MAX_CHARS = 1000

# What an agent may set a check to. `skipped` is the engine's own word for
# "not run"; an agent who cannot decide a check leaves it at `review`.
OVERRIDE_OUTCOMES = (Outcome.PASS, Outcome.FAIL, Outcome.REVIEW, Outcome.NOT_APPLICABLE)


def _invalid(message: str, *, field: str, **details: Any) -> Rejected:
    return Rejected(message, code="invalid_decision", details={"field": field, **details})


def _text(value: Any, *, field: str, max_chars: int) -> str:
    if not isinstance(value, str):
        raise _invalid(f"{field} must be text.", field=field)
    try:
        check_text(value, field=field, multiline=True)
    except UnsafeText as error:
        raise _invalid(error.message, field=field) from error
    value = value.strip()
    if len(value) > max_chars:
        raise _invalid(
            f"{field} is {len(value):,} characters long; the limit is {max_chars:,}.",
            field=field,
        )
    return value


def _outcome(value: Any) -> DecisionOutcome:
    try:
        return DecisionOutcome(value)
    except ValueError:
        allowed = ", ".join(DecisionOutcome.values)
        raise _invalid(
            f"outcome {value!r} is not one of: {allowed}.", field="outcome", allowed=allowed
        ) from None


def _override(check_id: Any, value: Any, *, note: str) -> tuple[str, dict[str, str]]:
    """One override as stored: {"outcome": "pass", "reason": "..."}.

    `value` is an outcome ("pass") or {"outcome": ..., "reason": ...}; without
    its own reason, the decision's note is the reason, and one of them is required.
    """
    if check_id not in CHECKS:
        raise _invalid(
            f"check_overrides: {check_id!r} is not a check id. Known: {', '.join(CHECKS)}.",
            field="check_overrides",
            check_id=str(check_id),
        )
    field = f"check_overrides.{check_id}"
    if isinstance(value, str):
        value = {"outcome": value}
    if not isinstance(value, Mapping) or set(value) - {"outcome", "reason"}:
        raise _invalid(
            f'{field} must be an outcome or {{"outcome": ..., "reason": ...}}.', field=field
        )
    allowed = ", ".join(OVERRIDE_OUTCOMES)
    if value.get("outcome") not in OVERRIDE_OUTCOMES:
        raise _invalid(
            f"{field}: outcome {value.get('outcome')!r} is not one of: {allowed}.",
            field=field,
            allowed=allowed,
        )
    reason = _text(value.get("reason", ""), field=f"{field}.reason", max_chars=REASON_MAX_CHARS)
    if not (reason or note):
        raise _invalid(
            f"{field}: say why the check is overridden (a reason, or the decision's note).",
            field=field,
        )
    return check_id, {"outcome": str(value["outcome"]), "reason": reason or note}


def decision_create(
    *,
    verification: Verification,
    user: Any,
    channel: Channel | str,
    outcome: DecisionOutcome | str,
    note: str = "",
    check_overrides: Mapping[str, Any] | None = None,
) -> Decision:
    """Record what `user` decided about `verification`; `Rejected` on bad input.

    The caller has already decided that `user` may see the verification.
    """
    if user is None or not user.is_authenticated:
        raise Rejected("Sign in to record a decision.", code="not_authenticated", status_code=401)
    try:
        channel = Channel(channel)
    except ValueError:
        raise _invalid(f"channel {channel!r} is unknown.", field="channel") from None
    outcome = _outcome(outcome)
    note = _text(note, field="note", max_chars=NOTE_MAX_CHARS)
    if check_overrides is None:
        check_overrides = {}
    if not isinstance(check_overrides, Mapping):
        raise _invalid("check_overrides must map check ids to outcomes.", field="check_overrides")
    overrides = dict(
        _override(check_id, value, note=note) for check_id, value in check_overrides.items()
    )
    return Decision.objects.create(
        verification=verification,
        user=user,
        channel=channel,
        outcome=outcome,
        note=note,
        check_overrides=overrides,
    )


# Reads


def decisions_for(*, verification: Verification) -> QuerySet[Decision]:
    """Every decision on `verification`, newest first, with who made it."""
    return (
        Decision.objects.filter(verification=verification)
        .select_related("user")
        .order_by("-created_at", "-id")
    )


def latest_decision(*, verification: Verification) -> Decision | None:
    """The decision in force: the newest one, or None."""
    return decisions_for(verification=verification).first()


def with_latest_decision(queryset: QuerySet[Verification]) -> QuerySet[Verification]:
    """`queryset` with `latest_decision_outcome` (e.g. "approve", or None) and
    `latest_decision_at` on each row, one subquery each, for lists and exports."""
    newest = Decision.objects.filter(verification=OuterRef("pk")).order_by("-created_at", "-id")
    return queryset.annotate(
        latest_decision_outcome=Subquery(newest.values("outcome")[:1]),
        latest_decision_at=Subquery(newest.values("created_at")[:1]),
    )
