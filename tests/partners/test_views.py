"""Directory pages: who sees what, who may change what, and bad input."""

import datetime
import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image

from contrat_ville.enums import Role
from contrat_ville.models import AuditLogEntry
from partners.enums import ActorStatus, JoinRequestStatus, MembershipRole
from partners.models import Actor, ContactPerson, JoinRequest, Membership
from partners.services import actor_contacts_set, actor_status_set
from tests.factories import UserFactory


@pytest.fixture
def actor(make_actor):
    actor = make_actor("Maison des jeunes du Biollay", territories=["biollay-bellevue"])
    actor_contacts_set(
        by=None,
        actor=actor,
        contacts=[
            {
                "name": "Karim Exemple",
                "function": "Directeur",
                "email": "karim@exemple.test",
                "phone": "01 99 00 12 34",
            }
        ],
    )
    return actor


@pytest.fixture
def member(actor):
    user = UserFactory(email="membre@example.test")
    Membership.objects.create(actor=actor, user=user, role=MembershipRole.ADMIN)
    return user


def detail(actor):
    return reverse("partners:actor_detail", args=[actor.slug])


def png_bytes(size=(20, 20), fmt="PNG") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, "blue").save(buffer, fmt)
    return buffer.getvalue()


# -- directory ---------------------------------------------------------------------


def test_directory_is_public_and_counts_actors(client, make_actor):
    make_actor("Premier")
    make_actor("Second")
    make_actor("Proposé", status=ActorStatus.PENDING)

    response = client.get(reverse("partners:directory"))

    assert response.status_code == 200
    assert "2 acteurs" in response.content.decode()
    assert [a.name for a in response.context["page"]] == ["Premier", "Second"]
    assert "Proposé" not in response.content.decode()


def test_directory_query_parameters_are_shareable(client, make_actor):
    make_actor(
        "Jeunes du Biollay", territories=["biollay-bellevue"], competences=["accueil-jeunes"]
    )
    make_actor("Jeunes des Hauts", territories=["hauts-de-chambery"])

    response = client.get(
        reverse("partners:directory"),
        {"q": "jeunes", "territoire": "biollay-bellevue", "competence": "accueil-jeunes"},
    )

    assert [a.name for a in response.context["page"]] == ["Jeunes du Biollay"]
    assert "1 acteur" in response.content.decode()
    assert 'value="biollay-bellevue" id="f-territoire-biollay-bellevue" checked' in (
        response.content.decode()
    )


def test_directory_ignores_unknown_filter_values(client, make_actor):
    make_actor("Seul")

    response = client.get(reverse("partners:directory"), {"territoire": "disparu", "tri": "x"})

    assert response.status_code == 200
    assert [a.name for a in response.context["page"]] == ["Seul"]


def test_directory_sorts_by_last_update(client, make_actor):
    old = make_actor("Ancien")
    make_actor("Récent")
    Actor.objects.filter(pk=old.pk).update(
        updated_at=datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC)
    )

    response = client.get(reverse("partners:directory"), {"tri": "maj"})

    assert [a.name for a in response.context["page"]] == ["Récent", "Ancien"]


def test_directory_htmx_request_gets_the_results_region_only(client, make_actor):
    make_actor("Seul")

    response = client.get(reverse("partners:directory"), headers={"HX-Request": "true"})

    body = response.content.decode()
    assert body.lstrip().startswith('<div id="directory-live"')
    assert "<html" not in body


def test_directory_loads_htmx_from_this_site(client, db):
    body = client.get(reverse("partners:directory")).content.decode()

    assert '<script src="/static/django_htmx/htmx-2.min.js" defer></script>' in body


def test_directory_remove_filter_links(client, make_actor):
    make_actor("Seul", territories=["chambery"])

    response = client.get(reverse("partners:directory"), {"q": "seul", "territoire": "chambery"})

    assert response.context["active_filters"] == [
        ("« seul »", "/annuaire/?territoire=chambery"),
        ("Chambéry", "/annuaire/?q=seul"),
    ]


