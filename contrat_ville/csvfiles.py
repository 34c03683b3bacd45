"""Reading the CSV files people upload (directory import, participants import)."""

import codecs

from django.utils.translation import gettext as _


class CsvFileError(Exception):
    """The file as a whole cannot be read; the message can be shown as is."""


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
