"""The workshops' main journey: a facilitator enters the project sheet, a juror
scores, the organiser publishes, and the results page shows the ranking."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from contrat_ville.models import User
from events.enums import EditionStatus
from events.models import Edition
from workgroups.enums import JuryPhase
from workgroups.models import Juror, ProjectSheet, Workgroup
from workgroups.selectors import workshop_settings
from workgroups.services.jury import criteria_ensure_defaults

from .axe import assert_no_axe_violations
from .journeys import log_in


@pytest.fixture
def workshop(demo_accounts, settings):
    settings.PORTAL_MFA_REQUIRED_FOR_ORGANISERS = False
    edition = Edition.objects.create(
        year=2031,
        title="Rencontre des partenaires 2031",
        date=timezone.localdate() + datetime.timedelta(days=1),
        starts_at=datetime.time(9, 0),
        ends_at=datetime.time(17, 0),
        venue_name="Le Scarabée",
        capacity=100,
        status=EditionStatus.OPEN,
        group_count=2,
    )
    first = Workgroup.objects.create(edition=edition, number=1, name="Mobilité", room="Salle A")
    first.facilitators.add(User.objects.get(email="animateur@demo.test"))
    second = Workgroup.objects.create(edition=edition, number=2, name="Sport", room="Salle B")
    ProjectSheet.objects.create(workgroup=second, title="Sport au féminin")
    criteria_ensure_defaults(edition=edition)
    Juror.objects.create(edition=edition, user=User.objects.get(email="jury@demo.test"))
    workshop = workshop_settings(edition)
    workshop.phase = JuryPhase.SCORING
    workshop.save()
    return edition


def score_all(page, value):
    for radio in page.locator(f"input.mark-choice[value='{value}']").all():
        radio.check()
    page.get_by_role("button", name="Enregistrer ma grille").click()
    page.wait_for_load_state()


def test_sheet_scores_publication_and_ranking(new_page, workshop):
    facilitator = new_page()
    log_in(facilitator, "animateur@demo.test")
    facilitator.goto("/ateliers/2031/1/modifier/")
    assert_no_axe_violations(facilitator)
    facilitator.get_by_label("Titre du projet").fill("Cap sur le permis")
    facilitator.get_by_label("Aller-vers").fill("Permanences au pied des immeubles, le soir.")
    facilitator.get_by_role("button", name="Enregistrer la fiche").click()
    expect(facilitator.get_by_text("Cap sur le permis").first).to_be_visible()
    # The facilitator of group 1 cannot open group 2's sheet for editing.
    assert facilitator.goto("/ateliers/2031/2/modifier/").status == 403

    juror = new_page()
    log_in(juror, "jury@demo.test")
    juror.goto("/ateliers/2031/jury/1/")
    expect(juror.get_by_text("Cap sur le permis").first).to_be_visible()
    assert_no_axe_violations(juror)
    score_all(juror, 4)
    juror.goto("/ateliers/2031/jury/2/")
    score_all(juror, 2)
    juror.goto("/ateliers/2031/jury/")
    assert_no_axe_violations(juror)

    # Before publication a partner sees no results.
    partner = new_page()
    log_in(partner, "copil@demo.test")
    assert partner.goto("/ateliers/2031/resultats/").status == 403

    organiser = new_page()
    log_in(organiser, "organisateur@demo.test")
    # During scoring the organiser sees the progress, not the marks.
    organiser.goto("/ateliers/2031/resultats/")
    expect(
        organiser.get_by_text("Les notes restent cachées jusqu'à la délibération.")
    ).to_be_visible()
    expect(
        organiser.get_by_role("table", name="Grilles remplies par groupe et par juré")
    ).to_be_visible()
    assert_no_axe_violations(organiser)
    organiser.goto("/ateliers/2031/jury/")
    organiser.get_by_role("button", name="Clore la notation et passer en délibération").click()
    organiser.wait_for_load_state()
    assert_no_axe_violations(organiser)
    organiser.get_by_role("button", name="Publier les résultats").click()
    organiser.wait_for_load_state()

    partner.goto("/ateliers/2031/resultats/")
    ranking = partner.locator("table", has=partner.locator("caption", has_text="Classement"))
    rows = ranking.locator("tbody tr")
    expect(rows.nth(0)).to_contain_text("Cap sur le permis")
    expect(rows.nth(1)).to_contain_text("Sport au féminin")
    expect(rows.nth(0)).to_contain_text("16")
    assert_no_axe_violations(partner)
