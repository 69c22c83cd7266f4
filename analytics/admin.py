"""Read-only admin pages for the alerts and the backend comparison runs."""

from __future__ import annotations

import csv
from typing import Any

from django.contrib import admin
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import URLPattern, path

from analytics.comparison_report import comparison_csv_rows, comparison_report
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
    change_form_template = "analytics/comparison_run.html"

    def get_urls(self) -> list[URLPattern]:
        return [
            path(
                "<int:run_id>/csv/",
                self.admin_site.admin_view(self.csv_view),
                name="analytics_comparisonrun_csv",
            ),
            *super().get_urls(),
        ]

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: Any = None
    ) -> HttpResponse:
        run = self.get_object(request, object_id)
        extra = {"report": comparison_report(run=run)} if run else {}
        return super().change_view(request, object_id, form_url, {**(extra_context or {}), **extra})

    def csv_view(self, request: HttpRequest, run_id: int) -> HttpResponse:
        run = self.get_object(request, str(run_id))
        if run is None or not self.has_view_permission(request, run):
            raise Http404("No such comparison run.")
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="comparison-{run.pk}.csv"'
        csv.writer(response).writerows(comparison_csv_rows(run))
        return response
