"""Exports of an edition's registrations for the organisers: CSV, XLSX, the
attendance sheet (*feuille d'émargement*) and the badges, both as PDF.

The builders take registrations already read (``selectors.registrations_for_export``
or ``selectors.attendees_for_sheet``) and make no query of their own, except the
workshop groups, which ``extensions.assignments_for`` reads in one go. The views
record every export in the audit log. See docs/exports.md.

Everything is written in the portal's language (French): the files are opened by
French spreadsheets and signed on paper on the day.
"""

import functools
import io
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from xml.sax.saxutils import escape

import reportlab
from django.conf import settings
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas
from reportlab.platypus import Image, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from contrat_ville import spreadsheets
from contrat_ville.printing import PrintedIdentity, printed_identity

from .enums import RegistrationStatus
from .extensions import assignments_for
from .models import Edition, Registration
from .qrcodes import qr_matrix
from .services.emails import checkin_url

# -- shared helpers -----------------------------------------------------------------


def _collation_key(text: str) -> str:
    """Case- and accent-blind, the same on every database: "Émile" sorts with "Emile"."""
    decomposed = unicodedata.normalize("NFKD", text.strip())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def alphabetical(registrations: Iterable[Registration]) -> list[Registration]:
    """By last name, then first name (then id, so the order is stable)."""
    return sorted(
        registrations,
        key=lambda r: (_collation_key(r.last_name), _collation_key(r.first_name), r.pk),
    )


def _local(value: datetime) -> datetime:
    # The rencontre happens in Chambéry: the portal's own time zone, whoever downloads.
    return timezone.localtime(value, timezone.get_default_timezone())


def _french_date(edition: Edition) -> str:
    return formats.date_format(edition.date, "j F Y")


def _venue(edition: Edition) -> str:
    return ", ".join(part for part in (edition.venue_name, edition.venue_address) if part)


def waiting_positions(registrations: Iterable[Registration]) -> dict[int, int]:
    """Position of each waiting registration, in one pass over the rows already read.

    Same order as ``selectors.waiting_position``: queued first, then lowest id.
    The export holds every waiting registration of the edition, so the
    positions are the ones the people were told."""
    waiting = sorted(
        (r for r in registrations if r.status == RegistrationStatus.WAITING),
        key=lambda r: (r.queued_at, r.pk),
    )
    return {registration.pk: position for position, registration in enumerate(waiting, 1)}


# -- CSV and XLSX: one column list ------------------------------------------------


@dataclass(frozen=True)
class _Context:
    positions: dict[int, int]
    assignments: dict[int, str]


@dataclass(frozen=True)
class Column:
    header: str  # lazy: rendered in the portal's language
    value: Callable[[Registration, _Context], object]
    width: int = 16  # XLSX column width, in characters


def _yes_no(value: bool) -> str:
    return _("oui") if value else _("non")


COLUMNS: tuple[Column, ...] = (
    Column(gettext_lazy("Identifiant"), lambda r, c: r.pk, 11),
    Column(gettext_lazy("Statut"), lambda r, c: r.get_status_display(), 15),
    Column(gettext_lazy("Position en liste d'attente"), lambda r, c: c.positions.get(r.pk), 12),
    Column(gettext_lazy("Prénom"), lambda r, c: r.first_name, 18),
    Column(gettext_lazy("Nom"), lambda r, c: r.last_name, 20),
    Column(gettext_lazy("E-mail"), lambda r, c: r.email, 30),
    Column(gettext_lazy("Téléphone"), lambda r, c: r.phone, 16),
    Column(gettext_lazy("Structure"), lambda r, c: r.organisation_label, 30),
    Column(
        gettext_lazy("Structure de l'annuaire"),
        lambda r, c: r.actor.slug if r.actor_id else "",
        24,
    ),
    Column(gettext_lazy("Collège"), lambda r, c: r.get_college_display(), 28),
    Column(gettext_lazy("Quartier"), lambda r, c: r.territory.name if r.territory_id else "", 22),
    Column(gettext_lazy("Besoins d'accessibilité"), lambda r, c: r.accessibility_needs, 30),
    Column(gettext_lazy("Régime alimentaire"), lambda r, c: r.dietary_needs, 24),
    Column(gettext_lazy("Droit à l'image"), lambda r, c: _yes_no(r.image_consent), 10),
    Column(gettext_lazy("Sur la liste des participants"), lambda r, c: _yes_no(r.listed), 12),
    Column(gettext_lazy("Origine"), lambda r, c: r.get_source_display(), 22),
    Column(gettext_lazy("Inscrit le"), lambda r, c: r.created_at, 17),
    Column(gettext_lazy("Annulée le"), lambda r, c: r.cancelled_at, 17),
    Column(gettext_lazy("Arrivée à"), lambda r, c: r.checked_in_at, 17),
    Column(gettext_lazy("Groupe d'atelier"), lambda r, c: c.assignments.get(r.pk, ""), 22),
)

