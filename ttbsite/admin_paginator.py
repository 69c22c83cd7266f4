"""A paginator for log-like admin tables that does not `COUNT(*)` them per page."""

from __future__ import annotations

from functools import cached_property

from django.core.paginator import Paginator
from django.db import connection
from django.db.models import QuerySet


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
