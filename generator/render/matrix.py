"""The internal-customer matrix and a team's connections, drawn at build time as SVG.

No script and no other origin: plain SVG elements whose text is escaped by markupsafe.
Cells are shaded by level (:func:`level`) and carry their number, so colour is never the
only cue; the pages put a legend and a table with the same numbers beside each drawing.
The cells of one level are one ``<path>`` and the numbers of one row one ``<text>``, so
the drawing of a large organisation stays small.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from markupsafe import Markup

from generator.model.index import EVERYONE
from generator.model.matrix import CustomerMatrix
from generator.render import text as texts

CELL = 22
"""Width and height of one cell."""
FONT = 12
CHAR = 6.6
"""Assumed average width of one character of the labels, for the layout."""
LABEL_CHARS = 28
"""Longer names are shortened in the drawing; their full text is the label's title."""
GAP = 8
"""Space between the ``Everyone`` column and the teams' columns."""
LEVELS = 4


def level(count: int) -> int:
    """The shade of a cell: 1 for one service, 2 for 2–3, 3 for 4–7, 4 for 8 or more."""
    return min(LEVELS, max(1, count.bit_length()))


def level_range(shade: int) -> tuple[int, int | None]:
    """The smallest and largest count of a shade (None: no upper bound)."""
    low = 1 << (shade - 1)
    return low, (None if shade == LEVELS else (low << 1) - 1)


def shorten(name: str, limit: int = LABEL_CHARS) -> str:
    """``name`` cut to ``limit`` characters with an ellipsis."""
    name = " ".join(name.split())
    return name if len(name) <= limit else name[: limit - 1].rstrip() + "…"


def _safe(value: str) -> Markup:
    """Author text inside the drawing: escaped, and no character any later stage reads."""
    return value if isinstance(value, Markup) else texts.plain(value)


def _label(text: str, full: str, **attributes: object) -> Markup:
    """A ``<text>`` element with the full name as its title when it was shortened."""
    attrs = Markup(" ").join(Markup('{}="{}"').format(k, v) for k, v in attributes.items())
    title = Markup("<title>{}</title>").format(_safe(full)) if text != full else Markup("")
    return Markup("<text {}>{}{}</text>").format(attrs, title, _safe(text))


def _number(value: float) -> str:
    return f"{value:.1f}".removesuffix(".0")


