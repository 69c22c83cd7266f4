"""Which audit rows a dashboard view covers: a date range and three filters."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from django import forms
from django.db.models import QuerySet
from django.utils import timezone

from verifier.engine.backends import Backend
from verifier.engine.models import BeverageType
from verifier.models import Channel, Verification

DEFAULT_DAYS = 30
MAX_DAYS = 366


def start_of_day(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


@dataclass(frozen=True)
class Scope:
    """Whole UTC days `first_day`..`last_day` (both included), optionally filtered."""

    first_day: date
    last_day: date
    beverage_type: str = ""
    channel: str = ""
    backend: str = ""

    @property
    def start(self) -> datetime:
        return start_of_day(self.first_day)

    @property
    def end(self) -> datetime:
        return start_of_day(self.last_day + timedelta(days=1))

    @property
    def days(self) -> list[date]:
        count = (self.last_day - self.first_day).days + 1
        return [self.first_day + timedelta(days=offset) for offset in range(count)]

    def query_string(self) -> str:
        from urllib.parse import urlencode

        values = {
            "start": self.first_day.isoformat(),
            "end": self.last_day.isoformat(),
            "beverage_type": self.beverage_type,
            "channel": self.channel,
            "backend": self.backend,
        }
        return urlencode({name: value for name, value in values.items() if value})


def verifications_in(scope: Scope) -> QuerySet[Verification]:
    """The audit rows of the scope; the created_at index bounds the scan."""
    queryset = Verification.objects.filter(created_at__gte=scope.start, created_at__lt=scope.end)
    if scope.beverage_type:
        queryset = queryset.filter(beverage_type=scope.beverage_type)
    if scope.channel:
        queryset = queryset.filter(channel=scope.channel)
    if scope.backend:
        queryset = queryset.filter(backend_used=scope.backend)
    return queryset


def _optional(choices: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return [("", "All"), *choices]


class ScopeForm(forms.Form):
    start = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    beverage_type = forms.ChoiceField(
        required=False,
        choices=_optional([(kind.value, kind.value.replace("_", " ")) for kind in BeverageType]),
    )
    channel = forms.ChoiceField(required=False, choices=_optional(Channel.choices))
    backend = forms.ChoiceField(required=False, choices=_optional(Backend.choices()))

    def clean(self) -> dict:
        data = super().clean()
        today = timezone.now().date()
        end = data.get("end") or today
        start = data.get("start") or end - timedelta(days=DEFAULT_DAYS - 1)
        if start > end:
            raise forms.ValidationError("The start date is after the end date.")
        if (end - start).days >= MAX_DAYS:
            raise forms.ValidationError(f"Choose at most {MAX_DAYS} days.")
        data["start"], data["end"] = start, end
        return data

    def scope(self) -> Scope:
        data = self.cleaned_data
        return Scope(
            first_day=data["start"],
            last_day=data["end"],
            beverage_type=data.get("beverage_type") or "",
            channel=data.get("channel") or "",
            backend=data.get("backend") or "",
        )
