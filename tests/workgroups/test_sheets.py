"""Project sheets: who may write them, that nothing typed is lost, the audit of
changes after publication, and who sees the group page, the gallery and the
booklet before and after the results."""

import html

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from contrat_ville.models import AuditLogEntry, Territory
from contrat_ville.services import ServiceError
from partners.enums import ActorStatus
from tests.events.test_exports import page_count, pdf_text
from workgroups.enums import AuditAction, JuryPhase
from workgroups.forms import sheets as sheet_forms
from workgroups.models import ProjectSheet, WorkshopSettings
from workgroups.services.sheets import sheet_save

EMPTY = {
    "title": "",
    "need": "",
    "age_min": "",
    "age_max": "",
    "target_public": "",
    "actions": "",
    "other_partners": "",
    "resources": "",
    "budget": "",
    "outreach": "",
    "first_steps": "",
    "indicators": "",
}


def form_data(**fields) -> dict:
    return {**EMPTY, **fields}


def sheet_url(group) -> str:
    return reverse("workgroups:sheet", args=[group.edition.year, group.number])


def edit_url(group) -> str:
    return reverse("workgroups:sheet_edit", args=[group.edition.year, group.number])


def gallery_url(edition) -> str:
    return reverse("workgroups:gallery", args=[edition.year])


def booklet_url(edition) -> str:
    return reverse("workgroups:booklet", args=[edition.year])


def login_url(path: str) -> str:
    return f"{reverse('account_login')}?next={path}"


def stashed(client) -> list[str]:
    """The session keys holding a stashed sheet."""
    return [key for key, _value in client.session.items() if "sheet_draft" in key]


def set_phase(edition, phase, *, gallery_public=False) -> None:
    WorkshopSettings.objects.update_or_create(
        edition=edition, defaults={"phase": phase, "gallery_public": gallery_public}
    )


def publish(edition, *, gallery_public=False) -> None:
    set_phase(edition, JuryPhase.PUBLISHED, gallery_public=gallery_public)


def save(group, by=None, *, territories=(), partners=(), members=(), **data) -> ProjectSheet:
    return sheet_save(
        by=by,
        workgroup=group,
        data=data,
        territories=territories,
        partners=partners,
        members_present=members,
    )


@pytest.fixture
def groups(edition, make_groups, facilitator, other_facilitator):
    """Five groups: the facilitator runs group 3, the other one group 5."""
    made = make_groups(edition, 5)
    made[2].facilitators.add(facilitator)
    made[4].facilitators.add(other_facilitator)
    return made


@pytest.fixture
def facilitator_client(client, facilitator):
    client.force_login(facilitator)
    return client


@pytest.fixture
def partner_client(client, partner):
    client.force_login(partner)
    return client


# -- editing: who may ------------------------------------------------------------------


def test_sheet_edit_of_another_group_is_forbidden_to_a_facilitator(groups, facilitator_client):
    group_5 = groups[4]
    assert facilitator_client.get(edit_url(group_5)).status_code == 403
    response = facilitator_client.post(edit_url(group_5), form_data(title="Intrusion"))
    assert response.status_code == 403
    assert ProjectSheet.objects.count() == 0
    assert stashed(facilitator_client) == []


def test_sheet_edit_by_the_group_facilitator_saves(groups, facilitator_client, facilitator, qpv):
    group_3 = groups[2]
    assert facilitator_client.get(edit_url(group_3)).status_code == 200
    response = facilitator_client.post(
        edit_url(group_3),
        form_data(
            title="Un local pour les ados",
            need="Pas de lieu le soir.",
            age_min="12",
            age_max="17",
            budget="1 500 €",
            territories=[qpv.pk],
        ),
    )
    assert response.status_code == 302
    assert response.url == sheet_url(group_3)
    sheet = ProjectSheet.objects.get(workgroup=group_3)
    assert (sheet.title, sheet.need, sheet.age_min, sheet.age_max, sheet.budget) == (
        "Un local pour les ados",
        "Pas de lieu le soir.",
        12,
        17,
        1500,
    )
    assert list(sheet.territories.all()) == [qpv]
    assert sheet.updated_by == facilitator


