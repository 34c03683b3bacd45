"""Reading the CSV files people upload (directory, participants, programme of actions).

``read_table`` does what every importer needs before it looks at its own columns: decode,
refuse control characters, detect the delimiter, split the header and the rows, bound the
header. ``read_xlsx`` gives the first sheet of an XLSX workbook as the same ``CsvTable``,
each cell as a French spreadsheet would write it to CSV, so an importer reads both formats
alike. The importers of the web pages (participants, actions) also share their words:
``normalise`` and ``column_name`` for names, ``header_errors`` for the header, ``yes_no``
for a cell, ``line_message`` for "ligne N : …". The directory's command words its own.
"""

import codecs
import csv
import datetime
import io
import unicodedata
import zipfile
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from openpyxl import load_workbook

from .text import first_control_character

# Far above the known columns (24 in the directory, 11 in the participants' file), low
# enough that a header's checks stay cheap whatever the file.
MAX_COLUMNS = 200
# An XLSX is a zip of XML: its declared uncompressed sizes are checked before openpyxl opens
# it (zipfile never inflates an entry past its declared size), so a small "zip bomb" never
# expands in memory. 5,000 rows of 30 columns with long texts stay far below.
MAX_XLSX_UNCOMPRESSED = 32 * 1024 * 1024
MAX_XLSX_ENTRIES = 1000
# Excel's own last row: a sheet that claims rows beyond it is forged, and openpyxl would
# otherwise yield every missing row up to the one it claims.
MAX_XLSX_ROW = 1_048_576
# What people and spreadsheets write for yes and no, once ``normalise``d (VRAI / FAUX are
# how an XLSX boolean reads, ``xlsx_cell_text``); an empty cell is no.
YES = frozenset({"oui", "o", "yes", "y", "1", "vrai", "x"})
NO = frozenset({"non", "n", "no", "0", "faux", ""})


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


class CellError(Exception):
    """A cell's value is refused; the message names the column and can be shown as is."""


def _decode(raw: bytes, encoding: str, refusal: str) -> str:
    """``raw`` in ``encoding``, not empty; ``refusal`` words an unreadable byte's line."""
    try:
        text = raw.decode(encoding)
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise CsvFileError(refusal % {"line": line}) from None
    if not text.strip():
        raise CsvFileError(_("Le fichier est vide."))
    return text


def decode_utf8(raw: bytes) -> str:
    """The text of an uploaded CSV file: UTF-8, with or without a BOM, not empty."""
    if raw.startswith(codecs.BOM_UTF8):
        raw = raw[len(codecs.BOM_UTF8) :]
    return _decode(
        raw,
        "utf-8",
        _(
            "Le fichier n'est pas en UTF-8 : caractère illisible ligne %(line)d. "
            "Enregistrez le fichier en UTF-8 (« CSV UTF-8 » dans votre tableur) "
            "puis recommencez."
        ),
    )


def decode_text(raw: bytes, *, windows_1252: bool = False) -> str:
    """``decode_utf8``, and with ``windows_1252`` a file that is not UTF-8 is read as
    Windows-1252: what Excel writes by default ("CSV (séparateur : point-virgule)") on a
    French Windows. No UTF-8 file with an accent is also valid Windows-1252 text by chance
    in practice, so UTF-8 is tried first."""
    try:
        return decode_utf8(raw)
    except CsvFileError:
        if not windows_1252:
            raise
    # Five bytes have no character in Windows-1252 (0x81, 0x8D, 0x8F, 0x90, 0x9D).
    return _decode(
        raw,
        "cp1252",
        _(
            "Le fichier n'est ni en UTF-8 ni en Windows-1252 : caractère illisible ligne "
            "%(line)d. Enregistrez le fichier en UTF-8 (« CSV UTF-8 » dans votre tableur) "
            "puis recommencez."
        ),
    )


def _control_character_error(line: int, character: str) -> CsvFileError:
    return CsvFileError(
        _(
            "ligne %(line)d : caractère de contrôle %(code)s interdit (souvent invisible "
            "dans un tableur) : retirez-le puis recommencez."
        )
        % {"line": line, "code": f"U+{ord(character):04X}"}
    )


def _too_many_columns_error(line: int, count: str) -> CsvFileError:
    return CsvFileError(
        _(
            "ligne %(line)d : l'en-tête compte %(count)s colonnes, %(max)s au "
            "plus : supprimez les colonnes en trop puis recommencez."
        )
        % {"line": line, "count": count, "max": MAX_COLUMNS}
    )


def _refuse_control_characters(text: str) -> None:
    # PostgreSQL cannot store NUL; the other control characters are never typed (text.py).
    index = first_control_character(text)
    if index is not None:
        raise _control_character_error(text.count("\n", 0, index) + 1, text[index])


