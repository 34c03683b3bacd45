"""The attendance certificate (attestation de présence): one A4 page for one person who
was checked in, with the operator's identity, the event, its dates and its length."""

import hashlib
import io
from datetime import timedelta
from xml.sax.saxutils import escape

from django.conf import settings
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

from contrat_ville.printing import printed_identity

from .exports import FONT, _identity_header, _styles, printable
from .models import Registration


def reference(registration: Registration) -> str:
    """A short reference printed on the certificate: derived from the check-in code, so it
    identifies the certificate without revealing any secret of the registration."""
    digest = hashlib.sha256(f"attestation:{registration.checkin_code}".encode()).hexdigest()
    return f"{registration.edition.file_stem}-{digest[:10]}".upper()


def _duration(edition) -> str:
    total = sum(((ends - starts) for starts, ends in edition.all_days()), timedelta())
    hours = total.total_seconds() / 3600
    return _("%(hours)s h") % {
        "hours": formats.number_format(round(hours, 1), decimal_pos=1 if hours % 1 else 0)
    }


def _days(edition) -> str:
    return ", ".join(
        _("le %(date)s de %(start)s à %(end)s")
        % {
            "date": formats.date_format(timezone.localtime(starts), "l j F Y"),
            "start": formats.time_format(timezone.localtime(starts).time()),
            "end": formats.time_format(timezone.localtime(ends).time()),
        }
        for starts, ends in edition.all_days()
    )


def certificate_lines(registration: Registration) -> list[str]:
    """The certificate's sentences, in order (also what the tests read)."""
    edition = registration.edition
    identity = printed_identity()
    organisation = registration.organisation_label
    person = registration.full_name + (f" ({organisation})" if organisation else "")
    what = edition.title
    if edition.training_id:
        what = _("%(title)s, formation animée par %(trainer)s") % {
            "title": edition.training.title,
            "trainer": edition.training.trainer,
        }
    place = ", ".join(part for part in (edition.venue_name, edition.venue_address) if part)
    return [
        _(
            "%(operator)s atteste que %(person)s a participé à %(what)s (%(kind)s), "
            "%(days)s, à %(place)s."
        )
        % {
            "operator": identity.operator or identity.name,
            "person": person,
            "what": what,
            "kind": edition.get_kind_display().lower(),
            "days": _days(edition),
            "place": place,
        },
        _("Durée totale : %(duration)s.") % {"duration": _duration(edition)},
        _("Arrivée enregistrée le %(date)s.")
        % {
            "date": formats.date_format(
                timezone.localtime(registration.checked_in_at), "j F Y à H:i"
            )
        },
        _("Fait le %(date)s, pour servir et valoir ce que de droit.")
        % {"date": formats.date_format(timezone.localdate(), "j F Y")},
        _("Référence : %(reference)s") % {"reference": reference(registration)},
    ]


def certificate_pdf(registration: Registration) -> bytes:
    with translation.override(settings.LANGUAGE_CODE):
        styles = _styles()
        identity = printed_identity()
        body = styles["subtitle"].clone("body", fontSize=12, leading=17)
        lines = certificate_lines(registration)
        story = [
            _identity_header(identity, styles),
            Spacer(0, 20 * mm),
            Paragraph(escape(_("Attestation de présence")), styles["title"]),
            Spacer(0, 10 * mm),
        ]
        for line in lines[:-1]:
            story += [Paragraph(escape(printable(line)), body), Spacer(0, 4 * mm)]
        story += [
            Spacer(0, 15 * mm),
            Paragraph(escape(printable(identity.operator or identity.name)), body),
            Spacer(0, 20 * mm),
            Paragraph(escape(printable(lines[-1])), styles["small"]),
        ]
        buffer = io.BytesIO()
        SimpleDocTemplate(
            buffer,
            pagesize=A4,
            leftMargin=20 * mm,
            rightMargin=20 * mm,
            topMargin=18 * mm,
            bottomMargin=18 * mm,
            title=_("Attestation de présence - %(name)s")
            % {"name": printable(registration.full_name)},
            author=printable(identity.name),
            lang=settings.LANGUAGE_CODE,
            initialFontName=FONT,
        ).build(story)
        return buffer.getvalue()