def test_sheet_edit_by_an_organiser_saves(groups, organiser_client, organiser):
    response = organiser_client.post(edit_url(groups[4]), form_data(title="Projet du groupe 5"))
    assert response.status_code == 302
    sheet = ProjectSheet.objects.get(workgroup=groups[4])
    assert (sheet.title, sheet.updated_by) == ("Projet du groupe 5", organiser)


def test_sheet_edit_is_forbidden_to_a_partner(groups, partner_client):
    assert partner_client.get(edit_url(groups[2])).status_code == 403
    assert partner_client.post(edit_url(groups[2]), form_data(title="X")).status_code == 403
    assert ProjectSheet.objects.count() == 0
    assert stashed(partner_client) == []


def test_sheet_edit_sends_anonymous_visitors_to_login(client, groups):
    response = client.get(edit_url(groups[2]))
    assert response.status_code == 302
    assert response.url == login_url(edit_url(groups[2]))


def test_sheet_edit_of_an_unknown_group_is_404(groups, organiser_client, edition):
    url = reverse("workgroups:sheet_edit", args=[edition.year, 9])
    assert organiser_client.get(url).status_code == 404


def test_sheet_edit_stays_open_after_publication(groups, facilitator_client, edition):
    publish(edition)
    response = facilitator_client.post(edit_url(groups[2]), form_data(title="Fini après"))
    assert response.status_code == 302
    assert ProjectSheet.objects.get(workgroup=groups[2]).title == "Fini après"


# -- nothing typed is lost ---------------------------------------------------------------


def test_sheet_edit_keeps_the_input_on_a_validation_error(groups, facilitator_client):
    response = facilitator_client.post(
        edit_url(groups[2]),
        form_data(
            title="Sport au pied des tours",
            need="Les jeunes filles ne viennent plus au city-stade.",
            age_min="15",
            age_max="12",
            budget="beaucoup",
        ),
    )
    assert response.status_code == 400
    form = response.context["form"]
    assert form.errors == {
        "age_max": ["L'âge maximum doit être supérieur ou égal à l'âge minimum."],
        "budget": ["Indiquez un montant en euros, par exemple 1 500 ou 3 k€."],
    }
    page = html.unescape(response.text)
    assert 'value="Sport au pied des tours"' in page
    assert "Les jeunes filles ne viennent plus au city-stade." in page
    assert 'value="beaucoup"' in page
    assert ProjectSheet.objects.count() == 0


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("1500", 1500),
        ("1 500 €", 1500),
        ("2\u202f000 euros", 2000),
        ("300,00", 300),
        ("3 k€", 3000),
        ("1,5 k€", 1500),
        ("", None),
    ],
)
def test_sheet_budget_reads_what_people_type(groups, facilitator_client, typed, expected):
    response = facilitator_client.post(edit_url(groups[2]), form_data(budget=typed))
    assert response.status_code == 302
    assert ProjectSheet.objects.get(workgroup=groups[2]).budget == expected


@pytest.mark.parametrize(
    ("field", "typed", "error"),
    [
        ("budget", "-5", "Un montant ne peut pas être négatif."),
        ("budget", "12,5", "Indiquez un montant en euros, par exemple 1 500 ou 3 k€."),
        ("budget", "1 000 000 000", "Un budget ne dépasse pas 100 millions d'euros."),
        ("age_min", "120", "Un âge va de 0 à 99 ans."),
        ("age_max", "-1", "Un âge va de 0 à 99 ans."),
    ],
)
def test_sheet_refuses_impossible_numbers(groups, facilitator_client, field, typed, error):
    response = facilitator_client.post(edit_url(groups[2]), form_data(**{field: typed}))
    assert response.status_code == 400
    assert response.context["form"].errors == {field: [error]}
    assert ProjectSheet.objects.count() == 0


