"""The bilan as a PDF report and an OpenDocument text (actions.documents, actions.views.documents).

One fixed data set: four validated actions in 2025 (one running and renewed from 2024, one
done from a workshop pitch, one with confidential amounts, one abandoned), one proposal, and
two actions in 2024. The expected figures are summed by hand in the comments."""

import io
import zipfile
from datetime import date, time

import pytest
from django.core.cache import cache
from django.urls import reverse
from odfdo import Document
from PIL import Image
from pypdf import PdfReader

from actions.documents import bilan_odt, bilan_pdf, report_of
from actions.enums import ActionStatus, Funder, IndicatorUnit
from actions.selectors.bilan import ORGANISERS, PARTNERS, PUBLIC, bilan_for
from contrat_ville.printing import PrintedIdentity
from events.enums import EditionStatus
from events.models import Edition
from workgroups.models import ProjectSheet, Workgroup

IDENTITY = PrintedIdentity(
    name="Portail de Testville", operator="Agglo de Testville", logo_png=None
)
ODT = "application/vnd.oasis.opendocument.text"

# Sums that hold the confidential action's amounts (45 678,90 €, State 40 000 €): never in
# the public or partners' documents.
CONFIDENTIAL = ("45 678,90 €", "47 500,00 €", "61 178,90 €", "58 178,90 €")


def confidential_in(text: str) -> list[str]:
    return [secret for secret in CONFIDENTIAL if secret in text]


def pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    # A cell's text wraps over several lines: read it as one.
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def odt_text(data: bytes) -> str:
    body = Document(io.BytesIO(data)).body
    lines = [element.text_recursive for element in body.get_elements("//text:h|//text:p")]
    return " ".join(" ".join(lines).split())


BUILDERS = [
    pytest.param(bilan_pdf, pdf_text, id="pdf"),
    pytest.param(bilan_odt, odt_text, id="odt"),
]


@pytest.fixture
def programme(make_action, actor_a, actor_b, priority, other_priority, qpv_one, qpv_two, youth):
    last_year = make_action(
        actor_a,
        title="Chantier jeunes 2024",
        year=2024,
        status=ActionStatus.DONE,
        priority=priority,
        budget_planned="10000",
    )
    make_action(
        actor_b,
        title="Permanence emploi",
        year=2024,
        status=ActionStatus.DONE,
        priority=priority,
        budget_planned="4000",
    )
    make_action(
        actor_a,
        title="Chantier jeunes",
        status=ActionStatus.RUNNING,
        priority=priority,
        territories=[qpv_one],
        publics=[youth],
        budget_planned="12500",
        budget_actual="8000",
        fundings=[(Funder.STATE, "7500", "5000"), (Funder.EPCI, "5000", "3000")],
        indicators=[
            ("Jeunes accompagnés", IndicatorUnit.YOUNG, "20", "24"),
            ("Sorties positives", IndicatorUnit.PERCENT, "60", "45"),
        ],
        previous=last_year,
    )
    edition = Edition.objects.create(
        year=2024,
        title="Rencontre des partenaires 2024",
        date=date(2024, 6, 13),
        starts_at=time(9, 0),
        ends_at=time(17, 0),
        venue_name="Le Scarabée",
        capacity=100,
        status=EditionStatus.ARCHIVED,
    )
    workgroup = Workgroup.objects.create(edition=edition, number=3, name="Groupe 3")
    sheet = ProjectSheet.objects.create(workgroup=workgroup, title="Coup de pouce devoirs")
    make_action(
        actor_b,
        title="Soutien scolaire",
        status=ActionStatus.DONE,
        priority=other_priority,
        territories=[qpv_one, qpv_two],
        publics=[youth],
        budget_planned="3000",
        budget_actual="2800.50",
        fundings=[(Funder.COMMUNE, "3000", "2800.50")],
        indicators=[("Familles suivies", IndicatorUnit.FAMILIES, "30", "30")],
        pitch=sheet,
    )
    make_action(
        actor_b,
        title="Médiation de nuit",
        status=ActionStatus.PROGRAMMED,
        priority=priority,
        territories=[qpv_two],
        budget_planned="45678.90",
        amounts_confidential=True,
        fundings=[(Funder.STATE, "40000", None)],
        indicators=[("Séances", IndicatorUnit.SESSIONS, "50", None)],
    )
    make_action(
        actor_a, title="Fête de quartier", status=ActionStatus.ABANDONED, budget_planned="2000"
    )
    make_action(
        actor_a,
        title="Jardin partagé",
        status=ActionStatus.PROPOSED,
        priority=other_priority,
        budget_planned="1500",
    )


