"""A small HTTP server on 127.0.0.1 that answers like Ollama, for tests.

Routes are a table of (method, path) -> handler; each handler gets the
request and returns a `FakeReply` (a JSON body, or NDJSON lines streamed one
chunk at a time, as Ollama streams). Tests add the routes they need:

    with FakeOllama() as server:
        server.route("POST", "/api/pull", FakeReply.stream(pull_progress_lines([4096])))
        ollama.Client(host=server.url).pull("llama3.2-vision", stream=True)
        assert server.requests[0].json["model"] == "llama3.2-vision"

`/api/tags` and `/api/chat` for the OCR backend are one `route()` call each,
with `tags_reply()` and `chat_reply()`; `slowly()` delays any answer.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass(frozen=True)
class FakeRequest:
    method: str
    path: str
    body: bytes

    @property
    def json(self) -> Any:
        return json.loads(self.body) if self.body else None


@dataclass(frozen=True)
class FakeReply:
    status: int = 200
    body: bytes = b""
    lines: tuple[dict[str, Any], ...] | None = None  # NDJSON, streamed line by line
    content_type: str = "application/json; charset=utf-8"

    @classmethod
    def json(cls, body: Any, status: int = 200) -> FakeReply:
        return cls(status=status, body=json.dumps(body).encode())

    @classmethod
    def stream(cls, lines: Iterable[dict[str, Any]], status: int = 200) -> FakeReply:
        return cls(status=status, lines=tuple(lines), content_type="application/x-ndjson")

    def __call__(self, request: FakeRequest) -> FakeReply:
        """A reply is also a handler that always gives itself."""
        return self


Handler = Callable[[FakeRequest], FakeReply]


def pull_progress_lines(
    layer_sizes: list[int], *, chunks_per_layer: int = 4, error: str | None = None
) -> list[dict[str, Any]]:
    """The NDJSON Ollama's POST /api/pull streams: manifest, each layer's progress, success.

    With `error`, the stream ends with Ollama's `{"error": ...}` line after the first layer.
    """
    lines: list[dict[str, Any]] = [{"status": "pulling manifest"}]
    for index, size in enumerate(layer_sizes):
        digest = f"sha256:{index:064x}"
        for step in range(chunks_per_layer + 1):
            lines.append(
                {
                    "status": f"pulling {digest[7:19]}",
                    "digest": digest,
                    "total": size,
                    "completed": size * step // chunks_per_layer,
                }
            )
        if error is not None:
            return [*lines, {"error": error}]
    lines += [{"status": "verifying sha256 digest"}, {"status": "writing manifest"}]
    lines.append({"status": "success"})
    return lines


def tags_reply(*models: str) -> FakeReply:
    """GET /api/tags: the models the server has pulled, e.g. "llama3.2-vision:latest"."""
    return FakeReply.json({"models": [{"model": name, "name": name} for name in models]})


def chat_reply(content: str, *, model: str = "llama3.2-vision") -> FakeReply:
    """POST /api/chat, not streamed: the assistant's message is `content` (JSON or not)."""
    return FakeReply.json(
        {
            "model": model,
            "created_at": "2026-01-01T00:00:00Z",
            "message": {"role": "assistant", "content": content},
            "done": True,
            "done_reason": "stop",
        }
    )


def slowly(reply: Handler, seconds: float) -> Handler:
    """The same answer after `seconds`: a busy GPU, a model still loading."""

    def handler(request: FakeRequest) -> FakeReply:
        time.sleep(seconds)
        return reply(request)

    return handler


@dataclass
class FakeOllama:
    routes: dict[tuple[str, str], Handler] = field(default_factory=dict)
    requests: list[FakeRequest] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_class(self))
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def route(self, method: str, path: str, handler: Handler) -> None:
        self.routes[(method.upper(), path)] = handler

    def start(self) -> FakeOllama:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> FakeOllama:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def answer(self, request: FakeRequest) -> FakeReply:
        self.requests.append(request)
        handler = self.routes.get((request.method, request.path))
        if handler is None:
            return FakeReply.json({"error": f"404 page not found: {request.path}"}, status=404)
        return handler(request)


def _handler_class(server: FakeOllama) -> type[BaseHTTPRequestHandler]:
    class OllamaHandler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # chunked streaming, as Ollama does

        def do_GET(self) -> None:
            self._serve()

        def do_POST(self) -> None:
            self._serve()

        def do_DELETE(self) -> None:
            self._serve()

        def log_message(self, format: str, *args: Any) -> None:
            pass  # keep test output quiet

        def _serve(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            request = FakeRequest(self.command, self.path, self.rfile.read(length))
            reply = server.answer(request)
            self.send_response(reply.status)
            self.send_header("Content-Type", reply.content_type)
            if reply.lines is None:
                self.send_header("Content-Length", str(len(reply.body)))
                self.end_headers()
                self.wfile.write(reply.body)
                return
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            for line in reply.lines:
                chunk = json.dumps(line).encode() + b"\n"
                self.wfile.write(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
                self.wfile.flush()
            self.wfile.write(b"0\r\n\r\n")

    return OllamaHandler
