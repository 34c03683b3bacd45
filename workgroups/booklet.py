"""What a project sheet says, in reading order (shared by the group page, the
gallery and the booklet), and the booklet itself: the *recueil des projets*,
a PDF with a cover, a table of contents and one project per page.

The PDF uses the portal's embedded font (Bitstream Vera, see events.exports):
French accents and names from everywhere print as typed, or as close as the
font allows. The builder makes no query: it takes groups read by
``selectors.gallery_of(edition, with_members=True)``.
"""

import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

from django.conf import settings
from django.urls import reverse
from django.utils import formats, translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    BaseDocTemplate,
    Frame,
    Image,
    KeepTogether,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
)
from reportlab.platypus.tableofcontents import TableOfContents

from contrat_ville.printing import printed_identity
from events.exports import FONT, FONT_BOLD, printable
from events.exports import _font_characters as register_fonts
from events.models import Edition
from partners.enums import ActorStatus

from .models import ProjectSheet, Workgroup

# -- what a sheet says ---------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    """One line of a sheet: a label and its text, or a list of (name, url or None)."""

    label: str
    text: str = ""
    items: list[tuple[str, str | None]] = field(default_factory=list)


def _label(name: str) -> str:
    return capfirst(str(ProjectSheet._meta.get_field(name).verbose_name))


def age_range(sheet: ProjectSheet) -> str:
    if sheet.age_min is not None and sheet.age_max is not None:
        return _("de %(min)s à %(max)s ans") % {"min": sheet.age_min, "max": sheet.age_max}
    if sheet.age_min is not None:
        return _("à partir de %(min)s ans") % {"min": sheet.age_min}
    if sheet.age_max is not None:
        return _("jusqu'à %(max)s ans") % {"max": sheet.age_max}
    return ""


def target(sheet: ProjectSheet) -> str:
    """The public: age range and precisions, "de 12 à 17 ans · jeunes filles"."""
    return " · ".join(part for part in (age_range(sheet), sheet.target_public) if part)


def euros(amount: int) -> str:
    return _("%(amount)s €") % {"amount": formats.number_format(amount, force_grouping=True)}


def members_text(members: list, *, with_names: bool) -> str:
    """The people present: the names of those who agreed to be on the
    participants list (for partners only), the others counted."""
    if not members:
        return ""
    names = [m.full_name for m in members if m.listed and m.full_name] if with_names else []
    others = len(members) - len(names)
    if not names:
        return ngettext("%(count)s personne", "%(count)s personnes", others) % {"count": others}
    text = ", ".join(names)
    if others:
        text += " " + ngettext(
            "et %(count)s autre personne", "et %(count)s autres personnes", others
        ) % {"count": others}
    return text


def sheet_entries(
    sheet: ProjectSheet | None, *, with_names: bool, links: bool = True
) -> list[Entry]:
    """The filled fields of a sheet, labelled, in reading order (empty ones left
    out). Reads the prefetched territories, partners and members present."""
    if sheet is None:
        return []
    entries = [
        Entry(_label("need"), sheet.need),
        Entry(_("Public visé"), target(sheet)),
        Entry(
            _("Quartiers"),
            items=[
                (t.name, reverse("neighbourhoods:detail", args=[t.slug]) if links else None)
                for t in sheet.territories.all()
            ],
        ),
        Entry(_label("actions"), sheet.actions),
    ]
    partners = [
        (
            actor.name,
            reverse("partners:actor_detail", args=[actor.slug])
            if links and actor.status == ActorStatus.PUBLISHED
            else None,
        )
        for actor in sheet.partners.all()
    ]
    partners += [(line.strip(), None) for line in sheet.other_partners.splitlines() if line.strip()]
    entries += [
        Entry(_("Partenaires à mobiliser"), items=partners),
        Entry(_label("resources"), sheet.resources),
        Entry(_("Budget estimé"), euros(sheet.budget) if sheet.budget is not None else ""),
        Entry(_label("outreach"), sheet.outreach),
        Entry(_label("first_steps"), sheet.first_steps),
        Entry(_label("indicators"), sheet.indicators),
        Entry(
            _("Membres du groupe présents"),
            members_text(list(sheet.members_present.all()), with_names=with_names),
        ),
    ]
    return [entry for entry in entries if entry.text or entry.items]