def test_directory_query_counts_are_equal_for_one_and_many(client, make_actor):
    def count(rows_wanted):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("partners:directory"), {"q": "acteur", "tri": "nom"})
        assert len(response.context["page"]) == rows_wanted
        return len(queries)

    make_actor("Acteur 0", territories=["chambery"], competences=["accueil-jeunes"])
    with_one = count(1)
    for index in range(1, 7):
        make_actor(
            f"Acteur {index}",
            territories=["chambery", "biollay-bellevue"],
            competences=["accueil-jeunes", "parentalite"],
            publics=["jeunes"],
        )
    with_several = count(7)

    assert with_several == with_one


def test_directory_htmx_region_brings_the_filters_out_of_band(client, make_actor):
    make_actor("Seul", territories=["chambery"])

    body = client.get(
        reverse("partners:directory"), {"territoire": "chambery"}, headers={"HX-Request": "true"}
    ).content.decode()

    # The <details> around the filters stays in the page (open or closed as the person
    # left it): only its count and its content are replaced.
    assert "<details" not in body
    assert '<span id="directory-filter-count" hx-swap-oob="true">Filtrer (1)</span>' in body
    assert '<div id="directory-facets" class="directory-facets disclosure__body stack" ' in body
    assert 'id="f-territoire-chambery" checked' in body


def test_directory_page_folds_the_filters_and_counts_them(client, make_actor):
    make_actor("Seul", territories=["chambery"], competences=["accueil-jeunes"])
    url = reverse("partners:directory")

    plain = client.get(url).content.decode()
    filtered = client.get(
        url, {"q": "seul", "territoire": "chambery", "competence": "accueil-jeunes"}
    ).content.decode()

    assert '<details class="disclosure directory-filters" id="directory-filters">' in plain
    assert '<span id="directory-filter-count">Filtrer</span>' in plain
    assert "hx-swap-oob" not in plain
    # The words searched are a chip, not a filter of the disclosure.
    assert '<span id="directory-filter-count">Filtrer (2)</span>' in filtered
    assert filtered.index('href="#result-count">Aller aux résultats</a>') < filtered.index(
        'id="id_q"'
    )


def test_directory_cached_region_shows_nothing_of_the_visitor_who_primed_it(
    organiser_client, make_actor
):
    make_actor("Publié")
    make_actor("Proposé", status=ActorStatus.PENDING)
    url = reverse("partners:directory")
    organiser_client.get(url)
    organiser_client.get(url, headers={"HX-Request": "true"})

    anonymous = Client()
    page = anonymous.get(url).content.decode()
    region = anonymous.get(url, headers={"HX-Request": "true"}).content.decode()

    for body in (page, region):
        assert "Publié" in body
        assert "Proposé" not in body
        assert "Proposer une structure" not in body
        assert "Mes structures" not in body


def test_directory_htmx_history_restore_gets_the_whole_page(client, make_actor):
    make_actor("Seul")

    response = client.get(
        reverse("partners:directory"),
        headers={"HX-Request": "true", "HX-History-Restore-Request": "true"},
    )

    assert "<html" in response.content.decode()
    assert "hx-swap-oob" not in response.content.decode()


def test_directory_region_and_page_vary_on_htmx(client, make_actor):
    make_actor("Seul")
    url = reverse("partners:directory")

    # The same address answers both: Back must never show the region alone.
    assert "HX-Request" in client.get(url)["Vary"]
    assert "HX-Request" in client.get(url, headers={"HX-Request": "true"})["Vary"]


def test_directory_htmx_query_counts_are_equal_for_one_and_many(client, make_actor):
    def count(rows_wanted):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(
                reverse("partners:directory"),
                {"q": "acteur", "territoire": "chambery"},
                headers={"HX-Request": "true"},
            )
        assert response.content.decode().count('class="actor-card card"') == rows_wanted
        return len(queries)

    make_actor("Acteur 0", territories=["chambery"], competences=["accueil-jeunes"])
    with_one = count(1)
    for index in range(1, 7):
        make_actor(
            f"Acteur {index}",
            territories=["chambery", "biollay-bellevue"],
            competences=["accueil-jeunes", "parentalite"],
            publics=["jeunes"],
        )
    with_several = count(7)

    assert with_several == with_one


# -- profile -----------------------------------------------------------------------


