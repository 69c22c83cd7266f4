"""A record: one verification from the audit trail with its pictures, and the
agent's decisions on it."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from verifier.models import Channel, Verification
from verifier.rejections import Rejected
from verifier.selectors import verification_get
from verifier.services.decisions import decision_create, decisions_for
from web.access import staff_required
from web.decision_views import OVERRIDE_CHOICES, decision_history
from web.forms import DecisionForm
from web.page_context import page_context
from web.panel_images import panel_views
from web.presenters import WarningDiff, check_rows, problem_rows, verdict_view, warning_diff
from web.record_links import artifact_links, kept_images
from web.redirects import see_other
from web.triage import batch_place


def changed_words(warning: WarningDiff | None) -> list[str]:
    """What differs in the warning, said beside its box on the picture."""
    if warning is None:
        return []
    words = []
    for piece in [*warning.pieces, *warning.unplaced]:
        if piece.kind == "changed":
            words.append(f"the label says “{piece.found}” where “{piece.required}” is required")
        elif piece.kind == "missing":
            words.append(f"“{piece.required}” is missing")
        elif piece.kind == "added":
            words.append(f"“{piece.found}” is added")
    return words


def _visible(request: HttpRequest, request_id: Any) -> Verification:
    verification = verification_get(request_id=request_id, user=request.user)
    if verification is None:
        raise Http404("No such verification.")
    return verification


def record_context(
    request: HttpRequest, verification: Verification, *, form: DecisionForm | None = None
) -> dict[str, Any]:
    answer = verification.result
    artifact = artifact_links(verification, user=request.user)
    # Whoever may open the record sees its pictures; the saved copy's own
    # download stays with the artifacts permission.
    images = kept_images(verification) if artifact and artifact["readable"] else None
    rows = check_rows(answer)
    problems = problem_rows(rows)
    warning = warning_diff(answer)
    return page_context(
        "verify",
        verification=verification,
        answer=answer,
        verdict=verdict_view(answer.get("status", "")),
        rows=rows,
        problems=problems,
        passes=[row for row in rows if row not in problems],
        warning=warning,
        warning_changes=changed_words(warning),
        panels=panel_views(images=images, facts=answer.get("images") or [], rows=rows),
        artifact=artifact,
        place=batch_place(verification),
        decision_form=form or DecisionForm(),
        override_choices=OVERRIDE_CHOICES,
        decisions=decision_history(decisions_for(verification=verification), rows),
    )


@never_cache
@staff_required
def record_page(request: HttpRequest, request_id: Any) -> HttpResponse:
    verification = _visible(request, request_id)
    return render(request, "web/result.html", record_context(request, verification))


@never_cache
@staff_required
@require_POST
def decision_page(request: HttpRequest, request_id: Any) -> HttpResponse:
    """Record the agent's decision, then show the record again (Post/Redirect/Get)."""
    verification = _visible(request, request_id)
    form = DecisionForm(request.POST)
    if form.is_valid():
        check_ids = [check["id"] for check in verification.result.get("checks", [])]
        try:
            decision_create(
                verification=verification,
                user=request.user,
                channel=Channel.WEB,
                outcome=form.cleaned_data["outcome"],
                note=form.cleaned_data["note"],
                check_overrides=form.overrides(check_ids),
            )
        except Rejected as error:
            field = str((error.details or {}).get("field", ""))
            form.add_error("note" if field == "note" else None, error.message)
        else:
            return see_other(reverse("web:record", args=[verification.request_id]) + "#decision")
    context = record_context(request, verification, form=form)
    return render(request, "web/result.html", context, status=400)
