"""Read-only admin for supervisors: the audit trail, agents' decisions, batches.

The audit list filters by a from–to date, links each row to the readable
record page, shows the decision in force, and exports the filtered list as
CSV. The shared filters, read-only permissions and the paginator that never
counts the whole table live in `ttbsite.admin_helpers`.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from typing import Any

from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import BadRequest, PermissionDenied
from django.http import HttpRequest, StreamingHttpResponse
from django.template.loader import render_to_string
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString

from ttbsite.admin_helpers import (
    BackendFilter,
    BeverageTypeFilter,
    DateRangeFilter,
    FixedChoicesFilter,
    LogTableAdmin,
    ReadOnlyAdminMixin,
    RequestIdSearchMixin,
)
from ttbsite.spreadsheet import spreadsheet_safe
from verifier.engine.rules import CHECKS
from verifier.models import Batch, BatchItem, Decision, Verification
from verifier.services.decisions import decisions_for, with_latest_decision

EXPORT_COLUMNS = (
    "request_id",
    "created_at",
    "verdict",
    "brand_name",
    "beverage_type",
    "channel",
    "backend_used",
    "user",
    "record_url",
    "decision",
    "decided_at",
)


class BackendUsedFilter(BackendFilter):
    title = "backend used"
    parameter_name = "backend_used"


class FailedCheckFilter(FixedChoicesFilter):
    """Rows where one check failed; the checks are the registry's, read per request."""

    title = "failed check"
    parameter_name = "failed_check"

    def lookups(self, request: HttpRequest, model_admin: Any) -> tuple[tuple[str, str], ...]:
        return tuple((check_id, spec.title) for check_id, spec in CHECKS.items())

    def queryset(self, request: HttpRequest, queryset: Any) -> Any:
        if self.value() not in CHECKS:
            return queryset
        return queryset.filter(**{f"check_outcomes__{self.value()}": "fail"})


def record_url(verification: Verification) -> str:
    return reverse("web:record", args=[verification.request_id])


def compact_id(request_id: Any) -> SafeString:
    """The first 8 characters of a request id; the whole id on hover and to screen readers."""
    return format_html(
        '<code title="{}" aria-label="{}">{}</code>', request_id, request_id, str(request_id)[:8]
    )


