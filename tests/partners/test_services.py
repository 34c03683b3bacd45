import datetime

import pytest
from django.db import connection

from contrat_ville.models import AuditLogEntry
from contrat_ville.services import ServiceError
from partners import search
from partners.enums import ActorStatus, JoinRequestStatus, MembershipRole
from partners.models import Actor, JoinRequest, Membership, SearchTerm
from partners.services import (
    actor_search_index,
    actor_verify,
    add_months,
    join_request_create,
    join_request_decide,
    unique_slug,
)
from tests.factories import UserFactory


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (datetime.date(2026, 1, 31), 1, datetime.date(2026, 2, 28)),
        (datetime.date(2024, 1, 31), 1, datetime.date(2024, 2, 29)),
        (datetime.date(2026, 11, 15), 3, datetime.date(2027, 2, 15)),
        (datetime.date(2026, 6, 30), 24, datetime.date(2028, 6, 30)),
    ],
)
def test_add_months_keeps_the_day_or_the_month_end(day, months, expected):
    assert add_months(day, months) == expected


def test_create_gives_unique_slugs_and_review_date(make_actor):
    first = make_actor("Maison des jeunes", update_frequency=6)
    second = make_actor("Maison des Jeunes !")

    assert (first.slug, second.slug) == ("maison-des-jeunes", "maison-des-jeunes-2")
    assert first.review_due_on == add_months(first.last_verified_on, 6)
    assert AuditLogEntry.objects.filter(action="actor.created").count() == 2


def test_unique_slug_avoids_the_directory_addresses(db):
    assert unique_slug("Export") == "export-acteur"


def test_index_fills_the_search_fields(make_actor):
    actor = make_actor(
        "Égalité Femmes",
        territories=["biollay-bellevue"],
        competences=["parentalite"],
        publics=["femmes"],
        description="Permanences juridiques.",
    )
    actor.refresh_from_db()

    assert actor.search_name == "egalite femmes"
    assert (
        actor.search_keywords
        == "Soutien à la parentalité ; Éducation ; Femmes ; Biollay - Bellevue"
    )
    assert "permanences juridiques" in actor.search_text
    assert {"egalite", "parentalite", "permanences"} <= set(
        SearchTerm.objects.values_list("word", flat=True)
    )


def test_index_follows_relation_changes(make_actor):
    actor = make_actor("Sans compétence")
    actor.competences.set([])
    from partners.models import Competence

    actor.competences.add(Competence.objects.get(slug="mediation-numerique"))
    actor_search_index([actor.pk])

    actor.refresh_from_db()
    assert "mediation numerique" in actor.search_text


@pytest.mark.postgresql
def test_index_writes_the_weighted_vector_on_postgresql(make_actor):
    actor = make_actor("Maison Jeunesse", competences=["parentalite"], description="Théâtre.")

    with connection.cursor() as cursor:
        cursor.execute("SELECT search_vector::text FROM partners_actor WHERE id = %s", [actor.pk])
        vector = cursor.fetchone()[0]
    assert "'jeuness':2A" in vector
    assert "'parentalit':6B" in vector
    assert "'theatr':" in vector  # accents removed before stemming


@pytest.mark.postgresql
def test_postgresql_has_the_search_indexes(db):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE indexname IN "
            "('actor_search_vector_gin', 'searchterm_word_trgm') ORDER BY indexname"
        )
        assert [row[0] for row in cursor.fetchall()] == [
            "actor_search_vector_gin",
            "searchterm_word_trgm",
        ]


def test_fallback_search_works_on_any_database(make_actor):
    # The portable path is what SQLite uses; it must give sensible answers anywhere.
    make_actor("Santé Commune", summary="Soins de proximité.")
    make_actor("Club de boxe", summary="Sport en salle.")
    published = Actor.objects.filter(status=ActorStatus.PUBLISHED)

    found = search._fallback_search(published, ["soin"])
    typo = search._fallback_search(published, ["santte"])

    assert [a.name for a in found] == ["Santé Commune"]
    assert [a.name for a in typo] == ["Santé Commune"]


def test_verify_moves_the_review_date(make_actor):
    actor = make_actor("Ancienne")
    Actor.objects.filter(pk=actor.pk).update(
        last_verified_on=datetime.date(2023, 1, 1), review_due_on=datetime.date(2024, 1, 1)
    )
    actor.refresh_from_db()

    actor_verify(by=UserFactory(), actor=actor)

    actor.refresh_from_db()
    assert actor.last_verified_on == datetime.date.today()
    assert actor.is_stale is False


def test_join_request_cannot_be_decided_twice(make_actor):
    actor = make_actor("Structure")
    user, organiser = UserFactory(), UserFactory()
    request = join_request_create(user=user, actor=actor, kind="join")

    join_request_decide(by=organiser, request=request, approve=True)
    with pytest.raises(ServiceError, match="déjà été traitée"):
        join_request_decide(by=organiser, request=request, approve=False)

    request.refresh_from_db()
    assert request.status == JoinRequestStatus.APPROVED
    assert Membership.objects.get(user=user).role == MembershipRole.MEMBER


def test_join_request_refused_for_members(make_actor):
    actor = make_actor("Structure")
    user = UserFactory()
    Membership.objects.create(actor=actor, user=user)

    with pytest.raises(ServiceError, match="déjà membre"):
        join_request_create(user=user, actor=actor, kind="claim")
    assert JoinRequest.objects.count() == 0


def test_a_new_request_is_allowed_after_a_decision(make_actor):
    actor = make_actor("Structure")
    user, organiser = UserFactory(), UserFactory()
    join_request_decide(
        by=organiser,
        request=join_request_create(user=user, actor=actor, kind="join"),
        approve=False,
    )

    join_request_create(user=user, actor=actor, kind="join")

    assert JoinRequest.objects.filter(user=user).count() == 2
