"""Charts drawn on the server as SVG: no script, no CDN, nothing inline but markup.

Each chart carries a <title> (its accessible name); the table printed beneath
it holds the same numbers and is the accessible version of the picture.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

WIDTH = 720
COLORS = ("#2e7d32", "#c62828", "#ef8f00", "#1565c0", "#6a1b9a", "#00838f")


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[float | None]
    color: str


def _svg(title: str, height: int, body: list[str], legend: Sequence[Series]) -> SafeString:
    key = []
    x = 0
    for series in legend:
        key.append(
            f'<rect x="{x}" y="{height - 14}" width="10" height="10" fill="{series.color}"/>'
            f'<text x="{x + 14}" y="{height - 5}" font-size="11">{escape(series.name)}</text>'
        )
        x += 24 + 7 * len(series.name)
    return mark_safe(
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{WIDTH}" '
        f'height="{height}" viewBox="0 0 {WIDTH} {height}" class="analytics-chart">'
        f"<title>{escape(title)}</title>{''.join(body)}{''.join(key)}</svg>"
    )


def stacked_columns(title: str, labels: Sequence[str], series: Sequence[Series]) -> SafeString:
    """One column per label (e.g. a day), its series stacked."""
    height, top, bottom, left = 240, 10, 50, 40
    plot = height - top - bottom
    totals = [sum(item.values[index] or 0 for item in series) for index in range(len(labels))]
    peak = max(totals, default=0) or 1
    step = (WIDTH - left) / max(len(labels), 1)
    body = [
        f'<text x="0" y="{top + 10}" font-size="11">{peak:g}</text>',
        f'<line x1="{left}" y1="{top + plot}" x2="{WIDTH}" y2="{top + plot}" stroke="#999"/>',
    ]
    for index, label in enumerate(labels):
        y = top + plot
        x = left + index * step
        for series_item in series:
            value = series_item.values[index] or 0
            bar = plot * value / peak
            y -= bar
            if value:
                body.append(
                    f'<rect x="{x + 1:.1f}" y="{y:.1f}" width="{max(step - 2, 1):.1f}" '
                    f'height="{bar:.1f}" fill="{series_item.color}">'
                    f"<title>{escape(label)}: {value:g} {escape(series_item.name)}</title></rect>"
                )
        last = index == len(labels) - 1
        if index == 0 or last or len(labels) <= 12:
            # The last label ends at its column's right edge, inside the picture.
            anchor = f'x="{x + step:.1f}" text-anchor="end"' if last else f'x="{x:.1f}"'
            body.append(
                f'<text {anchor} y="{top + plot + 14}" font-size="10">{escape(label)}</text>'
            )
    return _svg(title, height, body, series)


def horizontal_bars(title: str, labels: Sequence[str], series: Sequence[Series]) -> SafeString:
    """One group of bars per label, one bar per series, longest value spanning the width."""
    left, bar_height, gap = 220, 12, 8
    group = bar_height * len(series) + gap
    height = max(len(labels), 1) * group + 40
    peak = max((value or 0 for item in series for value in item.values), default=0) or 1
    body = []
    for index, label in enumerate(labels):
        y = 10 + index * group
        body.append(f'<text x="0" y="{y + bar_height}" font-size="11">{escape(label[:34])}</text>')
        for offset, item in enumerate(series):
            value = item.values[index] or 0
            width = (WIDTH - left - 60) * value / peak
            bar_y = y + offset * bar_height
            body.append(
                f'<rect x="{left}" y="{bar_y}" width="{width:.1f}" height="{bar_height - 2}" '
                f'fill="{item.color}"><title>{escape(label)}: {value:g} {escape(item.name)}'
                f"</title></rect>"
                f'<text x="{left + width + 4:.1f}" y="{bar_y + bar_height - 3}" '
                f'font-size="10">{value:g}</text>'
            )
    return _svg(title, height, body, series if len(series) > 1 else [])
