"""The vision-model backend, against a fake Ollama on loopback (`auto`: test_escalation.py).

Everything goes through the real `ollama` client over HTTP: the fake server
(tests/fake_ollama.py) answers /api/tags and /api/chat as Ollama does,
including errors, slow answers and malformed JSON.
"""

from __future__ import annotations

import base64
import io
import threading
import time

import pytest
from PIL import Image

from labelgen import render_label, spec_for_seed
from tests.engine.ollama_doubles import (
    MODEL,
    TEXT_CHECKS,
    chat_answer,
    chats,
    closed_port_url,
    label_lines,
)
from tests.fake_ollama import (
    FakeReply,
    FakeRequest,
    chat_reply,
    slowly,
    tags_reply,
)
from verifier.engine import Options, Outcome, Verdict, verify_label
from verifier.engine.errors import BackendTimeout, BackendUnavailable
from verifier.engine.ocr.ollama import (
    ANSWER_SCHEMA,
    OllamaBackend,
    UnreadableAnswer,
    clear_availability_cache,
)

# Reading -------------------------------------------------------------------


def test_correct_read_passes_the_text_checks(fake_ollama, use_backend):
    label = render_label(spec_for_seed(61))
    fields = {"brand_name": label.spec.brand, "net_contents": label.spec.net_contents}
    fake_ollama.route("POST", "/api/chat", chat_answer(label_lines(label.spec), fields))
    use_backend(host=fake_ollama.url)

    result = verify_label(label.panels, label.application, Options(backend="ollama"))

    for check_id in TEXT_CHECKS:
        check = result.check(check_id)
        assert check.outcome in (Outcome.PASS, Outcome.NOT_APPLICABLE), (check_id, check.message)
        assert check.backend == "ollama"
    # The model gives no boxes, so it cannot measure bold; the second engine, which
    # reads every line with its position, measures it on the second look.
    for check_id in ("warning_header_bold", "warning_body_not_bold"):
        check = result.check(check_id)
        assert check.outcome is Outcome.PASS, (check_id, check.message)
        assert check.backend == "rapidocr"
        assert "could not be measured" in check.details["first_look"]["message"]
    assert result.backend == "ollama"
    assert all(e.box is None for e in result.check("brand_name").evidence)
    assert result.readings[0].fields["brand_name"] == label.spec.brand


def test_the_request_carries_image_schema_and_model(fake_ollama, use_backend):
    label = render_label(spec_for_seed(62))
    fake_ollama.route("POST", "/api/chat", chat_answer(label_lines(label.spec)))
    backend = use_backend(host=fake_ollama.url)
    image = Image.open(io.BytesIO(label.panels[0]))

    backend.read(image, panel=0, deadline=time.monotonic() + 10)

    sent = chats(fake_ollama)[0].json
    assert sent["model"] == MODEL and sent["stream"] is False
    assert sent["format"] == ANSWER_SCHEMA
    assert sent["options"]["temperature"] == 0
    message = sent["messages"][0]
    assert "word for word" in message["content"]
    decoded = Image.open(io.BytesIO(base64.b64decode(message["images"][0])))
    assert decoded.size == image.size


def test_a_misreading_by_the_model_is_settled_and_a_real_defect_confirmed(fake_ollama, use_backend):
    """The model reads "woman" where the label says "women", and reads the header in the
    title case the label really has. The second look reads the label again: the misread
    word does not stand, the real defect is confirmed."""
    spec = spec_for_seed(63, failures=("warning_header_caps",))
    lines = label_lines(spec)
    lines[-1] = lines[-1].replace("women should not", "woman should not")
    label = render_label(spec)
    fake_ollama.route("POST", "/api/chat", chat_answer(lines))
    use_backend(host=fake_ollama.url)

    result = verify_label(label.panels, label.application, Options(backend="ollama"))

    caps = result.check("warning_header_caps")
    assert caps.outcome is Outcome.FAIL
    assert caps.details["second_look"]["reader"] == "rapidocr"
    wording = result.check("warning_text")
    first_look = wording.details["first_look"]
    assert first_look["reader"] == "ollama" and first_look["outcome"] != "pass"
    assert "woman" in first_look["message"]
    assert wording.outcome is Outcome.PASS and wording.backend == "rapidocr"
    assert result.verdict is Verdict.NON_COMPLIANT


