"""What the vision-model tests share: the model's name, what it transcribes
from a rendered label, and the requests the fake Ollama received."""

from __future__ import annotations

import json
import socket

from labelgen import LabelSpec
from tests.fake_ollama import FakeOllama, FakeReply, FakeRequest, chat_reply

MODEL = "llama3.2-vision"
TEXT_CHECKS = (
    "warning_present",
    "warning_text",
    "warning_header_caps",
    "brand_name",
    "class_type",
    "alcohol_content",
    "net_contents",
    "bottler",
    "country_of_origin",
)


def label_lines(spec: LabelSpec) -> list[str]:
    """What a good vision model transcribes from a rendered label, line by line."""
    lines = [spec.brand, spec.class_type, spec.alcohol_text, spec.net_contents]
    if spec.country:
        lines.append(f"Product of {spec.country}")
    lines.append(spec.bottler)
    lines.append(f"{spec.warning_header} {spec.warning_body}".strip())
    return lines


def chat_answer(lines: list[str], fields: dict | None = None) -> FakeReply:
    """The model's answer when it reads `lines` (and names `fields`)."""
    return chat_reply(json.dumps({"lines": lines, "fields": fields or {}}), model=MODEL)


def closed_port_url() -> str:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{probe.getsockname()[1]}"


def chats(server: FakeOllama) -> list[FakeRequest]:
    return [request for request in server.requests if request.path == "/api/chat"]
