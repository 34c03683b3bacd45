"""The journal as sentences (contrat_ville.audit): every action worded, in the
reader's language, legacy data never shown as a dict, and a page whose cost does
not grow with its entries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from contrat_ville import audit
from contrat_ville.enums import AuditAction, Role
from contrat_ville.models import AuditLogEntry
from contrat_ville.services import audit_log_record
from events.enums import AuditAction as EventAction
from partners.enums import AuditAction as PartnerAction
from tests.factories import UserFactory
from workgroups.enums import AuditAction as WorkgroupAction


@pytest.fixture
def odile(db):
    return UserFactory(
        roles=[Role.ORGANISER], email="odile@example.test", first_name="Odile", last_name="Orga"
    )


@pytest.fixture
def thomas(db):
    return UserFactory(
        roles=[Role.COTECH], email="thomas@example.test", first_name="Thomas", last_name="Tech"
    )


def entry_of(action, *, data=None, target_type="", target_label="Quelque chose", actor=None):
    return AuditLogEntry(
        action=action,
        actor=actor,
        actor_label=actor.email if actor else "système",
        target_type=target_type,
        target_id="1",
        target_label=target_label,
        data=data or {},
    )


def test_every_registered_action_has_a_describer():
    codes = audit.registered_codes()

    assert len(codes) >= 30
    assert [code for code in codes if audit.describer_of(code) is None] == []


@pytest.mark.parametrize("code", audit.registered_codes())
def test_every_action_reads_as_a_sentence_even_without_its_data(code):
    sentence = audit.describe(entry_of(code, data={"inattendu": {"x": [1, 2]}}))

    assert sentence.endswith(".")
    assert "{" not in sentence
    assert "[" not in sentence
    assert code not in sentence


def test_role_given_reads_as_a_sentence(odile, thomas):
    entry = audit_log_record(
        actor=odile, action=AuditAction.ROLE_ASSIGNED, target=thomas, data={"role": "cotech"}
    )

    assert audit.describe(entry) == (
        f"Odile Orga a donné le rôle COTECH — techniciens des signataires à {thomas}."
    )


def test_author_without_account_is_the_portal():
    entry = entry_of(EventAction.REGISTRATIONS_PURGED, data={"inscriptions": 3})
    entry.target_label = "Rencontre 2025"

    assert audit.describe(entry) == (
        "Le portail a anonymisé 3 inscriptions de l'édition Rencontre 2025 "
        "(durée de conservation passée)."
    )


def test_cancellation_names_who_cancelled(odile):
    entry = entry_of(
        EventAction.REGISTRATION_CANCELLED,
        actor=odile,
        target_type="events.registration",
        target_label="Lina Martin",
    )

    assert audit.describe(entry) == "Inscription de Lina Martin annulée par Odile Orga."


def test_changes_name_the_fields_by_their_verbose_name_in_french_and_english(odile):
    entry = entry_of(
        AuditAction.TERRITORY_UPDATED,
        actor=odile,
        target_type="contrat_ville.territory",
        target_label="Biollay",
        data={"changes": {"code": ["", "QN07301M"], "order": ["100", "5"]}},
    )

    with translation.override("fr"):
        assert audit.describe(entry) == (
            "Odile Orga a modifié le territoire Biollay : code officiel et ordre d'affichage."
        )
        assert audit.details(entry)[0] == "code officiel : « — » → « QN07301M »"
    with translation.override("en"):
        sentence = audit.describe(entry)
        assert "official code" in sentence
        assert "code officiel" not in sentence


def test_values_are_formatted_for_the_reader(odile):
    entry = entry_of(
        EventAction.REGISTRATION_UPDATED,
        actor=odile,
        target_type="events.registration",
        target_label="Lina Martin",
        data={"changes": {"image_consent": ["False", "True"], "college": ["", "copil"]}},
    )
    dated = entry_of(
        EventAction.EDITION_UPDATED,
        actor=odile,
        target_type="events.edition",
        target_label="Rencontre 2025",
        data={"changes": {"date": ["2025-06-12", "2025-06-19"]}},
    )

    with translation.override("fr"):
        lines = audit.details(entry)
        assert lines[0] == "accord pour le droit à l'image : « Non » → « Oui »"
        assert lines[1] == "collège : « — » → « COPIL — élus et préfecture »"
        assert audit.details(dated) == ["date : « 12 juin 2025 » → « 19 juin 2025 »"]
    with translation.override("en"):
        assert audit.details(entry)[0].endswith("“No” → “Yes”")


def test_legacy_entry_with_unexpected_details_reads_generically(odile):
    entry = entry_of(
        "ancien.code",
        actor=odile,
        target_label="Mission locale",
        data={"changes": "pas un dict", "autre": {"a": 1}},
    )

    sentence = audit.describe(entry)

    assert sentence == "Odile Orga a fait une action qui n'est plus décrite, sur Mission locale."
    # Changes of an unexpected shape are not listed rather than shown raw.
    assert audit.details(entry) == []


def test_a_known_action_with_broken_data_falls_back_to_its_label(odile):
    entry = entry_of(PartnerAction.ACTOR_STATUS, actor=odile, target_label="Mission locale")

    assert audit.describe(entry) == (
        "Odile Orga : statut d'une fiche acteur changé (Mission locale)."
    )


def test_seat_moves_and_pins_read_differently(odile):
    moved = entry_of(
        WorkgroupAction.SEAT_MOVED,
        actor=odile,
        target_label="Lina Martin",
        data={"from": 2, "to": 5, "pinned": True},
    )
    pinned = entry_of(
        WorkgroupAction.SEAT_MOVED,
        actor=odile,
        target_label="Lina Martin",
        data={"from": 5, "to": 5, "pinned": True},
    )

    assert audit.describe(moved) == "Odile Orga a déplacé Lina Martin du groupe 2 au groupe 5."
    assert audit.describe(pinned) == "Odile Orga a épinglé Lina Martin dans le groupe 5."


# -- the page ------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.COTECH, Role.COPIL, Role.FACILITATOR, Role.JUROR])
def test_journal_is_refused_to_other_roles(client, role, odile):
    audit_log_record(
        actor=odile, action=AuditAction.ROLE_ASSIGNED, target=odile, data={"role": "organiser"}
    )
    client.force_login(UserFactory(roles=[role]))

    response = client.get(reverse("audit_log"))

    assert response.status_code == 403
    assert "a donné le rôle" not in response.content.decode()


def test_journal_sends_anonymous_visitors_to_login(client, db):
    response = client.get(reverse("audit_log"))

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_journal_shows_sentences_links_and_keeps_its_filter(organiser_client, organiser, thomas):
    audit_log_record(
        actor=organiser, action=AuditAction.ROLE_ASSIGNED, target=thomas, data={"role": "copil"}
    )
    audit_log_record(
        actor=organiser, action=AuditAction.ROLE_REMOVED, target=thomas, data={"role": "cotech"}
    )

    body = organiser_client.get(reverse("audit_log")).content.decode()
    removed = organiser_client.get(reverse("audit_log"), {"action": "role.removed"})

    assert "a donné le rôle COPIL" in body
    assert reverse("user_roles_edit", args=[thomas.pk]) in body
    assert "{&#x27;role&#x27;" not in body
    assert "role.assigned" not in body.split("<main", 1)[-1].split("</select>", 1)[-1]
    assert [entry.action for entry in removed.context["page"]] == ["role.removed"]
    assert "a retiré le rôle COTECH" in removed.content.decode()
    assert "a donné le rôle" not in removed.content.decode()


def test_journal_query_count_stays_constant(organiser_client, organiser, thomas):
    def count_queries():
        with CaptureQueriesContext(connection) as queries:
            assert organiser_client.get(reverse("audit_log")).status_code == 200
        return len(queries)

    audit_log_record(
        actor=organiser, action=AuditAction.ROLE_ASSIGNED, target=thomas, data={"role": "copil"}
    )
    with_one = count_queries()
    for n in range(8):
        author = UserFactory(first_name=f"Autrice{n}")
        audit_log_record(
            actor=author,
            action=AuditAction.TERRITORY_UPDATED,
            target_label=f"Quartier {n}",
            data={"changes": {"name": ["A", "B"]}},
        )
    with_several = count_queries()

    assert with_several == with_one
