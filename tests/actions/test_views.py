"""The actions' pages: who sees and edits what, bad input, constant queries."""

from decimal import Decimal

import pytest
from django.urls import reverse

from actions.enums import ActionStatus, AuditAction
from actions.models import Action
from contrat_ville.models import AuditLogEntry


@pytest.fixture
def programmed(make_action, actor_a, priority, qpv_one):
    return make_action(
        actor_a,
        title="Permis solidaire",
        priority=priority,
        territories=[qpv_one],
        budget_planned="12500.50",
        fundings=[("state", "6000", None)],
        indicators=[("Jeunes accompagnés", "young", "20", "23")],
    )


@pytest.fixture
def proposal(make_action, actor_a):
    return make_action(actor_a, title="Idée en attente", status=ActionStatus.PROPOSED)


def _login(client, user, settings):
    settings.PORTAL_MFA_REQUIRED_FOR_ORGANISERS = False
    client.force_login(user)
    return client


# -- reading ------------------------------------------------------------------------------------


def test_list_public_shows_validated_actions_only(client, programmed, proposal):
    response = client.get(reverse("actions:list"))
    assert response.status_code == 200
    assert "Permis solidaire" in response.text
    assert "Idée en attente" not in response.text


def test_list_carrier_member_sees_own_proposal_not_others(
    client, settings, programmed, proposal, member_a, member_b
):
    assert "Idée en attente" in _login(client, member_a, settings).get("/actions/").text
    assert "Idée en attente" not in _login(client, member_b, settings).get("/actions/").text


def test_list_filters_and_bad_filter_values_ignored(client, programmed, make_action, actor_b):
    make_action(actor_b, title="Jardin partagé", year=2024)
    assert "Jardin partagé" not in client.get("/actions/?annee=2025").text
    response = client.get("/actions/?annee=abc&statut=nope&priorite=%C3&quartier=x" + "y" * 500)
    assert response.status_code == 200
    assert "Jardin partagé" in response.text
    assert "Permis solidaire" in response.text


def test_list_queries_constant(
    client, django_assert_max_num_queries, make_action, actor_a, qpv_one
):
    make_action(actor_a, territories=[qpv_one])
    with django_assert_max_num_queries(12) as one:
        client.get("/actions/")
    for number in range(20):
        make_action(actor_a, title=f"Action {number}", territories=[qpv_one])
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert client.get("/actions/").status_code == 200


def test_detail_public_without_amounts(client, programmed):
    response = client.get(programmed.get_absolute_url())
    assert response.status_code == 200
    assert "Jeunes accompagnés" in response.text
    assert "12\xa0500,50" not in response.text
    assert "Modifier l'action" not in response.text


def test_detail_partner_sees_open_amounts_not_confidential_ones(
    client, settings, programmed, partner
):
    client = _login(client, partner, settings)
    assert "12\xa0500,50\xa0€" in client.get(programmed.get_absolute_url()).text
    Action.objects.filter(pk=programmed.pk).update(amounts_confidential=True)
    body = client.get(programmed.get_absolute_url()).text
    assert "12\xa0500,50" not in body
    assert "6\xa0000" not in body


def test_detail_carrier_sees_confidential_amounts_and_history(
    client, settings, programmed, member_a
):
    Action.objects.filter(pk=programmed.pk).update(amounts_confidential=True)
    body = _login(client, member_a, settings).get(programmed.get_absolute_url()).text
    assert "12\xa0500,50\xa0€" in body
    assert "Journal des modifications" not in body  # nothing journaled yet: no empty section


def test_detail_proposal_hidden_from_public_and_other_members(
    client, settings, proposal, member_b, partner
):
    assert client.get(proposal.get_absolute_url()).status_code == 404
    assert _login(client, member_b, settings).get(proposal.get_absolute_url()).status_code == 404
    assert _login(client, partner, settings).get(proposal.get_absolute_url()).status_code == 404


def test_detail_unknown_action_404(client, db):
    assert client.get("/actions/999999/").status_code == 404


# -- writing ------------------------------------------------------------------------------------


def _form_data(actor, **extra) -> dict:
    data = {
        "title": "Soutien scolaire",
        "year": "2026",
        "reference": "",
        "carrier": str(actor.pk),
        "summary": "Aide aux devoirs deux soirs par semaine.",
        "budget_planned": "8 000",
        "fundings-TOTAL_FORMS": "2",
        "fundings-INITIAL_FORMS": "0",
        "fundings-0-funder": "state",
        "fundings-0-planned": "4 000,00 €",
        "indicators-TOTAL_FORMS": "2",
        "indicators-INITIAL_FORMS": "0",
        "indicators-0-label": "Élèves suivis",
        "indicators-0-unit": "young",
        "indicators-0-target": "30",
    }
    data.update(extra)
    return data


@pytest.fixture(autouse=True)
def _this_year(monkeypatch):
    import datetime

    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda *a: datetime.date(2026, 3, 1))


