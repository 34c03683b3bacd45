"""The reading both CSV importers share: decoding, control characters, the header's bounds."""

import pytest

from contrat_ville.csvfiles import (
    MAX_COLUMNS,
    CsvFileError,
    CsvTable,
    duplicate_names,
    read_table,
)


def read(text: str) -> CsvTable:
    return read_table(text.encode("utf-8"), column_name=str.lower)


def refusal(text: str) -> str:
    with pytest.raises(CsvFileError) as error:
        read(text)
    return str(error.value)


def test_read_table_header_rows_and_their_lines():
    table = read('\r\nNom;Ville\r\nA;"Chambéry\r\nle Haut"\r\n;\r\nB;Lyon\r\n')

    assert table == CsvTable(
        header=["nom", "ville"],
        header_line=2,
        rows=[(3, ["A", "Chambéry\r\nle Haut"]), (6, ["B", "Lyon"])],
    )


def test_read_table_header_of_50000_columns_is_refused():
    header = ",".join(f"colonne{number}" for number in range(50_000))

    assert refusal(f"{header}\nA\n") == (
        "ligne 1 : l'en-tête compte 50\xa0000 colonnes, 200 au plus : supprimez les "
        "colonnes en trop puis recommencez."
    )


def test_read_table_header_at_the_bound_is_read():
    header = ",".join(f"c{number}" for number in range(MAX_COLUMNS))

    assert len(read(f"{header}\n").header) == MAX_COLUMNS


@pytest.mark.parametrize(
    ("character", "code"), [("\x00", "U+0000"), ("\x0b", "U+000B"), ("\x7f", "U+007F")]
)
def test_read_table_control_character_is_refused_with_its_line(character, code):
    text = f'nom,note\r\nA,"deux\r\nlignes"\r\nB,x{character}y\r\n'

    assert refusal(text) == (
        f"ligne 4 : caractère de contrôle {code} interdit (souvent invisible dans un "
        "tableur) : retirez-le puis recommencez."
    )


def test_read_table_keeps_tabs_and_line_breaks_in_cells():
    assert read('nom,note\nA,"a\tb\r\nc"\n').rows == [(2, ["A", "a\tb\r\nc"])]


def test_read_table_blank_file_is_empty():
    assert refusal(",,\r\n , \r\n") == "Le fichier est vide."


def test_duplicate_names_sorted_once_each_empty_names_aside():
    assert duplicate_names(["b", "a", "", "b", "a", "", "c", "b"]) == ["a", "b"]


def test_duplicate_names_of_a_large_header():
    header = [f"c{number}" for number in range(50_000)] + ["c7", "c7"]

    assert duplicate_names(header) == ["c7"]
