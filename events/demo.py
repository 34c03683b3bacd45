"""Demo data of the rencontre: the 2024 edition as the article tells it, with
about 140 fictitious participants, and the next edition open for registration.

Participants are invented (names drawn from common French first and last
names, addresses on .test); the run is deterministic and idempotent: rows
are matched by e-mail and only missing ones are added, so people who
registered through the demo portal keep their registration.
"""

import datetime
import json
import random
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from contrat_ville.models import Territory, User

from .enums import (
    Audience,
    College,
    EditionStatus,
    EventKind,
    ProgrammeKind,
    RegistrationSource,
    RegistrationStatus,
    TrainingStatus,
)
from .models import (
    SURVEY_SCORES,
    Edition,
    EventDay,
    ProgrammeItem,
    Registration,
    SurveyResponse,
    Training,
)

DEMO_DOMAIN = "participants.demo.test"
FIRST_NAMES = (
    "Camille",
    "Léa",
    "Manon",
    "Chloé",
    "Inès",
    "Sarah",
    "Julie",
    "Emma",
    "Yasmine",
    "Sofia",
    "Fatou",
    "Nadia",
    "Lucie",
    "Anne",
    "Sophie",
    "Isabelle",
    "Aïcha",
    "Mélanie",
    "Claire",
    "Hélène",
    "Thomas",
    "Nicolas",
    "Julien",
    "Karim",
    "Mehdi",
    "Lucas",
    "Hugo",
    "Antoine",
    "Mamadou",
    "Pierre",
    "Olivier",
    "Youssef",
    "Sébastien",
    "Bruno",
    "Laurent",
    "Rachid",
    "Christophe",
    "François",
    "Idriss",
    "Mathieu",
)
LAST_NAMES = (
    "Martin",
    "Bernard",
    "Dubois",
    "Durand",
    "Moreau",
    "Laurent",
    "Simon",
    "Michel",
    "Lefèvre",
    "Leroy",
    "Roux",
    "David",
    "Bertrand",
    "Morel",
    "Fournier",
    "Girard",
    "Bonnet",
    "Dupont",
    "Lambert",
    "Fontaine",
    "Rousseau",
    "Vincent",
    "Muller",
    "Faure",
    "André",
    "Mercier",
    "Blanc",
    "Guérin",
    "Boyer",
    "Garnier",
    "Chevalier",
    "Benali",
    "Diallo",
    "Haddad",
    "Nguyen",
    "Traoré",
    "Ferreira",
    "Da Silva",
    "Mansouri",
    "Perrin",
    "Collomb",
    "Favre",
    "Gaillard",
    "Bouvier",
    "Rey",
)
# How the 2024 room was made up (fiction, in the proportions the article suggests:
# associations the largest college, every college present).
COLLEGE_WEIGHTS = (
    (College.COPIL, 8),
    (College.COTECH, 22),
    (College.COMMISSION_POLITIQUE_VILLE, 10),
    (College.COMMISSION_EMPLOI_INSERTION, 9),
    (College.COMMISSION_RENOUVELLEMENT_URBAIN, 7),
    (College.PORTEUR_PROJET, 52),
    (College.CONSEIL_CITOYEN, 12),
    (College.REPRESENTANT_HABITANTS, 8),
    (College.HABITANT, 4),
    (College.AUTRE, 3),
)
TERRITORY_WEIGHTS = (
    ("biollay-bellevue", 45),
    ("hauts-de-chambery", 45),
    ("chambery", 10),
    (None, 10),
)
PROGRAMME_2024 = (
    (datetime.time(8, 45), datetime.time(9, 15), "Accueil café", ProgrammeKind.BREAK, ""),
    (
        datetime.time(9, 15),
        datetime.time(10, 0),
        "Ouverture : la vision du contrat de ville 2030",
        ProgrammeKind.PLENARY,
        "Franck Morat, vice-président de Grand Chambéry ; Gaëtan Pauchet, adjoint au maire "
        "de Chambéry ; la secrétaire générale de la préfecture",
    ),
    (
        datetime.time(10, 15),
        datetime.time(11, 0),
        "17 groupes de travail : un projet pour la jeunesse des quartiers en 45 minutes",
        ProgrammeKind.WORKSHOPS,
        "",
    ),
    (
        datetime.time(11, 0),
        datetime.time(12, 0),
        "Présentation des projets au jury fictif",
        ProgrammeKind.WORKSHOPS,
        "",
    ),
    (
        datetime.time(12, 0),
        datetime.time(12, 45),
        "L'aller-vers, condition de réussite des accompagnements",
        ProgrammeKind.KEYNOTE,
        "Rémy Cavalin, coordinateur du Labo, Sauvegarde de l'Enfance et de l'Adolescence "
        "des Savoie",
    ),
)
AIMS = (
    "Améliorer la connaissance et la reconnaissance des acteurs présents et de leurs "
    "compétences dans les territoires\n"
    "Permettre le décloisonnement entre acteurs au service des logiques de parcours ou de "
    "projets\n"
    "Faciliter l'accès à l'information aux partenaires et aux habitants\n"
    "Former les acteurs de terrain pour monter en compétences collectivement et faire "
    "culture commune"
)


