"""`GET /verifications/{request_id}`: a stored verification, as it was answered."""

from __future__ import annotations

import uuid

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ttbsite.errors import ApiError
from verifier.api.outputs import VerificationOutputSerializer
from verifier.models import Channel
from verifier.selectors import verification_get


class VerificationDetailApi(APIView):
    """The stored answer of one verification: your own, or anyone's for staff."""

    class OutputSerializer(VerificationOutputSerializer):
        class Meta:
            ref_name = "StoredVerification"

        created_at = serializers.DateTimeField()
        channel = serializers.ChoiceField(choices=Channel.choices)

    @extend_schema(operation_id="verification_detail", responses={200: OutputSerializer})
    def get(self, request: Request, request_id: uuid.UUID) -> Response:
        verification = verification_get(request_id=request_id, user=request.user)
        if verification is None:
            raise ApiError(
                f"No verification {request_id} that you may see.",
                code="not_found",
                status_code=404,
            )
        answer = {
            **verification.result,
            "created_at": verification.created_at,
            "channel": verification.channel,
        }
        return Response(
            self.OutputSerializer(answer).data, headers={"Cache-Control": "private, no-store"}
        )