class _Plain:
    """A table of the report, its French non-breaking spaces read as spaces."""

    def __init__(self, grid):
        self.rows = [_plain(row) for row in grid.rows]
        self.total = _plain(grid.total) if grid.total else None


def _plain(values: list[str]) -> list[str]:
    return [value.replace("\xa0", " ") for value in values]


def _grid(report, title: str):
    grid = next(section for section in report.sections if section.title == title).grid
    return grid if grid is None else _Plain(grid)


def _rows_and_total(report, title: str) -> tuple[list[list[str]], list[str] | None]:
    grid = _grid(report, title)
    return grid.rows, grid.total


# -- what the documents say --------------------------------------------------------------


def test_report_key_figures_match_hand_sums(programme):
    report = report_of(bilan_for(2025, PUBLIC), IDENTITY, today=date(2026, 3, 2))

    assert report.title == "Bilan 2025 des actions du contrat de ville"
    assert report.version == "Version publique"
    assert report.produced == "Document produit le 2 mars 2026"
    assert report.identity_line == "Portail de Testville · Agglo de Testville"
    # Programme: 4 validated (the proposal apart); active: less the abandoned one.
    # Amounts: 12 500 + 3 000 planned, 8 000 + 2 800,50 actual (the confidential one left out).
    # Indicators: 24 ≥ 20 and 30 ≥ 30 reached, 45 < 60 not (the one without a value is not
    # counted); people reached: 24 young + 30 families.
    assert _grid(report, "Chiffres clés").rows == [
        ["Actions programmées", "4"],
        ["Actions menées (hors abandons)", "3"],
        ["Budget prévu", "15 500,00 €"],
        ["Budget réalisé", "10 800,50 €"],
        ["Personnes touchées", "54"],
        ["Indicateurs ayant atteint leur cible", "2 sur 3 (67 %)"],
    ]
    assert report.notices == [
        "Version publique : des chiffres d'ensemble, sans données personnelles ni montants "
        "confidentiels.",
        "Les montants d'une action sont confidentiels : elle est comptée, mais ses montants "
        "ne figurent pas dans ce document.",
    ]


