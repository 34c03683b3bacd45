"""Horizontal bar charts drawn on the server.

``bar_chart`` turns rows of ``{"label": str, "count": int}`` into what
``templates/events/_bar_chart.html`` draws: one HTML row per bar, its label as text
(readable at any screen width) and the bar as a small inline SVG whose width is a
percentage of the row (no inline style, which the Content-Security-Policy forbids; no
JavaScript, nothing loaded from elsewhere). Each bar carries its label and its number as
text, so nothing is said by colour alone; the page puts the same numbers in a table, which
is what assistive technologies should read.
"""

from collections.abc import Iterable

from django.utils.formats import number_format

LABEL_MAX_CHARS = 80
# A count of one still shows next to a count of ten thousand.
MIN_PERCENT = 1


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
    """A horizontal bar chart, one bar per row, in the given order.

    Returns ``title``, ``total``, ``largest`` (the row with the highest count, or None when
    none or several) and ``bars``: for each row its ``label`` (shortened for the drawing),
    ``full_label``, ``count``, ``count_text`` (grouped as the reader writes numbers) and
    ``percent``, its length as a whole percentage of the longest bar's (0 for a count of 0).
    """
    rows = [{"label": str(row["label"]), "count": int(row["count"])} for row in rows]
    highest = max((row["count"] for row in rows), default=0)
    bars = []
    for row in rows:
        percent = 0
        if highest > 0 and row["count"] > 0:
            percent = max(MIN_PERCENT, round(row["count"] * 100 / highest))
        bars.append(
            {
                "label": _shorten(row["label"]),
                "full_label": row["label"],
                "count": row["count"],
                "count_text": number_format(row["count"], force_grouping=True),
                "percent": percent,
            }
        )
    leaders = [row for row in rows if row["count"] == highest] if highest else []
    # Named in the chart's description only when one row clearly leads.
    largest = leaders[0] if len(leaders) == 1 else None
    return {
        "title": title,
        "total": sum(row["count"] for row in rows),
        "largest": largest,
        "bars": bars,
    }
