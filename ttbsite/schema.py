"""The OpenAPI schema says what the server does: every operation lists the
errors it can answer (in the one error shape), and request bodies that refuse
unknown fields say so (`additionalProperties: false`)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.openapi import AutoSchema
from rest_framework import serializers

from verifier.engine.rules import CHECKS


class ErrorBodySerializer(serializers.Serializer):
    code = serializers.CharField(help_text="Stable, e.g. invalid_text, throttled, not_found.")
    message = serializers.CharField(help_text="What is wrong, for a person.")
    details = serializers.DictField(help_text="The field, the limit, …")


class ErrorSerializer(serializers.Serializer):
    error = ErrorBodySerializer()


# Every operation: bad query text (400), a bad or missing token (401, 403),
# too many requests or failed tokens (429).
COMMON_ERRORS = (400, 401, 403, 429)
# What else an operation can answer, beyond 404 on a path with an id.
OPERATION_ERRORS: dict[str, tuple[int, ...]] = {
    "verify": (413, 415, 503, 504),
    "batch_create": (413, 415, 503),
    "artifact_list": (404,),  # a page past the end
    "artifact_detail": (503,),
    "artifact_image": (503,),
    "artifact_delete": (410, 415),
    "model_status_retrieve": (404, 503),  # no download yet; a status file half-written
}
# Request bodies whose operation refuses fields it does not know.
CLOSED_REQUEST_BODIES = ("VerifyInput", "BatchCreateInput")


class ApiSchema(AutoSchema):
    def get_auth(self) -> list[dict[str, Any]]:
        """A permission that lets anonymous clients in (`allows_anonymous()`)
        makes the token optional, as the server then treats it."""
        auth = super().get_auth()
        permissions = self.view.get_permissions()
        anonymous = any(getattr(p, "allows_anonymous", lambda: False)() for p in permissions)
        if auth and anonymous and {} not in auth:
            auth.append({})
        return auth

    def _get_response_bodies(self, direction: Any = "response") -> dict[str, Any]:
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        codes = {*COMMON_ERRORS, *OPERATION_ERRORS.get(self.get_operation_id(), ())}
        if "{" in self.path:
            codes.add(404)
        for code in sorted(codes):
            responses.setdefault(
                str(code),
                self._get_response_for_code(ErrorSerializer, str(code), direction=direction),
            )
        return responses


def close_request_bodies(result: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    """drf-spectacular postprocessing hook: `additionalProperties: false` where
    the server answers an unknown field with 400 `unknown_fields`; and an
    optional query parameter sent empty (`?state=`) is allowed, because DRF
    treats it as not sent."""
    schemas = result.get("components", {}).get("schemas", {})
    for name in CLOSED_REQUEST_BODIES:
        if name in schemas:
            schemas[name]["additionalProperties"] = False
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                if parameter["in"] == "query" and not parameter.get("required"):
                    parameter["allowEmptyValue"] = True
                    parameter["schema"].pop("minLength", None)
    return result


def enumerate_check_ids(result: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    """drf-spectacular postprocessing hook: a check's `id` is one of the
    registry's ids (`verifier.engine.rules.CHECKS`), in answer order."""
    check = result.get("components", {}).get("schemas", {}).get("Check")
    if check is not None:
        check["properties"]["id"]["enum"] = list(CHECKS)
    return result