def test_create_by_member_proposed_for_own_actor(client, settings, member_a, actor_a):
    response = _login(client, member_a, settings).post("/actions/proposer/", _form_data(actor_a))
    action = Action.objects.get()
    assert response.status_code == 302
    assert response["Location"] == action.get_absolute_url()
    assert (action.status, action.carrier, action.budget_planned) == (
        ActionStatus.PROPOSED,
        actor_a,
        Decimal("8000.00"),
    )
    assert action.fundings.get().planned == Decimal("4000.00")
    assert action.indicators.get().target == Decimal("30.00")


def test_create_for_another_actor_refused(client, settings, member_a, actor_b):
    response = _login(client, member_a, settings).post("/actions/proposer/", _form_data(actor_b))
    assert response.status_code == 200
    assert Action.objects.count() == 0
    assert "Soutien scolaire" in response.text  # what was typed is kept


def test_create_without_membership_forbidden(client, settings, partner, no_role_user, actor_a):
    assert _login(client, partner, settings).get("/actions/proposer/").status_code == 403
    assert (
        _login(client, no_role_user, settings)
        .post("/actions/proposer/", _form_data(actor_a))
        .status_code
        == 403
    )
    assert Action.objects.count() == 0


def test_create_anonymous_sent_to_login(client):
    response = client.get("/actions/proposer/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("budget_planned", "-5", "négatif"),
        ("budget_planned", "douze", "Indiquez un montant"),
        ("budget_planned", "99999999999", "trop élevé"),
        ("fundings-0-planned", "-1", "négatif"),
        ("indicators-0-unit", "percent", "100"),  # target 30 is fine; see next case
        ("indicators-0-target", "-3", "supérieure ou égale"),
        ("year", "1850", "Sélectionnez un choix valide"),
        ("title", "x" * 201, "200"),
        ("end_date", "2026-01-01", "après"),
    ],
)
def test_create_bad_input_message_next_to_field_nothing_written(
    client, settings, member_a, actor_a, field, value, message
):
    extra = {field: value}
    if field == "end_date":
        extra["start_date"] = "2026-02-01"
    if field == "indicators-0-unit":
        extra["indicators-0-achieved"] = "140"
    response = _login(client, member_a, settings).post(
        "/actions/proposer/", _form_data(actor_a, **extra)
    )
    assert response.status_code == 200
    assert message in response.text
    assert Action.objects.count() == 0


def test_edit_by_other_actor_member_404_or_403_and_unchanged(
    client, settings, programmed, member_b, partner
):
    for user in (member_b, partner):
        client = _login(client, user, settings)
        assert client.get(f"/actions/{programmed.pk}/modifier/").status_code == 403
        response = client.post(f"/actions/{programmed.pk}/modifier/", {"title": "Piraté"})
        assert response.status_code == 403
    programmed.refresh_from_db()
    assert programmed.title == "Permis solidaire"


def test_edit_by_carrier_journaled(client, settings, programmed, member_a, actor_a):
    client = _login(client, member_a, settings)
    assert client.get(f"/actions/{programmed.pk}/modifier/").status_code == 200
    data = _form_data(actor_a, title="Permis solidaire 2025", budget_actual="11 000")
    data.pop("year")
    response = client.post(f"/actions/{programmed.pk}/modifier/", data)
    assert response.status_code == 302
    programmed.refresh_from_db()
    assert programmed.title == "Permis solidaire 2025"
    assert programmed.budget_actual == Decimal("11000.00")
    assert programmed.year == 2025  # the year is not edited
    codes = set(
        AuditLogEntry.objects.filter(target_id=str(programmed.pk)).values_list("action", flat=True)
    )
    assert {AuditAction.ACTION_UPDATED, AuditAction.ACTION_BUDGET} <= codes


def test_confidential_flag_ignored_from_a_carrier(client, settings, programmed, member_a, actor_a):
    data = _form_data(actor_a, amounts_confidential="on")
    data.pop("year")
    _login(client, member_a, settings).post(f"/actions/{programmed.pk}/modifier/", data)
    programmed.refresh_from_db()
    assert programmed.amounts_confidential is False


def test_status_post_by_carrier_and_refusal(client, settings, programmed, member_a, member_b):
    client = _login(client, member_a, settings)
    client.post(f"/actions/{programmed.pk}/statut/", {"status": "running"})
    programmed.refresh_from_db()
    assert programmed.status == ActionStatus.RUNNING
    response = client.post(
        f"/actions/{programmed.pk}/statut/", {"status": "abandoned"}, follow=True
    )
    assert "Vous ne pouvez pas" in response.text
    client = _login(client, member_b, settings)
    assert client.post(f"/actions/{programmed.pk}/statut/", {"status": "done"}).status_code == 403
    programmed.refresh_from_db()
    assert programmed.status == ActionStatus.RUNNING


def test_status_get_not_allowed(client, settings, programmed, member_a):
    assert (
        _login(client, member_a, settings).get(f"/actions/{programmed.pk}/statut/").status_code
        == 405
    )