def test_report_tables_match_hand_sums_for_the_organisers(programme):
    report = report_of(bilan_for(2025, ORGANISERS), IDENTITY)

    # Emploi: Chantier jeunes 12 500 + Médiation de nuit 45 678,90.
    assert _rows_and_total(report, "Par priorité du contrat") == (
        [
            ["Emploi et insertion", "2", "58 178,90 €", "8 000,00 €"],
            ["Éducation et jeunesse", "1", "3 000,00 €", "2 800,50 €"],
        ],
        ["Total", "3", "61 178,90 €", "10 800,50 €"],
    )
    # Soutien scolaire is counted in both neighbourhoods, its amounts on a line of their own.
    assert _rows_and_total(report, "Par quartier") == (
        [
            ["Quartier Un", "2", "12 500,00 €", "8 000,00 €"],
            ["Quartier Deux", "2", "45 678,90 €", "0,00 €"],
            ["Plusieurs quartiers (montants)", "—", "3 000,00 €", "2 800,50 €"],
        ],
        ["Total", "", "61 178,90 €", "10 800,50 €"],
    )
    assert _rows_and_total(report, "Par financeur") == (
        [
            ["État", "2", "47 500,00 €", "5 000,00 €"],
            ["Intercommunalité (EPCI)", "1", "5 000,00 €", "3 000,00 €"],
            ["Commune", "1", "3 000,00 €", "2 800,50 €"],
        ],
        ["Total", "4", "55 500,00 €", "10 800,50 €"],
    )
    assert _grid(report, "Par statut").rows == [
        ["Programmée", "1"],
        ["En cours", "1"],
        ["Réalisée", "1"],
        ["Abandonnée", "1"],
    ]
    assert _grid(report, "Par public").rows == [["Jeunes (test)", "2"]]
    # 2024: 2 actions, 14 000 planned; Chantier jeunes renewed, Permanence emploi stopped.
    assert _grid(report, "Ce qui a changé depuis 2024").rows == [
        ["Actions menées en 2024", "2"],
        ["Actions menées en 2025", "3"],
        ["Actions reconduites de 2024", "1"],
        ["Actions nouvelles en 2025", "2"],
        ["Actions de 2024 non reconduites", "1"],
        ["Budget prévu en 2024", "14 000,00 €"],
        ["Budget prévu en 2025", "61 178,90 €"],
    ]
    assert _grid(report, "Du pitch à l'action").rows == [
        ["Soutien scolaire", "Coup de pouce devoirs", "Rencontre 2024, groupe 3", "Réalisée"]
    ]
    assert _grid(report, "Les actions de 2025").rows == [
        [
            "Chantier jeunes · reconduite",
            "Association Alpha",
            "Emploi et insertion",
            "En cours",
            "12 500,00 €",
            "8 000,00 €",
        ],
        ["Fête de quartier", "Association Alpha", "—", "Abandonnée", "2 000,00 €", "—"],
        [
            "Médiation de nuit · montants confidentiels",
            "Association Bêta",
            "Emploi et insertion",
            "Programmée",
            "45 678,90 €",
            "—",
        ],
        [
            "Soutien scolaire",
            "Association Bêta",
            "Éducation et jeunesse",
            "Réalisée",
            "3 000,00 €",
            "2 800,50 €",
        ],
    ]
    assert _grid(report, "Indicateurs").rows == [
        ["Chantier jeunes", "Jeunes accompagnés", "20 jeunes", "24 jeunes", "120 %"],
        ["Chantier jeunes", "Sorties positives", "60 %", "45 %", "75 %"],
        ["Médiation de nuit", "Séances", "50 séances", "—", "—"],
        ["Soutien scolaire", "Familles suivies", "30 familles", "30 familles", "100 %"],
    ]


def test_report_public_version_has_no_list_of_actions(programme):
    report = report_of(bilan_for(2025, PUBLIC), IDENTITY)

    assert [section.title for section in report.sections] == [
        "Chiffres clés",
        "Par priorité du contrat",
        "Par quartier",
        "Par public",
        "Par financeur",
        "Par statut",
        "Indicateurs",
        "Ce qui a changé depuis 2024",
        "Du pitch à l'action",
    ]
    assert _grid(report, "Indicateurs") is None
    # The sheet's title is for partners only.
    assert _grid(report, "Du pitch à l'action").rows == [
        ["Soutien scolaire", "Rencontre 2024, groupe 3", "Réalisée"]
    ]


# -- the files ---------------------------------------------------------------------------


@pytest.mark.parametrize(("build", "read"), BUILDERS)
def test_document_public_has_figures_without_confidential_amounts(programme, build, read):
    text = read(build(bilan_for(2025, PUBLIC), IDENTITY))

    for expected in (
        "Portail de Testville · Agglo de Testville",
        "Bilan 2025 des actions du contrat de ville",
        "Version publique",
        "Document produit le",
        "15 500,00 €",
        "10 800,50 €",
        "12 500,00 €",
        "2 sur 3 (67 %)",
        "Emploi et insertion",
        "Quartier Deux",
        "Commune",
        "Soutien scolaire",
        "Les montants d'une action sont confidentiels",
    ):
        assert expected in text, expected
    assert confidential_in(text) == []
    # No list of actions, no carrier, no sheet title in the public version.
    assert "Association Alpha" not in text
    assert "Coup de pouce devoirs" not in text


@pytest.mark.parametrize(("build", "read"), BUILDERS)
def test_document_partners_lists_actions_without_confidential_amounts(programme, build, read):
    text = read(build(bilan_for(2025, PARTNERS), IDENTITY))

    for expected in (
        "Version partenaires",
        "Propositions en attente de validation",
        "Les actions de 2025",
        "Association Bêta",
        "Médiation de nuit",
        "confidentiel",
        "Coup de pouce devoirs",
        "24 jeunes",
        "15 500,00 €",
    ):
        assert expected in text, expected
    assert confidential_in(text) == []


