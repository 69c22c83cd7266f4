from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any, NoReturn

import boto3
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from modelstatus.services.errors import ModelFetchError, human_bytes
from modelstatus.services.fetch_from_s3 import model_fetch_from_s3
from modelstatus.services.pull_from_ollama import model_pull_from_ollama
from modelstatus.services.status_writer import Document, StatusWriter


class Command(BaseCommand):
    help = (
        "Download the vision model and record progress in MODEL_STATUS_FILE. From S3 "
        "(default): s3://BUCKET/KEY, a .tar.gz of the Ollama models folder (blobs/, "
        "manifests/), unpacked into OLLAMA_MODELS_DIR. With --source ollama: a pull through "
        "the Ollama server at OLLAMA_HOST. Does nothing when the model is already installed "
        "and intact. Exits non-zero, with the status `error`, when it cannot finish."
    )

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument(
            "--source", choices=["s3", "ollama"], default="s3", help="Where the model comes from."
        )
        parser.add_argument("--bucket", help="The S3 bucket (default: MODEL_BUCKET).")
        parser.add_argument(
            "--model",
            help=f"The Ollama model name (default: OLLAMA_MODEL, {settings.OLLAMA_MODEL}).",
        )
        parser.add_argument("--key", help="The S3 key (default: models/MODEL.tar.gz).")

    def handle(
        self,
        *args: Any,
        source: str,
        bucket: str | None,
        model: str | None,
        key: str | None,
        **options: Any,
    ) -> None:
        model = model or settings.OLLAMA_MODEL
        report = _TerminalProgress(self) if self.stdout.isatty() else _PhaseLines(self)
        writer = StatusWriter(
            path=Path(settings.MODEL_STATUS_FILE), model=model, source=source, listener=report
        )
        try:
            if source == "ollama":
                host = settings.OLLAMA_HOST
                if not host:
                    self._refuse(writer, "--source ollama needs OLLAMA_HOST: where Ollama listens.")
                model_pull_from_ollama(host=host, model=model, writer=writer)
            else:
                bucket = bucket or settings.MODEL_BUCKET
                if not bucket:
                    self._refuse(writer, "No S3 bucket: pass --bucket or set MODEL_BUCKET.")
                model_fetch_from_s3(
                    client=boto3.client("s3"),
                    bucket=bucket,
                    key=key or f"models/{model}.tar.gz",
                    model=model,
                    models_dir=Path(settings.OLLAMA_MODELS_DIR),
                    writer=writer,
                )
        except ModelFetchError as error:
            raise CommandError(str(error)) from error
        finally:
            report.close()

    def _refuse(self, writer: StatusWriter, message: str) -> NoReturn:
        """Bad configuration: say so on the page too, since an init script runs this unseen."""
        writer.fail(message)
        raise CommandError(message)


class _PhaseLines:
    """Without a terminal (init script, logs): one line per phase."""

    def __init__(self, command: BaseCommand) -> None:
        self._command = command
        self._status: str | None = None

    def __call__(self, document: Document) -> None:
        status = document["status"]
        if status == self._status:
            return
        self._status = status
        total = document["progress"].get("total_bytes")
        size = f" ({human_bytes(total)})" if total else ""
        style = self._command.style
        lines = {
            "downloading": f"Downloading {document['model']} from {document['source']}{size}…",
            "extracting": f"Extracting{size}…",
            "ready": style.SUCCESS(f"Ready: {document['model']}."),
        }
        if status in lines:
            self._command.stdout.write(lines[status])

    def close(self) -> None:
        pass


class _TerminalProgress:
    """On a terminal: a progress bar per phase, fed by every update (tqdm throttles drawing)."""

    def __init__(self, command: BaseCommand) -> None:
        self._command = command
        self._status: str | None = None
        self._bar: tqdm | None = None

    def __call__(self, document: Document) -> None:
        status = document["status"]
        progress = document["progress"]
        if status != self._status:
            self.close()
            self._status = status
            if status in {"downloading", "extracting"}:
                self._bar = tqdm(
                    desc=status.capitalize(),
                    total=progress.get("total_bytes"),
                    unit="B",
                    unit_scale=True,
                    # tqdm redraws with "\r"; OutputWrapper.write would append newlines.
                    file=self._command.stdout._out,
                )
            elif status == "ready":
                self._command.stdout.write(
                    self._command.style.SUCCESS(f"Ready: {document['model']}.")
                )
        if self._bar is not None:
            done = progress.get("extracted_bytes" if status == "extracting" else "downloaded_bytes")
            self._bar.total = progress.get("total_bytes")
            self._bar.update((done or 0) - self._bar.n)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
            self._bar = None
