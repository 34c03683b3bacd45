"""What an uploaded document holds, read from its content, never from its name or the type the
browser sent (both chosen by the client).

- PDF: the ``%PDF-`` signature at the start.
- Images: PNG, JPEG and WebP, read by Pillow through ``contrat_ville.uploads``.
- Office documents are zip archives: an OpenDocument file (odt, ods, odp) starts with an
  uncompressed ``mimetype`` entry naming its type; an Office Open XML file (docx, xlsx, pptx)
  has ``[Content_Types].xml`` and its main part (``word/document.xml``...). Macro-enabled
  variants (docm, xlsm, pptm) declare a "macroEnabled" type there and are refused, and so is
  any other zip.

Only the archive's directory and two small entries are read, never the whole archive: a zip
bomb is never inflated.
"""

import math
import zipfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from contrat_ville.uploads import image_type

# A document's default limit; an installation sets PORTAL_DOCUMENT_MAX_BYTES to change it.
DOCUMENT_MAX_BYTES = 20 * 1024 * 1024
# A news item's image.
IMAGE_MAX_BYTES = 5 * 1024 * 1024
# The most read of a zip's small entries ([Content_Types].xml, mimetype).
ENTRY_READ_LIMIT = 64 * 1024


@dataclass(frozen=True)
class DocumentType:
    extension: str
    content_type: str
    label: str  # what the library shows: "PDF", "Word"...
    inline: bool = False  # shown in the browser rather than downloaded


PDF = DocumentType("pdf", "application/pdf", "PDF", inline=True)
ODF_TYPES = {
    "application/vnd.oasis.opendocument.text": DocumentType(
        "odt", "application/vnd.oasis.opendocument.text", "OpenDocument texte"
    ),
    "application/vnd.oasis.opendocument.spreadsheet": DocumentType(
        "ods", "application/vnd.oasis.opendocument.spreadsheet", "OpenDocument tableur"
    ),
    "application/vnd.oasis.opendocument.presentation": DocumentType(
        "odp", "application/vnd.oasis.opendocument.presentation", "OpenDocument présentation"
    ),
}
# The main part of each Office Open XML format.
OOXML_TYPES = {
    "word/document.xml": DocumentType(
        "docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "Word",
    ),
    "xl/workbook.xml": DocumentType(
        "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "Excel"
    ),
    "ppt/presentation.xml": DocumentType(
        "pptx",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "PowerPoint",
    ),
}
IMAGE_LABELS = {"png": "PNG", "jpg": "JPEG", "webp": "WebP"}
ACCEPTED_TEXT = _("PDF, Word, Excel, PowerPoint, OpenDocument (odt, ods, odp), PNG, JPEG ou WebP")


def _read_entry(archive: zipfile.ZipFile, name: str) -> bytes:
    with archive.open(name) as entry:
        return entry.read(ENTRY_READ_LIMIT)


def _office_type(file) -> DocumentType | None:
    try:
        with zipfile.ZipFile(file) as archive:
            names = set(archive.namelist())
            if "mimetype" in names:
                declared = _read_entry(archive, "mimetype").decode("ascii", "replace").strip()
                return ODF_TYPES.get(declared)
            if "[Content_Types].xml" not in names:
                return None
            content_types = _read_entry(archive, "[Content_Types].xml").lower()
            if b"macroenabled" in content_types:
                return None
            for main_part, kind in OOXML_TYPES.items():
                if main_part in names:
                    return kind
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, KeyError, RuntimeError):
        return None
    return None


def document_type(file) -> DocumentType | None:
    """The type of the document ``file`` holds, or None for anything else. The position
    in the file is kept."""
    position = file.tell()
    try:
        file.seek(0)
        head = file.read(8)
        file.seek(0)
        if head.startswith(b"%PDF-"):
            return PDF
        if head.startswith(b"PK\x03\x04"):
            return _office_type(file)
    finally:
        file.seek(position)
    image = image_type(file)
    if image is not None:
        return DocumentType(
            image.extension, image.content_type, IMAGE_LABELS[image.extension], inline=True
        )
    return None


def document_max_bytes() -> int:
    return getattr(settings, "PORTAL_DOCUMENT_MAX_BYTES", DOCUMENT_MAX_BYTES)


def image_max_bytes() -> int:
    return getattr(settings, "PORTAL_NEWS_IMAGE_MAX_BYTES", IMAGE_MAX_BYTES)


def _size_text(size: int, *, up: bool = False) -> str:
    """Megabytes with one decimal, in French; rounded up for a refused file, so that it
    never reads as heavy as the limit."""
    tenths = size * 10 / (1024 * 1024)
    tenths = math.ceil(tenths) if up else round(tenths)
    return f"{tenths / 10:.1f}".replace(".", ",")


def _pending(file):
    """The upload behind a form's or a model field's file: None when already stored."""
    if getattr(file, "_committed", True) is False:
        return file.file
    if hasattr(file, "content_type") or hasattr(file, "temporary_file_path"):
        return file  # an UploadedFile, straight from a form
    return None


def validate_document_file(file) -> None:
    """Size, then type by content; a stored file was checked when uploaded."""
    upload = _pending(file)
    if upload is None:
        return
    limit = document_max_bytes()
    if file.size > limit:
        raise ValidationError(
            _("Le fichier pèse %(size)s Mo ; la limite est de %(limit)s Mo."),
            params={"size": _size_text(file.size, up=True), "limit": _size_text(limit)},
            code="document_too_large",
        )
    if document_type(upload) is None:
        raise ValidationError(
            _("Ce fichier n'est pas d'un type accepté : %(types)s."),
            params={"types": ACCEPTED_TEXT},
            code="document_type",
        )


def validate_news_image(file) -> None:
    upload = _pending(file)
    if upload is None:
        return
    limit = image_max_bytes()
    if file.size > limit:
        raise ValidationError(
            _("L'image pèse %(size)s Mo ; la limite est de %(limit)s Mo."),
            params={"size": _size_text(file.size, up=True), "limit": _size_text(limit)},
            code="image_too_large",
        )
    if image_type(upload) is None:
        raise ValidationError(
            _("L'image doit être un fichier PNG, JPEG ou WebP."), code="image_type"
        )


def safe_file_name(title: str, extension: str) -> str:
    """An ASCII name from the title, safe in a Content-Disposition header."""
    stem = slugify(title)[:80].strip("-") or "document"
    return f"{stem}.{extension}"


def document_response(field_file, title: str) -> FileResponse:
    """The stored document with the type its content shows and a safe name; 404 when the
    file is missing or holds nothing accepted (whatever its name says)."""
    if not field_file:
        raise Http404
    try:
        handle = field_file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    kind = document_type(handle)
    if kind is None:
        handle.close()
        raise Http404
    response = FileResponse(
        handle,
        content_type=kind.content_type,
        as_attachment=not kind.inline,
        filename=safe_file_name(title or Path(field_file.name).stem, kind.extension),
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