def _pick(rng: random.Random, weighted):
    values, weights = zip(*weighted, strict=True)
    return rng.choices(values, weights=weights, k=1)[0]


def _organisations() -> list[tuple[int | None, str]]:
    from partners.enums import ActorStatus
    from partners.models import Actor

    actors = list(
        Actor.objects.filter(status=ActorStatus.PUBLISHED)
        .order_by("slug")
        .values_list("pk", "name")
    )
    return actors or [(None, "Association du quartier")]


def _people(rng: random.Random, count: int, prefix: str) -> list[dict]:
    territories = {t.slug: t for t in Territory.objects.all()}
    organisations = _organisations()
    people = []
    for index in range(count):
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        college = _pick(rng, COLLEGE_WEIGHTS)
        actor_id, actor_name = rng.choice(organisations)
        if college in (College.HABITANT, College.REPRESENTANT_HABITANTS):
            actor_id, actor_name = None, ""
        territory = territories.get(_pick(rng, TERRITORY_WEIGHTS) or "")
        people.append(
            {
                "first_name": first,
                "last_name": last,
                "email": f"{prefix}{index + 1:03d}@{DEMO_DOMAIN}",
                "college": college,
                "actor_id": actor_id,
                "organisation": actor_name,
                "territory": territory,
                "listed": rng.random() < 0.7,
                "image_consent": rng.random() < 0.8,
                "dietary_needs": "Végétarien" if rng.random() < 0.1 else "",
            }
        )
    return people


def _edition(year: int, defaults: dict, programme) -> Edition:
    edition, created = Edition.objects.update_or_create(
        kind=EventKind.RENCONTRE, year=year, defaults=defaults
    )
    if created or not edition.programme.exists():
        edition.programme.all().delete()
        ProgrammeItem.objects.bulk_create(
            ProgrammeItem(
                edition=edition,
                starts_at=start,
                ends_at=end,
                title=title,
                kind=kind,
                speakers=speakers,
            )
            for start, end, title, kind, speakers in programme
        )
    return edition


def _add_missing(edition: Edition, people: list[dict], **fields) -> int:
    existing = set(Registration.objects.filter(edition=edition).values_list("email", flat=True))
    rows = [
        Registration(edition=edition, privacy_acknowledged_at=timezone.now(), **person, **fields)
        for person in people
        if person["email"] not in existing
    ]
    Registration.objects.bulk_create(rows)
    return len(rows)


def _account_person(user: User) -> dict:
    """A demo account as a participant: the association's youth worker."""
    return {
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "college": College.PORTEUR_PROJET,
        "actor_id": None,
        "organisation": "Maison des jeunes du Biollay",
        "territory": None,
        "listed": True,
        "image_consent": True,
        "dietary_needs": "",
        "user": user,
    }


