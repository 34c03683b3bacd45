"""The yearly bilan as documents for the councils: a PDF report (reportlab) and an
OpenDocument text (odfdo), which an organiser may edit in LibreOffice before handing it on.

Both files are written from one ``Report`` (``report_of``): the sections, sentences and
tables of the bilan page, already worded and formatted in French, so the PDF and the ODT
say exactly the same thing. Tables, not charts: a council reads numbers. The builders make
no query: they take a ``Bilan`` read by ``bilan_for`` and the operator's identity
(``contrat_ville.printing.printed_identity()``).

The PDF uses the portal's embedded font (Bitstream Vera, see events.exports), so names
print as typed or as close as the font allows; the ODT keeps the exact spelling.
"""

import io
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from xml.sax.saxutils import escape

from django.conf import settings
from django.utils import formats, timezone, translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from odfdo import (
    Document,
    Element,
    Frame,
    Header,
    Paragraph,
    Style,
    Table,
    VarPageNumber,
)
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Image, SimpleDocTemplate, Spacer, TableStyle
from reportlab.platypus import Paragraph as PdfParagraph
from reportlab.platypus import Table as PdfTable

from contrat_ville.printing import PrintedIdentity
from contrat_ville.text import CONTROL_CHARACTERS
from events.exports import FONT, FONT_BOLD, printable
from events.exports import _font_characters as register_fonts

from .amounts import Numbers
from .enums import IndicatorUnit
from .selectors.bilan import ORGANISERS, PARTNERS, PUBLIC, Bilan

ODT_CONTENT_TYPE = "application/vnd.oasis.opendocument.text"
PDF_CONTENT_TYPE = "application/pdf"
# The end of the file names: bilan-2025-public.pdf, bilan-2025-partenaires.odt…
FILE_SUFFIXES = {PUBLIC: "public", PARTNERS: "partenaires", ORGANISERS: "complet"}

# What a column holds: its width and its alignment follow (numbers to the right).
TEXT, COUNT, AMOUNT, NUMBER, RATE = "text", "count", "amount", "number", "rate"
NUMERIC = frozenset({COUNT, AMOUNT, NUMBER, RATE})
# Millimetres on an A4 page with 20 mm margins (170 mm of text); text columns share the rest.
WIDTHS_MM = {COUNT: 28, AMOUNT: 31, NUMBER: 30, RATE: 16}
PAGE_WIDTH_MM = 170
DASH = "—"


# -- what the documents say -------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    label: str
    kind: str = TEXT
    weight: float = 1  # a text column's share of the width left by the numbers


@dataclass
class Grid:
    """A table of the report: a header, rows of text, and a total line where one adds up."""

    columns: list[Column]
    rows: list[list[str]]
    total: list[str] | None = None


@dataclass
class Section:
    title: str
    before: list[str] = field(default_factory=list)
    grid: Grid | None = None
    after: list[str] = field(default_factory=list)


@dataclass
class Report:
    title: str
    identity_line: str
    version: str  # "Version publique"…
    produced: str  # "Document produit le 12 mai 2025"
    notices: list[str]
    sections: list[Section]

    @property
    def footer(self) -> str:
        return f"{self.title} · {self.version}"


def euros(amount: Decimal) -> str:
    """ "12 500,00 €": French grouping, always the cents."""
    return Numbers().euros(amount, cents=True)


def number(value: Decimal | int) -> str:
    """ "1 250", or "12,5" when the value has a fraction."""
    return Numbers().quantity(value)


def percent(rate: int) -> str:
    return Numbers().percent(rate)


def _measure(value: Decimal | None, unit: str) -> str:
    if value is None:
        return DASH
    if unit == IndicatorUnit.PERCENT:
        return percent(value)
    return f"{number(value)} {IndicatorUnit(unit).label}"


def _amount_or_dash(value: Decimal | None) -> str:
    return DASH if value is None else euros(value)


def version_label(version: str) -> str:
    labels = {
        PUBLIC: _("version publique"),
        PARTNERS: _("version partenaires"),
        ORGANISERS: _("version complète (organisateurs)"),
    }
    return labels[version]


