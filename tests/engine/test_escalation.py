"""`auto`: Tesseract first, the vision model (a fake Ollama on loopback) only
where Tesseract could not read; the model's failures leave Tesseract's result."""

from __future__ import annotations

from dataclasses import replace

from labelgen import render_label, spec_for_seed
from tests.engine.ollama_doubles import (
    MODEL,
    TEXT_CHECKS,
    chat_answer,
    chats,
    closed_port_url,
    label_lines,
)
from tests.fake_ollama import chat_reply
from verifier.engine import Options, Outcome, Verdict, verify_label
from verifier.engine.escalation import panels_to_reread, verify_with_escalation
from verifier.engine.models import Check, Evidence
from verifier.engine.ocr import get_backend
from verifier.engine.ocr.ollama import clear_availability_cache
from verifier.engine.ocr.tesseract import tesseract_version

TYPOGRAPHY_CHECKS = ("warning_header_bold", "warning_body_not_bold", "warning_type_size")
# Who may decide a check without the model: Tesseract, the second engine, both, or
# Tesseract's third look.
LOCAL_READERS = {
    "tesseract",
    "rapidocr",
    "tesseract+rapidocr",
    "tesseract (rescaled)",
    "tesseract+tesseract (rescaled)",
    "rapidocr+tesseract (rescaled)",
}


def hard_to_read() -> tuple:
    """A label Tesseract cannot read well: a scan at 40 DPI (small print is ~4 px high)."""
    spec = replace(spec_for_seed(73), dpi=40)
    return render_label(spec), spec


def test_auto_does_not_call_the_model_when_tesseract_decides(fake_ollama, use_backend):
    label = render_label(spec_for_seed(48))
    use_backend(host=fake_ollama.url)

    result = verify_with_escalation(label.panels, label.application, Options(backend="auto"))

    assert result.verdict is Verdict.COMPLIANT
    assert result.backend == "tesseract" and not result.degraded
    assert not chats(fake_ollama)


def test_auto_rereads_with_the_model_where_tesseract_could_not(fake_ollama, use_backend):
    label, spec = hard_to_read()
    tesseract_alone = verify_label(label.panels, label.application)
    unread = {c.id for c in tesseract_alone.checks if c.outcome is Outcome.REVIEW} & set(
        TEXT_CHECKS
    )
    assert unread, "the label must be hard for Tesseract for this test to mean anything"
    fake_ollama.route("POST", "/api/chat", chat_answer(label_lines(spec)))
    use_backend(host=fake_ollama.url)

    result = verify_with_escalation(label.panels, label.application, Options(backend="auto"))

    assert len(chats(fake_ollama)) == 1
    assert result.backend == "auto" and not result.degraded
    decided = {c.id for c in result.checks if c.backend == "ollama"}
    # Standard of fill rests on the net contents the model read: decided again with it.
    assert decided and decided <= unread | {"standard_of_fill"}
    for check_id in decided:
        check = result.check(check_id)
        assert check.outcome is not Outcome.REVIEW
        assert check.details["first_reading"]["backend"] == "tesseract"
        if check.evidence:
            assert "without positions" in check.details["evidence_boxes"]
    # Typography stays with the local engines' measurements.
    for check_id in TYPOGRAPHY_CHECKS:
        assert result.check(check_id).backend in LOCAL_READERS
    assert [r.backend for r in result.readings][-1] == "ollama"
    assert {r.backend for r in result.readings} <= {"tesseract", "rapidocr", "ollama"}


def test_auto_falls_back_to_tesseract_when_the_model_is_down(use_backend):
    clear_availability_cache()
    label, _ = hard_to_read()
    use_backend(host=closed_port_url())

    result = verify_with_escalation(label.panels, label.application, Options(backend="auto"))

    assert result.degraded is True
    assert result.backend == "tesseract"
    assert {c.backend for c in result.checks} <= LOCAL_READERS
    reviewed = [c for c in result.checks if "second_reading" in c.details]
    assert reviewed and all(
        c.details["second_reading"]["error"] == "backend_unavailable" for c in reviewed
    )


def test_auto_falls_back_when_the_model_answers_nonsense(fake_ollama, use_backend):
    label, _ = hard_to_read()
    fake_ollama.route("POST", "/api/chat", chat_reply("I cannot read this label."))
    use_backend(host=fake_ollama.url)

    result = verify_with_escalation(label.panels, label.application, Options(backend="auto"))

    assert result.degraded is True and result.backend == "tesseract"


# Through verify_label: `auto` hands over to the escalation.


def test_verify_label_hands_auto_to_the_escalation(fake_ollama, use_backend):
    label, spec = hard_to_read()
    fake_ollama.route("POST", "/api/chat", chat_answer(label_lines(spec)))
    use_backend(host=fake_ollama.url)

    result = verify_label(label.panels, label.application, Options(backend="auto"))

    assert result.backend == "auto"
    assert "ollama" in {check.backend for check in result.checks}
    assert result.backend_versions == {
        "tesseract": tesseract_version(),
        "rapidocr": get_backend("rapidocr").version,
        "ollama": MODEL,
    }


def test_only_the_panels_the_doubtful_checks_point_at_are_reread():
    on_back = Check("bottler", Outcome.REVIEW, "", "", evidence=[Evidence(panel=1, box=None)])
    not_found = Check("brand_name", Outcome.REVIEW, "", "")

    assert panels_to_reread([on_back], panel_count=3) == [1]
    assert panels_to_reread([on_back, not_found], panel_count=3) == [0, 1, 2]