CSV_DELIMITER = ";"  # what Excel expects in a French locale (docs/exports.md)
DATETIME_FORMAT = "%d/%m/%Y %H:%M"
XLSX_DATETIME_FORMAT = "DD/MM/YYYY HH:MM"


def headers() -> list[str]:
    with translation.override(settings.LANGUAGE_CODE):
        return [str(column.header) for column in COLUMNS]


def _rows(registrations: Iterable[Registration]) -> Iterator[list]:
    """The raw values (str, int, aware datetime or None), COLUMNS' order, one list per row."""
    registrations = list(registrations)
    context = _Context(
        positions=waiting_positions(registrations),
        assignments=assignments_for(registrations),
    )
    for registration in registrations:
        yield [column.value(registration, context) for column in COLUMNS]


def _csv_value(value):
    # Formula-like text is quoted by spreadsheets.csv_lines.
    if isinstance(value, datetime):
        return _local(value).strftime(DATETIME_FORMAT)
    return value


def registrations_csv_lines(registrations: Iterable[Registration]) -> Iterator[str]:
    """The header then one line per registration.

    ";" separates the fields because Excel in a French locale expects it (the
    comma is the decimal separator there); the BOM lets spreadsheets detect UTF-8."""
    with translation.override(settings.LANGUAGE_CODE):
        yield from spreadsheets.csv_lines(
            headers(),
            ([_csv_value(value) for value in row] for row in _rows(registrations)),
            delimiter=CSV_DELIMITER,
        )


def _xlsx_value(value):
    if isinstance(value, datetime):
        return _local(value).replace(tzinfo=None)  # Excel has no time zones
    return value


def registrations_xlsx(edition: Edition, registrations: Iterable[Registration]) -> bytes:
    """One sheet, same columns as the CSV: bold frozen header, filters, real date cells."""
    with translation.override(settings.LANGUAGE_CODE):
        sheet_title = _("Inscriptions %(year)s") % {"year": edition.year}
        return spreadsheets.xlsx_workbook(
            title=f"{sheet_title} - {edition.title}",
            sheet_title=sheet_title,
            header=headers(),
            rows=([_xlsx_value(value) for value in row] for row in _rows(registrations)),
            widths=[column.width for column in COLUMNS],
            number_formats=((datetime, XLSX_DATETIME_FORMAT),),
        )


# -- PDF: fonts -----------------------------------------------------------------------

FONT = "PortalVera"
FONT_BOLD = "PortalVera-Bold"
_FONT_FILES = {FONT: "Vera.ttf", FONT_BOLD: "VeraBd.ttf"}


