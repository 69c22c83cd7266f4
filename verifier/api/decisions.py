"""`POST|GET /verifications/{request_id}/decisions`: agents' decisions on a verification.

The same ownership rule as `GET /verifications/{request_id}` (the
`verification_get` selector): your own verifications, or anyone's for staff;
anything else is a 404. Bad input is raised (`Rejected`, DRF's
`ValidationError`) and mapped to the one error shape by `ttbsite.errors`.
"""

from __future__ import annotations

import uuid
from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ttbsite.errors import ApiError
from verifier.engine.rules import CHECKS
from verifier.models import Channel, Decision, DecisionOutcome, Verification
from verifier.selectors import verification_get
from verifier.services.decisions import (
    NOTE_MAX_CHARS,
    OVERRIDE_OUTCOMES,
    REASON_MAX_CHARS,
    decision_create,
    decisions_for,
)


def _verification_or_404(request_id: uuid.UUID, user: Any) -> Verification:
    verification = verification_get(request_id=request_id, user=user)
    if verification is None:
        raise ApiError(
            f"No verification {request_id} that you may see.", code="not_found", status_code=404
        )
    return verification


class CheckOverrideSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=[str(outcome) for outcome in OVERRIDE_OUTCOMES])
    reason = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=REASON_MAX_CHARS,
        help_text="Why the agent overrides the check; the decision's note when left out.",
    )


class DecisionOutputSerializer(serializers.Serializer):
    class Meta:
        ref_name = "Decision"

    id = serializers.IntegerField()
    request_id = serializers.UUIDField(source="verification.request_id")
    created_at = serializers.DateTimeField()
    user = serializers.CharField(source="user.get_username")
    channel = serializers.ChoiceField(choices=Channel.choices)
    outcome = serializers.ChoiceField(choices=DecisionOutcome.choices)
    note = serializers.CharField()
    check_overrides = serializers.DictField(child=CheckOverrideSerializer())


class VerificationDecisionsApi(APIView):
    """`POST`: record a decision (201). `GET`: every decision, newest first; the
    first is the one in force. The machine verdict is never changed."""

    class InputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "DecisionInput"

        outcome = serializers.ChoiceField(choices=DecisionOutcome.choices)
        note = serializers.CharField(
            required=False, allow_blank=True, max_length=NOTE_MAX_CHARS, default=""
        )
        check_overrides = serializers.DictField(
            child=CheckOverrideSerializer(),
            required=False,
            default=dict,
            help_text=(
                "Check id to the agent's outcome and reason. Check ids: "
                + ", ".join(CHECKS)
                + ". A reason (here or in the note) is required for each override."
            ),
        )

        def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
            unknown = set(self.initial_data) - set(self.fields)
            if unknown:
                raise serializers.ValidationError(
                    {field: "Unknown field." for field in sorted(unknown)}
                )
            return attrs

    @extend_schema(
        operation_id="verification_decision_create",
        request=InputSerializer,
        responses={201: DecisionOutputSerializer},
    )
    def post(self, request: Request, request_id: uuid.UUID) -> Response:
        verification = _verification_or_404(request_id, request.user)
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        decision = decision_create(
            verification=verification,
            user=request.user,
            channel=Channel.API,
            **serializer.validated_data,
        )
        return Response(DecisionOutputSerializer(decision).data, status=201)

    @extend_schema(
        operation_id="verification_decision_list",
        responses={200: DecisionOutputSerializer(many=True)},
    )
    def get(self, request: Request, request_id: uuid.UUID) -> Response:
        verification = _verification_or_404(request_id, request.user)
        decisions: list[Decision] = list(decisions_for(verification=verification))
        return Response(
            DecisionOutputSerializer(decisions, many=True).data,
            headers={"Cache-Control": "private, no-store"},
        )
