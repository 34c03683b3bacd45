"""What csvfiles adds for spreadsheets: Windows-1252 CSV files, and XLSX workbooks read as
the same table."""

import datetime
import io
import zipfile

import pytest
from openpyxl import Workbook

from contrat_ville.csvfiles import (
    MAX_COLUMNS,
    MAX_XLSX_UNCOMPRESSED,
    CsvFileError,
    CsvTable,
    decode_text,
    read_table,
    read_xlsx,
    xlsx_cell_text,
)


def workbook_bytes(rows, *, sheet_rows=None) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    for (row, column), value in (sheet_rows or {}).items():
        sheet.cell(row=row, column=column, value=value)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def refusal(function, *args, **kwargs) -> str:
    with pytest.raises(CsvFileError) as error:
        function(*args, **kwargs)
    return str(error.value)


# -- Windows-1252 ---------------------------------------------------------------------


def test_read_table_windows_1252_when_allowed():
    raw = "Intitulé;Quartier\r\nDécouverte;Bissy\r\n".encode("cp1252")

    table = read_table(raw, column_name=str.lower, windows_1252=True)

    assert table == CsvTable(
        header=["intitulé", "quartier"], header_line=1, rows=[(2, ["Découverte", "Bissy"])]
    )


def test_read_table_windows_1252_refused_by_default():
    raw = "Intitulé;Quartier\r\n".encode("cp1252")

    assert refusal(read_table, raw, column_name=str.lower) == (
        "Le fichier n'est pas en UTF-8 : caractère illisible ligne 1. Enregistrez le fichier "
        "en UTF-8 (« CSV UTF-8 » dans votre tableur) puis recommencez."
    )


def test_decode_text_utf8_wins_over_windows_1252():
    raw = "\ufeffÉtat;œuvre \u2013 12\u202f500 €".encode()

    assert decode_text(raw, windows_1252=True) == "État;œuvre \u2013 12\u202f500 €"


def test_decode_text_windows_1252_keeps_its_own_signs():
    raw = "œuvre \u2013 12 500 € « ok »".encode("cp1252")

    assert decode_text(raw, windows_1252=True) == "œuvre \u2013 12 500 € « ok »"


def test_decode_text_neither_utf8_nor_windows_1252_says_the_line():
    raw = b"nom\r\nA\r\nB\x81\r\n"

    assert refusal(decode_text, raw, windows_1252=True) == (
        "Le fichier n'est ni en UTF-8 ni en Windows-1252 : caractère illisible ligne 3. "
        "Enregistrez le fichier en UTF-8 (« CSV UTF-8 » dans votre tableur) puis recommencez."
    )


def test_decode_text_blank_windows_1252_file_is_empty():
    assert refusal(decode_text, b" \xa0 \r\n", windows_1252=True) == "Le fichier est vide."


# -- XLSX -----------------------------------------------------------------------------


def test_read_xlsx_header_rows_and_sheet_row_numbers():
    raw = workbook_bytes(
        [
            [None, None],
            ["Intitulé", "Budget", None],
            ["Découverte", 12500.5, None],
            [None, None],
            ["Atelier", 3000],
        ]
    )

    assert read_xlsx(raw, column_name=str.lower) == CsvTable(
        header=["intitulé", "budget"],
        header_line=2,
        rows=[(3, ["Découverte", "12500.5"]), (5, ["Atelier", "3000"])],
    )


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, ""),
        (2025, "2025"),
        (12500.5, "12500.5"),
        (0.1 + 0.2, "0.3"),
        (1e20, "100000000000000000000"),
        (True, "VRAI"),
        (False, "FAUX"),
        (datetime.datetime(2025, 3, 1), "2025-03-01"),
        (datetime.datetime(2025, 3, 1, 9, 30), "2025-03-01 09:30:00"),
        (datetime.date(2025, 3, 1), "2025-03-01"),
        ("=SUM(A1)", "=SUM(A1)"),
    ],
)
def test_xlsx_cell_text_as_a_french_spreadsheet_writes_csv(value, text):
    assert xlsx_cell_text(value) == text


