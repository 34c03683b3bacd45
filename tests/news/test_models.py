"""The database refuses what the forms refuse: a document with both a file and a link or with
neither, an image without its alternative text, unknown codes, a published item without date."""

import pytest
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction

from news.enums import Status
from news.models import Document, NewsItem


def refused(save) -> bool:
    try:
        with transaction.atomic():
            save()
    except IntegrityError:
        return True
    return False


@pytest.mark.django_db
def test_document_with_neither_file_nor_link_is_refused(make_document):
    document = make_document()
    document.url = ""
    assert refused(document.save)


@pytest.mark.django_db
def test_document_with_both_file_and_link_is_refused(make_document, pdf_bytes):
    document = make_document(content=pdf_bytes)
    document.url = "https://example.org/aussi"
    assert refused(document.save)


@pytest.mark.django_db
def test_document_with_a_file_or_a_link_is_kept(make_document, pdf_bytes):
    with_file = make_document(content=pdf_bytes)
    with_link = make_document(url="https://example.org/doc")

    assert with_file.file.name.startswith("documents/")
    assert with_file.file.name.endswith(".pdf")
    assert Document.objects.filter(pk__in=[with_file.pk, with_link.pk]).count() == 2


@pytest.mark.django_db
def test_news_image_without_alternative_text_is_refused(make_news):
    from tests.news.conftest import png_bytes

    item = make_news()
    item.image = ContentFile(png_bytes(), name="photo.png")
    item.image_alt = ""
    assert refused(item.save)


@pytest.mark.django_db
def test_news_image_is_stored_under_the_extension_of_its_content(make_news):
    from tests.news.conftest import png_bytes

    item = make_news()
    item.image = ContentFile(png_bytes(), name="photo.pdf")
    item.image_alt = "Une photo"
    item.save()

    assert item.image.name.endswith(".png")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "value"),
    [("status", "archived"), ("audience", "everyone"), ("title", ""), ("slug", "")],
)
def test_news_unknown_codes_and_empty_names_are_refused(make_news, field, value):
    item = make_news()
    setattr(item, field, value)
    assert refused(item.save)


@pytest.mark.django_db
def test_document_unknown_kind_is_refused(make_document):
    document = make_document()
    document.kind = "poster"
    assert refused(document.save)


@pytest.mark.django_db
def test_published_item_without_publication_date_is_refused(make_news):
    item = make_news(status=Status.DRAFT)
    item.status = Status.PUBLISHED
    item.published_at = None
    assert refused(item.save)


@pytest.mark.django_db
def test_slugs_are_unique(make_news):
    make_news(slug="meme-adresse")
    assert refused(lambda: NewsItem.objects.create(title="B", slug="meme-adresse", summary="s"))