def test_profile_is_public_without_contact_persons(client, actor):
    response = client.get(detail(actor))

    body = response.content.decode()
    assert response.status_code == 200
    assert "Maison des jeunes du Biollay" in body
    assert "Biollay - Bellevue" in body
    assert "Vérifié le" in body
    assert "Karim Exemple" not in body
    assert "karim@exemple.test" not in body


def test_profile_hides_contacts_from_accounts_without_a_role(client, actor, no_role_user):
    client.force_login(no_role_user)

    body = client.get(detail(actor)).content.decode()

    assert "Karim Exemple" not in body


@pytest.mark.parametrize("role", [Role.COTECH, Role.PORTEUR_PROJET, Role.CONSEIL_CITOYEN])
def test_profile_shows_contacts_to_partners(client, actor, role):
    client.force_login(UserFactory(roles=[role]))

    body = client.get(detail(actor)).content.decode()

    assert "Karim Exemple" in body
    assert "karim@exemple.test" in body


def test_profile_shows_contacts_to_the_actors_members(client, actor, member):
    client.force_login(member)

    assert "Karim Exemple" in client.get(detail(actor)).content.decode()


@pytest.mark.parametrize("status", [ActorStatus.PENDING, ActorStatus.ARCHIVED])
def test_unpublished_profile_is_hidden_from_public_and_partners(
    client, make_actor, partner, status
):
    hidden = make_actor("Cachée", status=status)

    assert client.get(detail(hidden)).status_code == 404
    client.force_login(partner)
    assert client.get(detail(hidden)).status_code == 404


def test_unpublished_profile_is_visible_to_its_members_and_organisers(organiser_client, make_actor):
    client = Client()
    hidden = make_actor("Cachée", status=ActorStatus.PENDING)
    user = UserFactory()
    Membership.objects.create(actor=hidden, user=user)
    client.force_login(user)

    assert client.get(detail(hidden)).status_code == 200
    assert organiser_client.get(detail(hidden)).status_code == 200


def test_profile_unknown_slug_is_404(client, db):
    assert client.get("/annuaire/inconnu/").status_code == 404


def test_profile_warns_when_stale(client, actor):
    Actor.objects.filter(pk=actor.pk).update(
        last_verified_on=datetime.date(2023, 1, 1), review_due_on=datetime.date(2024, 1, 1)
    )

    body = client.get(detail(actor)).content.decode()

    assert "Vérifié le 1 janvier 2023" in body
    assert "ces informations sont peut-être anciennes" in body


# -- editing -----------------------------------------------------------------------


def edit_payload(**overrides):
    payload = {
        "name": "Maison des jeunes du Biollay",
        "kind": "association",
        "summary": "Accueil des 11-17 ans, le soir et pendant les vacances.",
        "description": "",
        "territories": [],
        "competences": [],
        "publics": [],
        "bodies": [],
        "address": "",
        "postcode": "73000",
        "town": "Chambéry",
        "insee_code": "73065",
        "phone": "",
        "email": "",
        "website": "",
        "opening_hours": "",
        "accessibility": "",
        "siret": "",
        "rna": "",
        "update_frequency": "12",
    }
    payload.update(overrides)
    return payload


def test_edit_requires_login(client, actor):
    response = client.get(reverse("partners:actor_edit", args=[actor.slug]))

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_member_edits_own_actor(client, actor, member):
    client.force_login(member)
    territory = actor.territories.get()

    response = client.post(
        reverse("partners:actor_edit", args=[actor.slug]),
        edit_payload(territories=[territory.pk], bodies=["cotech"], siret="73282932000074"),
    )

    assert response.status_code == 302
    actor.refresh_from_db()
    assert actor.summary == "Accueil des 11-17 ans, le soir et pendant les vacances."
    assert actor.siret == "73282932000074"
    assert list(actor.bodies.values_list("body", flat=True)) == ["cotech"]
    assert "11 17 ans" in actor.search_text
    entry = AuditLogEntry.objects.filter(action="actor.updated").get()
    assert (entry.actor, entry.target_id) == (member, str(actor.pk))
    assert entry.data == {"fields": ["insee_code", "postcode", "siret", "summary", "town"]}