@functools.cache
def _font_characters() -> frozenset[int]:
    """Register Bitstream Vera (shipped inside reportlab, embedded in the PDF) and
    return the code points both weights can draw. Vera covers French (é è ç œ « »,
    the curly apostrophe) and the Latin letters of Turkish, Polish or Czech names,
    which Helvetica's WinAnsi encoding does not."""
    folder = Path(reportlab.__file__).parent / "fonts"
    characters = None
    for name, filename in _FONT_FILES.items():
        font = TTFont(name, str(folder / filename))
        pdfmetrics.registerFont(font)
        covered = frozenset(font.face.charToGlyph)
        characters = covered if characters is None else characters & covered
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT_BOLD, italic=FONT, boldItalic=FONT)
    return characters


def printable(text: str) -> str:
    """``text`` with what the font cannot draw replaced by its closest letter.

    Names are user input: "Nguyễn" prints "Nguyên" (the accents the font has),
    a letter with no Latin equivalent prints "?", control characters a space.
    The CSV and XLSX keep the exact spelling."""
    characters = _font_characters()
    result = []
    for char in text:
        if ord(char) in characters:
            result.append(char)
            continue
        if unicodedata.category(char).startswith(("C", "Z")):
            result.append(" ")
            continue
        base, *marks = unicodedata.normalize("NFD", char)
        if ord(base) in characters:
            for mark in marks:
                composed = unicodedata.normalize("NFC", base + mark)
                if len(composed) == 1 and ord(composed) in characters:
                    base = composed
            result.append(base)
            continue
        compatible = "".join(
            c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c)
        )
        if compatible and all(ord(c) in characters for c in compatible):
            result.append(compatible)
        else:
            result.append("?")
    return "".join(result)


def _markup(text: str) -> str:
    """User text for a Paragraph, which reads XML-like markup."""
    return escape(printable(text))


# -- PDF: attendance sheet -----------------------------------------------------------

ATTENDANCE_COLUMNS = (
    gettext_lazy("Nom"),
    gettext_lazy("Prénom"),
    gettext_lazy("Structure"),
    gettext_lazy("Collège"),
    gettext_lazy("Signature"),
)
# Points; the page is 595 wide, two margins of 15 mm leave 510.
ATTENDANCE_WIDTHS = (85, 75, 115, 100, 135)
_MARGIN = 15 * mm
# Padding around one line of text: a row is at least 1 cm, enough to sign in.
_CELL_PADDING = 9


def attendance_rows(registrations: Iterable[Registration]) -> list[tuple[str, str, str, str]]:
    """(last name, first name, organisation, college) of each attendee, alphabetically."""
    return [
        (r.last_name, r.first_name, r.organisation_label, r.get_college_display())
        for r in alphabetical(registrations)
    ]


class _NumberedCanvas(canvas.Canvas):
    """Holds the pages back until the end, to print "Page N / M" on each."""

    footer_left = ""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._pages: list[dict] = []

    def showPage(self):
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self):
        total = len(self._pages)
        for number, state in enumerate(self._pages, start=1):
            self.__dict__.update(state)
            self.setFont(FONT, 8)
            self.setFillColor(colors.HexColor("#444444"))
            self.drawString(_MARGIN, 10 * mm, self.footer_left)
            self.drawRightString(
                A4[0] - _MARGIN,
                10 * mm,
                _("Page %(number)s / %(total)s") % {"number": number, "total": total},
            )
            super().showPage()
        super().save()


def _styles() -> dict[str, ParagraphStyle]:
    _font_characters()
    return {
        "title": ParagraphStyle("title", fontName=FONT_BOLD, fontSize=16, leading=20),
        "subtitle": ParagraphStyle("subtitle", fontName=FONT, fontSize=10, leading=13),
        "small": ParagraphStyle(
            "small", fontName=FONT, fontSize=8, leading=10, textColor=colors.HexColor("#444444")
        ),
        "cell": ParagraphStyle("cell", fontName=FONT, fontSize=9, leading=11),
        "header": ParagraphStyle("header", fontName=FONT_BOLD, fontSize=9, leading=11),
    }


