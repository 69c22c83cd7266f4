"""What text the service accepts, decided in one place.

Every text a caller sends (form fields, query parameters, `application` and
`ground_truth` JSON, CSV and JSON manifests) goes through here before any
work is done. Refused, because it cannot be stored or has no business in a
label's data:

- NUL (PostgreSQL text cannot hold it), lone surrogates (not characters at
  all: no database and no UTF-8 encoder takes them), and every other control
  character, except tab, newline and carriage return in multi-line fields;
- JSON nested deeper than `MAX_JSON_DEPTH`, larger than `MAX_JSON_KB`, or
  using `NaN`/`Infinity` (not JSON; PostgreSQL's `jsonb` refuses them).

Callers turn `UnsafeText` into their own answer: the API's error shape (see
`ttbsite.errors`), a form error, a `Rejected` for the batch manifest.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from typing import Any

from django.conf import settings
from django.utils.datastructures import MultiValueDict

# C0 and C1 controls, DEL, and the surrogate range (only lone ones survive in a str).
_SINGLE_LINE_REFUSED = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
_MULTI_LINE_REFUSED = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


class UnsafeText(ValueError):
    """Text a caller sent that the service will not take; `field` names where it was."""

    def __init__(self, message: str, *, field: str, code: str = "invalid_text") -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.code = code

    @property
    def details(self) -> dict[str, Any]:
        return {"field": self.field}


def _describe(character: str) -> str:
    if "\ud800" <= character <= "\udfff":
        return f"a lone surrogate (U+{ord(character):04X}, half of a character)"
    if character == "\x00":
        return "a NUL character (U+0000)"
    return f"a control character (U+{ord(character):04X})"


def check_text(value: str, *, field: str, multiline: bool = False) -> str:
    """`value` unchanged, or `UnsafeText` naming the field and the first bad character."""
    pattern = _MULTI_LINE_REFUSED if multiline else _SINGLE_LINE_REFUSED
    found = pattern.search(value)
    if found is not None:
        allowed = " Only tab and line breaks are allowed here." if multiline else ""
        raise UnsafeText(
            f"{field} contains {_describe(found.group())} at position {found.start() + 1}."
            f"{allowed}",
            field=field,
        )
    return value


def check_form_data(
    data: MultiValueDict | Mapping[str, Any],
    *,
    multiline: Iterable[str] = (),
    repeatable: Iterable[str] = (),
) -> None:
    """Every key and text value of a parsed form or query string: safe text,
    and each key sent once unless it is `repeatable` (a repeated field would
    otherwise have its last value win silently)."""
    multiline, repeatable = set(multiline), set(repeatable)
    if isinstance(data, MultiValueDict):
        pairs = data.lists()
    else:
        pairs = [(key, [value]) for key, value in data.items()]
    for key, values in pairs:
        check_text(key, field="field name")
        if len(values) > 1 and key not in repeatable:
            raise UnsafeText(
                f"{key} was sent {len(values)} times; send it once.",
                field=key,
                code="duplicate_field",
            )
        for value in values:
            if isinstance(value, str):  # not a file: Django drops unprintable file-name characters
                check_text(value, field=key, multiline=key in multiline)


def _reject_constant(name: str) -> None:
    raise ValueError(f"{name} is not a JSON value")


def parse_json(text: str | bytes, *, field: str) -> Any:
    """A JSON document, within the size and depth limits, with safe text in
    every key and string; `UnsafeText` (code `malformed_json`, `json_too_large`,
    `json_too_deep` or `invalid_text`) otherwise."""
    max_bytes = settings.MAX_JSON_KB * 1024
    size = len(text) if isinstance(text, bytes) else len(text.encode("utf-8", "surrogatepass"))
    if size > max_bytes:
        raise UnsafeText(
            f"{field} is {size:,} bytes of JSON; the limit is {settings.MAX_JSON_KB} KB.",
            field=field,
            code="json_too_large",
        )
    try:
        document = json.loads(text, parse_constant=_reject_constant)
    except RecursionError:
        document = None
        too_deep = True
    except (TypeError, ValueError) as error:
        raise UnsafeText(
            f"{field} is not valid JSON: {error}.", field=field, code="malformed_json"
        ) from error
    else:
        too_deep = False
    if too_deep or _depth_exceeds(document, settings.MAX_JSON_DEPTH):
        raise UnsafeText(
            f"{field} nests JSON deeper than {settings.MAX_JSON_DEPTH} levels.",
            field=field,
            code="json_too_deep",
        )
    _check_strings(document, field=field)
    return document


def _depth_exceeds(document: Any, limit: int) -> bool:
    stack = [(document, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict | list):
            if depth > limit:
                return True
            children = value.values() if isinstance(value, dict) else value
            stack.extend((child, depth + 1) for child in children)
    return False


def _check_strings(document: Any, *, field: str) -> None:
    stack = [document]
    while stack:
        value = stack.pop()
        if isinstance(value, str):
            check_text(value, field=field)
        elif isinstance(value, dict):
            for key, child in value.items():
                check_text(key, field=field)
                stack.append(child)
        elif isinstance(value, list):
            stack.extend(value)