def test_member_of_one_actor_cannot_edit_another(client, actor, member, make_actor):
    other = make_actor("Autre structure")
    client.force_login(member)

    for name in ("actor_edit", "actor_contacts"):
        assert client.get(reverse(f"partners:{name}", args=[other.slug])).status_code == 404
    response = client.post(
        reverse("partners:actor_edit", args=[other.slug]), edit_payload(name="Piratée")
    )
    assert response.status_code == 404
    assert client.post(reverse("partners:actor_verify", args=[other.slug])).status_code == 404
    other.refresh_from_db()
    assert other.name == "Autre structure"


def test_partner_without_membership_cannot_edit(client, actor, partner):
    client.force_login(partner)

    assert client.get(reverse("partners:actor_edit", args=[actor.slug])).status_code == 404


def test_organiser_edits_any_actor(organiser_client, actor):
    response = organiser_client.post(
        reverse("partners:actor_edit", args=[actor.slug]), edit_payload(name="Nouveau nom")
    )

    assert response.status_code == 302
    actor.refresh_from_db()
    assert actor.name == "Nouveau nom"
    assert actor.slug == "maison-des-jeunes-du-biollay"  # shared links keep working


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("siret", "73282932000075", "clé de contrôle invalide"),
        ("siret", "1234", "14 chiffres"),
        ("rna", "X123", "W suivi de 9 caractères"),
        ("postcode", "7300", "5 chiffres"),
        ("name", "", "Ce champ est obligatoire"),
        ("email", "pas-une-adresse", "adresse de courriel valide"),
    ],
)
def test_edit_bad_input_is_shown_next_to_the_field(client, actor, member, field, value, message):
    client.force_login(member)

    response = client.post(
        reverse("partners:actor_edit", args=[actor.slug]),
        edit_payload(summary="Texte tapé", **{field: value}),
    )

    assert response.status_code == 200
    assert message in str(response.context["form"].errors[field])
    body = response.content.decode()
    assert f'id="id_{field}_error"' in body
    assert "Texte tapé" in body  # nothing typed is lost
    actor.refresh_from_db()
    assert actor.summary == "Accueil et activités pour les jeunes du quartier."


def test_edit_duplicate_siret_is_a_field_error(client, actor, member, make_actor):
    make_actor("Déjà là", siret="73282932000074")
    client.force_login(member)

    response = client.post(
        reverse("partners:actor_edit", args=[actor.slug]), edit_payload(siret="73282932000074")
    )

    assert response.status_code == 200
    assert "siret" in response.context["form"].errors


def test_edit_accepts_a_png_logo_and_serves_it(client, actor, member, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(member)

    response = client.post(
        reverse("partners:actor_edit", args=[actor.slug]),
        edit_payload(logo=SimpleUploadedFile("logo.png", png_bytes(), "image/png")),
    )

    assert response.status_code == 302
    client.logout()
    logo = client.get(reverse("partners:actor_logo", args=[actor.slug]))
    assert logo.status_code == 200
    assert logo["Content-Type"] == "image/png"
    assert b"".join(logo.streaming_content) == png_bytes()


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("logo.png", b"<svg onload=alert(1)>", "image/png"), "image"),
        (SimpleUploadedFile("logo.gif", png_bytes(fmt="GIF"), "image/gif"), "PNG, JPEG ou WebP"),
        (SimpleUploadedFile("logo.png", png_bytes(size=(4100, 10)), "image/png"), "4 000 pixels"),
    ],
    ids=["not-an-image", "gif", "too-wide"],
)
def test_edit_refuses_bad_logos(client, actor, member, settings, tmp_path, upload, message):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(member)

    response = client.post(
        reverse("partners:actor_edit", args=[actor.slug]), edit_payload(logo=upload)
    )

    assert response.status_code == 200
    assert message in str(response.context["form"].errors["logo"])
    actor.refresh_from_db()
    assert not actor.logo


