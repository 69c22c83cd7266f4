"""Agent decisions through the service: validation, append-only, newest in force."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from ttbsite.append_only import AppendOnlyError
from verifier.models import Decision, Verification
from verifier.rejections import Rejected
from verifier.services.decisions import (
    decision_create,
    decisions_for,
    latest_decision,
    with_latest_decision,
)

pytestmark = pytest.mark.django_db


def verification(**fields: Any) -> Verification:
    defaults: dict[str, Any] = {
        "request_id": uuid.uuid4(),
        "channel": "web",
        "backend_requested": "tesseract",
        "backend_used": "tesseract",
        "engine_version": "2.0.1",
        "verdict": "NON_COMPLIANT",
        "brand_name": "Old Harbor",
        "check_outcomes": {"brand_name": "fail", "warning_text": "pass"},
        "result": {"status": "NON_COMPLIANT"},
        "processing_ms": 300,
    }
    return Verification.objects.create(**{**defaults, **fields})


def test_a_decision_is_stored_with_overrides_normalised(user):
    row = verification()
    decision = decision_create(
        verification=row,
        user=user,
        channel="web",
        outcome="approve",
        note="  Label is right.  ",
        check_overrides={
            "brand_name": {"outcome": "pass", "reason": "the reading was wrong"},
            "warning_text": "review",
        },
    )
    stored = Decision.objects.get(pk=decision.pk)
    assert (stored.user, stored.channel, stored.outcome) == (user, "web", "approve")
    assert stored.note == "Label is right."
    assert stored.check_overrides == {
        "brand_name": {"outcome": "pass", "reason": "the reading was wrong"},
        "warning_text": {"outcome": "review", "reason": "Label is right."},
    }
    assert Verification.objects.get(pk=row.pk).verdict == "NON_COMPLIANT"  # never edited


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"outcome": "maybe"}, "outcome"),
        ({"channel": "fax"}, "channel"),
        ({"note": "bad\x00note"}, "note"),
        ({"note": 7}, "note"),
        ({"note": "x" * 4001}, "note"),
        ({"check_overrides": {"no_such_check": "pass"}}, "check_overrides"),
        ({"check_overrides": ["brand_name"]}, "check_overrides"),
        ({"check_overrides": {"brand_name": "skipped"}, "note": "n"}, "check_overrides.brand_name"),
        ({"check_overrides": {"brand_name": {"outcome": "pass"}}}, "check_overrides.brand_name"),
        (
            {"check_overrides": {"brand_name": {"outcome": "pass", "why": "x"}}, "note": "n"},
            "check_overrides.brand_name",
        ),
    ],
)
def test_bad_input_is_rejected_and_nothing_is_written(user, fields, field):
    arguments = {"channel": "api", "outcome": "reject", **fields}
    with pytest.raises(Rejected) as caught:
        decision_create(verification=verification(), user=user, **arguments)
    assert caught.value.code == "invalid_decision"
    assert caught.value.status_code == 400
    assert caught.value.details["field"] == field
    assert not Decision.objects.exists()


def test_later_decisions_supersede_and_both_stay(user, other_user):
    row, untouched = verification(), verification()
    first = decision_create(verification=row, user=user, channel="web", outcome="reject")
    second = decision_create(
        verification=row, user=other_user, channel="api", outcome="request_correction"
    )

    assert list(decisions_for(verification=row)) == [second, first]
    assert latest_decision(verification=row) == second
    assert latest_decision(verification=untouched) is None
    annotated = with_latest_decision(Verification.objects.order_by("pk"))
    assert [(v.pk, v.latest_decision_outcome) for v in annotated] == [
        (row.pk, "request_correction"),
        (untouched.pk, None),
    ]


def test_decisions_are_append_only(user):
    decision = decision_create(
        verification=verification(), user=user, channel="web", outcome="approve"
    )
    decision.note = "changed"
    with pytest.raises(AppendOnlyError):
        decision.save()
    with pytest.raises(AppendOnlyError):
        Decision.objects.all().delete()