def _version_notice(bilan: Bilan) -> str:
    if bilan.version == PUBLIC:
        return _(
            "Version publique : des chiffres d'ensemble, sans données personnelles ni "
            "montants confidentiels."
        )
    if bilan.version == PARTNERS:
        return _(
            "Version partenaires : pour les partenaires du contrat de ville ; les montants "
            "confidentiels n'y figurent pas."
        )
    return _(
        "Version complète : elle contient les montants confidentiels ; à ne remettre "
        "qu'aux instances du contrat de ville."
    )


def _hidden_notice(bilan: Bilan) -> str:
    return ngettext(
        "Les montants d'une action sont confidentiels : elle est comptée, mais ses "
        "montants ne figurent pas dans ce document.",
        "Les montants de %(count)s actions sont confidentiels : elles sont comptées, mais "
        "leurs montants ne figurent pas dans ce document.",
        bilan.hidden_amounts,
    ) % {"count": bilan.hidden_amounts}


def _key_figures(bilan: Bilan) -> Section:
    rows = [
        [_("Actions programmées"), number(bilan.programme)],
        [_("Actions menées (hors abandons)"), number(bilan.active)],
    ]
    if not bilan.is_public:
        rows.append([_("Propositions en attente de validation"), number(bilan.proposed)])
    reached = DASH
    if bilan.indicators:
        reached = _("%(reached)s sur %(total)s (%(rate)s)") % {
            "reached": number(bilan.indicators_reached),
            "total": number(bilan.indicators),
            "rate": percent(bilan.reached_rate),
        }
    rows += [
        [_("Budget prévu"), euros(bilan.planned)],
        [_("Budget réalisé"), euros(bilan.actual)],
        [_("Personnes touchées"), number(bilan.people_reached)],
        [_("Indicateurs ayant atteint leur cible"), reached],
    ]
    return Section(
        _("Chiffres clés"),
        grid=Grid([Column(_("Chiffre clé")), Column(str(bilan.year), NUMBER)], rows),
        after=[
            _(
                "Budgets et indicateurs portent sur les actions menées, hors abandons. "
                "Personnes touchées : la somme des indicateurs comptés en personnes, jeunes "
                "ou familles."
            )
        ],
    )


def _nothing(bilan: Bilan) -> list[str]:
    return [_("Aucune action menée en %(year)s.") % {"year": bilan.year}]


def _by_priority(bilan: Bilan) -> Section:
    section = Section(_("Par priorité du contrat"))
    if not bilan.by_priority:
        section.before = _nothing(bilan)
        return section
    section.grid = Grid(
        [
            Column(_("Priorité")),
            Column(_("Actions"), COUNT),
            Column(_("Budget prévu"), AMOUNT),
            Column(_("Budget réalisé"), AMOUNT),
        ],
        [
            [row.label, number(row.count), euros(row.planned), euros(row.actual)]
            for row in bilan.by_priority
        ],
        total=[_("Total"), number(bilan.active), euros(bilan.planned), euros(bilan.actual)],
    )
    return section


def _by_territory(bilan: Bilan) -> Section:
    section = Section(_("Par quartier"))
    if not bilan.by_territory:
        section.before = _nothing(bilan)
        return section
    # The one line with no count holds the amounts of actions led in several neighbourhoods.
    several = next((row for row in bilan.by_territory if not row.count), None)
    section.grid = Grid(
        [
            Column(_("Quartier")),
            Column(_("Actions"), COUNT),
            Column(_("Budget prévu"), AMOUNT),
            Column(_("Budget réalisé"), AMOUNT),
        ],
        [
            [
                row.label,
                number(row.count) if row.count else DASH,
                euros(row.planned),
                euros(row.actual),
            ]
            for row in bilan.by_territory
        ],
        total=[_("Total"), "", euros(bilan.planned), euros(bilan.actual)],
    )
    section.after = [
        _(
            "Une action menée dans plusieurs quartiers est comptée dans chacun : les "
            "nombres d'actions ne s'additionnent pas."
        )
    ]
    if several:
        section.after.append(
            _(
                "Les montants de ces actions figurent sur la ligne « %(line)s », pour que "
                "les montants s'additionnent."
            )
            % {"line": several.label}
        )
    return section