def _identity_header(identity: PrintedIdentity, styles: dict[str, ParagraphStyle]):
    """The portal and its operator above the title, after the operator's logo if a PNG."""
    text = Paragraph(escape(printable(identity.line)), styles["small"])
    width, height = identity.logo_size(40 * mm, 12 * mm)
    if not width:
        return text
    logo = Image(io.BytesIO(identity.logo_png), width=width, height=height)
    table = Table([[logo, text]], colWidths=[width + 4 * mm, None], hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    return table


def attendance_pdf(edition: Edition, registrations: Iterable[Registration]) -> bytes:
    """The *feuille d'émargement*: A4 portrait, the confirmed attendees
    alphabetically with a signature column, the header row on every page and
    "Page N / M" at the foot."""
    with translation.override(settings.LANGUAGE_CODE):
        styles = _styles()
        rows = attendance_rows(registrations)
        title = printable(edition.title)
        identity = printed_identity()
        story = [
            _identity_header(identity, styles),
            Spacer(0, 3 * mm),
            Paragraph(escape(title), styles["title"]),
            Paragraph(_markup(f"{_french_date(edition)} · {_venue(edition)}"), styles["subtitle"]),
            Spacer(0, 2 * mm),
            Paragraph(
                escape(
                    ngettext(
                        "Feuille d'émargement · %(count)s personne inscrite · éditée le %(now)s",
                        "Feuille d'émargement · %(count)s personnes inscrites · éditée le %(now)s",
                        len(rows),
                    )
                    % {
                        "count": len(rows),
                        "now": formats.date_format(_local(timezone.now()), "d/m/Y H:i"),
                    }
                ),
                styles["small"],
            ),
            Spacer(0, 5 * mm),
        ]
        data = [[Paragraph(escape(str(label)), styles["header"]) for label in ATTENDANCE_COLUMNS]]
        data += [[Paragraph(_markup(text), styles["cell"]) for text in row] + [""] for row in rows]
        table = Table(data, colWidths=ATTENDANCE_WIDTHS, repeatRows=1)
        table.setStyle(
            TableStyle(
                [
                    ("FONTNAME", (0, 0), (-1, -1), FONT),
                    ("GRID", (0, 0), (-1, -1), 0.5, colors.HexColor("#555555")),
                    ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e6e6e6")),
                    ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                    ("TOPPADDING", (0, 1), (-1, -1), _CELL_PADDING),
                    ("BOTTOMPADDING", (0, 1), (-1, -1), _CELL_PADDING),
                ]
            )
        )
        story.append(table)
        buffer = io.BytesIO()
        document = SimpleDocTemplate(
            buffer,
            pagesize=A4,
            leftMargin=_MARGIN,
            rightMargin=_MARGIN,
            topMargin=_MARGIN,
            bottomMargin=20 * mm,
            title=_("Feuille d'émargement - %(title)s") % {"title": title},
            author=printable(identity.name),
            lang=settings.LANGUAGE_CODE,
            pageCompression=1,
            initialFontName=FONT,
        )
        canvas_class = type(
            "AttendanceCanvas",
            (_NumberedCanvas,),
            {"footer_left": f"{title} · {_french_date(edition)}"},
        )
        document.build(story, canvasmaker=canvas_class)
        return buffer.getvalue()


# -- PDF: badges ------------------------------------------------------------------------

BADGE_WIDTH = 95 * mm
BADGE_HEIGHT = 67 * mm
BADGE_COLUMNS, BADGE_ROWS = 2, 4
BADGES_PER_PAGE = BADGE_COLUMNS * BADGE_ROWS
QR_SIZE = 25 * mm
_PADDING = 5 * mm
_INK = colors.HexColor("#1a1a1a")
_GREY = colors.HexColor("#555555")
_CUT = colors.HexColor("#aaaaaa")


def _fit(text: str, font: str, size: float, width: float, minimum: float = 7) -> tuple[str, float]:
    """The largest size from ``size`` down to ``minimum`` at which ``text`` fits
    ``width``; at the minimum, the text is cut with an ellipsis."""
    text = " ".join(printable(text).split())
    while size > minimum and pdfmetrics.stringWidth(text, font, size) > width:
        size -= 0.5
    if pdfmetrics.stringWidth(text, font, size) > width:
        while text and pdfmetrics.stringWidth(text + "…", font, size) > width:
            text = text[:-1]
        text = text.rstrip() + "…"
    return text, size


def qr_runs(matrix: list[list[bool]]) -> Iterator[tuple[int, int, int]]:
    """(row, first column, length) of each horizontal run of dark modules."""
    for row_number, row in enumerate(matrix):
        start = None
        for column_number, dark in enumerate([*row, False]):
            if dark and start is None:
                start = column_number
            elif not dark and start is not None:
                yield row_number, start, column_number - start
                start = None


def _draw_qr(pdf: canvas.Canvas, data: str, x: float, y: float, size: float) -> None:
    """The QR code as one filled path, a rectangle per run of dark modules
    (no image: sharp at any print resolution, and a few hundred bytes)."""
    matrix = qr_matrix(data)
    module = size / len(matrix)
    pdf.saveState()
    # One unit per module, rows counted downwards from the top-left corner.
    pdf.translate(x, y + size)
    pdf.scale(module, -module)
    path = pdf.beginPath()
    for row, start, length in qr_runs(matrix):
        path.rect(start, row, length, 1)
    pdf.setFillColor(colors.black)
    pdf.drawPath(path, stroke=0, fill=1)
    pdf.restoreState()


def badge_lines(registration: Registration, assignment: str = "") -> dict[str, str]:
    """What a badge says about its person."""
    return {
        "first_name": registration.first_name,
        "last_name": registration.last_name,
        "organisation": registration.organisation_label,
        "college": str(registration.get_college_display()),
        "group": assignment,
    }


def _draw_badge_identity(pdf: canvas.Canvas, identity: PrintedIdentity, x: float, y: float) -> None:
    """Above the QR code: the operator's logo (a PNG) or name, and the portal's name."""
    cursor = y
    text, size = _fit(identity.name, FONT, 6.5, QR_SIZE, 5)
    pdf.setFillColor(_GREY)
    pdf.setFont(FONT, size)
    pdf.drawString(x, cursor, text)
    cursor += size + 1 * mm
    if identity.draw_logo(pdf, x, cursor, QR_SIZE, 9 * mm):
        return
    if identity.operator:
        text, size = _fit(identity.operator, FONT_BOLD, 8, QR_SIZE, 5.5)
        pdf.setFillColor(_INK)
        pdf.setFont(FONT_BOLD, size)
        pdf.drawString(x, cursor, text)


def _draw_badge(
    pdf: canvas.Canvas,
    x: float,
    y: float,
    lines: dict[str, str],
    heading: str,
    qr_data: str,
    identity: PrintedIdentity | None = None,
) -> None:
    pdf.setStrokeColor(_CUT)
    pdf.setLineWidth(0.3)
    pdf.setDash(2, 2)
    pdf.rect(x, y, BADGE_WIDTH, BADGE_HEIGHT, stroke=1, fill=0)
    pdf.setDash()
    left = x + _PADDING
    text_width = BADGE_WIDTH - 3 * _PADDING - QR_SIZE
    full_width = BADGE_WIDTH - 2 * _PADDING
    top = y + BADGE_HEIGHT - _PADDING

    # The edition, across the top.
    text, size = _fit(heading, FONT_BOLD, 8, full_width, 6)
    pdf.setFillColor(_GREY)
    pdf.setFont(FONT_BOLD, size)
    pdf.drawString(left, top - size, text)
    pdf.setStrokeColor(_GREY)
    pdf.setLineWidth(0.5)
    pdf.line(left, top - size - 2 * mm, x + BADGE_WIDTH - _PADDING, top - size - 2 * mm)

    # The person, on the left of the QR code.
    cursor = top - 8 * mm
    pdf.setFillColor(_INK)
    text, size = _fit(lines["first_name"], FONT_BOLD, 22, text_width, 11)
    cursor -= size
    pdf.setFont(FONT_BOLD, size)
    pdf.drawString(left, cursor, text)
    text, size = _fit(lines["last_name"], FONT, 14, text_width, 8)
    cursor -= size + 2 * mm
    pdf.setFont(FONT, size)
    pdf.drawString(left, cursor, text)
    cursor -= 3 * mm
    organisation = simpleSplit(
        " ".join(printable(lines["organisation"]).split()), FONT, 9, text_width
    )
    if len(organisation) > 2:
        organisation[1] = _fit(f"{organisation[1]} {organisation[2]}", FONT, 9, text_width, 9)[0]
    pdf.setFillColor(_INK)
    pdf.setFont(FONT, 9)
    for line in organisation[:2]:
        cursor -= 9 + 1 * mm
        pdf.drawString(left, cursor, line)
    if lines["college"]:
        text, size = _fit(lines["college"], FONT, 8, text_width, 6.5)
        cursor -= size + 1.5 * mm
        pdf.setFillColor(_GREY)
        pdf.setFont(FONT, size)
        pdf.drawString(left, cursor, text)

    # The workshop group, at the foot, once the groups are composed.
    if lines["group"]:
        text, size = _fit(lines["group"], FONT_BOLD, 11, text_width, 7)
        pdf.setFillColor(_INK)
        pdf.setFont(FONT_BOLD, size)
        pdf.drawString(left, y + _PADDING, text)

    _draw_qr(
        pdf,
        qr_data,
        x + BADGE_WIDTH - _PADDING - QR_SIZE,
        y + _PADDING,
        QR_SIZE,
    )
    if identity is not None:
        _draw_badge_identity(
            pdf, identity, x + BADGE_WIDTH - _PADDING - QR_SIZE, y + _PADDING + QR_SIZE + 2 * mm
        )


def badges_pdf(edition: Edition, registrations: Iterable[Registration]) -> bytes:
    """A4 sheets of 8 badges (2 columns, 4 rows, dashed cut lines), alphabetically. Each
    badge: name, organisation, college, workshop group once assigned, the
    edition, and a QR code that opens this person's check-in."""
    with translation.override(settings.LANGUAGE_CODE):
        _font_characters()
        registrations = alphabetical(registrations)
        assignments = assignments_for(registrations)
        heading = f"{edition.title} · {_french_date(edition)}"
        identity = printed_identity()
        buffer = io.BytesIO()
        pdf = canvas.Canvas(
            buffer,
            pagesize=A4,
            pageCompression=1,
            lang=settings.LANGUAGE_CODE,
            initialFontName=FONT,
        )
        pdf.setTitle(_("Badges - %(title)s") % {"title": printable(edition.title)})
        pdf.setAuthor(printable(identity.name))
        page_width, page_height = A4
        left = (page_width - BADGE_COLUMNS * BADGE_WIDTH) / 2
        bottom = (page_height - BADGE_ROWS * BADGE_HEIGHT) / 2
        if not registrations:
            pdf.setFont(FONT, 12)
            pdf.drawString(left, page_height - bottom, _("Aucune inscription confirmée."))
        for index, registration in enumerate(registrations):
            if index and index % BADGES_PER_PAGE == 0:
                pdf.showPage()
            slot = index % BADGES_PER_PAGE
            column, row = slot % BADGE_COLUMNS, slot // BADGE_COLUMNS
            # checkin_url reads the edition: give it the one we hold (no query per badge).
            registration.edition = edition
            _draw_badge(
                pdf,
                left + column * BADGE_WIDTH,
                bottom + (BADGE_ROWS - 1 - row) * BADGE_HEIGHT,
                badge_lines(registration, assignments.get(registration.pk, "")),
                heading,
                checkin_url(registration),
                identity,
            )
        pdf.showPage()
        pdf.save()
        return buffer.getvalue()
