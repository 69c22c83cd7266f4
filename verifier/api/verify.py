"""`POST /verify`: verify one label set (one or more panel images)."""

from __future__ import annotations

import functools
import time

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from artifacts.selectors import artifact_summary
from ttbsite.client_address import client_ip
from verifier.api.inputs import (
    OptionsSerializer,
    VerifyPermission,
    application_from_input,
    reject_unknown_fields,
    uploaded_images,
)
from verifier.api.outputs import VerificationOutputSerializer
from verifier.application_data import APPLICATION_FIELDS
from verifier.models import Channel
from verifier.services.verifications import verification_create, verification_options


class VerifyApi(APIView):
    """Verify a label against 27 CFR and, when given, the filed application.

    A rejected request (no image, unsupported/corrupt/oversized file, too many
    panels, bad application data, unknown fields) answers 4xx in the one error
    shape and writes nothing, not even an audit row: the audit trail records
    verifications, and a rejected request is not one.
    """

    permission_classes = [VerifyPermission]

    class InputSerializer(OptionsSerializer):
        class Meta:
            ref_name = "VerifyInput"

        image = serializers.ListField(
            child=serializers.FileField(), help_text="Repeat for each panel of one label set."
        )
        application = serializers.CharField(
            required=False, help_text="All application fields as one JSON object."
        )
        ground_truth = serializers.CharField(
            required=False,
            help_text="The replaced system's JSON: brand_name, abv, net_contents, bottler, "
            "product_type (wine | spirits | beer | malt).",
        )
        brand_name = serializers.CharField(required=False)
        class_type = serializers.CharField(required=False)
        alcohol_content = serializers.CharField(required=False)
        net_contents = serializers.CharField(required=False)
        bottler = serializers.CharField(required=False)
        country_of_origin = serializers.CharField(required=False)
        beverage_type = serializers.CharField(
            required=False, help_text="wine | distilled_spirits | malt_beverage"
        )
        is_import = serializers.BooleanField(required=False, allow_null=True, default=None)
        timeout = serializers.FloatField(
            required=False, min_value=1, help_text="Seconds; capped by VERIFY_TIMEOUT_SECONDS."
        )

    @extend_schema(
        operation_id="verify",
        request={"multipart/form-data": InputSerializer},
        responses={200: VerificationOutputSerializer},
    )
    def post(self, request: Request) -> Response:
        # The verification timeout counts from here: upload parsing, the wait
        # for an engine slot, decoding, OCR, the second look and the audit row.
        started = time.monotonic()
        reject_unknown_fields(request, _known_fields())
        images = uploaded_images(request)
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        application = application_from_input(data)
        options = verification_options(
            backend=data.get("ocr_backend"), dpi=data.get("dpi"), timeout=data.get("timeout")
        )
        # An EngineError (bad image, busy, timed out) is answered by
        # ttbsite.errors.api_exception_handler, like every error below a view.
        verification = verification_create(
            images=[upload.read() for upload in images],
            application=application,
            options=options,
            channel=Channel.API,
            user=request.user,
            client_ip=client_ip(request),
            save_artifact=data.get("save_artifact"),
            deadline=started + options.timeout_seconds,
        )
        # `verification_payload` built the answer in the documented shape; running
        # it through the OutputSerializer again would cost more than the audit row.
        body = verification.result
        artifact = artifact_summary(verification=verification)
        if artifact is not None:
            body = {**body, "artifact": artifact}
        return Response(body, headers={"X-Request-ID": str(verification.request_id)})


@functools.cache
def _known_fields() -> set[str]:
    return {*VerifyApi.InputSerializer().fields, *APPLICATION_FIELDS}