def test_fields_missing_from_the_lines_still_go_through_the_checks(fake_ollama, use_backend):
    label = render_label(spec_for_seed(64))
    lines = [line for line in label_lines(label.spec) if line != label.spec.net_contents]
    fields = {"net_contents": label.spec.net_contents, "brand_name": label.spec.brand}
    fake_ollama.route("POST", "/api/chat", chat_answer(lines, fields))
    use_backend(host=fake_ollama.url)

    result = verify_label(label.panels, label.application, Options(backend="ollama"))

    assert result.check("net_contents").outcome is Outcome.PASS
    texts = [line.text for line in result.readings[0].lines]
    assert texts.count(label.spec.brand) == 1  # already in the lines: not added twice


# Failures -------------------------------------------------------------------


@pytest.mark.parametrize(
    "content",
    [
        "The label says OLD FOX BOURBON",  # prose, not JSON
        '{"lines": "OLD FOX", "fields": {}}',  # wrong type
        '{"fields": {}}',  # no lines
        '{"lines": ["OLD FOX", 7], "fields": {}}',  # a number is not a line
    ],
)
def test_malformed_answer_is_a_failed_read(fake_ollama, use_backend, content):
    label = render_label(spec_for_seed(65))
    fake_ollama.route("POST", "/api/chat", chat_reply(content))
    use_backend(host=fake_ollama.url)

    with pytest.raises(UnreadableAnswer, match="not a label reading"):
        verify_label(label.panels, label.application, Options(backend="ollama"))


def test_runaway_answer_and_non_chat_reply_are_failed_reads(fake_ollama):
    image = Image.new("RGB", (200, 100), "white")
    backend = OllamaBackend(host=fake_ollama.url, model=MODEL)
    fake_ollama.route("POST", "/api/chat", chat_answer(["OLD FOX"] * 1000))
    with pytest.raises(UnreadableAnswer, match="far longer than any label"):
        backend.read(image, panel=0, deadline=None)
    fake_ollama.route("POST", "/api/chat", FakeReply(body=b"<html>proxy error</html>"))
    with pytest.raises(UnreadableAnswer, match="not a chat response"):
        backend.read(image, panel=0, deadline=None)


def test_slow_model_list_counts_as_down_within_the_probe_timeout(fake_ollama):
    fake_ollama.route("GET", "/api/tags", slowly(tags_reply(MODEL), 2.0))
    backend = OllamaBackend(host=fake_ollama.url, model=MODEL, probe_timeout=0.3)

    started = time.monotonic()
    assert backend.availability().state == "down"
    assert time.monotonic() - started < 1.0


def test_slow_answer_times_out_within_the_request_timeout(fake_ollama, use_backend):
    label = render_label(spec_for_seed(66))
    fake_ollama.route("POST", "/api/chat", slowly(chat_answer(label_lines(label.spec)), 3.0))
    use_backend(host=fake_ollama.url)

    started = time.monotonic()
    with pytest.raises(BackendTimeout):
        verify_label(label.panels, label.application, Options(backend="ollama", timeout_seconds=1))
    assert time.monotonic() - started < 2.0


def test_model_missing_is_unavailable_with_the_pull_command(fake_ollama, use_backend):
    fake_ollama.route("GET", "/api/tags", tags_reply("llama3.2:latest"))
    label = render_label(spec_for_seed(67))
    use_backend(host=fake_ollama.url, unavailable_hint="See /model-status.")

    with pytest.raises(BackendUnavailable) as caught:
        verify_label(label.panels, label.application, Options(backend="ollama"))

    assert caught.value.details["state"] == "model_missing"
    assert f"ollama pull {MODEL}" in caught.value.message
    assert caught.value.message.endswith("See /model-status.")
    assert not chats(fake_ollama)  # no image sent to a server without the model