def owner_token(client, group) -> str:
    """The signed "who loaded this form" field of the page, as the logged-in client sees it."""
    return client.get(edit_url(group)).context["draft_owner"]


def expire_session(client) -> None:
    client.logout()


def test_sheet_edit_after_an_expired_session_keeps_the_text_until_saved(
    client, groups, facilitator, qpv
):
    group_3 = groups[2]
    client.force_login(facilitator)
    token = owner_token(client, group_3)
    expire_session(client)
    typed = form_data(
        title="Des permanences au pied des immeubles",
        actions="Une tournée chaque mercredi.",
        territories=[str(qpv.pk)],
    )
    response = client.post(
        edit_url(group_3), {**typed, "draft_owner": token, "csrfmiddlewaretoken": "x"}
    )
    assert response.status_code == 302
    assert response.url == login_url(edit_url(group_3))
    assert ProjectSheet.objects.count() == 0
    stash = client.session["workgroups.sheet_draft"]
    assert (stash["user"], stash["group"]) == (facilitator.pk, group_3.pk)
    assert stash["data"]["title"] == ["Des permanences au pied des immeubles"]
    assert stash["data"]["territories"] == [str(qpv.pk)]
    assert "csrfmiddlewaretoken" not in stash["data"]
    assert "draft_owner" not in stash["data"]

    client.force_login(facilitator)  # cycles the session key, keeps its data
    response = client.get(edit_url(group_3))
    assert response.status_code == 200
    page = html.unescape(response.text)
    assert "Votre texte non enregistré a été restauré : vérifiez-le puis enregistrez." in page
    assert 'value="Des permanences au pied des immeubles"' in page
    assert "Une tournée chaque mercredi." in page
    assert response.context["form"]["territories"].value() == [str(qpv.pk)]
    assert ProjectSheet.objects.count() == 0  # not saved until the person saves

    response = client.post(edit_url(group_3), response.context["form"].data)
    assert response.status_code == 302
    sheet = ProjectSheet.objects.get(workgroup=group_3)
    assert sheet.title == "Des permanences au pied des immeubles"
    assert list(sheet.territories.all()) == [qpv]
    response = client.get(edit_url(group_3))
    assert response.context["restored"] is False


def test_sheet_edit_restored_text_can_be_discarded(client, groups, facilitator):
    group_3 = groups[2]
    client.force_login(facilitator)
    token = owner_token(client, group_3)
    expire_session(client)
    client.post(edit_url(group_3), form_data(title="Brouillon perdu", draft_owner=token))
    client.force_login(facilitator)
    response = client.post(edit_url(group_3), {"discard_draft": "1"})
    assert response.status_code == 302
    assert response.url == edit_url(group_3)
    response = client.get(edit_url(group_3))
    assert response.context["restored"] is False
    assert "Brouillon perdu" not in response.text
    assert ProjectSheet.objects.count() == 0


def test_sheet_edit_expired_session_message_reaches_the_login_page(client, groups, facilitator):
    client.force_login(facilitator)
    token = owner_token(client, groups[2])
    expire_session(client)
    response = client.post(
        edit_url(groups[2]), form_data(title="Texte", draft_owner=token), follow=True
    )
    assert "Votre session a expiré : connectez-vous, votre texte vous attend." in html.unescape(
        response.text
    )


# -- what an anonymous POST may leave in the session -----------------------------------


def test_sheet_edit_anonymous_post_without_proof_keeps_nothing(client, groups):
    response = client.post(edit_url(groups[2]), form_data(title="x" * 99_000))
    assert response.status_code == 302
    assert response.url == login_url(edit_url(groups[2]))
    assert stashed(client) == []
    assert "Votre session a expiré" not in html.unescape(client.get(response.url).text)


def test_sheet_edit_anonymous_post_to_an_unknown_group_is_404_and_keeps_nothing(
    client, groups, edition
):
    for number in range(6, 26):
        url = reverse("workgroups:sheet_edit", args=[edition.year, number])
        assert client.post(url, form_data(title="x" * 99_000)).status_code == 404
    assert stashed(client) == []


