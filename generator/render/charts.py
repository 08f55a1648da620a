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


TREND_BAR = 8
TREND_GAP = 3
TREND_HEIGHT = 24


def trend(
    values: Sequence[float | None],
    label: str,
    *,
    higher_is_better: bool,
    ceiling: float | None = None,
) -> Markup:
    """One bar per period, oldest first (an empty slot where nothing was measured).

    Bars are scaled to ``ceiling`` (or the largest value); when lower is better the
    scale is turned over, so a taller bar is always a better period. ``label`` says the
    values in words for assistive technology.
    """
    known = [v for v in values if v is not None]
    top = ceiling if ceiling is not None else max(known, default=1.0) or 1.0
    width = len(values) * (TREND_BAR + TREND_GAP) - TREND_GAP
    bars = []
    for i, value in enumerate(values):
        x = i * (TREND_BAR + TREND_GAP)
        if value is None:
            bars.append(
                Markup(
                    '<rect class="hb-trend-gap" x="{}" y="{}" width="{}" height="1"></rect>'
                ).format(x, TREND_HEIGHT - 1, TREND_BAR)
            )
            continue
        share = max(0.0, min(1.0, value / top))
        if not higher_is_better:  # the largest value still shows a fifth of a bar
            share = 1.0 - share / 1.25
        height = max(1, round(TREND_HEIGHT * share))
        bars.append(
            Markup('<rect x="{}" y="{}" width="{}" height="{}"></rect>').format(
                x, TREND_HEIGHT - height, TREND_BAR, height
            )
        )
    return Markup(
        '<svg class="hb-chart hb-trend" role="img" aria-label="{label}" width="{w}" '
        'height="{h}" viewBox="0 0 {w} {h}"><title>{label}</title>{bars}</svg>'
    ).format(label=label, w=width, h=TREND_HEIGHT, bars=Markup("").join(bars))
