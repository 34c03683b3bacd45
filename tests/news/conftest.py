import datetime
import io
import itertools
import zipfile

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from contract.models import Priority
from contrat_ville.enums import Role, TerritoryKind
from contrat_ville.models import Territory
from news.demo import demo_pdf
from news.enums import Audience, DocumentKind, Status
from news.models import Document, NewsItem
from tests.factories import UserFactory


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    # Uploads of these tests go to a fresh folder, never to var/.
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def editor(db):
    return UserFactory(roles=[Role.EDITOR], email="redacteur@example.test")


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def partner_client(client, partner):
    client.force_login(partner)
    return client


@pytest.fixture
def priority(db):
    return Priority.objects.create(
        title="Jeunesse", slug="jeunesse", summary="Pour les jeunes.", position=10
    )


@pytest.fixture
def territory(db):
    return Territory.objects.create(
        kind=TerritoryKind.QPV, code="QN07399M", name="Quartier témoin", slug="quartier-temoin"
    )


_numbers = itertools.count(1)


@pytest.fixture
def make_news(db):
    def make(title=None, *, audience=Audience.PUBLIC, status=Status.PUBLISHED, **fields):
        number = next(_numbers)
        title = title or f"Actualité {number}"
        defaults = {
            "slug": f"actualite-{number}",
            "summary": f"Résumé de {title}.",
            "body": "Un texte **simple**.",
            "date": datetime.date(2026, 1, 1) + datetime.timedelta(days=number),
            "published_at": timezone.now() if status == Status.PUBLISHED else None,
        }
        defaults.update(fields)
        return NewsItem.objects.create(title=title, audience=audience, status=status, **defaults)

    return make


@pytest.fixture
def make_document(db):
    def make(
        title=None, *, audience=Audience.PUBLIC, status=Status.PUBLISHED, content=None, **fields
    ):
        number = next(_numbers)
        title = title or f"Document {number}"
        defaults = {
            "slug": f"document-{number}",
            "kind": DocumentKind.GUIDE,
            "summary": f"Résumé de {title}.",
            "date": datetime.date(2026, 1, 1) + datetime.timedelta(days=number),
            "published_at": timezone.now() if status == Status.PUBLISHED else None,
        }
        defaults.update(fields)
        document = Document(title=title, audience=audience, status=status, **defaults)
        if content is not None:
            document.file = ContentFile(content, name="fichier.pdf")
        elif not document.url:
            document.url = "https://example.org/document"
        document.save()
        return document

    return make


# -- file contents ----------------------------------------------------------------------------


@pytest.fixture
def pdf_bytes():
    return demo_pdf("Rapport", "Un document.")


def zip_bytes(entries: dict[str, bytes], *, mimetype_first: bool = False) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in entries.items():
            compress = zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED
            archive.writestr(name, data, compress_type=compress)
    return buffer.getvalue()


CONTENT_TYPES = (
    b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
    b'content-types"><Override PartName="/word/document.xml" ContentType="application/'
    b'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
)


@pytest.fixture
def docx_bytes():
    return zip_bytes({"[Content_Types].xml": CONTENT_TYPES, "word/document.xml": b"<w:document/>"})


@pytest.fixture
def odt_bytes():
    return zip_bytes(
        {"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<office/>"}
    )


def png_bytes(size=(40, 30)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, "#1d4e89").save(buffer, format="PNG")
    return buffer.getvalue()


def upload(name: str, content: bytes, content_type: str = "application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)