def test_sheet_edit_anonymous_post_with_a_forged_or_foreign_proof_keeps_nothing(
    client, groups, facilitator, other_facilitator, partner
):
    group_3 = groups[2]
    client.force_login(other_facilitator)  # runs group 5, not group 3
    foreign = owner_token(client, groups[4])
    expire_session(client)
    for token in (foreign, foreign[:-2] + "xx", "", "not-a-token"):
        client.post(edit_url(group_3), form_data(title="Intrus", draft_owner=token))
    assert stashed(client) == []
    # A proof issued to someone who has since lost the right to edit keeps nothing either.
    client.force_login(facilitator)
    token = owner_token(client, group_3)
    expire_session(client)
    group_3.facilitators.remove(facilitator)
    client.post(edit_url(group_3), form_data(title="Plus animateur", draft_owner=token))
    assert stashed(client) == []


def test_sheet_edit_session_holds_one_stash_of_bounded_size(organiser_client, groups):
    client = organiser_client  # organisers may edit every group
    tokens = {group.number: owner_token(client, group) for group in groups}
    expire_session(client)
    for group in groups:
        client.post(
            edit_url(group),
            form_data(title="x" * 190, need="y" * 9_000, draft_owner=tokens[group.number]),
        )
    assert stashed(client) == ["workgroups.sheet_draft"]
    assert client.session["workgroups.sheet_draft"]["group"] == groups[-1].pk
    # Beyond the limit nothing is kept: the previous stash stays as it was.
    client.post(edit_url(groups[0]), form_data(need="z" * 100_001, draft_owner=tokens[1]))
    assert client.session["workgroups.sheet_draft"]["group"] == groups[-1].pk


def test_sheet_edit_stash_is_restored_only_for_its_owner_and_group(
    client, groups, facilitator, organiser, settings
):
    settings.PORTAL_MFA_REQUIRED_FOR_ORGANISERS = False
    client.force_login(facilitator)
    token = owner_token(client, groups[2])
    expire_session(client)
    client.post(edit_url(groups[2]), form_data(title="Texte de l'animateur", draft_owner=token))
    client.force_login(organiser)
    response = client.get(edit_url(groups[2]))
    assert response.context["restored"] is False
    assert "Texte de l&#x27;animateur" not in response.text


# -- members present and partners ---------------------------------------------------------


def test_sheet_save_refuses_members_outside_the_group(groups, edition, confirmed, seat):
    inside, outside = confirmed(edition), confirmed(edition)
    seat(groups[2], inside)
    seat(groups[4], outside)
    with pytest.raises(ServiceError) as error:
        save(groups[2], title="Projet", members=[inside, outside])
    assert str(error.value) == f"Ces personnes ne sont pas dans le groupe 3 : {outside.full_name}."
    assert ProjectSheet.objects.count() == 0


def test_sheet_form_offers_only_the_group_members(
    groups, edition, confirmed, seat, facilitator_client
):
    inside, outside = confirmed(edition), confirmed(edition)
    seat(groups[2], inside)
    seat(groups[4], outside)
    response = facilitator_client.get(edit_url(groups[2]))
    choices = [
        value for value, _label in response.context["form"].fields["members_present"].choices
    ]
    assert [choice.value for choice in choices] == [inside.pk]
    response = facilitator_client.post(
        edit_url(groups[2]), form_data(members_present=[inside.pk, outside.pk])
    )
    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["members_present"]
    response = facilitator_client.post(edit_url(groups[2]), form_data(members_present=[inside.pk]))
    assert response.status_code == 302
    assert list(ProjectSheet.objects.get().members_present.all()) == [inside]


def test_sheet_form_offers_published_actors_as_checkboxes(groups, make_actor, facilitator_client):
    shown = make_actor("Mission locale jeunes")
    make_actor("Structure en attente", status=ActorStatus.PENDING)
    response = facilitator_client.get(edit_url(groups[2]))
    form = response.context["form"]
    assert form.partners_as_names is False
    assert [actor.name for actor in form.fields["partners"].queryset] == [shown.name]
    facilitator_client.post(edit_url(groups[2]), form_data(partners=[shown.pk]))
    assert list(ProjectSheet.objects.get().partners.all()) == [shown]