@pytest.mark.parametrize(("build", "read"), BUILDERS)
def test_document_organisers_has_confidential_amounts(programme, build, read):
    text = read(build(bilan_for(2025, ORGANISERS), IDENTITY))

    assert "Version complète (organisateurs)" in text
    assert confidential_in(text) == list(CONFIDENTIAL)
    assert "Les montants d'une action sont confidentiels" not in text


@pytest.mark.parametrize(("build", "read"), BUILDERS)
def test_document_empty_year_says_no_programme(db, build, read):
    text = read(build(bilan_for(2030, ORGANISERS), IDENTITY))

    assert "Bilan 2030 des actions du contrat de ville" in text
    assert "Aucun programme d'actions n'a été enregistré pour 2030." in text
    assert "Chiffres clés" not in text


def test_odt_is_a_valid_opendocument_text(programme):
    data = bilan_odt(bilan_for(2025, PARTNERS), IDENTITY)

    archive = zipfile.ZipFile(io.BytesIO(data))
    first = archive.infolist()[0]
    assert (first.filename, first.compress_type) == ("mimetype", zipfile.ZIP_STORED)
    assert archive.read("mimetype") == ODT.encode()
    assert archive.testzip() is None
    assert {"content.xml", "styles.xml", "meta.xml", "META-INF/manifest.xml"} <= set(
        archive.namelist()
    )
    document = Document(io.BytesIO(data))
    assert document.mimetype == ODT
    assert document.meta.title == "Bilan 2025 des actions du contrat de ville - Version partenaires"
    assert document.get_language() == "fr-FR"
    # Every section a heading of the outline, every table with its header row.
    assert len(document.body.get_headers()) == 10
    assert len(document.body.get_tables()) == 10


def test_pdf_is_a_pdf_with_its_title(programme):
    data = bilan_pdf(bilan_for(2025, PUBLIC), IDENTITY)

    reader = PdfReader(io.BytesIO(data))
    assert data.startswith(b"%PDF-")
    assert reader.metadata.title == "Bilan 2025 des actions du contrat de ville - Version publique"
    assert reader.metadata.author == "Agglo de Testville"


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (60, 20), "#00695c").save(buffer, "PNG")
    return buffer.getvalue()


def test_documents_print_the_operators_logo(programme):
    identity = PrintedIdentity(name="Portail", operator="Agglo", logo_png=_png())
    bilan = bilan_for(2025, PUBLIC)

    pdf = PdfReader(io.BytesIO(bilan_pdf(bilan, identity)))
    odt = Document(io.BytesIO(bilan_odt(bilan, identity)))

    assert len(pdf.pages[0].images) == 1
    assert odt.get_part("Pictures/logo.png") == _png()
    assert odt.manifest.get_media_type("Pictures/logo.png") == "image/png"
    assert len(odt.body.get_images()) == 1


@pytest.mark.parametrize(("build", "read"), BUILDERS)
def test_document_control_character_in_a_title_is_printed_as_a_space(
    make_action, actor_a, build, read
):
    make_action(actor_a, title="Atelier\x0bvélo")

    text = read(build(bilan_for(2025, PARTNERS), IDENTITY))

    assert "Atelier vélo" in text


# -- the views ---------------------------------------------------------------------------


def _url(kind: str, year: int = 2025, same_year: int | None = None, version: str = "") -> str:
    url = reverse(f"bilan:{kind}", kwargs={"year": year, "same_year": same_year or year})
    return f"{url}?version={version}" if version else url


# The session, the user and their roles; the bilan's cache stamp and its nine reads; the
# portal's identity.
QUERIES = 14

VIEWS = [
    pytest.param("pdf", "application/pdf", pdf_text, id="pdf"),
    pytest.param("odt", ODT, odt_text, id="odt"),
]