def test_read_xlsx_dates_and_formula_text_read_back():
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["debut", "intitule"])
    sheet.cell(row=2, column=1, value=datetime.date(2025, 3, 1)).number_format = "DD/MM/YYYY"
    cell = sheet.cell(row=2, column=2, value="=HYPERLINK(1)")
    cell.data_type = "s"
    buffer = io.BytesIO()
    workbook.save(buffer)

    assert read_xlsx(buffer.getvalue(), column_name=str.lower).rows == [
        (2, ["2025-03-01", "=HYPERLINK(1)"])
    ]


def test_read_xlsx_garbage_is_refused():
    assert refusal(read_xlsx, b"PK\x03\x04 not a zip at all", column_name=str.lower) == (
        "Le fichier n'est pas un classeur XLSX lisible. Enregistrez-le au format « Classeur "
        "Excel (.xlsx) » ou « CSV UTF-8 » depuis votre tableur puis recommencez."
    )


def test_read_xlsx_zip_without_a_workbook_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "hello")

    assert refusal(read_xlsx, buffer.getvalue(), column_name=str.lower).startswith(
        "Le fichier n'est pas un classeur XLSX lisible."
    )


def test_read_xlsx_zip_bomb_is_refused_before_it_is_inflated():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (MAX_XLSX_UNCOMPRESSED + 1))
    raw = buffer.getvalue()

    assert len(raw) < 100_000
    assert refusal(read_xlsx, raw, column_name=str.lower) == (
        "Le classeur XLSX dépasse 32 Mo une fois décompressé : enregistrez-le au format "
        "« CSV UTF-8 » ou découpez-le en plusieurs fichiers."
    )


def test_read_xlsx_control_character_is_refused_with_its_row():
    # XML holds no C0 control character but tab and line breaks; DEL it may.
    raw = workbook_bytes([["nom"], ["A"], ["B\x7fC"]])

    assert refusal(read_xlsx, raw, column_name=str.lower) == (
        "ligne 3 : caractère de contrôle U+007F interdit (souvent invisible dans un "
        "tableur) : retirez-le puis recommencez."
    )


def test_read_xlsx_header_beyond_the_bound_is_refused():
    raw = workbook_bytes([[f"c{number}" for number in range(MAX_COLUMNS + 5)]])

    assert refusal(read_xlsx, raw, column_name=str.lower) == (
        "ligne 1 : l'en-tête compte plus de 200 colonnes, 200 au plus : supprimez les "
        "colonnes en trop puis recommencez."
    )


def test_read_xlsx_header_at_the_bound_is_read():
    raw = workbook_bytes([[f"c{number}" for number in range(MAX_COLUMNS)]])

    assert len(read_xlsx(raw, column_name=str.lower).header) == MAX_COLUMNS


def test_read_xlsx_cells_far_right_are_not_padded():
    # A value in column XFD pads nothing beyond the bound: the row stays short.
    raw = workbook_bytes([["nom"], ["A"]], sheet_rows={(2, 16384): "loin"})

    assert read_xlsx(raw, column_name=str.lower).rows == [(2, ["A"])]


def test_read_xlsx_row_beyond_the_last_row_of_a_spreadsheet_is_refused():
    raw = workbook_bytes([["nom"], ["A"]])
    forged = _rewrite_sheet(raw, b'<row r="2"', b'<row r="3000000"')
    forged = forged.replace(b'r="A2"', b'r="A3000000"')

    assert refusal(read_xlsx, forged, column_name=str.lower) == (
        "Le classeur a des lignes au-delà de la ligne 1\xa0048\xa0576 d'un tableur."
    )


def test_read_xlsx_empty_workbook_is_empty():
    assert refusal(read_xlsx, workbook_bytes([]), column_name=str.lower) == "Le fichier est vide."


def _rewrite_sheet(raw: bytes, old: bytes, new: bytes) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(raw))
    buffer = io.BytesIO()
    replaced = False
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as target:
        for entry in source.infolist():
            data = source.read(entry.filename)
            if entry.filename == "xl/worksheets/sheet1.xml" and old in data:
                data = data.replace(old, new)
                replaced = True
            target.writestr(entry.filename, data)
    assert replaced
    return buffer.getvalue()