def test_sheet_form_takes_partner_names_beyond_the_checkbox_limit(
    groups, make_actor, facilitator_client, monkeypatch
):
    monkeypatch.setattr(sheet_forms, "PARTNERS_CHECKBOX_LIMIT", 1)
    mission = make_actor("Mission locale jeunes")
    ecole = make_actor("École de la deuxième chance")
    response = facilitator_client.get(edit_url(groups[2]))
    assert response.context["form"].partners_as_names is True
    response = facilitator_client.post(
        edit_url(groups[2]),
        form_data(partners="mission LOCALE jeunes\nÉCOLE de la deuxième chance\n\nInconnue"),
    )
    assert response.status_code == 400
    assert response.context["form"].errors == {
        "partners": [
            "Pas dans l'annuaire : Inconnue. Vérifiez l'orthographe, ou mettez-les dans "
            "« Autres partenaires à mobiliser »."
        ]
    }
    response = facilitator_client.post(
        edit_url(groups[2]),
        form_data(partners="mission LOCALE jeunes\nécole de la deuxième chance"),
    )
    assert response.status_code == 302
    assert set(ProjectSheet.objects.get().partners.all()) == {mission, ecole}
    response = facilitator_client.get(edit_url(groups[2]))
    assert response.context["form"]["partners"].value() == (
        "Mission locale jeunes\nÉcole de la deuxième chance"
    )


# -- audit after publication ------------------------------------------------------------


def changes_logged() -> list[dict]:
    return [
        entry.data
        for entry in AuditLogEntry.objects.filter(
            action=AuditAction.SHEET_CHANGED_AFTER_RESULTS
        ).order_by("pk")
    ]


def test_sheet_change_before_publication_is_not_audited(groups, edition, facilitator):
    set_phase(edition, JuryPhase.DELIBERATION)
    save(groups[2], facilitator, title="Premier jet")
    save(groups[2], facilitator, title="Deuxième jet")
    assert changes_logged() == []


def test_sheet_change_after_publication_is_audited_with_the_changes(
    groups, edition, facilitator, qpv
):
    save(groups[2], facilitator, title="Avant", need="Un besoin", budget=100)
    publish(edition)
    save(groups[2], facilitator, title="Après", need="Un besoin", budget=250, territories=[qpv])
    assert changes_logged() == [
        {
            "changes": {
                "title": ["Avant", "Après"],
                "budget": ["100", "250"],
                "territories": ["", qpv.name],
            }
        }
    ]
    entry = AuditLogEntry.objects.get(action=AuditAction.SHEET_CHANGED_AFTER_RESULTS)
    assert (entry.actor, entry.target_id) == (facilitator, str(groups[2].sheet.pk))


def test_sheet_saved_unchanged_after_publication_is_not_audited(groups, edition, facilitator):
    save(groups[2], facilitator, title="Pareil")
    publish(edition)
    save(groups[2], facilitator, title="Pareil")
    assert changes_logged() == []


def test_sheet_edit_view_after_publication_writes_one_audit_entry(
    groups, edition, facilitator_client
):
    save(groups[2], title="Avant")
    publish(edition)
    facilitator_client.post(edit_url(groups[2]), form_data(title="Après"))
    assert changes_logged() == [{"changes": {"title": ["Avant", "Après"]}}]


# -- the group page ------------------------------------------------------------------------


@pytest.fixture
def scene(edition, groups, confirmed, seat, make_actor, qpv):
    """Group 3 with two members (one listed) and a filled sheet."""
    listed = confirmed(edition, first_name="Awa", last_name="Diop", listed=True)
    unlisted = confirmed(edition, first_name="Discret", last_name="Anonyme", listed=False)
    seat(groups[2], listed)
    seat(groups[2], unlisted)
    save(
        groups[2],
        title="Un local pour les ados",
        need="Pas de lieu le soir.",
        age_min=12,
        age_max=17,
        target_public="collégiens",
        partners=[make_actor("Mission locale jeunes")],
        territories=[qpv],
        members=[listed, unlisted],
    )
    return groups


