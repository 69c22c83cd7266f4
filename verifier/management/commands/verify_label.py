"""`manage.py verify_label PATH…`: verify labels from the command line.

Exit codes: 0 compliant, 1 non-compliant, 2 needs review, 3 bad input (no
such file, bad application data, unreadable image), 4 the verifier could not
answer (backend unavailable or timed out). With several labels the worst
verdict wins (non-compliant over needs review over compliant), and any label
that could not be verified makes it 3 or 4.
"""

from __future__ import annotations

import json
import sys
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from verifier.application_data import (
    APPLICATION_FIELDS,
    application_from_mapping,
    parse_json_object,
)
from verifier.engine import Application, Options
from verifier.engine.backends import Backend
from verifier.engine.errors import EngineError
from verifier.engine.images import sniff_format
from verifier.models import Channel
from verifier.rejections import Rejected
from verifier.services.verifications import verification_create, verification_options
from verifier.upload_limits import check_image_size, check_panel_count

EXIT_FOR_VERDICT = {"COMPLIANT": 0, "NON_COMPLIANT": 1, "NEEDS_REVIEW": 2}
EXIT_BAD_INPUT = 3
EXIT_VERIFIER_UNAVAILABLE = 4
_UNAVAILABLE_CODES = {"backend_unavailable", "backend_timeout"}
_IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".tif", ".tiff", ".webp"}


def _label_sets(paths: list[Path]) -> list[list[Path]]:
    """Files given together are the panels of one label. A directory holds
    labels: each image file is one label, each subdirectory one label set."""
    directories = [path for path in paths if path.is_dir()]
    if not directories:
        return [paths]
    if len(paths) > 1:
        raise CommandError("Give either one directory or the image files of one label set.")
    label_sets: list[list[Path]] = []
    for entry in sorted(directories[0].iterdir()):
        if entry.is_dir():
            panels = sorted(p for p in entry.iterdir() if p.suffix.lower() in _IMAGE_SUFFIXES)
            if panels:
                label_sets.append(panels)
        elif entry.suffix.lower() in _IMAGE_SUFFIXES:
            label_sets.append([entry])
    if not label_sets:
        raise CommandError(f"No label images in {directories[0]}.", returncode=EXIT_BAD_INPUT)
    return label_sets


class Command(BaseCommand):
    help = (
        "Verify a label set (the image files of its panels) or, given a directory, each label "
        "in it. Writes one audit row per label. Exit code: 0 compliant, 1 non-compliant, "
        "2 needs review, 3 bad input, 4 verifier unavailable; the worst label decides."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("paths", nargs="+", type=Path, metavar="PATH")
        parser.add_argument(
            "--application", type=Path, metavar="FILE.json", help="Application data as JSON."
        )
        for field in APPLICATION_FIELDS:
            parser.add_argument(f"--{field.replace('_', '-')}", dest=field, metavar="VALUE")
        parser.add_argument(
            "--backend",
            choices=[backend.value for backend in Backend],
            default=None,
            help="OCR backend (default: OCR_DEFAULT_BACKEND).",
        )
        parser.add_argument("--dpi", type=float, help="The scans' resolution, if known.")
        parser.add_argument(
            "--json", action="store_true", help="Print each answer as one JSON line."
        )

    def _application(self, options: dict[str, Any]) -> Application:
        fields = {f: options[f] for f in APPLICATION_FIELDS if options.get(f) is not None}
        try:
            if options["application"] is not None:
                if fields:
                    raise CommandError("Give --application or field flags, not both.")
                try:
                    text = options["application"].read_text()
                except OSError as error:
                    raise CommandError(
                        f"Cannot read {options['application']}: {error.strerror}.",
                        returncode=EXIT_BAD_INPUT,
                    ) from error
                fields = parse_json_object(text, field=str(options["application"]))
            return application_from_mapping(fields)
        except Rejected as error:
            raise CommandError(error.message, returncode=EXIT_BAD_INPUT) from error

    def handle(self, *args: Any, **options: Any) -> None:
        paths: list[Path] = options["paths"]
        missing = [str(path) for path in paths if not path.exists()]
        if missing:
            raise CommandError(f"No such file: {', '.join(missing)}.", returncode=EXIT_BAD_INPUT)
        application = self._application(options)
        engine_options = verification_options(backend=options["backend"], dpi=options["dpi"])
        label_sets = _label_sets(paths)
        exit_codes = []
        progress = tqdm(
            label_sets, disable=len(label_sets) < 2, unit="label", file=sys.stderr, leave=False
        )
        for panels in progress:
            exit_codes.append(self._verify(panels, application, engine_options, options["json"]))
        progress.close()
        worst = self._worst(exit_codes)
        if worst:
            sys.exit(worst)

    @staticmethod
    def _worst(exit_codes: list[int]) -> int:
        for code in (EXIT_VERIFIER_UNAVAILABLE, EXIT_BAD_INPUT, 1, 2):
            if code in exit_codes:
                return code
        return 0

    def _verify(
        self, panels: list[Path], application: Application, options: Options, as_json: bool
    ) -> int:
        name = " + ".join(str(panel) for panel in panels)
        try:
            images = [panel.read_bytes() for panel in panels]
            check_panel_count(len(images))
            for panel, data in zip(panels, images, strict=True):
                check_image_size(str(panel), len(data))
                if sniff_format(data) is None:
                    raise Rejected(
                        f"{panel} is not a JPEG, PNG, TIFF or WebP image.",
                        code="unsupported_media_type",
                    )
            verification = verification_create(
                images=images, application=application, options=options, channel=Channel.CLI
            )
        except (Rejected, EngineError, OSError) as error:
            code = getattr(error, "code", "unreadable_file")
            message = getattr(error, "message", None) or str(error)
            self._report_error(name, code, message, as_json)
            return EXIT_VERIFIER_UNAVAILABLE if code in _UNAVAILABLE_CODES else EXIT_BAD_INPUT
        result = verification.result
        if as_json:
            self.stdout.write(json.dumps({"label": name, **result}))
        else:
            self._report(name, result)
        return EXIT_FOR_VERDICT[result["status"]]

    def _report_error(self, name: str, code: str, message: str, as_json: bool) -> None:
        if as_json:
            self.stdout.write(
                json.dumps({"label": name, "error": {"code": code, "message": message}})
            )
        else:
            self.stderr.write(f"{name}: {message} ({code})")

    def _report(self, name: str, result: dict[str, Any]) -> None:
        style = {
            "COMPLIANT": self.style.SUCCESS,
            "NON_COMPLIANT": self.style.ERROR,
            "NEEDS_REVIEW": self.style.WARNING,
        }[result["status"]]
        self.stdout.write(f"{name}: {style(result['status'])}  (request {result['request_id']})")
        for finding in result["violations"]:
            self.stdout.write(f"  ✗ {finding['check']}: {finding['message']}")
        for finding in result["warnings"]:
            self.stdout.write(f"  ? {finding['check'] or finding['field']}: {finding['message']}")