def test_model_removed_after_the_probe_is_unavailable(fake_ollama, use_backend):
    not_found = FakeReply.json({"error": f"model '{MODEL}' not found"}, status=404)
    fake_ollama.route("POST", "/api/chat", not_found)
    label = render_label(spec_for_seed(68))
    use_backend(host=fake_ollama.url)

    with pytest.raises(BackendUnavailable) as caught:
        verify_label(label.panels, label.application, Options(backend="ollama"))
    assert caught.value.details["state"] == "model_missing"


def test_server_error_is_unavailable(fake_ollama, use_backend):
    fake_ollama.route("POST", "/api/chat", FakeReply.json({"error": "out of memory"}, status=500))
    label = render_label(spec_for_seed(69))
    use_backend(host=fake_ollama.url)

    with pytest.raises(BackendUnavailable, match="out of memory"):
        verify_label(label.panels, label.application, Options(backend="ollama"))


def test_server_down_is_unavailable_at_once(use_backend):
    clear_availability_cache()
    label = render_label(spec_for_seed(70))
    use_backend(host=closed_port_url())

    started = time.monotonic()
    with pytest.raises(BackendUnavailable) as caught:
        verify_label(label.panels, label.application, Options(backend="ollama"))
    assert caught.value.details["state"] == "down"
    assert time.monotonic() - started < 2.0


def test_availability_is_probed_once_per_few_seconds(fake_ollama):
    backend = OllamaBackend(host=fake_ollama.url, model=MODEL)
    assert backend.availability().available
    assert backend.availability().available
    assert [r.path for r in fake_ollama.requests] == ["/api/tags"]
    fake_ollama.route("GET", "/api/tags", tags_reply())
    assert backend.availability(fresh=True).state == "model_missing"


def test_model_requests_in_flight_are_bounded(fake_ollama):
    label = render_label(spec_for_seed(71))
    in_flight, most = 0, 0
    lock = threading.Lock()
    first_in_flight = threading.Event()
    reply = chat_answer(label_lines(label.spec))

    def counting(request: FakeRequest) -> FakeReply:
        nonlocal in_flight, most
        with lock:
            in_flight += 1
            most = max(most, in_flight)
        first_in_flight.set()
        time.sleep(0.3)
        with lock:
            in_flight -= 1
        return reply

    fake_ollama.route("POST", "/api/chat", counting)
    backend = OllamaBackend(host=fake_ollama.url, model=MODEL, max_concurrency=1)
    image = Image.open(io.BytesIO(label.panels[0]))
    errors: list[Exception] = []

    def read(deadline: float) -> None:
        try:
            backend.read(image, panel=0, deadline=deadline)
        except Exception as error:
            errors.append(error)

    readers = [threading.Thread(target=read, args=(time.monotonic() + 5,)) for _ in range(3)]
    for thread in readers:
        thread.start()
    # Only once a request holds the model may the impatient reader arrive.
    assert first_in_flight.wait(5)
    late = threading.Thread(target=read, args=(time.monotonic() + 0.2,))
    late.start()
    for thread in [*readers, late]:
        thread.join()

    assert most == 1
    assert len(chats(fake_ollama)) == 3
    assert [type(error) for error in errors] == [BackendTimeout]
    assert "busy" in str(errors[0])


def test_evidence_read_by_the_model_says_it_has_no_box(fake_ollama, use_backend):
    label = render_label(spec_for_seed(76))
    fake_ollama.route("POST", "/api/chat", chat_answer(label_lines(label.spec)))
    use_backend(host=fake_ollama.url)

    result = verify_label(label.panels, label.application, Options(backend="ollama"))

    brand = result.check("brand_name")
    assert brand.evidence and brand.evidence[0].box is None
    assert "without positions" in brand.details["evidence_boxes"]