def read_table(
    raw: bytes, *, column_name: Callable[[str], str], windows_1252: bool = False
) -> CsvTable:
    """The header (the first non-blank row) and the non-blank rows under it, each with its
    line in the file (the first being line 1). Raises ``CsvFileError``.

    With ``windows_1252``, a file that is not UTF-8 is read as Windows-1252 (``decode_text``)."""
    text = decode_text(raw, windows_1252=windows_1252)
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
                    raise _too_many_columns_error(
                        start, number_format(len(cells), force_grouping=True)
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


# -- the importers' words -------------------------------------------------------------


def normalise(value: str) -> str:
    """Case, accents and spacing do not matter: "Conseil  Citoyen" is "conseil citoyen"."""
    decomposed = unicodedata.normalize("NFKD", value)
    stripped = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(stripped.casefold().split())


def column_name(value: str, aliases: Mapping[str, str] | None = None) -> str:
    """A header cell as an importer compares it: "Année de programmation" is
    "annee_de_programmation", then the importer's own name for it in ``aliases``."""
    name = normalise(value).replace(" ", "_").replace("-", "_")
    return aliases.get(name, name) if aliases else name


def line_message(line: int, message: str) -> str:
    return _("ligne %(line)d : %(message)s") % {"line": line, "message": message}


def header_errors(
    table: CsvTable, *, required: Iterable[str], known: Collection[str]
) -> tuple[list[str], list[str]]:
    """What refuses the header (duplicate columns, missing required ones), each said on
    its line, and the names in it the importer does not know (it ignores them)."""
    errors = []
    duplicates = duplicate_names(table.header)
    if duplicates:
        errors.append(
            line_message(
                table.header_line,
                _("colonnes en double : %(columns)s.") % {"columns": ", ".join(duplicates)},
            )
        )
    missing = [name for name in required if name not in table.header]
    if missing:
        errors.append(
            line_message(
                table.header_line,
                ngettext(
                    "colonne obligatoire manquante : %(columns)s.",
                    "colonnes obligatoires manquantes : %(columns)s.",
                    len(missing),
                )
                % {"columns": ", ".join(missing)},
            )
        )
    ignored = [name for name in table.header if name and name not in known]
    return errors, ignored


def yes_no(column: str, value: str) -> bool:
    """A yes-or-no cell (``YES``, ``NO``, whatever the case and accents); ``CellError``
    for anything else."""
    answer = normalise(value)
    if answer in YES:
        return True
    if answer in NO:
        return False
    raise CellError(
        _("%(column)s : « %(value)s » n'est ni oui ni non.") % {"column": column, "value": value}
    )


# -- XLSX -----------------------------------------------------------------------------


def _unreadable_xlsx() -> CsvFileError:
    return CsvFileError(
        _(
            "Le fichier n'est pas un classeur XLSX lisible. Enregistrez-le au format "
            "« Classeur Excel (.xlsx) » ou « CSV UTF-8 » depuis votre tableur puis recommencez."
        )
    )


def _check_zip(raw: bytes) -> None:
    """Refuse what is not a zip, and a zip that would inflate beyond the bounds."""
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        raise _unreadable_xlsx() from None
    if len(entries) > MAX_XLSX_ENTRIES or (
        sum(entry.file_size for entry in entries) > MAX_XLSX_UNCOMPRESSED
    ):
        raise CsvFileError(
            _(
                "Le classeur XLSX dépasse %(max)s Mo une fois décompressé : enregistrez-le "
                "au format « CSV UTF-8 » ou découpez-le en plusieurs fichiers."
            )
            % {"max": MAX_XLSX_UNCOMPRESSED // (1024 * 1024)}
        )


def xlsx_cell_text(value) -> str:
    """A cell's value as a French spreadsheet writes it to CSV: numbers without exponent
    or float noise (15 significant digits, what Excel shows), dates in ISO (a date alone
    when there is no time), booleans VRAI / FAUX, nothing for an empty cell."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "VRAI" if value else "FAUX"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return format(Decimal(format(value, ".15g")), "f")
    if isinstance(value, datetime.datetime):
        if value.time() == datetime.time():
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    return str(value)


def read_xlsx(raw: bytes, *, column_name: Callable[[str], str]) -> CsvTable:
    """The first sheet of an XLSX workbook as a ``CsvTable``: the header (the first
    non-blank row) and the non-blank rows, each with its row number in the sheet, cells as
    ``xlsx_cell_text`` writes them, trailing empty cells dropped. Formulas give the value
    the spreadsheet last computed. Raises ``CsvFileError``."""
    _check_zip(raw)
    try:
        workbook = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except Exception:  # malformed XML or parts raise many kinds of errors
        raise _unreadable_xlsx() from None
    try:
        return _read_sheet(workbook, column_name)
    except CsvFileError:
        raise
    except Exception:  # a broken part may only show once its rows are read
        raise _unreadable_xlsx() from None
    finally:
        workbook.close()


def _read_sheet(workbook, column_name: Callable[[str], str]) -> CsvTable:
    if not workbook.worksheets:
        raise CsvFileError(_("Le fichier est vide."))
    sheet = workbook.worksheets[0]
    # The dimension the file declares may be false; padding is bounded by max_col instead.
    sheet.reset_dimensions()
    header = None
    header_line = 0
    rows = []
    for number, values in enumerate(
        sheet.iter_rows(max_col=MAX_COLUMNS + 1, values_only=True), start=1
    ):
        if number > MAX_XLSX_ROW:
            raise CsvFileError(
                _("Le classeur a des lignes au-delà de la ligne %(max)s d'un tableur.")
                % {"max": number_format(MAX_XLSX_ROW, force_grouping=True)}
            )
        if values.count(None) == len(values):  # the common blank row, cheaply
            continue
        cells = [xlsx_cell_text(value) for value in values]
        while cells and not cells[-1].strip():
            cells.pop()
        if not cells or not any(cell.strip() for cell in cells):
            continue
        for cell in cells:
            index = first_control_character(cell)
            if index is not None:
                raise _control_character_error(number, cell[index])
        if header is None:
            if len(cells) > MAX_COLUMNS:
                raise _too_many_columns_error(
                    number,
                    _("plus de %(max)s") % {"max": MAX_COLUMNS},
                )
            header = [column_name(cell) for cell in cells]
            header_line = number
        else:
            rows.append((number, cells))
    if header is None:
        raise CsvFileError(_("Le fichier est vide."))
    return CsvTable(header, header_line, rows)
