"""Vision-model OCR backend: a local model served by Ollama reads the panel.

The model (llama3.2-vision by default) reads decorative, curved and
low-resolution print far better than Tesseract, but takes seconds and gives
no word positions: lines come back without boxes and words without
confidences, which the rules already treat as "not measurable" (typography)
and "fairly sure" (wording).

One chat request per panel carries the image and a JSON schema (the client's
`format`), so the answer is the label's lines verbatim plus the fields. The
answer is validated; anything else is a failed read (`UnreadableAnswer`),
never data.

Availability is a cheap `GET /api/tags` (server up, model pulled) with a
short timeout, cached for a few seconds per process. Model requests in flight
are bounded per process by a semaphore (GPU memory); the others wait, but
never past their deadline.
"""

from __future__ import annotations

import io
import json
import re
import threading
import time
from dataclasses import dataclass, field

import httpx
import ollama
from PIL import Image
from pydantic import BaseModel, ConfigDict, StrictStr, ValidationError

from verifier.engine.backends import Backend
from verifier.engine.errors import BackendTimeout, BackendUnavailable
from verifier.engine.models import Line, PanelReading, Word

NAME = Backend.OLLAMA
DEFAULT_MODEL = "llama3.2-vision"
PROBE_TIMEOUT_SECONDS = 1.0
AVAILABILITY_CACHE_SECONDS = 5.0
# llama3.2-vision tiles the image to at most 1120 x 1120; a larger upload
# only costs transfer time.
MAX_IMAGE_SIDE = 2240
MAX_LINES = 400
MAX_LINE_CHARACTERS = 2000
# A label is a few hundred tokens; a model stuck repeating itself stops here
# instead of holding the GPU until the timeout.
MAX_ANSWER_TOKENS = 2048

PROMPT = (
    "Transcribe all text printed on this alcohol beverage label image. "
    "In `lines`, give every printed line of text, top to bottom, exactly as printed: "
    "keep spelling, capitalisation and punctuation; never correct, complete or "
    "normalise anything. Copy the health warning statement (it starts with "
    "'GOVERNMENT WARNING') word for word with its capitalisation, even where it "
    "differs from the usual wording. In `fields`, copy as printed the brand name, "
    "the class or type designation, the alcohol content, the net contents, the "
    "bottler or producer name and address, and the country of origin; use an "
    "empty string for anything the label does not show."
)


class UnreadableAnswer(BackendUnavailable):
    """The model answered, but not with a label reading: nothing of it is used."""


class AnswerFields(BaseModel):
    model_config = ConfigDict(extra="ignore")

    brand_name: StrictStr = ""
    class_type: StrictStr = ""
    alcohol_content: StrictStr = ""
    net_contents: StrictStr = ""
    bottler: StrictStr = ""
    country_of_origin: StrictStr = ""


class ModelAnswer(BaseModel):
    """What the model must answer; its JSON schema is sent as the chat `format`."""

    model_config = ConfigDict(extra="ignore")

    lines: list[StrictStr]
    fields: AnswerFields


ANSWER_SCHEMA = ModelAnswer.model_json_schema()


@dataclass
class ModelReading(PanelReading):
    """A panel read by the model: the lines, plus the fields it named."""

    fields: dict[str, str] = field(default_factory=dict)
    model: str = ""


@dataclass(frozen=True)
class Availability:
    state: str  # "ok" | "down" | "model_missing" | "error"
    message: str
    models: tuple[str, ...] = ()

    @property
    def available(self) -> bool:
        return self.state == "ok"


_availability_cache: dict[tuple[str, str], tuple[float, Availability]] = {}
_availability_lock = threading.Lock()
_request_slots: dict[tuple[str, int], threading.BoundedSemaphore] = {}
_slots_lock = threading.Lock()


def clear_availability_cache() -> None:
    with _availability_lock:
        _availability_cache.clear()


def _slots(host: str, size: int) -> threading.BoundedSemaphore:
    """The process-wide limit on model requests in flight to `host`."""
    with _slots_lock:
        return _request_slots.setdefault((host, size), threading.BoundedSemaphore(size))


