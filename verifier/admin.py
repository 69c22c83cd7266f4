"""Read-only admin for the audit trail and the batches.

The audit table grows without bound, so its change list never counts it: the
paginator reports a large constant instead of running `COUNT(*)` on every page
(as healthchecks does for its ping log).
"""

from __future__ import annotations

import json
import uuid
from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.html import format_html

from ttbsite.admin_paginator import CheapPaginator
from verifier.engine import BeverageType
from verifier.models import Batch, BatchItem, Verification


class ChoicesFilter(admin.SimpleListFilter):
    """A filter with fixed choices: no `SELECT DISTINCT` over the table per page."""

    options: tuple[tuple[str, str], ...] = ()

    def lookups(self, request: HttpRequest, model_admin: Any) -> tuple[tuple[str, str], ...]:
        return self.options

    def queryset(self, request: HttpRequest, queryset: Any) -> Any:
        if self.value():
            return queryset.filter(**{self.parameter_name: self.value()})
        return queryset


class BackendFilter(ChoicesFilter):
    title = "backend used"
    parameter_name = "backend_used"
    options = (("tesseract", "Tesseract"), ("ollama", "Ollama"))


class BeverageTypeFilter(ChoicesFilter):
    title = "beverage type"
    parameter_name = "beverage_type"
    options = tuple((str(kind), str(kind).replace("_", " ").capitalize()) for kind in BeverageType)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Verification)
class VerificationAdmin(ReadOnlyAdmin):
    list_display = (
        "created_at",
        "request_id",
        "verdict",
        "brand_name",
        "beverage_type",
        "channel",
        "backend_used",
        "processing_ms",
        "user",
    )
    list_filter = ("verdict", "channel", BackendFilter, BeverageTypeFilter, "degraded")
    date_hierarchy = "created_at"
    search_fields = ("brand_name",)  # and request ids: see get_search_results
    list_select_related = ("user",)
    paginator = CheapPaginator
    show_full_result_count = False
    list_per_page = 50
    readonly_fields = ("pretty_result",)
    exclude = ("result",)

    def get_search_results(self, request: HttpRequest, queryset: Any, search_term: str) -> Any:
        """A request id is matched exactly (indexed); anything else searches brands."""
        term = search_term.strip()
        try:
            return queryset.filter(request_id=uuid.UUID(term)), False
        except ValueError:
            return queryset.filter(brand_name__icontains=term) if term else queryset, False

    @admin.display(description="Result")
    def pretty_result(self, verification: Verification) -> str:
        return format_html("<pre>{}</pre>", json.dumps(verification.result, indent=2))


class BatchItemInline(admin.TabularInline):
    model = BatchItem
    fields = ("position", "name", "status", "attempts", "verdict", "error_code", "error_message")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Batch)
class BatchAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "id", "user", "source_name", "total", "cancelled_at")
    date_hierarchy = "created_at"
    search_fields = ("=id", "source_name")
    list_select_related = ("user",)
    paginator = CheapPaginator
    show_full_result_count = False
    inlines = [BatchItemInline]
