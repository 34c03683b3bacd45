"""Cells of the CSV and XLSX files the portal writes, said once for every export.

The cells hold what people typed, and a spreadsheet runs a cell that starts like a formula
("CSV injection": ``=HYPERLINK(…)``, ``+cmd|…``, ``@SUM(…)``). ``formula_like`` decides which
text is at risk; each format neutralises it its own way: a leading ``'`` in CSV
(``csv_text``), a quote-prefixed text cell in XLSX (``xlsx_workbook``, which also lays out
every export's sheet alike). See docs/exports.md.
"""

import csv
import io
import unicodedata
from collections.abc import Iterable, Iterator, Sequence

import phonenumbers
from django.conf import settings
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

# OWASP's CSV-injection list: a spreadsheet reads a cell starting with one of these as a formula.
FORMULA_SIGNS = frozenset("=+-@")
CONTROL_STARTS = ("\t", "\r")
# National numbers ("04 79 96 86 00") are read as French ones.
PHONE_REGION = "FR"
# The library digs a number out of any text ("=0612345678" is valid to it): a phone number is
# written with these only. NBSP and narrow NBSP come with numbers pasted from French text.
_PHONE_CHARACTERS = frozenset("+0123456789 .-()/\u00a0\u202f")
BOM = "\ufeff"


def is_phone_number(value: str) -> bool:
    """``value`` is a phone number and nothing else, valid for the ``phonenumbers`` library."""
    value = value.strip()
    if not value or not set(value) <= _PHONE_CHARACTERS:
        return False
    try:
        number = phonenumbers.parse(value, PHONE_REGION)
    except phonenumbers.NumberParseException:
        return False
    return phonenumbers.is_valid_number(number)


def formula_like(value: str) -> bool:
    """A spreadsheet could run ``value`` as a formula; a phone number ("+33 6…") is not one.

    Beyond OWASP's list, a sign after leading blanks counts (LibreOffice can trim spaces
    before it reads a formula, and a newline pushes the sign out of sight), and so do the
    full-width and small forms of the signs (U+FF1D, U+FE62…), which some spreadsheets and
    input methods take for the ASCII ones: the price is a quote on rare, odd-looking text.
    """
    if value.startswith(CONTROL_STARTS):
        return True
    stripped = value.lstrip()
    if not stripped or unicodedata.normalize("NFKC", stripped[0])[:1] not in FORMULA_SIGNS:
        return False
    # Only "+" starts a phone number; "-06 12…" is computed as a negative number.
    return not (stripped[0] == "+" and is_phone_number(stripped))


def csv_text(value: str) -> str:
    """``value`` for a CSV cell: a leading ``'`` makes spreadsheets show a formula as text."""
    return "'" + value if formula_like(value) else value


def csv_unquoted(value: str) -> str:
    """A cell read back from one of our CSV files, without the ``'`` that ``csv_text`` added."""
    if value.startswith("'") and formula_like(value[1:]):
        return value[1:]
    return value


def _csv_cell(value) -> object:
    # Numbers are the portal's own and stay numbers; every text goes through csv_text.
    if value is None:
        return ""
    if isinstance(value, str):
        return csv_text(value)
    return value


class _Echo:
    """A file-like object whose write returns the line, for streaming csv.writer output."""

    def write(self, value: str) -> str:
        return value


def csv_lines(
    header: Iterable[str], rows: Iterable[Iterable], *, delimiter: str = ","
) -> Iterator[str]:
    """The header then one line per row, every text cell through ``csv_text``.

    The BOM lets spreadsheets detect UTF-8."""
    writer = csv.writer(_Echo(), delimiter=delimiter)
    yield BOM + writer.writerow([_csv_cell(name) for name in header])
    for row in rows:
        yield writer.writerow([_csv_cell(value) for value in row])


def xlsx_workbook(
    *,
    title: str,
    sheet_title: str,
    header: Sequence[str],
    rows: Iterable[Iterable],
    widths: Sequence[float],
    number_formats: Sequence[tuple[type, str]] = (),
) -> bytes:
    """An XLSX file of one sheet: the header bold, wrapped, frozen and with filters, then
    ``rows`` of raw values (str, numbers, dates), ``widths`` in characters per column.

    Every text stays a text cell, quote-prefixed when ``formula_like``, without the control
    characters XML cannot hold; None and "" leave the cell empty. A value gets the number
    format of the first ``(type, format)`` of ``number_formats`` it is an instance of."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_title
    workbook.properties.title = title[:250]  # the limit of a document property
    workbook.properties.creator = settings.PORTAL_SITE_NAME
    sheet.append(list(header))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(vertical="top", wrap_text=True)
    for row_number, row in enumerate(rows, start=2):
        for column_number, value in enumerate(row, start=1):
            if value is None or value == "":
                continue
            if isinstance(value, str):
                value = ILLEGAL_CHARACTERS_RE.sub("", value)
            cell = sheet.cell(row=row_number, column=column_number, value=value)
            if isinstance(value, str):
                # openpyxl turns "=…" into a formula; user input stays text, and the
                # quote prefix keeps it text once edited, with no apostrophe shown.
                cell.data_type = "s"
                if formula_like(value):
                    cell.quotePrefix = True
                continue
            for kind, number_format in number_formats:
                if isinstance(value, kind):
                    cell.number_format = number_format
                    break
    for number, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(number)].width = width
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(header))}{max(sheet.max_row, 1)}"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
