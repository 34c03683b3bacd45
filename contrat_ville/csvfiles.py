"""Reading the CSV files people upload (directory import, participants import).

``read_table`` does what both importers need before they look at their own columns: decode,
refuse control characters, detect the delimiter, split the header and the rows, bound the
header. Each importer words its own header checks (missing or duplicate columns).
"""

import codecs
import csv
import io
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from .text import first_control_character

# Far above the known columns (24 in the directory, 11 in the participants' file), low
# enough that a header's checks stay cheap whatever the file.
MAX_COLUMNS = 200


class CsvFileError(Exception):
    """The file as a whole cannot be read; the message can be shown as is."""


class CsvLineError(CsvFileError):
    """A line the csv module cannot read (a cell over its size limit)."""

    def __init__(self, line: int, error: csv.Error):
        self.line, self.error = line, error
        super().__init__(
            _("ligne %(line)d : ligne illisible (%(error)s).") % {"line": line, "error": error}
        )


@dataclass
class CsvTable:
    header: list[str]  # each name through the importer's ``column_name``
    header_line: int
    rows: list[tuple[int, list[str]]]  # (line of the file where it starts, cells), non-blank


def decode_utf8(raw: bytes) -> str:
    """The text of an uploaded CSV file: UTF-8, with or without a BOM, not empty."""
    if raw.startswith(codecs.BOM_UTF8):
        raw = raw[len(codecs.BOM_UTF8) :]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise CsvFileError(
            _(
                "Le fichier n'est pas en UTF-8 : caractère illisible ligne %(line)d. "
                "Enregistrez le fichier en UTF-8 (« CSV UTF-8 » dans votre tableur) "
                "puis recommencez."
            )
            % {"line": line}
        ) from None
    if not text.strip():
        raise CsvFileError(_("Le fichier est vide."))
    return text


def _refuse_control_characters(text: str) -> None:
    # PostgreSQL cannot store NUL; the other control characters are never typed (text.py).
    index = first_control_character(text)
    if index is not None:
        raise CsvFileError(
            _(
                "ligne %(line)d : caractère de contrôle %(code)s interdit (souvent invisible "
                "dans un tableur) : retirez-le puis recommencez."
            )
            % {"line": text.count("\n", 0, index) + 1, "code": f"U+{ord(text[index]):04X}"}
        )


def read_table(raw: bytes, *, column_name: Callable[[str], str]) -> CsvTable:
    """The header (the first non-blank row) and the non-blank rows under it, each with its
    line in the file (the first being line 1). Raises ``CsvFileError``."""
    text = decode_utf8(raw)
    _refuse_control_characters(text)
    first_line = text.lstrip("\r\n").split("\n", 1)[0]
    # French spreadsheets write ";" because "," is their decimal separator.
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = None
    header_line = previous_end = 0
    rows = []
    try:
        for cells in reader:
            start, previous_end = previous_end + 1, reader.line_num
            if not any(cell.strip() for cell in cells):
                continue
            if header is None:
                if len(cells) > MAX_COLUMNS:
                    raise CsvFileError(
                        _(
                            "ligne %(line)d : l'en-tête compte %(count)s colonnes, %(max)s au "
                            "plus : supprimez les colonnes en trop puis recommencez."
                        )
                        % {
                            "line": start,
                            "count": number_format(len(cells), force_grouping=True),
                            "max": MAX_COLUMNS,
                        }
                    )
                header = [column_name(cell) for cell in cells]
                header_line = start
            else:
                rows.append((start, cells))
    except csv.Error as error:
        raise CsvLineError(reader.line_num, error) from None
    if header is None:
        raise CsvFileError(_("Le fichier est vide."))
    return CsvTable(header, header_line, rows)


def duplicate_names(header: list[str]) -> list[str]:
    """The names that appear more than once (empty ones aside), sorted; linear in the header."""
    counts = Counter(name for name in header if name)
    return sorted(name for name, count in counts.items() if count > 1)
