"""`/records/<id>/`: the picture beside the checks, the batch links, the agent's decision."""

from __future__ import annotations

import pytest

from tests.web.conftest import batch_of, changed_warning_label, passing_label, record_for
from verifier.models import BatchItem, Decision

pytestmark = pytest.mark.django_db


def test_failures_come_first_and_the_passes_fold_into_one_line(agent, staff_user):
    verification = record_for(changed_warning_label(), user=staff_user, keep_pictures=True)
    page = agent.get(f"/records/{verification.request_id}/").content.decode()
    # Reading order: the verdict, the picture, then the checks.
    assert page.index('id="verdict"') < page.index('class="picture-pane"')
    assert page.index('class="picture-pane"') < page.index('id="checks-heading"')
    assert "data:image/jpeg;base64," in page
    assert page.index('id="check-warning_text"') < page.index('id="check-brand_name"')
    passed = sum(1 for check in verification.result["checks"] if check["outcome"] != "fail")
    assert f"{passed} checks passed or did not apply" in page
    assert "Next label needing attention" not in page  # not opened from a batch


def test_a_decision_is_recorded_with_overrides_and_answers_303(agent, staff_user):
    verification = record_for(changed_warning_label(), user=staff_user)
    url = f"/records/{verification.request_id}/"
    response = agent.post(
        f"{url}decisions",
        {
            "outcome": "approve",
            "note": "wording checked on the bottle",
            "override-warning_text": "pass",
            "override-warning_text-reason": "the label is right; the reading was wrong",
        },
    )
    assert response.status_code == 303
    assert response["Location"] == f"{url}#decision"
    decision = Decision.objects.get()
    assert (decision.user, decision.channel, decision.outcome) == (staff_user, "web", "approve")
    assert decision.check_overrides == {
        "warning_text": {
            "outcome": "pass",
            "reason": "the label is right; the reading was wrong",
        }
    }
    agent.post(f"{url}decisions", {"outcome": "reject", "note": "second look"})
    page = agent.get(url).content.decode()
    history = page[page.index('class="decision-history"') :]
    assert history.index("Rejected") < history.index("Approved")  # newest first, both kept
    assert "in force" in history and "replaced" in history
    assert "Government warning wording set to <strong>Pass</strong>" in history
    assert verification.result["status"] == "NON_COMPLIANT"  # the machine verdict stands
    assert Decision.objects.count() == 2


def test_a_decision_without_an_outcome_is_refused_and_writes_nothing(agent, staff_user):
    verification = record_for(passing_label(), user=staff_user)
    response = agent.post(f"/records/{verification.request_id}/decisions", {"note": "x"})
    assert response.status_code == 400
    assert 'id="error-summary"' in response.content.decode()
    assert not Decision.objects.exists()


def test_a_record_from_a_batch_links_back_and_to_the_next_label_needing_attention(
    agent, staff_user
):
    batch = batch_of(
        staff_user,
        (passing_label(), "COMPLIANT"),
        (changed_warning_label(), "NON_COMPLIANT"),
        (passing_label(), "NEEDS_REVIEW"),
    )
    records = {
        item.position + 1: item.verification
        for item in BatchItem.objects.filter(batch=batch).select_related("verification")
    }
    first = agent.get(f"/records/{records[2].request_id}/").content.decode()
    assert f'href="/batches/{batch.pk}/" id="back-to-batch"' in first
    assert "(label 2 of 3)" in first
    assert f'href="/records/{records[3].request_id}/" id="next-attention"' in first

    Decision.objects.create(
        verification=records[3], user=staff_user, channel="web", outcome="approve"
    )
    last = agent.get(f"/records/{records[2].request_id}/").content.decode()
    assert 'id="next-attention"' not in last  # the review has its decision: none is left
    assert "No other label in this batch needs attention." in last
