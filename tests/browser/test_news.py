"""News and documents in a browser: a resident reads a news item on a phone, from the home
page; an organiser publishes a document for partners only, which an anonymous visitor cannot
reach. No axe violation, nothing wider than the screen."""

import re

import pytest
from playwright.sync_api import expect

from contract.demo import seed_contract
from contrat_ville.demo import seed_accounts
from news.demo import demo_pdf, seed_news
from news.models import Document

from .axe import assert_no_axe_violations
from .journeys import log_in
from .test_residents import assert_fits, open_menu_link

PHONE = {"width": 375, "height": 740}


@pytest.fixture
def news(transactional_db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    seed_accounts()
    seed_contract()
    seed_news()


def test_resident_reads_a_news_item_on_a_phone(new_page, news):
    page = new_page(viewport=PHONE)
    page.goto("/")

    latest = page.get_by_role("region", name="Les dernières actualités")
    expect(latest.get_by_role("heading", level=3)).to_have_count(3)
    # Partners-only news are not among the latest for the public.
    expect(latest.get_by_text("Bilan annuel")).to_have_count(0)
    assert_no_axe_violations(page)

    open_menu_link(page, "Actualités").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Actualités")
    assert_no_axe_violations(page)
    assert_fits(page)

    page.get_by_role("link", name="L'appel à projets 2026 est ouvert").click()

    expect(page).to_have_url(re.compile(r"/actualites/appel-a-projets-2026-ouvert/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("L'appel à projets 2026 est ouvert")
    expect(page.get_by_role("heading", level=2, name="Comment déposer")).to_be_visible()
    expect(page.get_by_role("link", name="politique.ville@example.org")).to_be_visible()
    assert_no_axe_violations(page)
    assert_fits(page)


def test_organiser_publishes_a_document_for_partners_only(new_page, news, settings, tmp_path):
    settings.PORTAL_MFA_REQUIRED_FOR_ORGANISERS = False
    pdf = tmp_path / "compte-rendu.pdf"
    pdf.write_bytes(demo_pdf("Compte rendu", "Réservé aux partenaires."))
    page = new_page()
    log_in(page, "organisateur@demo.test")

    open_menu_link(page, "Rédaction").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Rédaction : actualités et documents")
    assert_no_axe_violations(page)
    page.get_by_role("link", name="Ajouter un document").click()
    assert_no_axe_violations(page)

    page.get_by_label("Type de document").select_option(label="Autre document")
    page.get_by_label("Titre").fill("Compte rendu de la commission jeunesse")
    page.get_by_label("Résumé").fill("Les décisions de la commission, pour les partenaires.")
    page.get_by_label("Fichier").set_input_files(str(pdf))
    page.get_by_label("Partenaires seulement").check()
    page.get_by_role("button", name="Enregistrer").click()

    expect(page.get_by_text("enregistré comme brouillon")).to_be_visible()
    row = page.get_by_role("row", name=re.compile("Compte rendu de la commission jeunesse"))
    row.get_by_role("button", name=re.compile("Publier")).click()
    expect(
        page.get_by_text("Document « Compte rendu de la commission jeunesse » publié.")
    ).to_be_visible()

    document = Document.objects.get(title="Compte rendu de la commission jeunesse")
    assert (document.audience, document.status, document.file_label) == (
        "partners",
        "published",
        "PDF",
    )
    page.goto(document.get_absolute_url())
    expect(page.get_by_role("heading", level=1)).to_have_text(document.title)

    visitor = new_page()
    response = visitor.goto(document.get_absolute_url())
    assert response.status == 404
    response = visitor.goto(f"/documents/{document.slug}/fichier")
    assert response.status == 404
    visitor.goto("/documents/")
    expect(visitor.get_by_role("heading", level=1)).to_have_text("Documents")
    expect(visitor.get_by_text("Compte rendu de la commission jeunesse")).to_have_count(0)
    expect(visitor.get_by_role("link", name="Guide", exact=False).first).to_be_visible()
    assert_no_axe_violations(visitor)
