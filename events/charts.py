"""Horizontal bar charts drawn on the server, as plain geometry.

``bar_chart`` turns rows of ``{"label": str, "count": int}`` into the
coordinates ``templates/events/_bar_chart.html`` draws as inline SVG: no
JavaScript, nothing loaded from elsewhere. Each bar carries its label and its
number as text, so nothing is said by colour alone; the page puts the same
numbers in a table, which is what assistive technologies should read.

Integers only: a localised float ("12,5") would break an SVG attribute.
"""

from collections.abc import Iterable

WIDTH = 640
ROW_HEIGHT = 38
LABEL_BASELINE = 14  # from the top of a row
BAR_TOP = 19
BAR_HEIGHT = 14
COUNT_GAP = 6  # between the end of a bar and its number
COUNT_ROOM = 56  # kept free on the right for the number
LABEL_MAX_CHARS = 80


def _shorten(label: str) -> str:
    label = " ".join(str(label).split())
    if len(label) <= LABEL_MAX_CHARS:
        return label
    return label[: LABEL_MAX_CHARS - 1].rstrip() + "…"


def fold(rows: Iterable[dict], *, keep: int, other_label: str) -> list[dict]:
    """The first ``keep`` rows, then one row adding up the rest.

    Folding a single row would hide a name for nothing, so up to ``keep + 1``
    rows come back as they are. ``other_label`` may hold ``{count}``, replaced
    by the number of rows folded.
    """
    rows = list(rows)
    if len(rows) <= keep + 1:
        return rows
    rest = rows[keep:]
    return [
        *rows[:keep],
        {"label": other_label.format(count=len(rest)), "count": sum(row["count"] for row in rest)},
    ]


def bar_chart(rows: Iterable[dict], *, title: str) -> dict:
    """Geometry of a horizontal bar chart, one row per item, in the given order.

    Returns ``title``, ``width``, ``height``, ``bar_height``, ``total``,
    ``largest`` (the row with the highest count, or None when none or several) and ``bars``:
    for each row its ``label`` (shortened for the drawing), ``full_label``,
    ``count``, ``label_y``, ``bar_y``, ``bar_width``, ``count_x`` and ``count_y``.
    """
    rows = [{"label": str(row["label"]), "count": int(row["count"])} for row in rows]
    highest = max((row["count"] for row in rows), default=0)
    span = WIDTH - COUNT_ROOM
    bars = []
    for index, row in enumerate(rows):
        top = index * ROW_HEIGHT
        if highest > 0 and row["count"] > 0:
            # Never thinner than 2 units, so a count of one still shows.
            bar_width = max(2, round(row["count"] * span / highest))
        else:
            bar_width = 0
        bars.append(
            {
                "label": _shorten(row["label"]),
                "full_label": row["label"],
                "count": row["count"],
                "label_y": top + LABEL_BASELINE,
                "bar_y": top + BAR_TOP,
                "bar_width": bar_width,
                "count_x": bar_width + COUNT_GAP,
                "count_y": top + BAR_TOP + BAR_HEIGHT - 2,
            }
        )
    leaders = [row for row in rows if row["count"] == highest] if highest else []
    # Named in the chart's description only when one row clearly leads.
    largest = leaders[0] if len(leaders) == 1 else None
    return {
        "title": title,
        "width": WIDTH,
        "height": max(len(rows) * ROW_HEIGHT, ROW_HEIGHT),
        "bar_height": BAR_HEIGHT,
        "total": sum(row["count"] for row in rows),
        "largest": largest,
        "bars": bars,
    }