def test_renew_by_carrier_opens_the_copy(client, settings, programmed, member_a):
    response = _login(client, member_a, settings).post(f"/actions/{programmed.pk}/reconduire/")
    renewal = Action.objects.get(previous=programmed)
    assert response["Location"] == f"/actions/{renewal.pk}/modifier/"
    again = client.post(f"/actions/{programmed.pk}/reconduire/", follow=True)
    assert "déjà reconduite" in again.text
    assert Action.objects.count() == 2


def test_renew_by_other_member_forbidden(client, settings, programmed, member_b):
    assert (
        _login(client, member_b, settings).post(f"/actions/{programmed.pk}/reconduire/").status_code
        == 403
    )
    assert Action.objects.count() == 1


def test_delete_organiser_only(client, settings, programmed, member_a, organiser):
    assert (
        _login(client, member_a, settings).post(f"/actions/{programmed.pk}/supprimer/").status_code
        == 403
    )
    client = _login(client, organiser, settings)
    assert client.get(f"/actions/{programmed.pk}/supprimer/").status_code == 200
    assert client.post(f"/actions/{programmed.pk}/supprimer/").status_code == 302
    assert Action.objects.count() == 0
    assert AuditLogEntry.objects.filter(action=AuditAction.ACTION_DELETED).count() == 1


# -- from a pitch -------------------------------------------------------------------------------


def test_from_pitch_member_turns_a_published_pitch(client, settings, make_pitch, member_a, actor_a):
    sheet = make_pitch(2024)
    client = _login(client, member_a, settings)
    assert client.get(f"/actions/depuis-un-pitch/{sheet.pk}/").status_code == 200
    response = client.post(
        f"/actions/depuis-un-pitch/{sheet.pk}/", {"carrier": actor_a.pk, "year": "2025"}
    )
    action = Action.objects.get()
    assert response["Location"] == f"/actions/{action.pk}/modifier/"
    assert action.pitch == sheet
    assert action.year == 2025
    page = client.get(f"/actions/depuis-un-pitch/{sheet.pk}/")
    assert "déjà devenu une action" in page.text


def test_from_pitch_hidden_gallery_is_404_for_partners(
    client, settings, make_pitch, member_a, actor_a
):
    sheet = make_pitch(2024, published=False)
    response = _login(client, member_a, settings).post(
        f"/actions/depuis-un-pitch/{sheet.pk}/", {"carrier": actor_a.pk, "year": "2025"}
    )
    assert response.status_code == 404
    assert Action.objects.count() == 0


def test_from_pitch_without_membership_forbidden(client, settings, make_pitch, partner):
    sheet = make_pitch(2024)
    assert (
        _login(client, partner, settings).get(f"/actions/depuis-un-pitch/{sheet.pk}/").status_code
        == 403
    )


def test_from_pitch_other_actor_as_carrier_refused(client, settings, make_pitch, member_a, actor_b):
    sheet = make_pitch(2024)
    response = _login(client, member_a, settings).post(
        f"/actions/depuis-un-pitch/{sheet.pk}/", {"carrier": actor_b.pk, "year": "2025"}
    )
    assert response.status_code == 200
    assert Action.objects.count() == 0


# -- the sheet page says what became of the pitch ---------------------------------------------


def test_sheet_page_offers_then_links_the_action(client, settings, make_pitch, member_a, actor_a):
    from actions.services import action_from_pitch

    sheet = make_pitch(2024)
    url = f"/ateliers/2024/{sheet.workgroup.number}/"
    assert "En faire une action du contrat" in _login(client, member_a, settings).get(url).text
    action = action_from_pitch(by=member_a, sheet=sheet, carrier=actor_a)
    body = client.get(url).text
    assert "Ce pitch est devenu une action en 2025" in body
    assert action.get_absolute_url() in body
    client.logout()
    # A proposal is not public yet: the public page says nothing of it.
    assert "devenu une action" not in client.get(url).text


def test_query_string_with_nul_refused(client, db):
    assert client.get("/actions/?q=%00").status_code == 400


def test_create_form_preselects_this_year(client, settings, member_a):
    response = _login(client, member_a, settings).get("/actions/proposer/")
    assert response.context["form"]["year"].value() == 2026
    assert '<option value="2026" selected>' in response.text


def test_detail_indicator_in_euros_is_an_amount(client, settings, make_action, actor_a, partner):
    action = make_action(
        actor_a,
        amounts_confidential=True,
        indicators=[("Jeunes", "young", "10", "9"), ("Aides versées", "euros", "4321", "4000")],
    )
    assert "Aides versées" not in client.get(action.get_absolute_url()).text
    assert (
        "Aides versées" not in _login(client, partner, settings).get(action.get_absolute_url()).text
    )


def test_bilan_indicator_in_euros_of_confidential_action_left_out(make_action, actor_a, actor_b):
    from actions.selectors.bilan import bilan_for

    make_action(actor_a, amounts_confidential=True, indicators=[("Aides", "euros", "4321", "1")])
    make_action(actor_b, indicators=[("Primes", "euros", "100", "90")])
    labels = lambda version: [line.label for line in bilan_for(2025, version).indicator_lines]  # noqa: E731
    assert labels("partners") == ["Primes"]
    assert sorted(labels("organisers")) == ["Aides", "Primes"]
