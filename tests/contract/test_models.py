"""The contract's constraints hold in the database."""

import pytest
from django.db import IntegrityError, transaction

from contract.models import Body, Objective, Priority


@pytest.mark.django_db
def test_priority_slug_is_unique(make_priority):
    make_priority(slug="jeunesse")
    with pytest.raises(IntegrityError), transaction.atomic():
        Priority.objects.create(title="Autre", slug="jeunesse", summary="…")


@pytest.mark.django_db
@pytest.mark.parametrize("field", ["slug", "title"])
def test_priority_refuses_an_empty_slug_or_title(field):
    values = {"title": "Jeunesse", "slug": "jeunesse", "summary": "…", field: ""}
    with pytest.raises(IntegrityError), transaction.atomic():
        Priority.objects.create(**values)


@pytest.mark.django_db
def test_objective_refuses_an_empty_title(make_priority):
    priority = make_priority(objectives=())
    with pytest.raises(IntegrityError), transaction.atomic():
        Objective.objects.create(priority=priority, title="")


@pytest.mark.django_db
def test_body_slug_and_directory_code_are_unique(make_body):
    make_body(slug="copil", directory_code="copil")
    with pytest.raises(IntegrityError), transaction.atomic():
        make_body(slug="copil")
    with pytest.raises(IntegrityError), transaction.atomic():
        make_body(directory_code="copil")
    # Bodies the directory does not know may be many.
    make_body(directory_code=None)
    make_body(directory_code=None)


@pytest.mark.django_db
def test_body_refuses_an_unknown_kind_and_an_empty_code(make_body):
    with pytest.raises(IntegrityError), transaction.atomic():
        make_body(kind="tribunal")
    with pytest.raises(IntegrityError), transaction.atomic():
        make_body(directory_code="")


@pytest.mark.django_db
def test_deleting_a_priority_removes_its_objectives_and_tags(make_priority, make_actor):
    priority = make_priority(objectives=("Un", "Deux"))
    actor = make_actor()
    actor.priorities.add(priority)
    priority.delete()
    assert Objective.objects.count() == 0
    assert list(actor.priorities.all()) == []


@pytest.mark.django_db
def test_body_members_are_the_directorys_seats(make_body, make_actor):
    body = make_body(directory_code="copil")
    seated = make_actor("Service politique de la ville", bodies=["copil"])
    make_actor("Centre social", bodies=["cotech"])
    assert [seat.actor for seat in body.seats.all()] == [seated]
    assert Body.objects.get(seats__actor=seated) == body