def test_sheet_page_before_publication_shows_partners_the_group_not_the_sheet(
    scene, partner_client, facilitator
):
    response = partner_client.get(sheet_url(scene[2]))
    assert response.status_code == 200
    page = html.unescape(response.text)
    assert "La fiche sera visible après la publication des résultats." in page
    assert "Un local pour les ados" not in page
    assert "Awa Diop" in page
    assert "Discret" not in page
    assert "Et 1 autre personne, qui n'a pas souhaité figurer" in page
    assert facilitator.full_name in page
    assert "Modifier la fiche" not in page


def test_sheet_page_shows_the_sheet_to_its_facilitator_before_publication(
    scene, facilitator_client
):
    page = html.unescape(facilitator_client.get(sheet_url(scene[2])).text)
    assert "Un local pour les ados" in page
    assert "de 12 à 17 ans · collégiens" in page
    assert "Modifier la fiche" in page
    assert "La fiche sera visible" not in page


def test_sheet_page_of_another_group_hides_the_sheet_from_a_facilitator(
    scene, client, other_facilitator
):
    client.force_login(other_facilitator)
    page = html.unescape(client.get(sheet_url(scene[2])).text)
    assert "Un local pour les ados" not in page
    assert "Modifier la fiche" not in page


def test_sheet_page_after_publication_shows_partners_the_sheet(scene, partner_client, edition):
    publish(edition)
    page = html.unescape(partner_client.get(sheet_url(scene[2])).text)
    assert "Un local pour les ados" in page
    assert "Mission locale jeunes" in page
    assert "Awa Diop et 1 autre personne" in page


def test_sheet_page_is_forbidden_to_a_user_without_role(scene, client, no_role_user, edition):
    client.force_login(no_role_user)
    assert client.get(sheet_url(scene[2])).status_code == 403
    publish(edition)
    assert client.get(sheet_url(scene[2])).status_code == 403


def test_sheet_page_of_a_public_gallery_shows_no_names(scene, client, edition):
    publish(edition, gallery_public=True)
    response = client.get(sheet_url(scene[2]))
    assert response.status_code == 200
    page = html.unescape(response.text)
    assert "Un local pour les ados" in page
    assert "2 personnes" in page
    assert "Awa" not in page
    assert "Membres du groupe</h2>" not in page


# -- the public sees nothing before publication -----------------------------------------------


@pytest.mark.parametrize("gallery_public", [False, True])
@pytest.mark.parametrize("phase", [JuryPhase.PREPARATION, JuryPhase.DELIBERATION])
def test_public_sees_nothing_before_publication(scene, client, edition, phase, gallery_public):
    set_phase(edition, phase, gallery_public=gallery_public)
    for url in (sheet_url(scene[2]), gallery_url(edition), booklet_url(edition)):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url == login_url(url)


def test_public_sees_nothing_after_publication_unless_the_gallery_is_public(scene, client, edition):
    publish(edition, gallery_public=False)
    for url in (sheet_url(scene[2]), gallery_url(edition), booklet_url(edition)):
        assert client.get(url).status_code == 302


def test_gallery_before_publication_is_forbidden_to_partners(scene, partner_client, edition):
    assert partner_client.get(gallery_url(edition)).status_code == 403
    assert partner_client.get(booklet_url(edition)).status_code == 403


def test_gallery_before_publication_is_open_to_organisers(scene, organiser_client, edition):
    response = organiser_client.get(gallery_url(edition))
    assert response.status_code == 200
    assert "Un local pour les ados" in html.unescape(response.text)


