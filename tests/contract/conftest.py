import datetime
import itertools

import pytest
from django.utils import timezone

from contract.models import Body, Objective, Priority
from events.enums import EditionStatus, EventKind
from events.models import Edition
from tests.events.conftest import make_edition  # noqa: F401  (fixture)
from tests.partners.conftest import make_actor  # noqa: F401  (fixture)


@pytest.fixture
def make_priority(db):
    numbers = itertools.count(1)

    def make(*, objectives=("Un objectif",), **fields) -> Priority:
        number = next(numbers)
        defaults = {
            "title": f"Priorité {number}",
            "slug": f"priorite-{number}",
            "summary": "Ce que la priorité veut changer.",
            "position": number * 10,
        }
        defaults.update(fields)
        priority = Priority.objects.create(**defaults)
        for rank, title in enumerate(objectives, start=1):
            Objective.objects.create(priority=priority, title=title, position=rank * 10)
        return priority

    return make


@pytest.fixture
def make_body(db):
    numbers = itertools.count(1)

    def make(**fields) -> Body:
        number = next(numbers)
        defaults = {
            "kind": "commission",
            "name": f"Commission {number}",
            "slug": f"commission-{number}",
            "role": "Elle suit le contrat.",
            "position": number * 10,
        }
        defaults.update(fields)
        return Body.objects.create(**defaults)

    return make


@pytest.fixture
def make_meeting(db):
    def make(body: Body, *, days: int = 30, status=EditionStatus.OPEN, **fields) -> Edition:
        date = timezone.localdate() + datetime.timedelta(days=days)
        defaults = {
            "kind": EventKind.MEETING,
            "body": body,
            "year": date.year,
            "title": f"Réunion {body.name} {days}",
            "date": date,
            "starts_at": datetime.time(14, 0),
            "ends_at": datetime.time(16, 0),
            "venue_name": "Hôtel de ville",
            "capacity": 30,
            "status": status,
        }
        defaults.update(fields)
        return Edition.objects.create(**defaults)

    return make