# A signed-in reader's responses are kept from caches even for the public version
# (contrat_ville.middleware.PrivacyHeadersMiddleware); an anonymous one's may be cached.
SIGNED_IN = "max-age=0, no-cache, no-store, must-revalidate, private"
# Who reads (a fixture, or nobody), the version asked for, then what they get: the file's
# suffix, its version line, whether it holds the confidential amounts, its Cache-Control.
READERS = [
    pytest.param(
        None, "partners", "public", "Version publique", False, None, id="anonymous-asking-partners"
    ),
    pytest.param(
        "no_role_user",
        "organisers",
        "public",
        "Version publique",
        False,
        SIGNED_IN,
        id="no-role-asking-organisers",
    ),
    pytest.param(
        "partner",
        "organisers",
        "partenaires",
        "Version partenaires",
        False,
        "private, no-store",
        id="partner-asking-organisers",
    ),
    pytest.param(
        "organiser",
        "",
        "complet",
        "Version complète (organisateurs)",
        True,
        "private, no-store",
        id="organiser",
    ),
    pytest.param(
        "organiser",
        "public",
        "public",
        "Version publique",
        False,
        SIGNED_IN,
        id="organiser-public",
    ),
]


@pytest.mark.parametrize(("kind", "content_type", "read"), VIEWS)
@pytest.mark.parametrize(
    ("reader", "asked", "suffix", "version", "confidential", "cache_control"), READERS
)
def test_document_view_reader_gets_the_version_they_may_read(
    client,
    request,
    settings,
    programme,
    kind,
    content_type,
    read,
    reader,
    asked,
    suffix,
    version,
    confidential,
    cache_control,
):
    settings.PORTAL_MFA_REQUIRED_FOR_ORGANISERS = False  # as organiser_client
    if reader:
        client.force_login(request.getfixturevalue(reader))

    response = client.get(_url(kind, version=asked))

    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"] == f'attachment; filename="bilan-2025-{suffix}.{kind}"'
    assert response.get("Cache-Control") == cache_control
    text = read(response.content)
    assert version in text
    assert confidential_in(text) == (list(CONFIDENTIAL) if confidential else [])


@pytest.mark.parametrize("kind", ["pdf", "odt"])
@pytest.mark.parametrize(("year", "same_year"), [(1999, 1999), (2101, 2101), (2025, 2024)])
def test_document_view_unknown_year_is_404(client, db, kind, year, same_year):
    response = client.get(_url(kind, year, same_year))

    assert response.status_code == 404


@pytest.mark.parametrize(("kind", "content_type", "read"), VIEWS)
def test_document_view_empty_year_is_a_document_saying_so(client, db, kind, content_type, read):
    response = client.get(_url(kind, 2030))

    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert "Aucun programme d'actions n'a été enregistré pour 2030." in read(response.content)


@pytest.mark.parametrize("kind", ["pdf", "odt"])
def test_document_view_refuses_post(client, db, kind):
    response = client.post(_url(kind))

    assert response.status_code == 405


@pytest.mark.parametrize("kind", ["pdf", "odt"])
def test_document_view_queries_do_not_grow_with_actions(
    organiser_client,
    organiser,
    make_action,
    actor_a,
    priority,
    qpv_one,
    youth,
    kind,
    django_assert_num_queries,
):
    def action(number: int):
        make_action(
            actor_a,
            title=f"Action {number}",
            priority=priority,
            territories=[qpv_one],
            publics=[youth],
            budget_planned="1000",
            fundings=[(Funder.STATE, "500", None)],
            indicators=[("Jeunes", IndicatorUnit.YOUNG, "10", "12")],
        )

    action(0)
    organiser_client.get(_url(kind))  # the session and the roles, read once
    cache.clear()  # the bilan itself is cached: measure it computed, each time
    with django_assert_num_queries(QUERIES):
        organiser_client.get(_url(kind))
    for number in range(1, 8):
        action(number)
    cache.clear()
    with django_assert_num_queries(QUERIES):
        response = organiser_client.get(_url(kind))
    assert "8 000,00 €" in (pdf_text if kind == "pdf" else odt_text)(response.content)


@pytest.mark.parametrize(("kind", "content_type", "read"), VIEWS)
def test_document_view_is_in_french_for_a_reader_who_chose_english(
    client, settings, programme, kind, content_type, read
):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    response = client.get(_url(kind))

    text = read(response.content)
    assert "Bilan 2025 des actions du contrat de ville" in text
    # A funder's label, which the English catalogue translates.
    assert "Commune" in text
    assert "Municipality" not in text
