"""The one place that says which cell a spreadsheet would run as a formula."""

import pytest

from contrat_ville import spreadsheets


@pytest.mark.parametrize(
    "value",
    [
        '=HYPERLINK("http://evil.example","clic")',
        "+cmd|' /C calc'!A0",
        "@SUM(A1:A9)",
        "-1+1",
        "-06 12 34 56 78",
        "\tTabulation",
        "\rRetour",
        " =1+1",
        "\n=1+1",
        "\u00a0@SUM(A1)",
        "\uff1d1+1",  # full-width equals sign
        "\ufe621+1",  # small plus sign
        "+33 6 12 34 56 78 =1",
        "+33 6 12 34 56 78 ext. 12",
        "+1",
    ],
)
def test_formula_like_formula_starts(value):
    assert spreadsheets.formula_like(value) is True


@pytest.mark.parametrize(
    "value",
    [
        "",
        " ",
        "Centre social des Hauts",
        "a=b",
        "'=1+1",
        "06 12 34 56 78",
        "04 79 96 86 00",
        "+33 6 12 34 56 78",
        "+33612345678",
        " +33 4 79 96 86 00",
        "+33\u00a06\u00a012\u00a034\u00a056\u00a078",
    ],
)
def test_formula_like_plain_text_and_phone_numbers(value):
    assert spreadsheets.formula_like(value) is False


@pytest.mark.parametrize("value", ["06 12 34 56 78", "+33 6 12 34 56 78", "04 79 96 86 00"])
def test_is_phone_number_valid_french_numbers(value):
    assert spreadsheets.is_phone_number(value) is True


@pytest.mark.parametrize(
    "value",
    # The library alone finds a valid number in "=0612345678" and "-06…".
    ["", "-1+1", "+1", "0612", "=0612345678", "=HYPERLINK(0612345678)", "06 12 34 56 78 x"],
)
def test_is_phone_number_anything_else(value):
    assert spreadsheets.is_phone_number(value) is False


def test_csv_text_quotes_formula_like_text_only():
    assert [spreadsheets.csv_text(v) for v in ("=1+1", "-1+1", "+33 6 12 34 56 78", "Lyon")] == [
        "'=1+1",
        "'-1+1",
        "+33 6 12 34 56 78",
        "Lyon",
    ]


@pytest.mark.parametrize("value", ["=1+1", "-1+1", " @x", "'", "'Lyon", "+33 6 12 34 56 78"])
def test_csv_unquoted_undoes_csv_text(value):
    assert spreadsheets.csv_unquoted(spreadsheets.csv_text(value)) == value


def test_csv_lines_bom_header_and_quoted_text_cells():
    lines = list(
        spreadsheets.csv_lines(
            ["nom", "=entête"], [["=1+1", -5], [None, "Lyon; Paris"]], delimiter=";"
        )
    )

    assert lines == [
        "\ufeffnom;'=entête\r\n",
        "'=1+1;-5\r\n",  # a number is the portal's own: it stays a number
        ';"Lyon; Paris"\r\n',
    ]