def next_edition_date(today: datetime.date) -> datetime.date:
    """Mid-October, as in 2024, at least a month after ``today``."""
    candidate = datetime.date(today.year, 10, 15)
    if candidate <= today + datetime.timedelta(days=30):
        candidate = datetime.date(today.year + 1, 10, 15)
    return candidate


@transaction.atomic
def seed_editions() -> str:
    rng = random.Random(2024)  # noqa: S311 (reproducible fiction)
    first = _edition(
        2024,
        {
            "title": "Rencontre des partenaires du Contrat de Ville 2030 — 2024",
            "date": datetime.date(2024, 10, 15),
            "starts_at": datetime.time(8, 45),
            "ends_at": datetime.time(13, 0),
            "venue_name": "Le Scarabée",
            "venue_address": "Chambéry",
            "description": (
                "Première rencontre annuelle des acteurs du contrat de ville Engagements "
                "Quartiers 2030, signé le 9 juillet 2024 : faire le bilan, se connaître et "
                "construire ensemble."
            ),
            "aims": AIMS,
            "capacity": 150,
            "status": EditionStatus.ARCHIVED,
            "group_count": 17,
        },
        PROGRAMME_2024,
    )
    people = _people(rng, 146, "p2024-")
    added = _add_missing(
        first, people[:142], status=RegistrationStatus.CONFIRMED, source=RegistrationSource.ONLINE
    )
    _add_missing(
        first,
        people[142:],
        status=RegistrationStatus.CANCELLED,
        source=RegistrationSource.ONLINE,
        cancelled_at=timezone.now(),
    )
    # On the day: most came. Check-in times between 8:40 and 9:30.
    arrivals = Registration.objects.filter(
        edition=first,
        status=RegistrationStatus.CONFIRMED,
        checked_in_at__isnull=True,
        email__endswith=f"@{DEMO_DOMAIN}",
    ).order_by("email")
    if added:
        start = timezone.make_aware(datetime.datetime(2024, 10, 15, 8, 40))
        for index, registration in enumerate(arrivals):
            if index % 12 == 11:  # about one in twelve did not come
                continue
            registration.checked_in_at = start + datetime.timedelta(seconds=(index * 23) % 3000)
            registration.save(update_fields=["checked_in_at"])

    today = timezone.localdate()
    day = next_edition_date(today)
    next_one = _edition(
        day.year,
        {
            "title": f"Rencontre des partenaires du Contrat de Ville 2030 — {day.year}",
            "date": day,
            "starts_at": datetime.time(8, 45),
            "ends_at": datetime.time(16, 30),
            "venue_name": "Le Scarabée",
            "venue_address": "Chambéry",
            "description": (
                "La rencontre annuelle revient : bilan des actions menées, ateliers mêlant "
                "structures, collèges et quartiers, et un temps fort sur la jeunesse."
            ),
            "aims": AIMS,
            "capacity": 160,
            "registration_opens_at": timezone.now() - datetime.timedelta(days=7),
            "registration_closes_at": timezone.make_aware(
                datetime.datetime.combine(day - datetime.timedelta(days=3), datetime.time(23, 59))
            ),
            "status": EditionStatus.OPEN,
            "group_count": 17,
        },
        (
            *PROGRAMME_2024[:3],
            (
                datetime.time(14, 0),
                datetime.time(15, 30),
                "Bilan de l'année et perspectives",
                ProgrammeKind.PLENARY,
                "",
            ),
        ),
    )
    upcoming_rng = random.Random(day.year)  # noqa: S311
    upcoming = _people(upcoming_rng, 14, f"p{day.year}-")
    accounts = {u.email: u for u in User.objects.filter(email__in=["association@demo.test"])}
    if "association@demo.test" in accounts:
        user = accounts["association@demo.test"]
        upcoming.append(_account_person(user))
    _add_missing(
        next_one, upcoming, status=RegistrationStatus.CONFIRMED, source=RegistrationSource.ONLINE
    )
    confirmed_2024 = first.registrations.filter(status=RegistrationStatus.CONFIRMED).count()
    return (
        f"rencontres: 2024 ({confirmed_2024} confirmed) and {day.year} "
        f"(open, {next_one.registrations.count()} registered, {next_one.capacity} seats)"
    )