@pytest.mark.parametrize(
    ("fmt", "sent_name", "sent_type", "extension", "content_type"),
    [
        ("PNG", "logo.pdf", "application/pdf", ".png", "image/png"),
        ("JPEG", "logo.gif", "image/gif", ".jpg", "image/jpeg"),
        ("WEBP", "logo.png", "image/png", ".webp", "image/webp"),
    ],
    ids=["png-as-pdf", "jpeg-as-gif", "webp-as-png"],
)
def test_edit_stores_a_logo_under_the_type_of_its_content(
    client, actor, member, settings, tmp_path, fmt, sent_name, sent_type, extension, content_type
):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(member)
    content = png_bytes(fmt=fmt)

    response = client.post(
        reverse("partners:actor_edit", args=[actor.slug]),
        edit_payload(logo=SimpleUploadedFile(sent_name, content, sent_type)),
    )

    assert response.status_code == 302
    actor.refresh_from_db()
    assert actor.logo.name.startswith(f"logos/{actor.slug}-")
    assert actor.logo.name.endswith(extension)
    client.logout()
    logo = client.get(reverse("partners:actor_logo", args=[actor.slug]))
    assert logo.status_code == 200
    assert logo["Content-Type"] == content_type
    assert logo["X-Content-Type-Options"] == "nosniff"
    assert b"".join(logo.streaming_content) == content


def store_logo(actor, name: str, content: bytes) -> None:
    """A file stored under the actor's logo as an older version of the portal could have."""
    stored = default_storage.save(name, ContentFile(content))
    Actor.objects.filter(pk=actor.pk).update(logo=stored)


def test_logo_stored_under_a_wrong_extension_is_served_by_its_content(
    client, actor, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    store_logo(actor, "logos/ancien-logo.pdf", png_bytes(fmt="JPEG"))

    logo = client.get(reverse("partners:actor_logo", args=[actor.slug]))

    assert logo.status_code == 200
    assert logo["Content-Type"] == "image/jpeg"
    assert logo["X-Content-Type-Options"] == "nosniff"
    assert "ancien-logo.jpg" in logo["Content-Disposition"]
    assert b"".join(logo.streaming_content) == png_bytes(fmt="JPEG")


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("logos/page.png", b"<html><script>alert(1)</script></html>"),
        ("logos/dessin.png", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'),
        ("logos/document.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"),
        ("logos/anime.gif", png_bytes(fmt="GIF")),
    ],
    ids=["html", "svg", "pdf", "gif"],
)
def test_logo_file_that_is_not_an_accepted_image_is_not_served(
    client, actor, settings, tmp_path, name, content
):
    settings.MEDIA_ROOT = tmp_path
    store_logo(actor, name, content)

    assert client.get(reverse("partners:actor_logo", args=[actor.slug])).status_code == 404


def test_logo_of_hidden_actor_is_404(client, make_actor):
    hidden = make_actor("Cachée", status=ActorStatus.PENDING)

    assert client.get(reverse("partners:actor_logo", args=[hidden.slug])).status_code == 404


def test_verify_marks_the_profile_up_to_date(client, actor, member):
    Actor.objects.filter(pk=actor.pk).update(
        last_verified_on=datetime.date(2024, 1, 1), review_due_on=datetime.date(2025, 1, 1)
    )
    client.force_login(member)

    response = client.post(reverse("partners:actor_verify", args=[actor.slug]))

    assert response.status_code == 302
    actor.refresh_from_db()
    assert actor.is_stale is False
    assert actor.review_due_on.year == actor.last_verified_on.year + 1


def test_verify_refuses_get(client, actor, member):
    client.force_login(member)

    assert client.get(reverse("partners:actor_verify", args=[actor.slug])).status_code == 405


# -- contacts ----------------------------------------------------------------------


def post_contacts(client, actor, rows: list[dict], *, initial: int = 0):
    """Post the contacts formset: one form per row, its fields named as the page names them."""
    data = {
        "contacts-TOTAL_FORMS": str(len(rows)),
        "contacts-INITIAL_FORMS": str(initial),
        "contacts-MIN_NUM_FORMS": "0",
        "contacts-MAX_NUM_FORMS": "20",
    }
    for index, row in enumerate(rows):
        data.update({f"contacts-{index}-{name}": value for name, value in row.items()})
    return client.post(reverse("partners:actor_contacts", args=[actor.slug]), data)


