"""The shape of a verification answer, shared by every endpoint that returns one.

The dictionary itself is built once, by
`verifier.services.verifications.verification_payload`; these serializers
document it (OpenAPI) and keep the keys stable.
"""

from __future__ import annotations

from rest_framework import serializers

from verifier.engine.models import Outcome


class BoxSerializer(serializers.Serializer):
    left = serializers.IntegerField()
    top = serializers.IntegerField()
    width = serializers.IntegerField()
    height = serializers.IntegerField()


class EvidenceSerializer(serializers.Serializer):
    panel = serializers.IntegerField()
    box = BoxSerializer(allow_null=True)
    text = serializers.CharField(allow_blank=True)


class CheckSerializer(serializers.Serializer):
    id = serializers.CharField()
    outcome = serializers.ChoiceField(choices=[str(outcome) for outcome in Outcome])
    message = serializers.CharField(allow_blank=True)
    cfr = serializers.CharField(allow_blank=True)
    expected = serializers.CharField(allow_null=True)
    found = serializers.CharField(allow_null=True)
    confidence = serializers.FloatField()
    evidence = EvidenceSerializer(many=True)
    backend = serializers.CharField(allow_null=True)
    details = serializers.DictField()


class FindingSerializer(serializers.Serializer):
    """A failed (violation) or doubtful (warning) check, in the replaced system's shape."""

    field = serializers.CharField()
    type = serializers.ChoiceField(choices=["missing", "mismatch", "format", "degraded"])
    check = serializers.CharField(allow_null=True)
    message = serializers.CharField()
    expected = serializers.CharField(allow_null=True)
    actual = serializers.CharField(allow_null=True)


class ImageFactsSerializer(serializers.Serializer):
    sha256 = serializers.CharField()
    size_bytes = serializers.IntegerField()
    format = serializers.CharField()
    width = serializers.IntegerField(allow_null=True)
    height = serializers.IntegerField(allow_null=True)


class ArtifactSummarySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    state = serializers.ChoiceField(choices=["stored", "failed"])
    failure_reason = serializers.CharField(allow_null=True)


class VerificationOutputSerializer(serializers.Serializer):
    request_id = serializers.UUIDField()
    status = serializers.ChoiceField(choices=["COMPLIANT", "NON_COMPLIANT", "NEEDS_REVIEW"])
    checks = CheckSerializer(many=True)
    extracted_fields = serializers.DictField()
    application = serializers.DictField()
    beverage_type = serializers.CharField(allow_null=True)
    validation_level = serializers.ChoiceField(choices=["STRUCTURAL_ONLY", "FULL_VALIDATION"])
    violations = FindingSerializer(many=True)
    warnings = FindingSerializer(many=True)
    processing_time_seconds = serializers.FloatField()
    backend = serializers.CharField()
    backend_requested = serializers.CharField()
    degraded = serializers.BooleanField()
    engine_version = serializers.CharField()
    backend_versions = serializers.DictField(
        child=serializers.CharField(), help_text="What read the label: Tesseract release, model."
    )
    images = ImageFactsSerializer(many=True)
    artifact = ArtifactSummarySerializer(
        required=False, allow_null=True, help_text="Only when the request saved an artifact."
    )