def customer_matrix(
    matrix: CustomerMatrix, names: Mapping[str, str], *, title: str, description: str
) -> Markup:
    """The matrix as one SVG image: providers down the side, customers along the top.

    ``names`` gives the display name of every team id and of ``everyone``; ``title`` and
    ``description`` name the image for assistive technology.
    """
    if not matrix.providers:
        return Markup("")
    rows = [shorten(names[p]) for p in matrix.providers]
    cols = [shorten(names[c]) for c in matrix.columns]
    left = round(max(len(r) for r in rows) * CHAR) + 12
    top = round(max(len(c) for c in cols) * CHAR * 0.71) + 16
    gap = GAP if matrix.columns and matrix.columns[0] == EVERYONE else 0
    xs = [left + i * CELL + (gap if i > 0 else 0) for i in range(len(matrix.columns))]
    right = xs[-1] + CELL
    bottom = top + len(matrix.providers) * CELL
    width, height = right + top, bottom + 4

    parts: list[Markup] = [
        Markup('<title id="hb-matrix-title">{}</title>').format(_safe(title)),
        Markup('<desc id="hb-matrix-desc">{}</desc>').format(_safe(description)),
    ]
    heads = [
        _label(
            text,
            names[column],
            transform=f"translate({_number(x + CELL / 2 + 4)} {top - 6}) rotate(-45)",
            **({"class": "hb-matrix__everyone"} if column == EVERYONE else {}),
        )
        for x, text, column in zip(xs, cols, matrix.columns, strict=True)
    ]
    parts.append(Markup('<g class="hb-matrix__columns">{}</g>').format(Markup("").join(heads)))
    sides = [
        _label(text, names[provider], x=left - 8, y=top + j * CELL + 15)
        for j, (text, provider) in enumerate(zip(rows, matrix.providers, strict=True))
    ]
    parts.append(
        Markup('<g class="hb-matrix__rows" text-anchor="end">{}</g>').format(Markup("").join(sides))
    )
    lines = [f"M{left} {top + j * CELL}H{right}" for j in range(len(matrix.providers) + 1)]
    lines += [f"M{x} {top}V{bottom}" for x in sorted({*xs, *(x + CELL for x in xs)})]
    parts.append(Markup('<path class="hb-matrix__grid" d="{}"/>').format("".join(lines)))
    shapes: dict[int, list[str]] = {}
    numbers: list[Markup] = []
    for j, provider in enumerate(matrix.providers):
        y = top + j * CELL
        spans = []
        for x, column in zip(xs, matrix.columns, strict=True):
            count = matrix.count(provider, column)
            if count:
                shapes.setdefault(level(count), []).append(f"M{x + 1} {y + 1}h20v20h-20z")
                spans.append(Markup('<tspan x="{}">{}</tspan>').format(x + CELL // 2, count))
        if spans:
            numbers.append(Markup('<text y="{}">{}</text>').format(y + 15, Markup("").join(spans)))
    for shade in sorted(shapes):
        parts.append(Markup('<path class="hb-m{}" d="{}"/>').format(shade, "".join(shapes[shade])))
    parts.append(
        Markup('<g class="hb-matrix__numbers" text-anchor="middle">{}</g>').format(
            Markup("").join(numbers)
        )
    )
    return Markup(
        '<svg class="hb-matrix" xmlns="http://www.w3.org/2000/svg" role="img" '
        'aria-labelledby="hb-matrix-title hb-matrix-desc" width="{w}" height="{h}" '
        'viewBox="0 0 {w} {h}" font-size="{f}">{parts}</svg>'
    ).format(w=width, h=height, f=FONT, parts=Markup("").join(parts))


NODE_W = 190
NODE_H = 24
ROW = 32
SIDE_CHARS = 24
DIAGRAM_W = 2 * NODE_W + 2 * 70 + NODE_W


def _node(x: int, y: int, name: str, count: int | None, *, css: str = "") -> Markup:
    text = shorten(name, SIDE_CHARS)
    shown = f"{text} · {count}" if count is not None else text
    full = f"{name} · {count}" if count is not None else name
    title = Markup("<title>{}</title>").format(_safe(full)) if shown != full else Markup("")
    return Markup(
        '<g class="hb-node{css}">{title}<rect x="{x}" y="{y}" width="{w}" height="{h}" rx="4"/>'
        '<text x="{tx}" y="{ty}">{text}</text></g>'
    ).format(
        css=f" {css}" if css else "",
        title=title,
        x=x,
        y=y,
        w=NODE_W,
        h=NODE_H,
        tx=x + NODE_W // 2,
        ty=y + 16,
        text=_safe(shown),
    )


def _spread(top: int, index: int, count: int) -> int:
    """Where the ``index``-th of ``count`` edges meets the team's box: spread over its side."""
    if count < 2:
        return top + NODE_H // 2
    return top + 4 + round(index * (NODE_H - 8) / (count - 1))


def connections(
    team: str,
    served_by: Sequence[tuple[str, int]],
    serves: Sequence[tuple[str, int]],
    *,
    headings: tuple[str, str],
    label: str,
) -> Markup:
    """Who serves a team (left), the team (middle) and whom it serves (right), as SVG.

    Each side is a list of (name, number of services), already cut to the entries to
    draw; ``headings`` name the two sides and ``label`` is the whole drawing in words.
    """
    rows = max(len(served_by), len(serves), 1)
    top = 24
    height = top + rows * ROW
    middle_x = NODE_W + 70
    right_x = middle_x + NODE_W + 70
    middle_y = top + (rows * ROW - ROW) // 2
    parts: list[Markup] = [
        Markup(
            '<defs><marker id="hb-arrow" viewBox="0 0 8 8" refX="8" refY="4" markerWidth="7" '
            'markerHeight="7" orient="auto"><path d="M0 0L8 4L0 8z"/></marker></defs>'
        ),
        Markup('<text class="hb-side" x="{}" y="14">{}</text>').format(
            NODE_W // 2, _safe(headings[0])
        ),
        Markup('<text class="hb-side" x="{}" y="14">{}</text>').format(
            right_x + NODE_W // 2, _safe(headings[1])
        ),
    ]
    for i, (name, count) in enumerate(served_by):
        y = top + i * ROW
        parts.append(
            Markup('<path class="hb-edge" d="M{} {}L{} {}"/>').format(
                NODE_W, y + NODE_H // 2, middle_x - 2, _spread(middle_y, i, len(served_by))
            )
        )
        parts.append(_node(0, y, name, count))
    for i, (name, count) in enumerate(serves):
        y = top + i * ROW
        parts.append(
            Markup('<path class="hb-edge" d="M{} {}L{} {}"/>').format(
                middle_x + NODE_W, _spread(middle_y, i, len(serves)), right_x - 2, y + NODE_H // 2
            )
        )
        parts.append(_node(right_x, y, name, count))
    parts.append(_node(middle_x, middle_y, team, None, css="hb-node--team"))
    return Markup(
        '<svg class="hb-connections" xmlns="http://www.w3.org/2000/svg" role="img" '
        'aria-label="{label}" width="{w}" height="{h}" viewBox="0 0 {w} {h}" font-size="{f}" '
        'text-anchor="middle">{parts}</svg>'
    ).format(label=_safe(label), w=DIAGRAM_W, h=height, f=FONT, parts=Markup("").join(parts))
