"""The server-drawn bar charts: geometry only, no database."""

from events import charts
from events.charts import bar_chart, fold


def rows(*pairs):
    return [{"label": label, "count": count} for label, count in pairs]


def test_bar_chart_longest_bar_is_the_whole_width_the_others_in_proportion():
    chart = bar_chart(rows(("COPIL", 10), ("Habitant", 5), ("Élu", 3)), title="Par collège")

    assert [bar["percent"] for bar in chart["bars"]] == [100, 50, 30]


def test_bar_chart_rows_are_stacked_in_the_given_order():
    chart = bar_chart(rows(("A", 1), ("B", 3), ("C", 2)), title="t")

    assert [bar["label"] for bar in chart["bars"]] == ["A", "B", "C"]
    assert chart["total"] == 6
    assert chart["largest"] == {"label": "B", "count": 3}
    assert chart["title"] == "t"


def test_bar_chart_lengths_are_whole_percentages():
    chart = bar_chart(rows(("A", 7), ("B", 3), ("C", 1)), title="t")

    assert [type(bar["percent"]) for bar in chart["bars"]] == [int, int, int]


def test_bar_chart_a_count_of_one_still_shows_and_zero_shows_nothing():
    chart = bar_chart(rows(("Beaucoup", 10_000), ("Un", 1), ("Zéro", 0)), title="t")

    assert [bar["percent"] for bar in chart["bars"]] == [100, charts.MIN_PERCENT, 0]


def test_bar_chart_empty_has_no_bars_and_no_largest():
    chart = bar_chart([], title="t")

    assert chart["bars"] == []
    assert chart["largest"] is None
    assert chart["total"] == 0


def test_bar_chart_names_no_largest_on_a_tie():
    chart = bar_chart(rows(("A", 2), ("B", 2), ("C", 1)), title="t")

    assert chart["largest"] is None
    assert chart["total"] == 5


def test_bar_chart_all_zero_draws_no_bar():
    chart = bar_chart(rows(("A", 0), ("B", 0)), title="t")

    assert [bar["percent"] for bar in chart["bars"]] == [0, 0]
    assert chart["largest"] is None


def test_bar_chart_shortens_long_labels_but_keeps_the_full_one():
    long_label = "Association " + "très " * 30 + "longue"

    bar = bar_chart(rows((long_label, 1)), title="t")["bars"][0]

    assert len(bar["label"]) == charts.LABEL_MAX_CHARS
    assert bar["label"].endswith("…")
    assert bar["full_label"] == long_label


def test_fold_keeps_the_first_rows_and_adds_up_the_rest():
    folded = fold(
        rows(("A", 5), ("B", 4), ("C", 3), ("D", 2), ("E", 1)),
        keep=2,
        other_label="Autres ({count})",
    )

    assert folded == rows(("A", 5), ("B", 4), ("Autres (3)", 6))


def test_fold_does_not_fold_a_single_row():
    original = rows(("A", 5), ("B", 4), ("C", 3))

    assert fold(original, keep=2, other_label="Autres ({count})") == original
    assert fold(original, keep=5, other_label="Autres ({count})") == original


def test_bar_chart_percent_of_the_longest_and_grouped_count():
    chart = bar_chart(rows(("A", 105500), ("B", 24000), ("C", 0)), title="t")
    assert [(bar["percent"], bar["count_text"]) for bar in chart["bars"]] == [
        (100, "105\xa0500"),
        (23, "24\xa0000"),
        (0, "0"),
    ]