@admin.register(Verification)
class VerificationAdmin(RequestIdSearchMixin, LogTableAdmin):
    list_display = (
        "short_id",
        "record",
        "created_at",
        "verdict",
        "decision",
        "brand_name",
        "beverage_type",
        "channel",
        "backend_used",
        "user",
    )
    list_display_links = ("short_id",)
    list_filter = (
        DateRangeFilter,
        "verdict",
        FailedCheckFilter,
        "channel",
        BackendUsedFilter,
        BeverageTypeFilter,
        "degraded",
    )
    date_hierarchy = "created_at"
    search_fields = ("brand_name",)  # and an exact request id: see RequestIdSearchMixin
    search_help_text = "A brand name (or part of it), or a whole request id."
    list_select_related = ("user",)
    change_list_template = "admin/verifier/verification/change_list.html"
    fieldsets = (
        (None, {"fields": ("summary",)}),
        ("Agent decisions", {"fields": ("decision_history",)}),
        (
            "Audit row",
            {
                "fields": (
                    "request_id",
                    "created_at",
                    "user",
                    "client_ip",
                    "channel",
                    "batch",
                    "backend_requested",
                    "backend_used",
                    "degraded",
                    "engine_version",
                    "backend_versions",
                    "processing_ms",
                    "application",
                    "check_outcomes",
                    "timings",
                    "images",
                )
            },
        ),
        ("Raw result (as answered)", {"fields": ("pretty_result",)}),
    )
    readonly_fields = ("summary", "decision_history", "pretty_result")

    def get_queryset(self, request: HttpRequest) -> Any:
        return with_latest_decision(super().get_queryset(request))

    @admin.display(description="ID", ordering="request_id")
    def short_id(self, verification: Verification) -> SafeString:
        return compact_id(verification.request_id)

    @admin.display(description="Decision", ordering="latest_decision_outcome")
    def decision(self, verification: Verification) -> str:
        outcome = getattr(verification, "latest_decision_outcome", None)
        return outcome.replace("_", " ") if outcome else "–"

    @admin.display(description="Record")
    def record(self, verification: Verification) -> SafeString:
        return format_html(
            '<a href="{}" aria-label="Record {}">Open</a>',
            record_url(verification),
            str(verification.request_id)[:8],
        )

    @admin.display(description="Summary")
    def summary(self, verification: Verification) -> str:
        result = verification.result if isinstance(verification.result, dict) else {}
        checks = [
            {**check, "title": spec.title if (spec := CHECKS.get(check.get("id"))) else ""}
            for check in result.get("checks", [])
            if isinstance(check, dict)
        ]
        order = {"fail": 0, "review": 1}
        checks.sort(key=lambda check: order.get(check.get("outcome"), 2))
        return render_to_string(
            "admin/verifier/verification/summary.html",
            {
                "verification": verification,
                "record_url": record_url(verification),
                "checks": checks,
            },
        )

    @admin.display(description="Decisions (newest first)")
    def decision_history(self, verification: Verification) -> str:
        return render_to_string(
            "admin/verifier/verification/decisions.html",
            {"decisions": decisions_for(verification=verification)},
        )

    @admin.display(description="Result")
    def pretty_result(self, verification: Verification) -> SafeString:
        return format_html("<pre>{}</pre>", json.dumps(verification.result, indent=2))

    def get_urls(self) -> list[URLPattern]:
        export = path(
            "export.csv",
            self.admin_site.admin_view(self.export_view),
            name="verifier_verification_export",
        )
        return [export, *super().get_urls()]

    def export_view(self, request: HttpRequest) -> StreamingHttpResponse:
        """The change list as filtered and searched now, every page, as CSV."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        try:
            changelist = self.get_changelist_instance(request)
        except IncorrectLookupParameters as error:
            raise BadRequest(f"The filter cannot be applied: {error}") from error
        rows = changelist.get_queryset(request).values(
            "request_id",
            "created_at",
            "verdict",
            "brand_name",
            "beverage_type",
            "channel",
            "backend_used",
            "user__username",
            "latest_decision_outcome",
            "latest_decision_at",
        )
        stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
        response = StreamingHttpResponse(
            _csv_lines(rows.iterator(chunk_size=2000), request), content_type="text/csv"
        )
        response["Content-Disposition"] = f'attachment; filename="audit-{stamp}.csv"'
        response["Cache-Control"] = "private, no-store"
        return response


class _Echo:
    def write(self, value: str) -> str:
        return value


def _csv_lines(rows: Iterator[dict[str, Any]], request: HttpRequest) -> Iterator[str]:
    writer = csv.writer(_Echo())
    # A byte-order mark so Excel reads the file as UTF-8 (brands have accents).
    yield "\ufeff" + writer.writerow(EXPORT_COLUMNS)
    for row in rows:
        url = reverse("web:record", args=[row["request_id"]])
        decided_at = row["latest_decision_at"]
        line = (
            row["request_id"],
            row["created_at"].isoformat(),
            row["verdict"],
            row["brand_name"],
            row["beverage_type"],
            row["channel"],
            row["backend_used"],
            row["user__username"] or "",
            request.build_absolute_uri(url),
            row["latest_decision_outcome"] or "",
            decided_at.isoformat() if decided_at else "",
        )
        yield writer.writerow([spreadsheet_safe(value) for value in line])


@admin.register(Decision)
class DecisionAdmin(RequestIdSearchMixin, LogTableAdmin):
    list_display = ("created_at", "verification_id_", "outcome", "user", "channel", "short_note")
    list_filter = (DateRangeFilter, "outcome", "channel")
    date_hierarchy = "created_at"
    search_fields = ("note",)  # and an exact request id: see RequestIdSearchMixin
    search_help_text = "Words of the note, or a whole request id."
    request_id_field = "verification__request_id"
    list_select_related = ("user", "verification")
    readonly_fields = ("verification_id_",)
    fields = (
        "verification_id_",
        "created_at",
        "user",
        "channel",
        "outcome",
        "note",
        "check_overrides",
    )

    @admin.display(description="Verification", ordering="verification__request_id")
    def verification_id_(self, decision: Decision) -> SafeString:
        url = reverse("admin:verifier_verification_change", args=[decision.verification_id])
        return format_html('<a href="{}">{}</a>', url, compact_id(decision.verification.request_id))

    @admin.display(description="Note")
    def short_note(self, decision: Decision) -> str:
        return decision.note if len(decision.note) <= 80 else decision.note[:79] + "…"


class BatchItemInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = BatchItem
    fields = ("position", "name", "status", "attempts", "verdict", "error_code", "error_message")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = False


@admin.register(Batch)
class BatchAdmin(LogTableAdmin):
    list_display = ("created_at", "id", "user", "source_name", "total", "cancelled_at")
    date_hierarchy = "created_at"
    search_fields = ("=id", "source_name")
    list_select_related = ("user",)
    list_per_page = 100
    inlines = [BatchItemInline]
