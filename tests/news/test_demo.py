"""The demo step: a year of news and a small library, idempotent, tolerant of missing tags."""

import pytest

from contract.demo import seed_contract
from contract.models import Priority
from news.demo import seed_news
from news.enums import Audience, Status
from news.models import Document, NewsItem
from news.uploads import document_type


@pytest.mark.django_db
def test_demo_seeds_a_year_of_news_and_documents_once():
    seed_contract()
    Priority.objects.filter(slug="sante").delete()  # an organiser deleted one: skipped

    first = seed_news()
    second = seed_news()

    assert first == "news: 12 items (4 for partners), 10 documents (7 files generated)"
    assert second == "news: 12 items (4 for partners), 10 documents (0 files generated)"
    assert NewsItem.objects.count() == 12
    assert {day.year for day in NewsItem.objects.dates("date", "year")} == {2026}
    assert NewsItem.objects.filter(audience=Audience.PARTNERS).count() == 4
    assert not NewsItem.objects.exclude(status=Status.PUBLISHED).exists()
    assert NewsItem.objects.filter(priorities__slug="jeunesse").exists()
    assert Document.objects.count() == 10
    assert Document.objects.filter(easy_read=True).count() == 1
    assert Document.objects.filter(audience=Audience.PARTNERS).exists()
    with_files = Document.objects.exclude(file="")
    assert with_files.count() == 7
    for document in with_files:
        with document.file.open("rb") as handle:
            assert document_type(handle) is not None
        assert document.file.name.rsplit(".", 1)[1] in {"pdf", "png"}