def _by_public(bilan: Bilan) -> Section:
    section = Section(_("Par public"))
    if not bilan.by_public:
        section.before = [_("Aucun public n'est renseigné pour les actions menées.")]
        return section
    section.grid = Grid(
        [Column(_("Public")), Column(_("Actions"), COUNT)],
        [[row.label, number(row.count)] for row in bilan.by_public],
    )
    section.after = [_("Une action qui s'adresse à plusieurs publics est comptée pour chacun.")]
    return section


def _by_funder(bilan: Bilan) -> Section:
    section = Section(_("Par financeur"))
    if not bilan.by_funder:
        section.before = [_("Aucun financement n'est renseigné pour les actions menées.")]
        return section
    section.grid = Grid(
        [
            Column(_("Financeur")),
            Column(_("Financements"), COUNT),
            Column(_("Montant prévu"), AMOUNT),
            Column(_("Montant versé"), AMOUNT),
        ],
        [
            [row.label, number(row.count), euros(row.planned), euros(row.actual)]
            for row in bilan.by_funder
        ],
        total=[
            _("Total"),
            number(sum(row.count for row in bilan.by_funder)),
            euros(bilan.funded_planned),
            euros(bilan.funded_actual),
        ],
    )
    return section


def _by_status(bilan: Bilan) -> Section:
    return Section(
        _("Par statut"),
        grid=Grid(
            [Column(_("Statut")), Column(_("Actions"), COUNT)],
            [[row.label, number(row.count)] for row in bilan.by_status],
            total=[_("Total"), number(bilan.programme)],
        ),
    )


def _indicators(bilan: Bilan) -> Section:
    section = Section(_("Indicateurs"))
    if bilan.indicators:
        section.before.append(
            ngettext(
                "%(reached)s indicateur sur %(total)s a atteint sa cible (%(rate)s).",
                "%(reached)s indicateurs sur %(total)s ont atteint leur cible (%(rate)s).",
                bilan.indicators_reached,
            )
            % {
                "reached": number(bilan.indicators_reached),
                "total": number(bilan.indicators),
                "rate": percent(bilan.reached_rate),
            }
        )
    else:
        section.before.append(_("Aucun indicateur n'a à la fois une cible et une valeur réalisée."))
    section.before.append(
        _("Personnes touchées : %(count)s.") % {"count": number(bilan.people_reached)}
    )
    if bilan.indicator_lines:
        section.grid = Grid(
            [
                Column(_("Action")),
                Column(_("Indicateur")),
                Column(_("Cible"), NUMBER),
                Column(_("Réalisé"), NUMBER),
                Column(_("Taux"), RATE),
            ],
            [
                [
                    line.action,
                    line.label,
                    _measure(line.target, line.unit),
                    _measure(line.achieved, line.unit),
                    DASH if line.rate is None else percent(line.rate),
                ]
                for line in bilan.indicator_lines
            ],
        )
    return section


def _changes(bilan: Bilan) -> Section:
    before = bilan.year - 1
    section = Section(_("Ce qui a changé depuis %(year)s") % {"year": before})
    previous = bilan.previous
    if previous is None:
        section.before = [
            _("Aucun programme n'a été enregistré pour %(year)s : pas de comparaison.")
            % {"year": before}
        ]
        return section
    section.grid = Grid(
        [Column(_("Évolution")), Column(_("Chiffre"), NUMBER)],
        [
            [_("Actions menées en %(year)s") % {"year": before}, number(previous.active)],
            [_("Actions menées en %(year)s") % {"year": bilan.year}, number(bilan.active)],
            [_("Actions reconduites de %(year)s") % {"year": before}, number(previous.renewed)],
            [_("Actions nouvelles en %(year)s") % {"year": bilan.year}, number(previous.new)],
            [
                _("Actions de %(year)s non reconduites") % {"year": before},
                number(previous.stopped),
            ],
            [_("Budget prévu en %(year)s") % {"year": before}, euros(previous.planned)],
            [_("Budget prévu en %(year)s") % {"year": bilan.year}, euros(bilan.planned)],
        ],
    )
    return section


