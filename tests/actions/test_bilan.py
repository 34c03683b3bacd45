"""The bilan's figures on a fixed data set, checked against sums computed by hand.

The scene: ten actions over 2024 and 2025, two priorities, two neighbourhoods, four funders.

2024 (the year before):
  P1 Chantier jeunes      A  Emploi     Un    done       10 000 / 9 500      renewed in 2025
  P2 Café des parents     B  Éducation  Deux  done        3 000 / 3 000      confidential, stopped
  P3 Fête de quartier     A  —          Un    abandoned   2 000

2025:
  A1 Chantier jeunes      A  Emploi     Un        done        12 000 / 11 800,50  renewal of P1
  A2 Soutien scolaire     B  Éducation  Un+Deux   running      8 000 / 5 000
  A3 Médiation de nuit    A  Emploi     Deux      programmed  15 000 /  —        confidential
  A4 Jardin partagé       B  Éducation  —         programmed   2 500 /  —        from a pitch
  A5 Festival d'été       A  —          Un        abandoned    4 000
  A6 Atelier vélo         B  Emploi     Deux      proposed     1 800             from a pitch
  A7 Permanence emploi    A  —          Deux      done         6 000 / 6 000
"""

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser

from actions.enums import ActionStatus, Funder, IndicatorUnit
from actions.selectors.bilan import (
    ORGANISERS,
    PARTNERS,
    PUBLIC,
    bilan_for,
    bilan_years,
    version_for,
)
from events.enums import EditionStatus
from events.models import Edition
from partners.models import Public
from workgroups.models import ProjectSheet, Workgroup

D = Decimal


def rencontre_of(year: int) -> Edition:
    return Edition.objects.create(
        year=year,
        title=f"Rencontre des partenaires {year}",
        date=datetime.date(year, 11, 14),
        starts_at=datetime.time(9, 0),
        ends_at=datetime.time(17, 0),
        venue_name="Le Scarabée",
        capacity=100,
        status=EditionStatus.ARCHIVED,
    )


@pytest.fixture
def families(db):
    return Public.objects.create(slug="familles-test", name="Familles (test)")


@pytest.fixture
def sheets(db):
    rencontre = rencontre_of(2024)
    garden = Workgroup.objects.create(edition=rencontre, number=3, name="Groupe 3")
    bikes = Workgroup.objects.create(edition=rencontre, number=5, name="Groupe 5")
    return (
        ProjectSheet.objects.create(workgroup=garden, title="Un jardin pour les jeunes"),
        ProjectSheet.objects.create(workgroup=bikes, title="Des vélos pour tous"),
    )