def sheet_of_group(workgroup: Workgroup) -> ProjectSheet | None:
    """The sheet read with ``select_related("sheet")``, or None."""
    try:
        return workgroup.sheet
    except ProjectSheet.DoesNotExist:
        return None


# -- the booklet -------------------------------------------------------------------------

_MARGIN = 20 * mm
_GREY = colors.HexColor("#444444")
_BLUE = colors.HexColor("#1d4e89")


def _styles() -> dict[str, ParagraphStyle]:
    register_fonts()
    return {
        "cover_kicker": ParagraphStyle(
            "cover_kicker", fontName=FONT_BOLD, fontSize=14, leading=18, textColor=_BLUE
        ),
        "cover_title": ParagraphStyle(
            "cover_title", fontName=FONT_BOLD, fontSize=30, leading=36, spaceBefore=60
        ),
        "cover_text": ParagraphStyle("cover_text", fontName=FONT, fontSize=14, leading=20),
        "heading": ParagraphStyle(
            "heading", fontName=FONT_BOLD, fontSize=18, leading=22, spaceAfter=12
        ),
        "group": ParagraphStyle("group", fontName=FONT, fontSize=10, leading=13, textColor=_GREY),
        "title": ParagraphStyle(
            "title", fontName=FONT_BOLD, fontSize=20, leading=25, spaceBefore=4, spaceAfter=14
        ),
        "label": ParagraphStyle(
            "label", fontName=FONT_BOLD, fontSize=10.5, leading=14, spaceBefore=8, textColor=_BLUE
        ),
        "text": ParagraphStyle("text", fontName=FONT, fontSize=10.5, leading=14.5),
        "empty": ParagraphStyle("empty", fontName=FONT, fontSize=11, leading=15, spaceBefore=12),
        "toc": ParagraphStyle("toc", fontName=FONT, fontSize=11, leading=15, spaceBefore=3),
    }


def _markup(text: str) -> str:
    """User text for a Paragraph (which reads markup), line breaks kept."""
    return "<br/>".join(escape(printable(line)) for line in text.splitlines())


class _Heading(Paragraph):
    """A project's title: an entry of the table of contents and the outline."""

    def __init__(self, text: str, style: ParagraphStyle, *, toc_text: str, key: str):
        super().__init__(text, style)
        self.toc_text = toc_text
        self.key = key


class _BookletTemplate(BaseDocTemplate):
    def __init__(self, buffer, *, footer: str, **kwargs):
        super().__init__(buffer, **kwargs)
        self.footer = footer
        frame = Frame(
            self.leftMargin, self.bottomMargin, self.width, self.height, id="body", showBoundary=0
        )
        self.addPageTemplates(
            [
                PageTemplate(id="cover", frames=[frame]),
                PageTemplate(id="page", frames=[frame], onPage=self._draw_footer),
            ]
        )

    def _draw_footer(self, canvas, document) -> None:
        canvas.saveState()
        canvas.setFont(FONT, 8)
        canvas.setFillColor(_GREY)
        canvas.drawString(_MARGIN, 12 * mm, self.footer)
        canvas.drawRightString(
            A4[0] - _MARGIN, 12 * mm, _("Page %(number)s") % {"number": document.page}
        )
        canvas.restoreState()

    def afterFlowable(self, flowable) -> None:
        if isinstance(flowable, _Heading):
            self.canv.bookmarkPage(flowable.key)
            self.canv.addOutlineEntry(flowable.toc_text, flowable.key, level=0)
            self.notify("TOCEntry", (0, escape(flowable.toc_text), self.page, flowable.key))


