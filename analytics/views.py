"""The analytics dashboard (`/admin/analytics/`) and its CSV exports."""

from __future__ import annotations

import csv

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.template.response import TemplateResponse

from analytics.aggregates import TABLES
from analytics.dashboard import panels_for
from analytics.models import AnomalyAlert
from analytics.scope import ScopeForm

PERMISSION = "analytics.view_dashboard"
ALERTS_SHOWN = 50


def _scope_form(request: HttpRequest) -> ScopeForm:
    if not request.user.has_perm(PERMISSION):
        raise PermissionDenied
    return ScopeForm(request.GET)


def dashboard(request: HttpRequest) -> HttpResponse:
    form = _scope_form(request)
    context = {
        **admin.site.each_context(request),
        "title": "Analytics",
        "form": form,
        "panels": [],
        "alerts": [],
    }
    if not form.is_valid():
        return TemplateResponse(request, "analytics/dashboard.html", context, status=400)
    scope = form.scope()
    context["scope"] = scope
    context["query"] = scope.query_string()
    context["panels"] = panels_for([table(scope) for table in TABLES.values()])
    context["alerts"] = AnomalyAlert.objects.filter(
        window_end__gt=scope.start, window_start__lt=scope.end
    )[:ALERTS_SHOWN]
    return TemplateResponse(request, "analytics/dashboard.html", context)


def table_csv(request: HttpRequest, name: str) -> HttpResponse:
    form = _scope_form(request)
    if name not in TABLES:
        raise Http404(f"No table {name!r}.")
    if not form.is_valid():
        return HttpResponse(form.errors.as_text(), status=400, content_type="text/plain")
    scope = form.scope()
    table = TABLES[name](scope)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="{name}-{scope.first_day}-{scope.last_day}.csv"'
    )
    writer = csv.writer(response)
    writer.writerow([header for _, header in table.columns])
    writer.writerows(table.cells())
    return response