def _pitches(bilan: Bilan) -> Section:
    section = Section(_("Du pitch à l'action"))
    if not bilan.pitches:
        section.before = [
            _("Aucune action de %(year)s n'est issue d'un pitch des ateliers de la rencontre.")
            % {"year": bilan.year}
        ]
        return section

    def origin(pitch: dict) -> str:
        if pitch["edition"] is None:
            return DASH
        return _("Rencontre %(year)s, groupe %(group)s") % {
            "year": pitch["edition"],
            "group": pitch["group"],
        }

    columns = [Column(_("Action")), Column(_("Atelier d'origine")), Column(_("Statut"))]
    if not bilan.is_public:
        columns.insert(1, Column(_("Pitch")))
    rows = []
    for pitch in bilan.pitches:
        row = [pitch["action"], origin(pitch), pitch["status_label"]]
        if not bilan.is_public:
            row.insert(1, pitch["pitch"])
        rows.append(row)
    section.before = [
        ngettext(
            "%(count)s action est issue d'un pitch construit en atelier lors d'une rencontre.",
            "%(count)s actions sont issues de pitchs construits en atelier lors des rencontres.",
            len(rows),
        )
        % {"count": len(rows)}
    ]
    section.grid = Grid(columns, rows)
    return section


def _actions(bilan: Bilan) -> Section:
    section = Section(_("Les actions de %(year)s") % {"year": bilan.year})
    if not bilan.actions:
        section.before = [_("Aucune action programmée.")]
        return section
    confidential = _("confidentiel")
    rows = []
    for line in bilan.actions:
        title = line.title
        if line.renewed_from:
            title += " · " + _("reconduite")
        if line.confidential and bilan.shows_confidential:
            title += " · " + _("montants confidentiels")
        hidden = line.confidential and not bilan.shows_confidential
        rows.append(
            [
                title,
                line.carrier,
                line.priority or DASH,
                line.status_label,
                confidential if hidden else _amount_or_dash(line.planned),
                confidential if hidden else _amount_or_dash(line.actual),
            ]
        )
    section.grid = Grid(
        [
            Column(_("Action"), weight=1.5),
            Column(_("Porteur"), weight=1.1),
            Column(_("Priorité"), weight=1.1),
            # Wide enough for "Programmée" on one line.
            Column(_("Statut"), weight=1.1),
            Column(_("Budget prévu"), AMOUNT),
            Column(_("Budget réalisé"), AMOUNT),
        ],
        rows,
    )
    if bilan.shows_confidential and any(line.confidential for line in bilan.actions):
        section.after = [
            _(
                "« montants confidentiels » : des montants qu'un organisateur a marqués "
                "confidentiels ; ils n'apparaissent ni dans la version publique ni dans "
                "celle des partenaires."
            )
        ]
    return section


def report_of(bilan: Bilan, identity: PrintedIdentity, *, today: date | None = None) -> Report:
    """What the documents say, in reading order (also what the tests read)."""
    today = today or timezone.localdate()
    notices = [_version_notice(bilan)]
    if bilan.hidden_amounts:
        notices.append(_hidden_notice(bilan))
    if not bilan.programme:
        notices.append(
            _("Aucun programme d'actions n'a été enregistré pour %(year)s.") % {"year": bilan.year}
        )
        if bilan.proposed:
            notices.append(
                ngettext(
                    "%(count)s proposition attend la validation des organisateurs.",
                    "%(count)s propositions attendent la validation des organisateurs.",
                    bilan.proposed,
                )
                % {"count": bilan.proposed}
            )
        sections = []
    else:
        sections = [
            _key_figures(bilan),
            _by_priority(bilan),
            _by_territory(bilan),
            _by_public(bilan),
            _by_funder(bilan),
            _by_status(bilan),
            _indicators(bilan),
            _changes(bilan),
            _pitches(bilan),
        ]
        if not bilan.is_public:
            sections.append(_actions(bilan))
    return Report(
        title=_("Bilan %(year)s des actions du contrat de ville") % {"year": bilan.year},
        identity_line=identity.line,
        version=capfirst(version_label(bilan.version)),
        produced=_("Document produit le %(date)s") % {"date": formats.date_format(today, "j F Y")},
        notices=notices,
        sections=sections,
    )


# -- PDF ---------------------------------------------------------------------------------

