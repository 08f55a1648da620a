"""Small inline SVG charts that need no JavaScript and carry a text equivalent."""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup

BAR_WIDTH = 14
GAP = 4
HEIGHT = 40


def distribution(counts: Sequence[int], label: str) -> Markup:
    """Bars for ratings 1–5, named by ``label`` (the counts in words) for assistive technology."""
    total = max(counts) or 1
    width = len(counts) * (BAR_WIDTH + GAP) - GAP
    bars = []
    for i, n in enumerate(counts):
        height = round(HEIGHT * n / total)
        x = i * (BAR_WIDTH + GAP)
        bars.append(
            Markup('<rect x="{}" y="{}" width="{}" height="{}"></rect>').format(
                x, HEIGHT - height, BAR_WIDTH, height
            )
        )
    return Markup(
        '<svg class="hb-chart" role="img" aria-label="{label}" width="{w}" height="{h}" '
        'viewBox="0 0 {w} {h}"><title>{label}</title>{bars}</svg>'
    ).format(label=label, w=width, h=HEIGHT, bars=Markup("").join(bars))
