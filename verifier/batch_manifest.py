"""A batch manifest: which files are the panels of one label set, and what was filed.

CSV: one row per file. Columns `file` (the file's name in the ZIP or upload),
optional `label` (rows sharing a label are the panels of one label set, in row
order) and any application field (`brand_name`, `class_type`, ...).

JSON: a list (or `{"labels": [...]}`) of objects, one per label set:
`{"files": ["front.png", "back.png"], "application": {...}}`; `"file"` may
name a single file, and `"ground_truth"` may replace `"application"`.

Files the manifest does not name are each a label set of their own, checked
without application data. A name the manifest gives but no file has is an
error: the manifest and the files disagree, and guessing would be wrong.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

from django.conf import settings

from ttbsite.text_inputs import UnsafeText, check_text, parse_json
from verifier.application_data import (
    APPLICATION_FIELDS,
    ApplicationDataError,
    application_from_ground_truth,
    application_from_mapping,
    application_to_json,
)
from verifier.rejections import Rejected

_FILE_COLUMNS = ("file", "filename", "image")
_JSON_KEYS = ("file", "files", "application", "ground_truth", "label")
# Named in the errors, so a wrong header can be fixed without the manual.
_ALLOWED_COLUMNS = ", ".join(("file", "label", *APPLICATION_FIELDS))


@dataclass
class LabelSet:
    files: list[str]
    application: dict[str, Any]  # as `application_to_json` writes it


def _invalid(message: str) -> Rejected:
    return Rejected(f"manifest: {message}", code="invalid_manifest")


def parse_manifest(data: bytes, *, name: str) -> list[LabelSet]:
    """Label sets from a manifest's bytes; the format comes from the content."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise _invalid("it is not UTF-8 text.") from error
    try:
        check_text(text, field="manifest", multiline=True)
    except UnsafeText as error:
        raise Rejected(error.message, code=error.code, details=error.details) from error
    stripped = text.lstrip()
    if name.lower().endswith(".json") or stripped.startswith(("[", "{")):
        return _parse_json(text)
    return _parse_csv(text)


def _parse_json(text: str) -> list[LabelSet]:
    try:
        document = parse_json(text, field="manifest")
    except UnsafeText as error:
        raise Rejected(error.message, code=error.code, details=error.details) from error
    if isinstance(document, dict) and set(document) == {"labels"}:
        document = document["labels"]
    if not isinstance(document, list):
        raise _invalid('expected a list of label sets, or {"labels": [...]}.')
    label_sets = []
    for index, entry in enumerate(document):
        where = f"entry {index + 1}"
        if not isinstance(entry, dict):
            raise _invalid(f"{where} is not an object.")
        unknown = sorted(set(entry) - set(_JSON_KEYS))
        if unknown:
            raise _invalid(
                f"{where} has unknown keys: {', '.join(unknown)}. "
                f"Allowed keys: {', '.join(_JSON_KEYS)}."
            )
        files = entry.get("files", [entry["file"]] if "file" in entry else None)
        if not files or not isinstance(files, list) or not all(isinstance(f, str) for f in files):
            raise _invalid(f'{where} names no file: give "files": [...] or "file": "...".')
        if "application" in entry and "ground_truth" in entry:
            raise _invalid(f'{where} has both "application" and "ground_truth": give one.')
        try:
            if isinstance(entry.get("ground_truth"), dict):
                application = application_from_ground_truth(entry["ground_truth"])
            elif isinstance(entry.get("application", {}), dict):
                application = application_from_mapping(entry.get("application", {}))
            else:
                raise _invalid(f'{where}: "application" must be an object.')
        except ApplicationDataError as error:
            raise Rejected(
                f"manifest {where}: {error.message}", code=error.code, details=error.details
            ) from error
        label_sets.append(LabelSet(files=list(files), application=application_to_json(application)))
    return label_sets


def _parse_csv(text: str) -> list[LabelSet]:
    try:
        rows = list(csv.DictReader(io.StringIO(text)))
    except csv.Error as error:
        raise _invalid(f"the CSV could not be read: {error}.") from error
    if not rows:
        raise _invalid("the CSV has no rows.")
    columns = [column for column in rows[0] if column is not None]
    file_column = next((c for c in _FILE_COLUMNS if c in columns), None)
    if file_column is None:
        raise _invalid(
            f'the CSV needs a "file" column naming each image. Allowed columns: {_ALLOWED_COLUMNS}.'
        )
    unknown = sorted(set(columns) - {file_column, "label", *APPLICATION_FIELDS})
    if unknown:
        raise _invalid(
            f"unknown columns: {', '.join(unknown)}. Allowed columns: {_ALLOWED_COLUMNS}."
        )
    groups: dict[str, LabelSet] = {}
    for number, row in enumerate(rows, start=2):
        if None in row:
            raise _invalid(f"line {number} has more values than the header has columns.")
        file = (row.get(file_column) or "").strip()
        if not file:
            raise _invalid(f"line {number} names no file.")
        fields = {k: v for k, v in row.items() if k in APPLICATION_FIELDS and v not in (None, "")}
        try:
            application = application_to_json(application_from_mapping(fields))
        except ApplicationDataError as error:
            raise Rejected(
                f"manifest line {number}: {error.message}", code=error.code, details=error.details
            ) from error
        key = (row.get("label") or "").strip() or f"\x00{file}"
        if key in groups:
            groups[key].files.append(file)
            groups[key].application = groups[key].application or application
        else:
            groups[key] = LabelSet(files=[file], application=application)
    return list(groups.values())


def group_files(names: list[str], manifest: list[LabelSet] | None) -> list[LabelSet]:
    """Every file in exactly one label set, in the manifest's order then the files'.

    A manifest name matches a file by its full path in the ZIP, or by its base
    name when only one file has that base name.
    """
    if manifest is None:
        return [LabelSet(files=[name], application={}) for name in names]
    by_basename: dict[str, list[str]] = {}
    for name in names:
        by_basename.setdefault(PurePosixPath(name).name, []).append(name)
    known = set(names)
    used: set[str] = set()
    label_sets = []
    for label_set in manifest:
        resolved = []
        for wanted in label_set.files:
            candidates = [wanted] if wanted in known else by_basename.get(wanted, [])
            if len(candidates) != 1:
                problem = "is not among the files" if not candidates else "matches several files"
                raise Rejected(
                    f"manifest names {wanted!r}, which {problem}.",
                    code="manifest_mismatch",
                    details={"file": wanted},
                )
            if candidates[0] in used:
                raise Rejected(
                    f"manifest names {wanted!r} twice.",
                    code="manifest_mismatch",
                    details={"file": wanted},
                )
            used.add(candidates[0])
            resolved.append(candidates[0])
        if len(resolved) > settings.MAX_PANELS:
            raise Rejected(
                f"manifest groups {len(resolved)} panels into one label set; "
                f"at most {settings.MAX_PANELS} are allowed.",
                code="too_many_panels",
                details={"files": resolved},
            )
        label_sets.append(LabelSet(files=resolved, application=label_set.application))
    label_sets.extend(LabelSet(files=[n], application={}) for n in names if n not in used)
    return label_sets