@pytest.fixture
def scene(
    make_action,
    actor_a,
    actor_b,
    priority,
    other_priority,
    qpv_one,
    qpv_two,
    youth,
    families,
    sheets,
):
    done, running = ActionStatus.DONE, ActionStatus.RUNNING
    programmed, abandoned = ActionStatus.PROGRAMMED, ActionStatus.ABANDONED
    p1 = make_action(
        actor_a,
        title="Chantier jeunes",
        year=2024,
        status=done,
        priority=priority,
        territories=[qpv_one],
        budget_planned="10000",
        budget_actual="9500",
        fundings=[(Funder.STATE, "6000", "6000"), (Funder.COMMUNE, "4000", "3500")],
        indicators=[("Jeunes accompagnés", IndicatorUnit.YOUNG, "20", "18")],
    )
    make_action(
        actor_b,
        title="Café des parents",
        year=2024,
        status=done,
        priority=other_priority,
        territories=[qpv_two],
        budget_planned="3000",
        budget_actual="3000",
        amounts_confidential=True,
        fundings=[(Funder.CAF, "3000", "3000")],
    )
    make_action(
        actor_a,
        title="Fête de quartier",
        year=2024,
        status=abandoned,
        territories=[qpv_one],
        budget_planned="2000",
    )
    actions = {
        "A1": make_action(
            actor_a,
            title="Chantier jeunes",
            status=done,
            priority=priority,
            territories=[qpv_one],
            publics=[youth],
            budget_planned="12000",
            budget_actual="11800.50",
            previous=p1,
            fundings=[
                (Funder.STATE, "7000", "7000"),
                (Funder.EPCI, "3000", "2800.50"),
                (Funder.COMMUNE, "2000", "2000"),
            ],
            indicators=[
                ("Jeunes accompagnés", IndicatorUnit.YOUNG, "25", "27"),
                ("Heures de chantier", IndicatorUnit.HOURS, "400", "380"),
            ],
        ),
        "A2": make_action(
            actor_b,
            title="Soutien scolaire",
            status=running,
            priority=other_priority,
            territories=[qpv_one, qpv_two],
            publics=[youth, families],
            budget_planned="8000",
            budget_actual="5000",
            fundings=[(Funder.STATE, "5000", "3000"), (Funder.COMMUNE, "3000", "2000")],
            indicators=[("Familles suivies", IndicatorUnit.FAMILIES, "40", "40")],
        ),
        "A3": make_action(
            actor_a,
            title="Médiation de nuit",
            status=programmed,
            priority=priority,
            territories=[qpv_two],
            publics=[youth],
            budget_planned="15000",
            amounts_confidential=True,
            fundings=[(Funder.EPCI, "15000", None)],
            indicators=[("Personnes rencontrées", IndicatorUnit.PEOPLE, "300", "120")],
        ),
        "A4": make_action(
            actor_b,
            title="Jardin partagé",
            status=programmed,
            priority=other_priority,
            publics=[families],
            budget_planned="2500",
            pitch=sheets[0],
            fundings=[(Funder.LANDLORD, "2500", None)],
            indicators=[("Ateliers", IndicatorUnit.SESSIONS, "10", None)],
        ),
        "A5": make_action(
            actor_a,
            title="Festival d'été",
            status=abandoned,
            territories=[qpv_one],
            budget_planned="4000",
            fundings=[(Funder.REGION, "4000", None)],
            indicators=[("Spectateurs", IndicatorUnit.PEOPLE, "500", "0")],
        ),
        "A6": make_action(
            actor_b,
            title="Atelier vélo",
            status=ActionStatus.PROPOSED,
            priority=priority,
            territories=[qpv_two],
            budget_planned="1800",
            pitch=sheets[1],
            fundings=[(Funder.STATE, "1800", None)],
            indicators=[("Vélos réparés", IndicatorUnit.OTHER, "50", None)],
        ),
        "A7": make_action(
            actor_a,
            title="Permanence emploi",
            status=done,
            territories=[qpv_two],
            budget_planned="6000",
            budget_actual="6000",
        ),
    }
    return actions


def _rows(rows, *, money=True):
    if money:
        return [(row.label, row.count, row.planned, row.actual) for row in rows]
    return [(row.label, row.count) for row in rows]


# -- what every version shares ------------------------------------------------------


@pytest.mark.parametrize("version", [PUBLIC, PARTNERS, ORGANISERS])
def test_bilan_counts_are_the_same_in_every_version(scene, version):
    bilan = bilan_for(2025, version)
    assert bilan.programme == 6  # A1 A2 A3 A4 A5 A7; the proposal A6 is not programmed
    assert bilan.active == 5  # less the abandoned A5
    assert _rows(bilan.by_status, money=False) == [
        ("Programmée", 2),
        ("En cours", 1),
        ("Réalisée", 2),
        ("Abandonnée", 1),
    ]
    assert _rows(bilan.by_public, money=False) == [("Jeunes (test)", 3), ("Familles (test)", 2)]
    # A1 young 27 ≥ 25, A1 hours 380 < 400, A2 families 40 ≥ 40, A3 people 120 < 300;
    # A4 has no result, A5 is abandoned.
    assert bilan.indicators == 4
    assert bilan.indicators_reached == 2
    assert bilan.reached_rate == 50
    assert bilan.people_reached == D("187.00")  # 27 + 40 + 120
    assert [row.count for row in bilan.by_priority] == [2, 2, 1]
    assert [(row.label, row.count) for row in bilan.by_territory] == [
        ("Quartier Un", 2),
        ("Quartier Deux", 3),
        ("Sans quartier", 1),
        ("Plusieurs quartiers (montants)", 0),
    ]


@pytest.mark.parametrize("version", [PUBLIC, PARTNERS, ORGANISERS])
def test_bilan_comparison_with_the_year_before(scene, version):
    before = bilan_for(2025, version).previous
    assert before.year == 2024
    assert before.active == 2  # P1, P2; the abandoned P3 is not counted
    assert before.renewed == 1  # A1 continues P1
    assert before.new == 4  # A2 A3 A4 A7
    assert before.stopped == 1  # P2
    # P2's 3 000 are confidential: only the organisers add them.
    assert before.planned == (D("13000.00") if version == ORGANISERS else D("10000.00"))


# -- the public version -------------------------------------------------------------