def _project(workgroup: Workgroup, styles: dict[str, ParagraphStyle], *, with_names: bool) -> list:
    sheet = sheet_of_group(workgroup)
    group = " · ".join(
        part
        for part in (
            _("Groupe %(number)s") % {"number": workgroup.number},
            workgroup.name,
            workgroup.room,
        )
        if part
    )
    title = (sheet.title if sheet else "") or _("Projet sans titre")
    toc_text = printable(
        _("Groupe %(number)s : %(title)s") % {"number": workgroup.number, "title": title}
    )
    flowables = [
        Paragraph(_markup(group), styles["group"]),
        _Heading(
            _markup(title), styles["title"], toc_text=toc_text, key=f"group-{workgroup.number}"
        ),
    ]
    entries = sheet_entries(sheet, with_names=with_names, links=False)
    if not entries:
        flowables.append(
            Paragraph(
                escape(
                    _("Ce groupe n'a pas encore rempli sa fiche projet.")
                    if sheet is None
                    else _("La fiche de ce groupe est encore vide.")
                ),
                styles["empty"],
            )
        )
    for entry in entries:
        text = entry.text or ", ".join(name for name, _url in entry.items)
        # A label never ends a page alone.
        flowables.append(
            KeepTogether(
                [
                    Paragraph(escape(entry.label), styles["label"]),
                    Paragraph(_markup(text), styles["text"]),
                ]
            )
        )
    return flowables


def booklet_pdf(edition: Edition, workgroups: Iterable[Workgroup], *, with_names: bool) -> bytes:
    """The *recueil des projets*: A4, a cover, a table of contents with page
    numbers (and the PDF outline), then each group's project on its own page.

    ``with_names``: print the names of the members present who agreed to be on
    the participants list (for logged-in partners); otherwise they are counted.
    """
    with translation.override(settings.LANGUAGE_CODE):
        styles = _styles()
        workgroups = list(workgroups)
        date = formats.date_format(edition.date, "j F Y")
        booklet_title = _("Recueil des projets")
        identity = printed_identity()
        logo_width, logo_height = identity.logo_size(60 * mm, 20 * mm)
        cover_logo = (
            [
                Image(
                    io.BytesIO(identity.logo_png),
                    width=logo_width,
                    height=logo_height,
                    hAlign="LEFT",
                ),
                Spacer(0, 6 * mm),
            ]
            if logo_width
            else []
        )
        story = [
            *cover_logo,
            Paragraph(escape(printable(identity.line)), styles["cover_text"]),
            Spacer(0, 6 * mm),
            Paragraph(escape(booklet_title), styles["cover_kicker"]),
            Paragraph(_markup(edition.title), styles["cover_title"]),
            Paragraph(escape(date), styles["cover_text"]),
            Spacer(0, 10 * mm),
            Paragraph(
                escape(
                    ngettext(
                        "%(count)s projet construit en atelier par les partenaires du "
                        "contrat de ville.",
                        "%(count)s projets construits en atelier par les partenaires du "
                        "contrat de ville.",
                        len(workgroups),
                    )
                    % {"count": len(workgroups)}
                ),
                styles["cover_text"],
            ),
            NextPageTemplate("page"),
            PageBreak(),
            Paragraph(escape(_("Sommaire")), styles["heading"]),
        ]
        if workgroups:
            contents = TableOfContents()
            contents.levelStyles = [styles["toc"]]
            contents.dotsMinLevel = 0
            story.append(contents)
        else:
            story.append(
                Paragraph(escape(_("Aucun groupe d'atelier pour cette édition.")), styles["text"])
            )
        for workgroup in workgroups:
            story.append(PageBreak())
            story += _project(workgroup, styles, with_names=with_names)
        buffer = io.BytesIO()
        document = _BookletTemplate(
            buffer,
            footer=printable(f"{booklet_title} · {edition.title} · {date}"),
            pagesize=A4,
            leftMargin=_MARGIN,
            rightMargin=_MARGIN,
            topMargin=_MARGIN,
            bottomMargin=22 * mm,
            title=printable(f"{booklet_title} - {edition.title}"),
            author=printable(identity.name),
            lang=settings.LANGUAGE_CODE,
            pageCompression=1,
            initialFontName=FONT,
        )
        document.multiBuild(story)
        return buffer.getvalue()