def model_is_listed(model: str, listed: tuple[str, ...]) -> bool:
    """Whether `model` is among Ollama's names; a name without a tag means `:latest`."""
    wanted = model if ":" in model else f"{model}:latest"
    return model in listed or wanted in listed


class OllamaBackend:
    name = NAME

    @property
    def version(self) -> str:
        return self.model

    def __init__(
        self,
        *,
        host: str,
        model: str = DEFAULT_MODEL,
        timeout: float = 60.0,
        max_concurrency: int = 1,
        probe_timeout: float = PROBE_TIMEOUT_SECONDS,
        unavailable_hint: str = "",
    ) -> None:
        """`unavailable_hint` is appended to "not available" messages (where to look)."""
        self.host = host
        self.model = model
        self.timeout = timeout
        self.max_concurrency = max(1, max_concurrency)
        self.probe_timeout = probe_timeout
        self.unavailable_hint = unavailable_hint

    # Availability -----------------------------------------------------------

    def availability(self, *, fresh: bool = False) -> Availability:
        """Server up and model pulled, as of at most AVAILABILITY_CACHE_SECONDS ago."""
        key = (self.host, self.model)
        now = time.monotonic()
        with _availability_lock:
            cached = _availability_cache.get(key)
        if cached is not None and not fresh and now < cached[0]:
            return cached[1]
        found = self._probe()
        self._remember(found)
        return found

    def _remember(self, availability: Availability) -> None:
        expires = time.monotonic() + AVAILABILITY_CACHE_SECONDS
        with _availability_lock:
            _availability_cache[(self.host, self.model)] = (expires, availability)

    def _probe(self) -> Availability:
        try:
            with ollama.Client(host=self.host, timeout=self.probe_timeout) as client:
                listed = tuple(m.model for m in client.list().models if m.model)
        except (ConnectionError, httpx.TransportError) as error:
            return Availability("down", _unreachable(self.host, error))
        except ollama.ResponseError as error:
            return Availability("error", f"Ollama at {self.host} answered {error.status_code}.")
        except ValueError as error:  # not JSON, or not a model list
            return Availability("error", f"Ollama at {self.host} gave an odd model list ({error}).")
        if not model_is_listed(self.model, listed):
            return Availability(
                "model_missing",
                f"Ollama at {self.host} does not have the model {self.model} "
                f"(`ollama pull {self.model}`).",
                listed,
            )
        return Availability("ok", f"{self.model} is ready at {self.host}.", listed)

    def _unavailable(self, availability: Availability) -> BackendUnavailable:
        message = f"The vision model is not available: {availability.message}"
        if self.unavailable_hint:
            message = f"{message} {self.unavailable_hint}"
        return BackendUnavailable(
            message,
            details={"backend": NAME, "model": self.model, "state": availability.state},
        )

    # Reading ----------------------------------------------------------------

    def read(self, image: Image.Image, *, panel: int, deadline: float | None) -> ModelReading:
        started = time.monotonic()
        availability = self.availability()
        if not availability.available:
            raise self._unavailable(availability)
        deadline = started + self.timeout if deadline is None else deadline
        if deadline <= time.monotonic():
            raise BackendTimeout("The vision model had no time left to read the label.")
        slots = _slots(self.host, self.max_concurrency)
        if not slots.acquire(timeout=max(0.0, deadline - time.monotonic())):
            raise BackendTimeout(
                f"The vision model was busy with other labels until the time limit ran out "
                f"({self.max_concurrency} reading(s) at a time).",
                details={"backend": NAME},
            )
        try:
            content = self._chat(encode_panel(image), deadline)
        finally:
            slots.release()
        answer = parse_answer(content, panel=panel)
        return ModelReading(
            panel=panel,
            backend=NAME,
            lines=lines_from_answer(answer),
            width=image.width,
            height=image.height,
            seconds=time.monotonic() - started,
            fields={name: value for name, value in answer.fields.model_dump().items() if value},
            model=self.model,
        )

    def _chat(self, image_bytes: bytes, deadline: float) -> str:
        remaining = min(self.timeout, deadline - time.monotonic())
        if remaining <= 0:
            raise BackendTimeout("The vision model had no time left to read the label.")
        try:
            with ollama.Client(host=self.host, timeout=remaining) as client:
                response = client.chat(
                    model=self.model,
                    messages=[{"role": "user", "content": PROMPT, "images": [image_bytes]}],
                    format=ANSWER_SCHEMA,
                    options={"temperature": 0, "num_predict": MAX_ANSWER_TOKENS},
                    stream=False,
                )
        except httpx.TimeoutException as error:
            raise BackendTimeout(
                f"The vision model did not answer within {remaining:.0f} s.",
                details={"backend": NAME},
            ) from error
        except (ConnectionError, httpx.TransportError) as error:
            down = Availability("down", _unreachable(self.host, error))
            self._remember(down)
            raise self._unavailable(down) from error
        except ollama.ResponseError as error:
            if error.status_code == 404:
                missing = Availability(
                    "model_missing", f"Ollama at {self.host} does not have {self.model}."
                )
                self._remember(missing)
                raise self._unavailable(missing) from error
            raise BackendUnavailable(
                f"Ollama could not read the label ({error.status_code}: {error.error}).",
                details={"backend": NAME, "model": self.model},
            ) from error
        except ValueError as error:  # the HTTP body was not a chat response
            raise UnreadableAnswer(
                f"Ollama's reply was not a chat response ({error}).", details={"backend": NAME}
            ) from error
        return response.message.content or ""


