"""The agent pages' forms: labels and help in plain words, errors next to the field.

Form fields only gather what the person typed. What the values mean is decided
by `verifier.application_data` (the same parser the API and the batch manifest
use), and the images by the engine, through the verification service.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile

from ttbsite.text_inputs import UnsafeText, check_form_data
from verifier.application_data import (
    APPLICATION_FIELDS,
    MAX_TEXT_LENGTH,
    ApplicationDataError,
    application_from_mapping,
)
from verifier.engine import Application
from verifier.models import DecisionOutcome
from verifier.services.decisions import NOTE_MAX_CHARS
from verifier.upload_limits import max_batch_bytes, max_image_bytes

BEVERAGE_TYPE_CHOICES = [
    ("", "Not sure – let the label decide"),
    ("distilled_spirits", "Distilled spirits (whiskey, vodka, gin, rum, tequila…)"),
    ("wine", "Wine"),
    ("malt_beverage", "Malt beverage (beer, ale, lager, stout…)"),
]
# What an agent types: the application's fields but the import flag, which
# the country of origin implies.
APPLICATION_FORM_FIELDS = tuple(name for name in APPLICATION_FIELDS if name != "is_import")
DECISION_NOTE_HINT = "Why, in a sentence. Press Enter to save."


class MultipleImageInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class LabelImagesField(forms.FileField):
    """One or more uploaded files, in the order they were chosen."""

    widget = MultipleImageInput

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        files = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        if not files:
            raise forms.ValidationError(
                "Choose at least one picture of the label.", code="required"
            )
        if len(files) > settings.MAX_PANELS:
            raise forms.ValidationError(
                f"You chose {len(files)} pictures. One label can have at most "
                f"{settings.MAX_PANELS}; check the others separately.",
                code="too_many",
            )
        for upload in files:
            if upload.size > max_image_bytes():
                raise forms.ValidationError(
                    f"“{upload.name}” is larger than {settings.MAX_UPLOAD_MB} MB. "
                    "Save a smaller picture (a photo or scan of about 1–5 MB works well).",
                    code="too_large",
                )
            if upload.size == 0:
                raise forms.ValidationError(f"“{upload.name}” is empty.", code="empty")
        return files


def _application_text_field(label: str, help_text: str) -> forms.CharField:
    """One typed application field: optional, no longer than the parser accepts."""
    return forms.CharField(
        label=label, required=False, max_length=MAX_TEXT_LENGTH, help_text=help_text
    )


class CheckedForm(forms.Form):
    """A form that refuses unsafe text (control characters, NUL) and fields sent
    more than once, naming the field; a repeated field would otherwise have its
    last value win silently."""

    repeatable_fields: tuple[str, ...] = ()

    def full_clean(self) -> None:
        super().full_clean()
        if not self.is_bound:
            return
        try:
            check_form_data(self.data, repeatable=self.repeatable_fields)
            check_form_data(self.files, repeatable=self.repeatable_fields)
        except UnsafeText as error:
            field = error.field if error.field in self.fields else None
            if field is not None and field in self.errors:
                return  # the field already says what is wrong with it
            self.add_error(field, error.message)


class VerifyForm(CheckedForm):
    repeatable_fields = ("images",)

    images = LabelImagesField(
        label="Pictures of the label",
        help_text="JPEG, PNG, TIFF or WebP. Add the front and the back if they are separate.",
    )
    brand_name = _application_text_field("Brand name", "For example: Old Tom")
    class_type = _application_text_field(
        "Class or type", "For example: Kentucky Straight Bourbon Whiskey"
    )
    alcohol_content = _application_text_field("Alcohol content", "For example: 45% ABV or 90 proof")
    net_contents = _application_text_field("Net contents", "For example: 750 mL")
    bottler = _application_text_field(
        "Bottler or importer name and address",
        "For example: Bottled by Old Tom Distilling Co., Louisville, KY",
    )
    country_of_origin = _application_text_field(
        "Country of origin",
        "Only for imported products. Leave empty for products made in the USA.",
    )
    beverage_type = forms.ChoiceField(
        label="Beverage type", required=False, choices=BEVERAGE_TYPE_CHOICES
    )
    dont_keep = forms.BooleanField(
        label="Don’t keep a copy of the pictures (the record will show no picture)",
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.application: Application | None = None
        if not settings.ARTIFACT_STORAGE_ENABLED:
            del self.fields["dont_keep"]

    @property
    def keep_pictures(self) -> bool:
        """Web verifications keep their pictures unless the agent says not to."""
        return settings.ARTIFACT_STORAGE_ENABLED and not self.cleaned_data.get("dont_keep")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        values = {name: cleaned.get(name) for name in APPLICATION_FORM_FIELDS}
        try:
            self.application = application_from_mapping(values)
        except ApplicationDataError as error:
            field = error.field if error.field in self.fields else None
            # Next to its field the field's own name is noise: "'strong' has no ...".
            message = error.message.removeprefix(f"{error.field} ") if field else error.message
            self.add_error(field, message[:1].upper() + message[1:])
        return cleaned


class BatchForm(CheckedForm):
    archive = forms.FileField(
        label="ZIP file with the label pictures",
        help_text=(
            "One picture per label, or one folder per label when a label has several "
            "pictures. A manifest.csv inside the ZIP is read too."
        ),
    )
    manifest = forms.FileField(
        label="Application data (optional)",
        required=False,
        help_text="A manifest.csv or manifest.json with one row per label.",
    )

    def clean_archive(self) -> UploadedFile:
        archive = self.cleaned_data["archive"]
        if not archive.name.lower().endswith(".zip"):
            raise forms.ValidationError(
                f"“{archive.name}” is not a ZIP file. Put the pictures in a ZIP file first "
                "(in Windows: select them, right-click, Send to › Compressed folder).",
                code="not_zip",
            )
        if archive.size > max_batch_bytes():
            raise forms.ValidationError(
                f"The ZIP file is larger than {settings.MAX_BATCH_UPLOAD_MB} MB. "
                "Split the pictures into two or more ZIP files.",
                code="too_large",
            )
        return archive


class DecisionForm(CheckedForm):
    """An agent's decision on a record. Per-check overrides arrive as
    `override-<check id>` (an outcome) and `override-<check id>-reason`."""

    outcome = forms.ChoiceField(
        label="Your decision", choices=DecisionOutcome.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label="Note", required=False, max_length=NOTE_MAX_CHARS, help_text=DECISION_NOTE_HINT
    )

    def overrides(self, check_ids: list[str]) -> dict[str, dict[str, str]]:
        chosen = {}
        for check_id in check_ids:
            outcome = self.data.get(f"override-{check_id}") or ""
            if outcome:
                reason = self.data.get(f"override-{check_id}-reason") or ""
                chosen[check_id] = {"outcome": outcome, "reason": reason}
        return chosen