def test_member_replaces_contact_persons(client, actor, member):
    client.force_login(member)

    response = post_contacts(
        client,
        actor,
        [
            {
                "name": "Karim Exemple",
                "function": "Directeur",
                "email": "karim@exemple.test",
                "phone": "",
                "DELETE": "on",
            },
            {
                "name": "Lina Exemple",
                "function": "Animatrice",
                "email": "lina@exemple.test",
                "phone": "01 99 00 00 01",
            },
        ],
        initial=1,
    )

    assert response.status_code == 302
    assert list(ContactPerson.objects.values_list("name", "email")) == [
        ("Lina Exemple", "lina@exemple.test")
    ]
    assert "lina@exemple.test" not in str(AuditLogEntry.objects.values_list("data", flat=True))


def test_contacts_bad_email_keeps_what_was_typed(client, actor, member):
    client.force_login(member)

    response = post_contacts(
        client, actor, [{"name": "Lina Exemple", "email": "lina-sans-arobase"}]
    )

    assert response.status_code == 200
    assert "Lina Exemple" in response.content.decode()
    assert list(ContactPerson.objects.values_list("name", flat=True)) == ["Karim Exemple"]


def test_contacts_email_longer_than_the_column_is_a_field_error(client, actor, member):
    # A valid address of 300 characters: the column holds 254.
    email = "lina." + "x" * 66 + "@" + ".".join(["exemple"] * 28) + ".test"
    assert len(email) == 300
    client.force_login(member)

    response = post_contacts(client, actor, [{"name": "Lina Exemple", "email": email}])

    assert response.status_code == 200
    errors = response.context["formset"].forms[0].errors
    assert list(errors) == ["email"]
    assert "254 caractères" in str(errors["email"])
    body = response.content.decode()
    assert 'id="id_contacts-0-email_error"' in body
    assert 'maxlength="254"' in body
    assert list(ContactPerson.objects.values_list("name", "email")) == [
        ("Karim Exemple", "karim@exemple.test")
    ]


# -- proposing and joining -----------------------------------------------------------


def test_proposal_by_a_user_waits_for_moderation(client, no_role_user):
    client.force_login(no_role_user)

    response = client.post(
        reverse("partners:actor_create"),
        edit_payload(name="Collectif Nouveau", summary="Un collectif d'habitants."),
    )

    actor = Actor.objects.get(name="Collectif Nouveau")
    assert response.status_code == 302
    assert actor.status == ActorStatus.PENDING
    assert list(actor.memberships.values_list("user", "role")) == [
        (no_role_user.pk, MembershipRole.ADMIN)
    ]
    assert client.get(reverse("partners:directory")).context["page"].paginator.count == 0
    client.logout()
    assert client.get(detail(actor)).status_code == 404


def test_proposal_by_an_organiser_is_published(organiser_client):
    organiser_client.post(reverse("partners:actor_create"), edit_payload(name="Service jeunesse"))

    assert Actor.objects.get(name="Service jeunesse").status == ActorStatus.PUBLISHED


def test_proposal_cannot_take_a_reserved_address(organiser_client):
    organiser_client.post(reverse("partners:actor_create"), edit_payload(name="Modération"))

    assert Actor.objects.get(name="Modération").slug == "moderation-acteur"


def test_join_request_then_approval(organiser_client, actor, partner):
    client = Client()
    client.force_login(partner)

    client.post(
        reverse("partners:actor_join", args=[actor.slug]), {"kind": "claim", "message": "Je dirige"}
    )
    again = client.post(reverse("partners:actor_join", args=[actor.slug]), {"kind": "join"})

    assert "déjà une demande en attente" in again.content.decode()
    join_request = JoinRequest.objects.get()
    response = organiser_client.post(
        reverse("partners:join_request_decide", args=[join_request.pk]), {"decision": "approve"}
    )
    assert response.status_code == 302
    join_request.refresh_from_db()
    assert join_request.status == JoinRequestStatus.APPROVED
    assert Membership.objects.get(user=partner).role == MembershipRole.ADMIN
    assert client.get(reverse("partners:actor_edit", args=[actor.slug])).status_code == 200


def test_join_request_rejected(organiser_client, actor, partner):
    join_request = JoinRequest.objects.create(actor=actor, user=partner, kind="join")

    organiser_client.post(
        reverse("partners:join_request_decide", args=[join_request.pk]), {"decision": "reject"}
    )

    join_request.refresh_from_db()
    assert join_request.status == JoinRequestStatus.REJECTED
    assert not Membership.objects.filter(user=partner).exists()