def test_bilan_public_leaves_the_confidential_amounts_out(scene):
    bilan = bilan_for(2025, PUBLIC)
    assert bilan.hidden_amounts == 1  # A3
    assert bilan.planned == D("28500.00")  # 12 000 + 8 000 + 2 500 + 6 000
    assert bilan.actual == D("22800.50")  # 11 800,50 + 5 000 + 6 000
    assert _rows(bilan.by_priority) == [
        ("Emploi et insertion", 2, D("12000.00"), D("11800.50")),
        ("Éducation et jeunesse", 2, D("10500.00"), D("5000.00")),
        ("Sans priorité", 1, D("6000.00"), D("6000.00")),
    ]
    assert _rows(bilan.by_territory) == [
        ("Quartier Un", 2, D("12000.00"), D("11800.50")),
        ("Quartier Deux", 3, D("6000.00"), D("6000.00")),
        ("Sans quartier", 1, D("2500.00"), D("0.00")),
        ("Plusieurs quartiers (montants)", 0, D("8000.00"), D("5000.00")),
    ]
    assert _rows(bilan.by_funder) == [
        ("État", 2, D("12000.00"), D("10000.00")),
        ("Intercommunalité (EPCI)", 1, D("3000.00"), D("2800.50")),
        ("Commune", 2, D("5000.00"), D("4000.00")),
        ("Bailleurs sociaux", 1, D("2500.00"), D("0.00")),
    ]
    assert bilan.funded_planned == D("22500.00")
    assert bilan.funded_actual == D("16800.50")


def test_bilan_public_has_no_proposal_no_action_list_no_indicator_detail(scene):
    bilan = bilan_for(2025, PUBLIC)
    assert bilan.proposed == 0
    assert bilan.actions == []
    assert bilan.indicator_lines == []
    # Only the programmed pitch, without the sheet's title (the gallery may be closed).
    assert bilan.pitches == [
        {
            "action": "Jardin partagé",
            "action_pk": scene["A4"].pk,
            "status": "programmed",
            "status_label": "Programmée",
            "pitch": "",
            "edition": 2024,
            "group": 3,
        }
    ]


# -- the partners' version ----------------------------------------------------------


def test_bilan_partners_has_the_public_sums(scene):
    public, partners = bilan_for(2025, PUBLIC), bilan_for(2025, PARTNERS)
    assert partners.hidden_amounts == 1
    assert partners.planned == D("28500.00")
    assert partners.actual == D("22800.50")
    assert _rows(partners.by_priority) == _rows(public.by_priority)
    assert _rows(partners.by_territory) == _rows(public.by_territory)
    assert _rows(partners.by_funder) == _rows(public.by_funder)


def test_bilan_partners_lists_the_actions_without_confidential_amounts(scene):
    bilan = bilan_for(2025, PARTNERS)
    assert bilan.proposed == 1  # A6
    assert [
        (line.title, line.carrier, line.status, line.priority, line.planned, line.actual)
        for line in bilan.actions
    ] == [
        (
            "Chantier jeunes",
            "Association Alpha",
            "done",
            "Emploi et insertion",
            D("12000.00"),
            D("11800.50"),
        ),
        ("Festival d'été", "Association Alpha", "abandoned", "", D("4000.00"), None),
        (
            "Jardin partagé",
            "Association Bêta",
            "programmed",
            "Éducation et jeunesse",
            D("2500.00"),
            None,
        ),
        ("Médiation de nuit", "Association Alpha", "programmed", "Emploi et insertion", None, None),
        ("Permanence emploi", "Association Alpha", "done", "", D("6000.00"), D("6000.00")),
        (
            "Soutien scolaire",
            "Association Bêta",
            "running",
            "Éducation et jeunesse",
            D("8000.00"),
            D("5000.00"),
        ),
    ]
    assert [line.confidential for line in bilan.actions] == [
        False,
        False,
        False,
        True,
        False,
        False,
    ]
    assert bilan.actions[0].renewed_from == scene["A1"].previous_id
    assert bilan.actions[2].pitch == "Un jardin pour les jeunes"


def test_bilan_partners_reads_every_indicator_of_the_active_actions(scene):
    bilan = bilan_for(2025, PARTNERS)
    assert [
        (line.action, line.label, line.target, line.achieved, line.rate)
        for line in bilan.indicator_lines
    ] == [
        ("Chantier jeunes", "Jeunes accompagnés", D("25.00"), D("27.00"), 108),
        ("Chantier jeunes", "Heures de chantier", D("400.00"), D("380.00"), 95),
        ("Jardin partagé", "Ateliers", D("10.00"), None, None),
        ("Médiation de nuit", "Personnes rencontrées", D("300.00"), D("120.00"), 40),
        ("Soutien scolaire", "Familles suivies", D("40.00"), D("40.00"), 100),
    ]


