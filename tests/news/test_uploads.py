"""Documents and images are what their content says, never what their name says; bad types,
sizes and contents are refused with a message next to the field, and nothing is written."""

import io
import random

import pytest

from news.enums import AuditAction
from news.forms import DocumentForm, NewsItemForm
from news.models import Document, NewsItem
from news.uploads import document_type

from .conftest import CONTENT_TYPES, png_bytes, upload, zip_bytes

HTML = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64


def noise_png() -> bytes:
    """A PNG of random pixels: about 270 KB, since noise does not compress."""
    from PIL import Image

    buffer = io.BytesIO()
    Image.frombytes("RGB", (300, 300), random.Random(4).randbytes(300 * 300 * 3)).save(
        buffer, format="PNG"
    )
    return buffer.getvalue()


def kind_of(content: bytes):
    kind = document_type(io.BytesIO(content))
    return kind.extension if kind else None


def test_document_type_reads_the_content(pdf_bytes, docx_bytes, odt_bytes):
    assert kind_of(pdf_bytes) == "pdf"
    assert kind_of(docx_bytes) == "docx"
    assert kind_of(odt_bytes) == "odt"
    assert kind_of(png_bytes()) == "png"


@pytest.mark.parametrize(
    ("entries", "expected"),
    [
        ({"[Content_Types].xml": CONTENT_TYPES, "xl/workbook.xml": b"<w/>"}, "xlsx"),
        ({"[Content_Types].xml": CONTENT_TYPES, "ppt/presentation.xml": b"<p/>"}, "pptx"),
        ({"mimetype": b"application/vnd.oasis.opendocument.spreadsheet"}, "ods"),
        ({"mimetype": b"application/vnd.oasis.opendocument.presentation"}, "odp"),
    ],
)
def test_office_formats_are_told_apart_by_their_entries(entries, expected):
    assert kind_of(zip_bytes(entries)) == expected


@pytest.mark.parametrize(
    "content",
    [
        HTML,
        EXE,
        b"",
        b"%PD",  # too short to be a PDF
        zip_bytes({"readme.txt": b"not an office document"}),
        zip_bytes({"[Content_Types].xml": CONTENT_TYPES}),  # no main part
        zip_bytes({"mimetype": b"application/x-shockwave-flash"}),
        zip_bytes(
            {
                "[Content_Types].xml": CONTENT_TYPES.replace(b"main+xml", b"macroEnabled.main+xml"),
                "word/document.xml": b"<w/>",
            }
        ),
        b"PK\x03\x04 broken zip",
        b"GIF89a\x01\x00\x01\x00",
    ],
)
def test_other_contents_have_no_type(content):
    assert kind_of(content) is None


def document_form(file, **data):
    fields = {"kind": "guide", "title": "Guide", "date": "2026-03-01", "summary": "Un guide."}
    fields["audience"] = "public"
    fields.update(data)
    return DocumentForm(data=fields, files={"file": file} if file else {})


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("rapport.pdf", HTML),  # HTML renamed .pdf
        ("setup.exe", EXE),
        ("programme.pdf", EXE),
        ("archive.docx", zip_bytes({"readme.txt": b"hello"})),  # a zip, not an office document
        (
            "macro.docm",
            zip_bytes({"[Content_Types].xml": b"macroEnabled", "word/document.xml": b""}),
        ),
    ],
)
def test_document_form_refuses_a_bad_type_next_to_the_field(name, content):
    form = document_form(upload(name, content))

    assert not form.is_valid()
    assert form.errors["file"] == [
        "Ce fichier n'est pas d'un type accepté : PDF, Word, Excel, PowerPoint, OpenDocument "
        "(odt, ods, odp), PNG, JPEG ou WebP."
    ]


@pytest.mark.django_db
def test_document_form_refuses_a_file_over_the_limit(settings, pdf_bytes):
    settings.PORTAL_DOCUMENT_MAX_BYTES = 1024 * 1024
    big = pdf_bytes + b"\n%" + b"0" * (1024 * 1024)

    form = document_form(upload("gros.pdf", big))

    assert not form.is_valid()
    assert form.errors["file"] == ["Le fichier pèse 1,1 Mo ; la limite est de 1,0 Mo."]


@pytest.mark.django_db
def test_document_form_accepts_an_office_document(docx_bytes):
    form = document_form(upload("note.bin", docx_bytes, "application/octet-stream"))

    assert form.is_valid(), form.errors