_MARGIN = 20 * mm
_GREY = colors.HexColor("#444444")
_BLUE = colors.HexColor("#1d4e89")
_LINE = colors.HexColor("#555555")
_HEAD = colors.HexColor("#e6e6e6")
_TOTAL = colors.HexColor("#f2f2f2")
_CELL_SIZE, _CELL_LEADING, _CELL_PADDING = 8.5, 10.5, 5


def _pdf_styles() -> dict[str, ParagraphStyle]:
    register_fonts()
    cell = ParagraphStyle("cell", fontName=FONT, fontSize=_CELL_SIZE, leading=_CELL_LEADING)
    head = ParagraphStyle("head", parent=cell, fontName=FONT_BOLD)
    return {
        "identity": ParagraphStyle(
            "identity", fontName=FONT, fontSize=9, leading=12, textColor=_GREY
        ),
        "title": ParagraphStyle(
            "title", fontName=FONT_BOLD, fontSize=20, leading=25, spaceBefore=8, spaceAfter=4
        ),
        "version": ParagraphStyle(
            "version", fontName=FONT_BOLD, fontSize=12, leading=16, textColor=_BLUE
        ),
        "produced": ParagraphStyle(
            "produced", fontName=FONT, fontSize=10, leading=13, textColor=_GREY, spaceAfter=6
        ),
        "notice": ParagraphStyle(
            "notice",
            fontName=FONT,
            fontSize=10,
            leading=13.5,
            spaceBefore=4,
            leftIndent=6,
            borderPadding=(4, 6, 4, 6),
            borderColor=_BLUE,
            borderWidth=0.6,
        ),
        "heading": ParagraphStyle(
            "heading",
            fontName=FONT_BOLD,
            fontSize=14,
            leading=18,
            spaceBefore=14,
            spaceAfter=6,
            textColor=_BLUE,
            keepWithNext=1,
        ),
        "text": ParagraphStyle("text", fontName=FONT, fontSize=10, leading=13.5, spaceAfter=4),
        "note": ParagraphStyle(
            "note", fontName=FONT, fontSize=8.5, leading=11, textColor=_GREY, spaceBefore=3
        ),
        "cell": cell,
        "cell_number": ParagraphStyle("cell_number", parent=cell, alignment=TA_RIGHT),
        "head": head,
        "head_number": ParagraphStyle("head_number", parent=head, alignment=TA_RIGHT),
    }


def _pdf_text(text: str) -> str:
    return escape(printable(text))


def _widths(columns: list[Column], total: float) -> list[float]:
    """Fixed widths for numbers; text columns share what is left."""
    fixed = sum(WIDTHS_MM[c.kind] for c in columns if c.kind in WIDTHS_MM)
    weights = sum(c.weight for c in columns if c.kind not in WIDTHS_MM) or 1
    share = (total - fixed) / weights
    return [WIDTHS_MM.get(c.kind, share * c.weight) for c in columns]


def _pdf_grid(grid: Grid, styles) -> PdfTable:
    widths = [width * mm for width in _widths(grid.columns, PAGE_WIDTH_MM)]

    def cells(values: list[str], *, bold: bool) -> list:
        line = []
        for column, width, value in zip(grid.columns, widths, values, strict=True):
            text = printable(value)
            font = FONT_BOLD if bold else FONT
            if stringWidth(text, font, _CELL_SIZE) <= width - 2 * _CELL_PADDING:
                # A line that fits is drawn as is: wrapping thousands of paragraphs would
                # take seconds on a large year.
                line.append(text)
                continue
            numeric = "_number" if column.kind in NUMERIC else ""
            line.append(PdfParagraph(escape(text), styles[("head" if bold else "cell") + numeric]))
        return line

    data = [cells([c.label for c in grid.columns], bold=True)]
    data += [cells(row, bold=False) for row in grid.rows]
    if grid.total:
        data.append(cells(grid.total, bold=True))
    table = PdfTable(data, colWidths=widths, repeatRows=1, hAlign="LEFT")
    commands = [
        ("FONTNAME", (0, 0), (-1, -1), FONT),
        ("FONTSIZE", (0, 0), (-1, -1), _CELL_SIZE),
        ("LEADING", (0, 0), (-1, -1), _CELL_LEADING),
        ("FONTNAME", (0, 0), (-1, 0), FONT_BOLD),
        ("GRID", (0, 0), (-1, -1), 0.5, _LINE),
        ("BACKGROUND", (0, 0), (-1, 0), _HEAD),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), _CELL_PADDING),
        ("RIGHTPADDING", (0, 0), (-1, -1), _CELL_PADDING),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]
    commands += [
        ("ALIGN", (index, 0), (index, -1), "RIGHT")
        for index, column in enumerate(grid.columns)
        if column.kind in NUMERIC
    ]
    if grid.total:
        commands += [
            ("BACKGROUND", (0, -1), (-1, -1), _TOTAL),
            ("FONTNAME", (0, -1), (-1, -1), FONT_BOLD),
        ]
    table.setStyle(TableStyle(commands))
    return table