def test_bilan_partners_see_the_validated_pitches_only(scene):
    # A proposal is its carrier's and the organisers' business: partners read its count.
    bilan = bilan_for(2025, PARTNERS)
    assert [(p["action"], p["status"], p["pitch"], p["group"]) for p in bilan.pitches] == [
        ("Jardin partagé", "programmed", "Un jardin pour les jeunes", 3),
    ]
    assert bilan.proposed == 1


def test_bilan_organisers_see_the_proposed_pitch_too(scene):
    bilan = bilan_for(2025, ORGANISERS)
    assert [(p["action"], p["status"], p["pitch"], p["group"]) for p in bilan.pitches] == [
        ("Atelier vélo", "proposed", "Des vélos pour tous", 5),
        ("Jardin partagé", "programmed", "Un jardin pour les jeunes", 3),
    ]


# -- the organisers' version --------------------------------------------------------


def test_bilan_organisers_add_the_confidential_amounts(scene):
    bilan = bilan_for(2025, ORGANISERS)
    assert bilan.hidden_amounts == 0
    assert bilan.proposed == 1
    assert bilan.planned == D("43500.00")  # 28 500 + A3's 15 000
    assert bilan.actual == D("22800.50")  # A3 has paid nothing yet
    assert _rows(bilan.by_priority) == [
        ("Emploi et insertion", 2, D("27000.00"), D("11800.50")),
        ("Éducation et jeunesse", 2, D("10500.00"), D("5000.00")),
        ("Sans priorité", 1, D("6000.00"), D("6000.00")),
    ]
    assert _rows(bilan.by_territory) == [
        ("Quartier Un", 2, D("12000.00"), D("11800.50")),
        ("Quartier Deux", 3, D("21000.00"), D("6000.00")),
        ("Sans quartier", 1, D("2500.00"), D("0.00")),
        ("Plusieurs quartiers (montants)", 0, D("8000.00"), D("5000.00")),
    ]
    assert sum((row.planned for row in bilan.by_territory), D(0)) == bilan.planned
    assert _rows(bilan.by_funder) == [
        ("État", 2, D("12000.00"), D("10000.00")),
        ("Intercommunalité (EPCI)", 2, D("18000.00"), D("2800.50")),
        ("Commune", 2, D("5000.00"), D("4000.00")),
        ("Bailleurs sociaux", 1, D("2500.00"), D("0.00")),
    ]
    assert bilan.funded_planned == D("37500.00")
    assert bilan.funded_actual == D("16800.50")
    mediation = next(line for line in bilan.actions if line.title == "Médiation de nuit")
    assert (mediation.planned, mediation.confidential) == (D("15000.00"), True)


# -- the year before, the years, the versions ---------------------------------------


def test_bilan_of_the_year_before(scene):
    public, organisers = bilan_for(2024, PUBLIC), bilan_for(2024, ORGANISERS)
    assert (public.programme, public.active) == (3, 2)
    assert (public.planned, public.actual, public.hidden_amounts) == (
        D("10000.00"),
        D("9500.00"),
        1,
    )
    assert (organisers.planned, organisers.actual, organisers.hidden_amounts) == (
        D("13000.00"),
        D("12500.00"),
        0,
    )
    assert public.previous is None
    assert public.pitches == []
    assert _rows(public.by_funder) == [
        ("État", 1, D("6000.00"), D("6000.00")),
        ("Commune", 1, D("4000.00"), D("3500.00")),
    ]
    assert _rows(organisers.by_funder)[-1] == ("Caf", 1, D("3000.00"), D("3000.00"))


def test_bilan_of_a_year_without_actions_is_empty(scene):
    bilan = bilan_for(2023, ORGANISERS)
    assert bilan.is_empty is True
    assert (bilan.programme, bilan.planned, bilan.by_priority, bilan.previous) == (
        0,
        D("0.00"),
        [],
        None,
    )


def test_bilan_years_are_the_years_with_a_programme(scene, make_action, actor_a):
    make_action(actor_a, year=2027, status=ActionStatus.PROPOSED)
    assert bilan_years() == [2025, 2024]


def test_version_for_each_reader(organiser, partner, member_a, no_role_user):
    assert version_for(AnonymousUser()) == PUBLIC
    assert version_for(no_role_user) == PUBLIC
    assert version_for(partner) == PARTNERS
    assert version_for(partner, "organisers") == PARTNERS
    assert version_for(member_a) == PARTNERS  # a carrier is a partner (its college)
    assert version_for(organiser) == ORGANISERS
    assert version_for(organiser, "public") == PUBLIC


def test_bilan_makes_a_constant_number_of_queries(scene, django_assert_num_queries):
    with django_assert_num_queries(9):
        bilan_for(2025, PARTNERS)