def test_gallery_after_publication_shows_partners_every_group(scene, partner_client, edition):
    publish(edition)
    response = partner_client.get(gallery_url(edition))
    assert response.status_code == 200
    page = html.unescape(response.text)
    assert "Un local pour les ados" in page
    assert "de 12 à 17 ans · collégiens" in page
    assert "Mission locale jeunes" in page
    assert Territory.objects.get(slug="biollay-bellevue").name in page
    assert page.count("Ce groupe n'a pas encore rempli sa fiche projet.") == 4
    for group in scene:
        assert f'href="{sheet_url(group)}"' in page
    assert f'href="{booklet_url(edition)}"' in page


def test_gallery_after_publication_is_forbidden_to_a_user_without_role(
    scene, client, no_role_user, edition
):
    publish(edition)
    client.force_login(no_role_user)
    assert client.get(gallery_url(edition)).status_code == 403


def test_gallery_is_public_after_publication_when_the_organiser_chooses(scene, client, edition):
    publish(edition, gallery_public=True)
    response = client.get(gallery_url(edition))
    assert response.status_code == 200
    assert "Un local pour les ados" in html.unescape(response.text)
    assert client.get(booklet_url(edition)).status_code == 200


def test_gallery_of_a_draft_edition_is_404_to_partners(partner_client, make_edition):
    from events.enums import EditionStatus

    draft = make_edition(status=EditionStatus.DRAFT)
    publish(draft)
    assert partner_client.get(gallery_url(draft)).status_code == 404


def test_gallery_query_count_does_not_grow_with_groups(
    edition, make_groups, partner_client, make_actor, qpv
):
    publish(edition)
    groups = make_groups(edition, 5)
    actor = make_actor("Mission locale jeunes")
    save(groups[0], title="Projet 1", territories=[qpv], partners=[actor])
    partner_client.get(gallery_url(edition))  # warm the caches of the session
    with CaptureQueriesContext(connection) as one:
        assert partner_client.get(gallery_url(edition)).status_code == 200
    for group in groups[1:]:
        save(group, title=f"Projet {group.number}", territories=[qpv], partners=[actor])
    with CaptureQueriesContext(connection) as five:
        assert partner_client.get(gallery_url(edition)).status_code == 200
    assert len(five) == len(one)


# -- the booklet ---------------------------------------------------------------------------


def test_booklet_holds_every_title_one_project_per_page(scene, partner_client, edition):
    publish(edition)
    for group in scene[:2]:
        save(group, title=f"Projet numéro {group.number} : l'été aux Hauts-de-Chambéry")
    response = partner_client.get(booklet_url(edition))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    lines = pdf_text(response.content).splitlines()
    assert "Recueil des projets" in lines
    assert "Sommaire" in lines
    titles = {
        1: "Projet numéro 1 : l'été aux Hauts-de-Chambéry",
        2: "Projet numéro 2 : l'été aux Hauts-de-Chambéry",
        3: "Un local pour les ados",
    }
    text = " ".join(lines)  # a long title wraps
    for number, title in titles.items():
        assert f"Groupe {number} · Groupe {number} · Salle {number} {title}" in text
        assert f"Groupe {number} : {title}" in lines  # the table of contents
    # Cover, contents, then one page per group.
    assert page_count(response.content) == 2 + len(scene)
    assert lines.count("Ce groupe n'a pas encore rempli sa fiche projet.") == 2
    assert "de 12 à 17 ans · collégiens" in lines
    assert "Awa Diop et 1 autre personne" in lines


def test_booklet_of_a_public_gallery_prints_no_names(scene, client, edition):
    publish(edition, gallery_public=True)
    lines = pdf_text(client.get(booklet_url(edition)).content).splitlines()
    assert "Un local pour les ados" in lines
    assert "2 personnes" in lines
    assert not [line for line in lines if "Awa" in line]


def test_booklet_of_an_edition_without_groups(organiser_client, edition):
    response = organiser_client.get(booklet_url(edition))
    assert response.status_code == 200
    assert "Aucun groupe d'atelier pour cette édition." in pdf_text(response.content)