def _pdf_header(report: Report, identity: PrintedIdentity, styles) -> list:
    line = PdfParagraph(_pdf_text(report.identity_line), styles["identity"])
    width, height = identity.logo_size(45 * mm, 15 * mm)
    if not width:
        return [line]
    logo = Image(io.BytesIO(identity.logo_png), width=width, height=height)
    table = PdfTable([[logo, line]], colWidths=[width + 5 * mm, None], hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    return [table]


def bilan_pdf(bilan: Bilan, identity: PrintedIdentity) -> bytes:
    """The bilan as an A4 report: the operator, the year, the version and the date on top,
    then each section with its table; the footer repeats the title, the version and the
    page number."""
    with translation.override(settings.LANGUAGE_CODE):
        report = report_of(bilan, identity)
        styles = _pdf_styles()
        story = [
            *_pdf_header(report, identity, styles),
            PdfParagraph(_pdf_text(report.title), styles["title"]),
            PdfParagraph(_pdf_text(report.version), styles["version"]),
            PdfParagraph(_pdf_text(report.produced), styles["produced"]),
        ]
        for notice in report.notices:
            story += [PdfParagraph(_pdf_text(notice), styles["notice"]), Spacer(0, 3 * mm)]
        for section in report.sections:
            story.append(PdfParagraph(_pdf_text(section.title), styles["heading"]))
            story += [PdfParagraph(_pdf_text(text), styles["text"]) for text in section.before]
            if section.grid:
                story.append(_pdf_grid(section.grid, styles))
            story += [PdfParagraph(_pdf_text(text), styles["note"]) for text in section.after]
        footer = printable(report.footer)
        page_label = _("Page %(number)s")

        def draw_footer(canvas, document) -> None:
            canvas.saveState()
            canvas.setFont(FONT, 8)
            canvas.setFillColor(_GREY)
            canvas.drawString(_MARGIN, 12 * mm, footer)
            canvas.drawRightString(A4[0] - _MARGIN, 12 * mm, page_label % {"number": document.page})
            canvas.restoreState()

        buffer = io.BytesIO()
        SimpleDocTemplate(
            buffer,
            pagesize=A4,
            leftMargin=_MARGIN,
            rightMargin=_MARGIN,
            topMargin=_MARGIN,
            bottomMargin=22 * mm,
            title=printable(f"{report.title} - {report.version}"),
            author=printable(identity.operator or identity.name),
            subject=printable(report.produced),
            lang=settings.LANGUAGE_CODE,
            pageCompression=1,
            initialFontName=FONT,
        ).build(story, onFirstPage=draw_footer, onLaterPages=draw_footer)
        return buffer.getvalue()


# -- OpenDocument text -------------------------------------------------------------------

_ODT_FONT = "Liberation Sans"
_THUMBNAIL = "Thumbnails/thumbnail.png"
# Named styles (styles.xml): whoever edits the file in LibreOffice finds them by name.
_ODT_PARAGRAPH_STYLES = {
    "Bilan_Identite": ("Bilan - identité", 'fo:font-size="9pt" fo:color="#444444"', ""),
    "Bilan_Titre": (
        "Bilan - titre",
        'fo:font-size="20pt" fo:font-weight="bold"',
        'fo:margin-top="0.3cm" fo:margin-bottom="0.15cm"',
    ),
    "Bilan_Version": (
        "Bilan - version",
        'fo:font-size="12pt" fo:font-weight="bold" fo:color="#1d4e89"',
        "",
    ),
    "Bilan_Date": (
        "Bilan - date",
        'fo:font-size="10pt" fo:color="#444444"',
        'fo:margin-bottom="0.3cm"',
    ),
    "Bilan_Avertissement": (
        "Bilan - avertissement",
        'fo:font-size="10pt"',
        'fo:margin-top="0.15cm" fo:margin-bottom="0.15cm" fo:padding="0.15cm" '
        'fo:border="0.5pt solid #1d4e89"',
    ),
    "Bilan_Texte": ("Bilan - texte", 'fo:font-size="10pt"', 'fo:margin-bottom="0.15cm"'),
    "Bilan_Note": (
        "Bilan - note",
        'fo:font-size="8.5pt" fo:color="#444444"',
        'fo:margin-top="0.1cm"',
    ),
    "Bilan_Cellule": ("Bilan - cellule", 'fo:font-size="9pt"', ""),
    "Bilan_Cellule_Nombre": ("Bilan - cellule nombre", 'fo:font-size="9pt"', 'fo:text-align="end"'),
    "Bilan_Entete": ("Bilan - en-tête de tableau", 'fo:font-size="9pt" fo:font-weight="bold"', ""),
    "Bilan_Entete_Nombre": (
        "Bilan - en-tête de tableau nombre",
        'fo:font-size="9pt" fo:font-weight="bold"',
        'fo:text-align="end"',
    ),
    "Bilan_Pied": ("Bilan - pied de page", 'fo:font-size="8pt" fo:color="#444444"', ""),
}


def _odt_text(text: str) -> str:
    """User text is stored as typed, less the control characters XML cannot hold."""
    return CONTROL_CHARACTERS.sub(" ", text)


def _odt_styles(document: Document) -> None:
    for name, (display, text, paragraph) in _ODT_PARAGRAPH_STYLES.items():
        paragraph_properties = f"<style:paragraph-properties {paragraph}/>" if paragraph else ""
        document.insert_style(
            Element.from_tag(
                f'<style:style style:name="{name}" '
                f'style:display-name="{display}" style:family="paragraph" '
                f'style:parent-style-name="Standard">{paragraph_properties}'
                f'<style:text-properties style:font-name="{_ODT_FONT}" {text}/></style:style>'
            )
        )
    border = 'fo:border="0.5pt solid #555555" fo:padding="0.08cm"'
    for name, extra in (
        ("Bilan_Case", ""),
        ("Bilan_Case_Entete", 'fo:background-color="#e6e6e6"'),
        ("Bilan_Case_Total", 'fo:background-color="#f2f2f2"'),
    ):
        document.insert_style(
            Element.from_tag(
                f'<style:style style:name="{name}" style:family="table-cell">'
                f"<style:table-cell-properties {border} {extra}/></style:style>"
            ),
            automatic=True,
        )


def _odt_page(document: Document, report: Report) -> None:
    """The footer of every page: the title, the version and the page number."""
    page = document.get_style("master-page", "Standard")
    # The PDF's "Page N", with a field that LibreOffice fills in on each page.
    before, _number, after = (_("Page %(number)s") % {"number": "\0"}).partition("\0")
    footer = Paragraph(_odt_text(f"{report.footer} · {before}"), style="Bilan_Pied")
    footer.append(VarPageNumber())
    if after:
        footer.append(after)
    page.set_page_footer(footer)
    document.insert_style(page)


def _odt_logo(document: Document, identity: PrintedIdentity) -> Frame | None:
    width, height = identity.logo_size(45 * mm, 15 * mm)
    if not width:
        return None
    path = "Pictures/logo.png"
    document.container.set_part(path, identity.logo_png)
    document.manifest.add_full_path(path, "image/png")
    # reportlab sizes are in points: 72 to the inch, 2.54 cm to the inch.
    size = (f"{width / 72 * 2.54:.2f}cm", f"{height / 72 * 2.54:.2f}cm")
    frame = Frame.image_frame(path, name="Logo", size=size, anchor_type="as-char")
    # The text alternative a screen reader reads for the picture.
    frame.svg_title = _odt_text(
        _("Logo de %(operator)s") % {"operator": identity.operator or identity.name}
    )
    return frame


_CELL_STYLES = {"head": "Bilan_Case_Entete", "body": "Bilan_Case", "total": "Bilan_Case_Total"}


def _odt_grid(document: Document, grid: Grid, number: int) -> Table:
    """One table, parsed from its XML in one go: odfdo builds an element in about 0.1 ms,
    and the organisers' list of a 1,000-action year has some 20,000 of them."""
    name = f"Tableau{number}"
    document.insert_style(
        Style(family="table", name=name, width=f"{PAGE_WIDTH_MM / 10}cm", align="margins"),
        automatic=True,
    )
    xml = [f'<table:table table:name="{name}" table:style-name="{name}">']
    for position, width in enumerate(_widths(grid.columns, PAGE_WIDTH_MM)):
        column_style = f"{name}.{position}"
        document.insert_style(
            Style(family="table-column", name=column_style, width=f"{width / 10:.2f}cm"),
            automatic=True,
        )
        xml.append(f'<table:table-column table:style-name="{column_style}"/>')

    def row(values: list[str], kind: str) -> str:
        paragraph = "Bilan_Cellule" if kind == "body" else "Bilan_Entete"
        cells = [
            f'<table:table-cell table:style-name="{_CELL_STYLES[kind]}" '
            f'office:value-type="string"><text:p text:style-name="{paragraph}'
            f'{"_Nombre" if column.kind in NUMERIC else ""}">{escape(_odt_text(value))}'
            "</text:p></table:table-cell>"
            for column, value in zip(grid.columns, values, strict=True)
        ]
        return f"<table:table-row>{''.join(cells)}</table:table-row>"

    xml.append(
        f"<table:table-header-rows>{row([c.label for c in grid.columns], 'head')}"
        "</table:table-header-rows>"
    )
    xml += [row(values, "body") for values in grid.rows]
    if grid.total:
        xml.append(row(grid.total, "total"))
    xml.append("</table:table>")
    return Element.from_tag("".join(xml))


def bilan_odt(bilan: Bilan, identity: PrintedIdentity) -> bytes:
    """The same report as an OpenDocument text: headings (the navigator lists them),
    tables with a repeated header row, named styles to edit the look in LibreOffice."""
    with translation.override(settings.LANGUAGE_CODE):
        report = report_of(bilan, identity)
        document = Document("text")
        document.set_language("fr-FR")
        meta = document.meta
        meta.title = _odt_text(f"{report.title} - {report.version}")
        meta.subject = _odt_text(report.produced)
        meta.initial_creator = _odt_text(identity.operator or identity.name)
        meta.creation_date = timezone.now().replace(microsecond=0)
        # The template's statistics and thumbnail describe an empty page: LibreOffice
        # computes them again, a file browser would show a blank preview.
        statistic = meta.get_element("//meta:document-statistic")
        if statistic is not None:
            statistic.delete()
        if document.get_part(_THUMBNAIL) is not None:
            document.del_part(_THUMBNAIL)
            document.manifest.del_full_path(_THUMBNAIL)
        _odt_styles(document)
        _odt_page(document, report)
        body = document.body
        body.clear()
        identity_line = Paragraph("", style="Bilan_Identite")
        logo = _odt_logo(document, identity)
        if logo is not None:
            identity_line.append(logo)
            identity_line.append(" ")
        identity_line.append(_odt_text(report.identity_line))
        body.append(identity_line)
        body.append(Paragraph(_odt_text(report.title), style="Bilan_Titre"))
        body.append(Paragraph(_odt_text(report.version), style="Bilan_Version"))
        body.append(Paragraph(_odt_text(report.produced), style="Bilan_Date"))
        for notice in report.notices:
            body.append(Paragraph(_odt_text(notice), style="Bilan_Avertissement"))
        for position, section in enumerate(report.sections, start=1):
            heading = Header(1, _odt_text(section.title))
            heading.style = "Heading_20_1"  # odfdo 3.27's Header() drops its style argument
            body.append(heading)
            for text in section.before:
                body.append(Paragraph(_odt_text(text), style="Bilan_Texte"))
            if section.grid:
                body.append(_odt_grid(document, section.grid, position))
            for text in section.after:
                body.append(Paragraph(_odt_text(text), style="Bilan_Note"))
        buffer = io.BytesIO()
        document.save(buffer)
        return buffer.getvalue()
