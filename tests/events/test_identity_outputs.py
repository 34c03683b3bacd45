"""The installation's identity in what leaves the portal: the rencontre's e-mails, the
attendance sheet, the badges and the booklet (contrat_ville.printing)."""

import io

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from contrat_ville.identity import identity_update
from events import exports
from events.selectors import attendees_for_sheet
from tests.events.test_exports import pdf_text
from tests.events.test_services import register
from workgroups.booklet import booklet_pdf

IDENTITY = {
    "name": "Portail de Testville",
    "operator": "Agglo de Testville",
    "operator_url": "https://agglo.example.test/",
    "primary_colour": "#1d4e89",
}


def png_upload() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (60, 20), "#00695c").save(buffer, "PNG")
    return SimpleUploadedFile("logo.png", buffer.getvalue(), "image/png")


SVG_UPLOAD = (
    b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 4 4"><rect width="4" height="4"/></svg>'
)


@pytest.fixture
def identity(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    identity_update(by=None, data={**IDENTITY, "logo": png_upload()})


def _has_image(pdf: bytes) -> bool:
    return b"/Subtype /Image" in pdf


def test_the_confirmation_email_is_signed_with_the_portal_and_its_operator(
    identity, edition, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        register(edition, "a@example.org")

    body = mail.outbox[0].body
    assert body.endswith(
        "-- \nPortail de Testville\nAgglo de Testville · https://agglo.example.test/\n"
    )


def test_the_invitation_names_the_portal(identity, edition):
    from django.template.loader import render_to_string

    body = render_to_string(
        "events/email/invitation.txt",
        {"edition": edition, "register_url": "https://x/", "edition_url": "https://y/"},
    )
    assert "contrat de ville sur Portail de Testville." in body
    assert "Agglo de Testville · https://agglo.example.test/" in body


def test_the_attendance_sheet_prints_the_portal_operator_and_png_logo(
    identity, edition, make_registration
):
    make_registration(edition, first_name="Zoë", last_name="Martin")
    pdf = exports.attendance_pdf(edition, attendees_for_sheet(edition))

    lines = pdf_text(pdf).splitlines()
    assert "Portail de Testville · Agglo de Testville" in lines
    assert _has_image(pdf)
    assert b"/Author (Portail de Testville)" in pdf


def test_badges_print_the_portal_and_the_png_logo(identity, edition, make_registration):
    make_registration(edition, first_name="Zoë", last_name="Martin")
    pdf = exports.badges_pdf(edition, attendees_for_sheet(edition))

    assert "Portail de Testville" in pdf_text(pdf).splitlines()
    assert _has_image(pdf)


def test_with_an_svg_logo_the_documents_print_the_operator_as_text(
    db, settings, tmp_path, edition, make_registration
):
    settings.MEDIA_ROOT = tmp_path
    identity_update(
        by=None,
        data={**IDENTITY, "logo": SimpleUploadedFile("l.svg", SVG_UPLOAD, "image/svg+xml")},
    )
    make_registration(edition, first_name="Zoë", last_name="Martin")
    badges = exports.badges_pdf(edition, attendees_for_sheet(edition))
    sheet = exports.attendance_pdf(edition, attendees_for_sheet(edition))

    assert "Agglo de Testville" in pdf_text(badges).splitlines()
    assert "Portail de Testville · Agglo de Testville" in pdf_text(sheet).splitlines()
    assert not _has_image(badges)
    assert not _has_image(sheet)


def test_the_booklet_cover_prints_the_portal_its_operator_and_logo(identity, edition):
    pdf = booklet_pdf(edition, [], with_names=False)

    assert "Portail de Testville · Agglo de Testville" in pdf_text(pdf).splitlines()
    assert _has_image(pdf)


def test_a_missing_logo_file_never_stops_a_document(identity, edition, tmp_path):
    for path in tmp_path.rglob("*.png"):
        path.unlink()
    pdf = exports.attendance_pdf(edition, attendees_for_sheet(edition))

    assert "Portail de Testville · Agglo de Testville" in pdf_text(pdf).splitlines()
    assert not _has_image(pdf)
