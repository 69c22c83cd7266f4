"""What the admin modules share: filters, read-only mixins, a cheap paginator.

The audit trail (`verifier.admin`) and the saved artifacts (`artifacts.admin`)
are log-like tables that grow without bound and are never edited in the
admin, so both use these: fixed-choice filters (no `SELECT DISTINCT` over the
table), a from–to date filter, a paginator that does not `COUNT(*)` the
table on every page (as healthchecks does for its ping log), and read-only
permissions.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime, time, timedelta
from functools import cached_property
from typing import Any

from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone

from verifier.engine.backends import Backend
from verifier.engine.models import BeverageType


class CheapPaginator(Paginator):
    """Pages without counting the whole table.

    Unfiltered on PostgreSQL: the planner's row estimate. Otherwise an exact
    count up to COUNT_CAP rows, and COUNT_CAP beyond (the last pages of a huge
    filter are not worth a full scan on every page view).
    """

    COUNT_CAP = 10_000

    @cached_property
    def count(self) -> int:
        queryset = self.object_list
        if not isinstance(queryset, QuerySet):
            return super().count
        if connection.vendor == "postgresql" and not queryset.query.where:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT reltuples::bigint FROM pg_class WHERE relname = %s",
                    [queryset.model._meta.db_table],
                )
                row = cursor.fetchone()
            if row and row[0] > self.COUNT_CAP:
                return int(row[0])
        return queryset[: self.COUNT_CAP].count()


class ReadOnlyAdminMixin:
    """Shown, never added, changed or deleted here (append-only rows)."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class LogTableAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """A read-only change list over a table that grows without bound."""

    paginator = CheapPaginator
    show_full_result_count = False
    list_per_page = 50


class RequestIdSearchMixin:
    """A search term that is a UUID finds that request id exactly (indexed);
    anything else goes to the admin's `search_fields`."""

    request_id_field = "request_id"

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[Any], search_term: str
    ) -> tuple[QuerySet[Any], bool]:
        try:
            request_id = uuid.UUID(search_term.strip())
        except ValueError:
            return super().get_search_results(request, queryset, search_term)  # type: ignore[misc]
        return queryset.filter(**{self.request_id_field: request_id}), False


class FixedChoicesFilter(admin.SimpleListFilter):
    """A filter over known values, so the sidebar needs no `SELECT DISTINCT` of the table."""

    values: tuple[tuple[str, str], ...] = ()

    def lookups(self, request: HttpRequest, model_admin: Any) -> tuple[tuple[str, str], ...]:
        return self.values

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        value = self.value()
        return queryset.filter(**{self.parameter_name: value}) if value else queryset


class BackendFilter(FixedChoicesFilter):
    """The reading backend; subclasses name the column (`backend_used`, `ocr_backend`)."""

    title = "backend"
    values = tuple(Backend.choices())


class BeverageTypeFilter(FixedChoicesFilter):
    title = "beverage type"
    parameter_name = "beverage_type"
    values = tuple((str(kind), str(kind).replace("_", " ").capitalize()) for kind in BeverageType)


class DateRangeFilter(admin.ListFilter):
    """From–to whole days (both included) on `field_name`, as a small form in
    the sidebar: `?created_from=2026-01-01&created_to=2026-01-31`."""

    title = "date"
    template = "admin/date_range_filter.html"
    field_name = "created_at"
    from_parameter = "created_from"
    to_parameter = "created_to"

    def __init__(
        self, request: HttpRequest, params: dict[str, Any], model: Any, model_admin: Any
    ) -> None:
        super().__init__(request, params, model, model_admin)
        for name in self.expected_parameters():
            if name in params:
                value = params.pop(name)
                self.used_parameters[name] = value[-1] if isinstance(value, list) else value
        self.days = {name: self._day(name) for name in self.expected_parameters()}

    def _day(self, name: str) -> date | None:
        raw = (self.used_parameters.get(name) or "").strip()
        if not raw:
            return None
        try:
            return date.fromisoformat(raw)
        except ValueError as error:
            raise IncorrectLookupParameters(f"{name} must be a date (YYYY-MM-DD).") from error

    def _start_of(self, day: date) -> datetime:
        return datetime.combine(day, time.min, tzinfo=timezone.get_current_timezone())

    def has_output(self) -> bool:
        return True

    def expected_parameters(self) -> list[str]:
        return [self.from_parameter, self.to_parameter]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        first, last = self.days[self.from_parameter], self.days[self.to_parameter]
        if first is not None:
            queryset = queryset.filter(**{f"{self.field_name}__gte": self._start_of(first)})
        if last is not None:
            end = self._start_of(last + timedelta(days=1))
            queryset = queryset.filter(**{f"{self.field_name}__lt": end})
        return queryset

    def choices(self, changelist: Any) -> list[dict[str, Any]]:
        """One "choice": what the template needs to draw the form."""
        kept = {
            name: value
            for name, value in changelist.params.items()
            if name not in self.expected_parameters()
        }
        return [
            {
                "from_parameter": self.from_parameter,
                "to_parameter": self.to_parameter,
                "from_value": self.used_parameters.get(self.from_parameter, ""),
                "to_value": self.used_parameters.get(self.to_parameter, ""),
                "hidden": sorted(kept.items()),
                "selected": any(self.days.values()),
                "clear_url": changelist.get_query_string(remove=self.expected_parameters()),
            }
        ]