@pytest.mark.django_db
def test_document_form_needs_a_file_or_a_link_not_both(pdf_bytes):
    neither = document_form(None)
    both = document_form(upload("a.pdf", pdf_bytes), url="https://example.org/a")

    assert not neither.is_valid()
    assert neither.errors["file"] == ["Déposez un fichier ou donnez un lien vers le document."]
    assert not both.is_valid()
    assert both.errors["url"] == ["Donnez un fichier ou un lien, pas les deux."]


@pytest.mark.django_db
def test_news_form_refuses_a_non_image_and_needs_alternative_text():
    fields = {"title": "T", "date": "2026-03-01", "summary": "S", "body": "B", "audience": "public"}
    not_image = NewsItemForm(data=fields, files={"image": upload("photo.png", HTML, "image/png")})
    no_alt = NewsItemForm(
        data=fields, files={"image": upload("photo.png", png_bytes(), "image/png")}
    )

    assert not not_image.is_valid()
    assert not_image.errors["image"] == ["L'image doit être un fichier PNG, JPEG ou WebP."]
    assert not no_alt.is_valid()
    assert list(no_alt.errors) == ["image_alt"]


@pytest.mark.django_db
def test_news_form_refuses_an_image_over_the_limit(settings):
    settings.PORTAL_NEWS_IMAGE_MAX_BYTES = 100 * 1024
    fields = {"title": "T", "date": "2026-03-01", "summary": "S", "body": "B", "audience": "public"}
    form = NewsItemForm(
        data={**fields, "image_alt": "Une photo"},
        files={"image": upload("photo.png", noise_png(), "image/png")},
    )

    assert not form.is_valid()
    assert form.errors["image"] == ["L'image pèse 0,3 Mo ; la limite est de 0,1 Mo."]


@pytest.mark.django_db
def test_a_refused_upload_writes_nothing(organiser_client, settings):
    from contrat_ville.models import AuditLogEntry

    response = organiser_client.post(
        "/documents/ajouter/",
        {
            "kind": "guide",
            "title": "Faux PDF",
            "date": "2026-03-01",
            "summary": "Une page web déguisée.",
            "audience": "public",
            "file": upload("faux.pdf", HTML),
        },
    )

    assert response.status_code == 200
    assert "Ce fichier n&#x27;est pas d&#x27;un type accepté" in response.text
    assert Document.objects.count() == 0
    assert not AuditLogEntry.objects.filter(action=AuditAction.DOCUMENT_CREATED).exists()
    assert not settings.MEDIA_ROOT.exists() or list(settings.MEDIA_ROOT.rglob("*.*")) == []


@pytest.mark.django_db
def test_an_uploaded_document_is_stored_and_served_by_its_content(organiser_client, docx_bytes):
    response = organiser_client.post(
        "/documents/ajouter/",
        {
            "kind": "report",
            "title": "Rapport d'activité 2025 : « bilan »",
            "date": "2026-03-01",
            "summary": "Le bilan.",
            "audience": "public",
            "file": upload("rapport.pdf", docx_bytes),
        },
    )
    assert response.status_code == 302
    document = Document.objects.get()
    assert document.file.name.endswith(".docx")
    assert (document.file_label, document.file_size) == ("Word", len(docx_bytes))

    served = organiser_client.get(f"/documents/{document.slug}/fichier")

    assert served.status_code == 200
    assert served["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    assert served["Content-Disposition"] == (
        'attachment; filename="rapport-dactivite-2025-bilan.docx"'
    )
    assert served["X-Content-Type-Options"] == "nosniff"
    assert b"".join(served.streaming_content) == docx_bytes


@pytest.mark.django_db
def test_a_stored_file_that_is_not_a_document_is_not_served(client, make_document, tmp_path):
    document = make_document(content=HTML)  # written behind the form's back

    assert client.get(f"/documents/{document.slug}/fichier").status_code == 404


@pytest.mark.django_db
def test_news_image_is_served_with_the_type_of_its_content(client, make_news):
    from django.core.files.base import ContentFile

    item = make_news()
    item.image = ContentFile(png_bytes(), name="photo.pdf")
    item.image_alt = "Une photo"
    item.save()

    response = client.get(f"/actualites/{item.slug}/image")

    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert NewsItem.objects.get().image.name.endswith(".png")
