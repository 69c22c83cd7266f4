"""A check added to the registry reaches every consumer: the rules run it, `auto`
may re-read it, the answer names its field, the page titles and cites it, the
batch list names it and the API schema lists its id. No OCR: the consumers get hand-built inputs."""

from __future__ import annotations

import uuid

import pytest
from drf_spectacular.generators import SchemaGenerator

from verifier.engine.escalation import checks_to_reread
from verifier.engine.models import (
    Application,
    Check,
    LabelFields,
    Outcome,
    Verdict,
    VerificationResult,
    WarningTypography,
)
from verifier.engine.rules import CHECK_IDS, CHECKS, CheckSpec, run_checks
from verifier.services.verifications import verification_payload
from web.presenters import check_rows
from web.triage import problem_words

FAKE_ID = "sulfite_declaration"
FAKE_CFR = "27 CFR 4.32(e)"


def _fake_rule(given) -> Check:
    return Check(
        FAKE_ID, Outcome.REVIEW, "Sulfites not read.", FAKE_CFR, expected="Contains sulfites"
    )


@pytest.fixture
def fake_check(monkeypatch: pytest.MonkeyPatch) -> CheckSpec:
    spec = CheckSpec(
        FAKE_ID,
        "Sulfite declaration",
        "sulfites",
        FAKE_CFR,
        _fake_rule,
        fields=("brand_name",),
        violation_field="sulfites",
    )
    monkeypatch.setitem(CHECKS, FAKE_ID, spec)
    return spec


def test_run_checks_runs_a_registered_check_in_registry_order(fake_check: CheckSpec) -> None:
    checks = run_checks(LabelFields(), Application(), WarningTypography(), [])

    assert [check.id for check in checks] == [*CHECK_IDS, FAKE_ID]
    assert checks[-1].cfr == FAKE_CFR


def test_auto_rereads_a_registered_check_unless_it_measures_the_print(
    fake_check: CheckSpec, monkeypatch: pytest.MonkeyPatch
) -> None:
    doubtful = [_fake_rule(None), Check("warning_type_size", Outcome.REVIEW, "", "")]

    assert [check.id for check in checks_to_reread(doubtful)] == [FAKE_ID]

    monkeypatch.setitem(CHECKS, FAKE_ID, CheckSpec(**{**fake_check.__dict__, "rereadable": False}))
    assert checks_to_reread(doubtful) == []


def test_the_answer_names_the_registered_field(fake_check: CheckSpec) -> None:
    result = VerificationResult(
        verdict=Verdict.NEEDS_REVIEW,
        checks=[_fake_rule(None)],
        extracted_fields={},
        readings=[],
        beverage_type=None,
        backend="tesseract",
    )
    payload = verification_payload(
        request_id=uuid.uuid4(),
        result=result,
        application=Application(),
        backend_requested="tesseract",
        processing_seconds=0.1,
        images=[],
    )

    assert [finding["field"] for finding in payload["warnings"]] == ["sulfites"]


def test_the_page_titles_and_cites_a_registered_check(fake_check: CheckSpec) -> None:
    (row,) = check_rows({"checks": [{"id": FAKE_ID, "outcome": "review", "message": "?"}]})

    assert (row.name, row.cfr, row.application_is_rule) == ("Sulfite declaration", FAKE_CFR, True)


def test_the_batch_list_names_a_registered_problem_in_a_few_words(fake_check: CheckSpec) -> None:
    answer = {"checks": [{"id": FAKE_ID, "outcome": "review", "found": "Contains sulfites"}]}

    assert problem_words(answer) == ["sulfites unclear"]


@pytest.mark.django_db
def test_the_schema_lists_every_registered_check_id(fake_check: CheckSpec) -> None:
    schema = SchemaGenerator().get_schema(request=None, public=True)

    assert schema["components"]["schemas"]["Check"]["properties"]["id"]["enum"] == [
        *CHECK_IDS,
        FAKE_ID,
    ]