def test_member_cannot_ask_to_join_again(client, actor, member):
    client.force_login(member)

    assert client.get(reverse("partners:actor_join", args=[actor.slug])).status_code == 403


def test_partner_cannot_decide_requests(client, actor, partner):
    join_request = JoinRequest.objects.create(actor=actor, user=partner, kind="join")
    client.force_login(partner)

    response = client.post(
        reverse("partners:join_request_decide", args=[join_request.pk]), {"decision": "approve"}
    )

    assert response.status_code == 403
    assert not Membership.objects.filter(user=partner).exists()


def test_member_may_leave_but_not_remove_others(client, actor, member):
    other = UserFactory()
    other_membership = Membership.objects.create(actor=actor, user=other)
    client.force_login(member)

    refused = client.post(reverse("partners:member_remove", args=[actor.slug, other_membership.pk]))
    own = Membership.objects.get(user=member)
    left = client.post(reverse("partners:member_remove", args=[actor.slug, own.pk]))

    assert refused.status_code == 403
    assert left.status_code == 302
    assert list(actor.memberships.values_list("user", flat=True)) == [other.pk]


def test_my_actors_lists_memberships_and_requests(client, actor, member, make_actor):
    other = make_actor("Autre structure")
    JoinRequest.objects.create(actor=other, user=member, kind="join")
    client.force_login(member)

    response = client.get(reverse("partners:my_actors"))

    assert [m.actor.name for m in response.context["memberships"]] == [actor.name]
    assert [r.actor.name for r in response.context["requests"]] == ["Autre structure"]


# -- moderation --------------------------------------------------------------------


@pytest.mark.parametrize("name", ["moderation", "stale"])
def test_moderation_pages_are_for_organisers(partner, organiser_client, name):
    client = Client()
    client.force_login(partner)

    assert client.get(reverse(f"partners:{name}")).status_code == 403
    assert organiser_client.get(reverse(f"partners:{name}")).status_code == 200


def test_moderation_lists_pending_actors_and_requests(organiser_client, make_actor, partner):
    pending = make_actor("Proposée", status=ActorStatus.PENDING)
    JoinRequest.objects.create(actor=pending, user=partner, kind="join")

    response = organiser_client.get(reverse("partners:moderation"))

    assert [a.name for a in response.context["pending_actors"]] == ["Proposée"]
    assert [r.user for r in response.context["join_requests"]] == [partner]


def test_organiser_publishes_a_pending_actor(organiser_client, make_actor):
    client = Client()
    pending = make_actor("Proposée", status=ActorStatus.PENDING)

    response = organiser_client.post(
        reverse("partners:actor_status", args=[pending.slug]),
        {"status": "published", "next": "moderation"},
    )

    assert response["Location"] == reverse("partners:moderation")
    assert client.get(detail(pending)).status_code == 200
    assert AuditLogEntry.objects.filter(action="actor.status").get().data == {
        "from": "pending",
        "to": "published",
    }


def test_status_change_is_forbidden_to_members(client, actor, member):
    client.force_login(member)

    response = client.post(
        reverse("partners:actor_status", args=[actor.slug]), {"status": "archived"}
    )

    assert response.status_code == 403
    actor.refresh_from_db()
    assert actor.status == ActorStatus.PUBLISHED


def test_status_change_with_unknown_status_changes_nothing(organiser_client, actor):
    organiser_client.post(reverse("partners:actor_status", args=[actor.slug]), {"status": "x"})

    actor.refresh_from_db()
    assert actor.status == ActorStatus.PUBLISHED


def test_stale_list_shows_profiles_past_their_date(organiser_client, make_actor):
    fresh = make_actor("Fraîche")
    old = make_actor("Ancienne")
    Actor.objects.filter(pk=old.pk).update(
        last_verified_on=datetime.date(2023, 1, 1), review_due_on=datetime.date(2024, 1, 1)
    )

    response = organiser_client.get(reverse("partners:stale"))

    assert [a.name for a in response.context["page"]] == ["Ancienne"]
    assert fresh.is_stale is False


