"""Read-only admin pages for the alerts and the backend comparison runs."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from analytics.models import AnomalyAlert, ComparisonRun


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(AnomalyAlert)
class AnomalyAlertAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "kind", "subject", "message"]
    list_filter = ["kind", "created_at"]
    search_fields = ["subject", "message"]
    date_hierarchy = "created_at"


@admin.register(ComparisonRun)
class ComparisonRunAdmin(ReadOnlyAdmin):
    list_display = ["id", "created_at", "finished_at", "since", "until", "backends"]
