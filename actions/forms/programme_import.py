"""The upload form of the import of a year's programme.

Between "Vérifier" and "Importer" the file is kept in the page, base64 in a hidden field,
rather than asked for again: without JavaScript a file input cannot be refilled, so the
organiser would have to pick the file a second time, and could pick another one than the
one checked. The page then holds at most the size of the file and a third more. Whatever
the hidden field holds is checked again as a new upload would be (it comes from the
browser); a file too large for Django's limit on posted fields is asked for again
(``keeps_in_page``).
"""

import base64
import binascii
import math

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from ..imports import MAX_BYTES

# base64 writes 4 characters for every 3 bytes.
MAX_CONTENT = math.ceil(MAX_BYTES / 3) * 4
MAX_NAME = 255
# What the rest of a posted form may take beside the hidden file (token, name, button).
_FORM_MARGIN = 4096
ACCEPT = ".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TOO_LARGE = _(
    "Le fichier dépasse 2 Mo : découpez-le en plusieurs fichiers et importez-les un à un."
)


def keeps_in_page(raw: bytes) -> bool:
    """The file fits in a hidden field under ``DATA_UPLOAD_MAX_MEMORY_SIZE``, the form
    being posted as multipart (where Django counts the base64 as it is, not URL-encoded)."""
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    return limit is None or math.ceil(len(raw) / 3) * 4 + _FORM_MARGIN <= limit


def encode(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")


class ProgrammeImportForm(forms.Form):
    file = forms.FileField(
        label=_("Fichier du programme (CSV ou XLSX)"),
        help_text=_(
            "Une ligne d'en-tête puis une ligne par action. CSV séparé par « ; » ou « , », "
            "en UTF-8 ou Windows-1252, ou classeur Excel (.xlsx). 2 Mo et 5 000 lignes au plus."
        ),
        required=False,
        widget=forms.FileInput(attrs={"accept": ACCEPT}),
    )
    content = forms.CharField(
        required=False, max_length=MAX_CONTENT, strip=False, widget=forms.HiddenInput
    )
    file_name = forms.CharField(required=False, max_length=MAX_NAME, widget=forms.HiddenInput)

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("file")
        if upload:
            if upload.size > MAX_BYTES:
                self.add_error("file", TOO_LARGE)
                return cleaned
            cleaned["raw"] = upload.read()
            cleaned["name"] = (upload.name or "")[:MAX_NAME]
            return cleaned
        if cleaned.get("content"):
            try:
                raw = base64.b64decode(cleaned["content"], validate=True)
            except (binascii.Error, ValueError):
                raw = None
            if raw is None or len(raw) > MAX_BYTES:
                # Not what this page wrote: the file is asked for again.
                self.add_error("file", _("Choisissez de nouveau le fichier."))
                return cleaned
            cleaned["raw"] = raw
            cleaned["name"] = cleaned.get("file_name", "")
            return cleaned
        if "file" not in self.errors:
            self.add_error("file", _("Choisissez le fichier à importer."))
        return cleaned