TRAININGS_FILE = Path(__file__).parent / "demo_data" / "trainings.json"


def _time(text: str) -> datetime.time:
    return datetime.time.fromisoformat(text)


def _session(training: Training, index: int, spec: dict, today: datetime.date) -> Edition:
    """A session found again by its training and place in the file, so a second seeding
    moves its dates with today instead of adding another."""
    day = today + datetime.timedelta(days=spec["offset_days"])
    defaults = {
        "kind": EventKind.TRAINING,
        "year": day.year,
        "title": training.title,
        "date": day,
        "starts_at": _time(spec["starts_at"]),
        "ends_at": _time(spec["ends_at"]),
        "venue_name": spec["venue_name"],
        "venue_address": spec.get("venue_address", ""),
        "description": training.summary,
        "capacity": spec["capacity"],
        "status": spec["status"],
        "audience": spec.get("audience", Audience.EVERYONE),
        "per_organisation_limit": spec.get("per_organisation_limit"),
        "group_count": 1,
    }
    sessions = list(training.sessions.order_by("pk"))
    if index < len(sessions):
        session = sessions[index]
        for key, value in defaults.items():
            setattr(session, key, value)
        session.save()
    else:
        session = Edition.objects.create(training=training, **defaults)
    session.days.all().delete()
    EventDay.objects.bulk_create(
        EventDay(
            edition=session,
            date=day + datetime.timedelta(days=offset),
            starts_at=session.starts_at,
            ends_at=session.ends_at,
        )
        for offset in spec.get("extra_days", [])
    )
    return session


def _fill(session: Edition, spec: dict, rng: random.Random, prefix: str) -> None:
    """Registrations in order: seats first, then the waiting list; the first
    ``checked_in`` came; each survey answer once."""
    people = _people(rng, spec["registrations"], prefix)
    # Demo accounts first, so that their history shows the training and its certificate.
    for user in User.objects.filter(email__in=spec.get("accounts", [])).order_by("email"):
        people.insert(0, _account_person(user))
        people.pop()
    existing = set(Registration.objects.filter(edition=session).values_list("email", flat=True))
    now = timezone.now()
    for index, person in enumerate(people):
        if person["email"] in existing:
            continue
        seated = index < session.capacity
        came = index < spec.get("checked_in", 0)
        Registration.objects.create(
            edition=session,
            privacy_acknowledged_at=now,
            status=RegistrationStatus.CONFIRMED if seated else RegistrationStatus.WAITING,
            queued_at=None if seated else now + datetime.timedelta(seconds=index),
            checked_in_at=session.starts + datetime.timedelta(minutes=index) if came else None,
            survey_answered=came and index < len(spec.get("survey", [])),
            **person,
        )
    if not session.survey_responses.exists():
        SurveyResponse.objects.bulk_create(
            SurveyResponse(
                edition=session,
                answered_on=session.date,
                comment=answer[5],
                **dict(zip(SURVEY_SCORES, answer[:5], strict=True)),
            )
            for answer in spec.get("survey", [])
        )


@transaction.atomic
def seed_trainings() -> str:
    """Three trainings: one past (attendees checked in, survey answered), one open with a
    limit per organisation, for partners, over two half-days, one full with a waiting list."""
    data = json.loads(TRAININGS_FILE.read_text(encoding="utf-8"))
    today = timezone.localdate()
    sessions = 0
    for number, spec in enumerate(data["trainings"]):
        fields = {key: spec[key] for key in spec if key not in ("slug", "sessions")}
        training, _created = Training.objects.update_or_create(
            slug=spec["slug"], defaults={**fields, "status": TrainingStatus.PUBLISHED}
        )
        for index, session_spec in enumerate(spec["sessions"]):
            session = _session(training, index, session_spec, today)
            rng = random.Random(f"{spec['slug']}-{index}")  # noqa: S311 (reproducible fiction)
            _fill(session, session_spec, rng, f"f{number + 1}{index + 1}-")
            sessions += 1
    return f"{len(data['trainings'])} formations, {sessions} sessions"
