from django.urls import path

from verifier.api.batches import (
    BatchCreateApi,
    BatchDetailApi,
    BatchResultsCsvApi,
    BatchResultsJsonApi,
)
from verifier.api.decisions import VerificationDecisionsApi
from verifier.api.verifications import VerificationDetailApi
from verifier.api.verify import VerifyApi

urlpatterns = [
    path("verify", VerifyApi.as_view(), name="verify"),
    path("verify/batch", BatchCreateApi.as_view(), name="batch-create"),
    path("verify/batch/<uuid:batch_id>", BatchDetailApi.as_view(), name="batch-detail"),
    path(
        "verify/batch/<uuid:batch_id>/results.csv",
        BatchResultsCsvApi.as_view(),
        name="batch-results-csv",
    ),
    path(
        "verify/batch/<uuid:batch_id>/results.json",
        BatchResultsJsonApi.as_view(),
        name="batch-results-json",
    ),
    path(
        "verifications/<uuid:request_id>",
        VerificationDetailApi.as_view(),
        name="verification-detail",
    ),
    path(
        "verifications/<uuid:request_id>/decisions",
        VerificationDecisionsApi.as_view(),
        name="verification-decisions",
    ),
]