@pytest.mark.parametrize("name", ["moderation", "stale", "my_actors"])
def test_list_pages_query_count_does_not_grow(
    organiser_client, organiser, make_actor, partner, name
):
    def count():
        with CaptureQueriesContext(connection) as queries:
            assert organiser_client.get(reverse(f"partners:{name}")).status_code == 200
        return len(queries)

    def add(index):
        actor = make_actor(f"Proposée {index}", status=ActorStatus.PENDING)
        Actor.objects.filter(pk=actor.pk).update(
            status=ActorStatus.PUBLISHED,
            last_verified_on=datetime.date(2023, 1, 1),
            review_due_on=datetime.date(2024, 1, 1),
        )
        pending = make_actor(f"En attente {index}", status=ActorStatus.PENDING)
        JoinRequest.objects.create(actor=pending, user=UserFactory(), kind="join")
        Membership.objects.create(actor=actor, user=organiser)
        JoinRequest.objects.create(actor=actor, user=organiser, kind="join")

    add(0)
    with_one = count()
    for index in range(1, 6):
        add(index)
    assert count() == with_one


# -- cache -----------------------------------------------------------------------------


def test_directory_cache_never_serves_stale_results(client, organiser, make_actor):
    first = make_actor("Premier", territories=["chambery"])
    url = reverse("partners:directory")

    assert client.get(url).context["page"].paginator.count == 1
    second = make_actor("Second", territories=["chambery"])
    assert [a.name for a in client.get(url).context["page"]] == ["Premier", "Second"]
    actor_status_set(by=organiser, actor=second, status=ActorStatus.ARCHIVED)
    assert [a.name for a in client.get(url).context["page"]] == ["Premier"]
    first.delete()
    response = client.get(url)
    assert response.context["page"].paginator.count == 0
    assert "Aucun acteur" in response.content.decode()


def test_directory_repeated_search_reads_the_cache(client, make_actor):
    make_actor("Jeunes du Biollay", territories=["biollay-bellevue"])
    url = reverse("partners:directory") + "?q=jeunes&territoire=biollay-bellevue"

    with CaptureQueriesContext(connection) as cold:
        first = client.get(url)
    with CaptureQueriesContext(connection) as warm:
        second = client.get(url)

    def region(response):  # the page around it carries a fresh CSRF token each time
        return response.content.decode().split('id="directory-live"')[1].split("</form>")[0]

    assert region(second) == region(first)
    assert "Jeunes du Biollay" in second.content.decode()
    assert any("COUNT(" in q["sql"] for q in cold.captured_queries)
    # Only the version and the facet values are read again: no actor at all.
    assert not any('FROM "partners_actor"' in q["sql"] for q in warm.captured_queries)


def test_directory_cached_html_depends_on_language_and_htmx(client, make_actor):
    make_actor("Seul")
    url = reverse("partners:directory")

    french = client.get(url).content.decode()
    partial = client.get(url, headers={"HX-Request": "true"}).content.decode()
    client.cookies["django_language"] = "en"
    english = client.get(url).content.decode()

    assert "1 acteur" in french
    assert "<html" not in partial
    assert 'hx-swap-oob="innerHTML"' in partial
    assert "1 organisation" in english


def test_directory_paginates_twenty_at_a_time(client, make_actor):
    for index in range(23):
        make_actor(f"Acteur {index:02d}", territories=["chambery"])
    url = reverse("partners:directory")

    first = client.get(url, {"territoire": "chambery"})
    second = client.get(url, {"territoire": "chambery", "page": "2"})
    beyond = client.get(url, {"territoire": "chambery", "page": "99"})

    assert "23 acteurs" in first.content.decode()
    assert len(first.context["page"]) == 20
    assert [a.name for a in second.context["page"]] == ["Acteur 20", "Acteur 21", "Acteur 22"]
    assert "?territoire=chambery&amp;page=2" in first.content.decode()
    assert [a.name for a in beyond.context["page"]] == ["Acteur 20", "Acteur 21", "Acteur 22"]


def test_profile_reads_a_members_membership_once(client, actor, member):
    client.force_login(member)

    with CaptureQueriesContext(connection) as queries:
        response = client.get(detail(actor))

    assert response.status_code == 200
    lookups = [
        q["sql"]
        for q in queries.captured_queries
        if 'FROM "partners_membership"' in q["sql"] and "LIMIT 1" in q["sql"]
    ]
    assert len(lookups) == 1