def _unreachable(host: str, error: Exception) -> str:
    if isinstance(error, httpx.TimeoutException):
        return f"Ollama at {host} did not answer in time."
    return f"Ollama at {host} cannot be reached (is it running?)."


def encode_panel(image: Image.Image) -> bytes:
    """PNG bytes of the panel, no larger than the model can use."""
    if max(image.size) > MAX_IMAGE_SIDE:
        image = image.copy()
        image.thumbnail((MAX_IMAGE_SIDE, MAX_IMAGE_SIDE), Image.Resampling.LANCZOS)
    buffer = io.BytesIO()
    image.convert("RGB").save(buffer, "PNG")
    return buffer.getvalue()


def parse_answer(content: str, *, panel: int) -> ModelAnswer:
    """The model's answer, validated; UnreadableAnswer for anything else."""
    where = f"panel {panel + 1}"
    try:
        answer = ModelAnswer.model_validate(json.loads(content))
    except ValueError as error:  # JSONDecodeError and ValidationError are ValueErrors
        reason = _what_is_wrong(error)
        raise UnreadableAnswer(
            f"The vision model's answer for {where} was not a label reading ({reason}); "
            "nothing from it was used.",
            details={"backend": NAME, "panel": panel},
        ) from error
    if len(answer.lines) > MAX_LINES or any(
        len(line) > MAX_LINE_CHARACTERS for line in answer.lines
    ):
        raise UnreadableAnswer(
            f"The vision model's answer for {where} is far longer than any label; "
            "nothing from it was used.",
            details={"backend": NAME, "panel": panel},
        )
    return answer


def _what_is_wrong(error: ValueError) -> str:
    if not isinstance(error, ValidationError):
        return "not JSON"
    problems = [f"{'.'.join(map(str, e['loc'])) or 'answer'}: {e['msg']}" for e in error.errors()]
    return "; ".join(problems[:3])


def _folded(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.casefold()))


def lines_from_answer(answer: ModelAnswer) -> list[Line]:
    """The answer's lines as words without boxes or confidences.

    A field the model named but left out of its lines becomes a line of its
    own, so that extraction and the rules judge it like any other text: the
    model's fields are never taken as extracted values directly.
    """
    texts = [text for line in answer.lines if (text := " ".join(line.split()))]
    everything = f" {_folded(' '.join(texts))} "
    for value in answer.fields.model_dump().values():
        folded = _folded(value)
        if folded and f" {folded} " not in everything:
            texts.append(" ".join(value.split()))
            everything += f"{folded} "
    return [
        Line(words=tuple(Word(text=word, confidence=-1.0, box=None) for word in text.split()))
        for text in texts
    ]
