"""Reads of the rencontre: editions, registrations, counts and breakdowns."""

from django.db.models import (
    Case,
    Count,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Lower
from django.utils import timezone

from .enums import College, EditionStatus, EventKind, RegistrationStatus, TrainingStatus
from .models import Edition, Registration, Training

ACTIVE = (RegistrationStatus.CONFIRMED, RegistrationStatus.WAITING)


def events_visible_to(user) -> QuerySet[Edition]:
    """Events of every kind: organisers see drafts too; everyone else sees the others."""
    queryset = Edition.objects.all()
    if not user.has_perm("events.manage_edition"):
        queryset = queryset.exclude(status=EditionStatus.DRAFT)
    return queryset


def editions_visible_to(user) -> QuerySet[Edition]:
    """The rencontre's editions among them."""
    return events_visible_to(user).filter(kind=EventKind.RENCONTRE)


def edition_for(
    user, year: int | None = None, *, event: int | None = None, with_programme: bool = False
) -> Edition:
    """The event of a URL, among those ``user`` may see (a 404 otherwise): a rencontre by
    its year (/rencontres/<year>/), any other kind by its number (/evenements/<event>/)."""
    from django.shortcuts import get_object_or_404

    queryset = events_visible_to(user).select_related("training", "body")
    if with_programme:
        queryset = queryset.prefetch_related("programme", "days")
    if year is not None:
        return get_object_or_404(queryset, kind=EventKind.RENCONTRE, year=year)
    return get_object_or_404(queryset.exclude(kind=EventKind.RENCONTRE), pk=event)


def seat_counts(edition: Edition) -> dict[str, int]:
    """confirmed, waiting, cancelled, checked_in and free seats, in one query."""
    counts = Registration.objects.filter(edition=edition).aggregate(
        confirmed=Count("pk", filter=Q(status=RegistrationStatus.CONFIRMED)),
        waiting=Count("pk", filter=Q(status=RegistrationStatus.WAITING)),
        cancelled=Count("pk", filter=Q(status=RegistrationStatus.CANCELLED)),
        checked_in=Count("pk", filter=Q(checked_in_at__isnull=False)),
    )
    counts["free"] = max(edition.capacity - counts["confirmed"], 0)
    counts["total"] = counts["confirmed"] + counts["waiting"] + counts["cancelled"]
    return counts


def waiting_position(registration: Registration) -> int | None:
    if registration.status != RegistrationStatus.WAITING:
        return None
    ahead = Registration.objects.filter(
        edition_id=registration.edition_id, status=RegistrationStatus.WAITING
    ).filter(
        Q(queued_at__lt=registration.queued_at)
        | Q(queued_at=registration.queued_at, pk__lt=registration.pk)
    )
    return ahead.count() + 1


def with_waiting_position(queryset: QuerySet[Registration]) -> QuerySet[Registration]:
    """Annotate ``waiting_position`` (None unless waiting) in the same query as
    the rows: how many of the edition's waiting list are ahead, plus one."""
    ahead = (
        Registration.objects.filter(
            edition_id=OuterRef("edition_id"), status=RegistrationStatus.WAITING
        )
        .filter(
            Q(queued_at__lt=OuterRef("queued_at"))
            | Q(queued_at=OuterRef("queued_at"), pk__lt=OuterRef("pk"))
        )
        .order_by()
        .values("edition_id")
        .annotate(ahead=Count("pk"))
        .values("ahead")
    )
    return queryset.annotate(
        waiting_position=Case(
            When(
                status=RegistrationStatus.WAITING,
                then=Coalesce(Subquery(ahead, output_field=IntegerField()), Value(0)) + 1,
            ),
            default=None,
            output_field=IntegerField(),
        )
    )


def registration_by_token(token: str) -> Registration:
    from django.shortcuts import get_object_or_404

    return get_object_or_404(
        Registration.objects.select_related("edition", "actor", "territory"),
        token=token,
        anonymised_at__isnull=True,
    )


def registrations_of(
    edition: Edition, *, query: str = "", status: str = "", college: str = ""
) -> QuerySet[Registration]:
    """The management list: every registration with what a row shows."""
    queryset = Registration.objects.filter(edition=edition, anonymised_at__isnull=True)
    if status in RegistrationStatus.values:
        queryset = queryset.filter(status=status)
    if college in College.values:
        queryset = queryset.filter(college=college)
    for word in query.split():
        queryset = queryset.filter(
            Q(first_name__icontains=word)
            | Q(last_name__icontains=word)
            | Q(email__icontains=word)
            | Q(organisation__icontains=word)
            | Q(actor__name__icontains=word)
        )
    return queryset.select_related("actor", "territory").order_by(
        Lower("last_name"), Lower("first_name"), "pk"
    )


def registrations_for_export(edition: Edition) -> QuerySet[Registration]:
    return (
        Registration.objects.filter(edition=edition, anonymised_at__isnull=True)
        .select_related("actor", "territory")
        .order_by(Lower("last_name"), Lower("first_name"), "pk")
    )


def attendees_for_sheet(edition: Edition) -> QuerySet[Registration]:
    """Who signs the attendance sheet: the confirmed, alphabetically."""
    return registrations_for_export(edition).filter(status=RegistrationStatus.CONFIRMED)


def participants_list(edition: Edition) -> QuerySet[Registration]:
    """Those who agreed to appear, for logged-in partners: name, organisation, college."""
    return (
        Registration.objects.filter(
            edition=edition,
            listed=True,
            status=RegistrationStatus.CONFIRMED,
            anonymised_at__isnull=True,
        )
        .select_related("actor")
        .only(
            "first_name",
            "last_name",
            "organisation",
            "college",
            "actor__name",
            "actor__slug",
            "actor__status",
            "edition_id",
        )
        .order_by(Lower("last_name"), Lower("first_name"), "pk")
    )


def _breakdown(queryset, field: str) -> list[dict]:
    return list(queryset.values(field).annotate(count=Count("pk")).order_by("-count", field))


def breakdowns(edition: Edition) -> dict[str, list[dict]]:
    """Confirmed participants by college, organisation and neighbourhood: one
    GROUP BY each, labels resolved in Python."""
    confirmed = Registration.objects.filter(edition=edition, status=RegistrationStatus.CONFIRMED)
    labels = dict(College.choices)
    by_college = [
        {"label": str(labels.get(row["college"], row["college"])), "count": row["count"]}
        for row in _breakdown(confirmed, "college")
    ]
    by_territory = [
        {"label": row["territory__name"] or "—", "count": row["count"]}
        for row in _breakdown(confirmed, "territory__name")
    ]
    organisations: dict[str, int] = {}
    for row in confirmed.values("actor__name", "organisation").annotate(count=Count("pk")):
        label = row["actor__name"] or row["organisation"].strip() or "—"
        organisations[label] = organisations.get(label, 0) + row["count"]
    by_organisation = [
        {"label": label, "count": count}
        for label, count in sorted(organisations.items(), key=lambda kv: (-kv[1], kv[0].lower()))
    ]
    return {"college": by_college, "territory": by_territory, "organisation": by_organisation}


def checkin_search(edition: Edition, query: str) -> QuerySet[Registration]:
    queryset = Registration.objects.filter(
        edition=edition, status=RegistrationStatus.CONFIRMED, anonymised_at__isnull=True
    )
    for word in query.split():
        queryset = queryset.filter(
            Q(first_name__icontains=word)
            | Q(last_name__icontains=word)
            | Q(organisation__icontains=word)
            | Q(actor__name__icontains=word)
        )
    return queryset.select_related("actor").order_by(Lower("last_name"), Lower("first_name"), "pk")


def editions_comparison() -> dict:
    """Confirmed participants per edition, by college and by neighbourhood
    (anonymised rows count: the purge keeps them for this)."""
    editions = list(
        Edition.objects.exclude(status=EditionStatus.DRAFT)
        .filter(kind=EventKind.RENCONTRE)
        .order_by("year")
    )
    rows = (
        Registration.objects.filter(edition__in=editions, status=RegistrationStatus.CONFIRMED)
        .values("edition__year", "college", "territory__name")
        .annotate(count=Count("pk"))
    )
    by_college: dict[str, dict[int, int]] = {}
    by_territory: dict[str, dict[int, int]] = {}
    totals: dict[int, int] = {edition.year: 0 for edition in editions}
    checked_in = dict(
        Registration.objects.filter(edition__in=editions, checked_in_at__isnull=False)
        .values_list("edition__year")
        .annotate(count=Count("pk"))
    )
    labels = dict(College.choices)
    for row in rows:
        year = row["edition__year"]
        college = str(labels.get(row["college"], row["college"]))
        territory = row["territory__name"] or "—"
        by_college.setdefault(college, {})
        by_college[college][year] = by_college[college].get(year, 0) + row["count"]
        by_territory.setdefault(territory, {})
        by_territory[territory][year] = by_territory[territory].get(year, 0) + row["count"]
        totals[year] += row["count"]
    years = [edition.year for edition in editions]

    def table(data):
        return [
            {"label": label, "counts": [data[label].get(year, 0) for year in years]}
            for label in sorted(data, key=lambda label: (-sum(data[label].values()), label))
        ]

    return {
        "editions": editions,
        "years": years,
        "totals": [totals[year] for year in years],
        "checked_in": [checked_in.get(year, 0) for year in years],
        "by_college": table(by_college),
        "by_territory": table(by_territory),
    }


def _with_seats(queryset: QuerySet[Edition]) -> QuerySet[Edition]:
    """Annotate each event with its confirmed and waiting counts, in the same query."""
    return queryset.annotate(
        confirmed_count=Count(
            "registrations", filter=Q(registrations__status=RegistrationStatus.CONFIRMED)
        ),
        waiting_count=Count(
            "registrations", filter=Q(registrations__status=RegistrationStatus.WAITING)
        ),
    )


def trainings_visible_to(user) -> QuerySet[Training]:
    """Published and archived trainings; organisers see drafts too."""
    queryset = Training.objects.all()
    if not user.has_perm("events.manage_edition"):
        queryset = queryset.exclude(status=TrainingStatus.DRAFT)
    return queryset


def training_catalogue(user, *, theme: str = "", level: str = "") -> list[Training]:
    """The catalogue: trainings still taught first (their coming sessions attached as
    ``coming``), in two queries whatever their number."""
    today = timezone.localdate()
    queryset = trainings_visible_to(user).exclude(status=TrainingStatus.ARCHIVED)
    if theme:
        queryset = queryset.filter(theme=theme)
    if level:
        queryset = queryset.filter(level=level)
    coming = _with_seats(events_visible_to(user).filter(date__gte=today)).order_by("date", "pk")
    trainings = list(
        queryset.prefetch_related(
            Prefetch("sessions", queryset=coming.prefetch_related("days"), to_attr="coming")
        )
    )
    trainings.sort(key=lambda training: (not training.coming, training.title.lower()))
    return trainings


def training_themes(user) -> list[str]:
    return list(
        trainings_visible_to(user)
        .exclude(status=TrainingStatus.ARCHIVED)
        .order_by("theme")
        .values_list("theme", flat=True)
        .distinct()
    )


def training_for(user, slug: str) -> Training:
    """One training with its sessions (coming first, then past), seats counted."""
    from django.shortcuts import get_object_or_404

    sessions = _with_seats(events_visible_to(user)).prefetch_related("days").order_by("-date")
    return get_object_or_404(
        trainings_visible_to(user).prefetch_related(
            Prefetch("sessions", queryset=sessions, to_attr="visible_sessions")
        ),
        slug=slug,
    )


def occasions_visible_to(user, *, past: bool = False) -> QuerySet[Edition]:
    """Events other than the rencontre, coming ones (or past ones) with their seats."""
    today = timezone.localdate()
    queryset = events_visible_to(user).exclude(kind=EventKind.RENCONTRE)
    queryset = queryset.filter(date__lt=today) if past else queryset.filter(date__gte=today)
    return (
        _with_seats(queryset)
        .select_related("training", "body")
        .prefetch_related("days")
        .order_by("-date" if past else "date", "pk")
    )


def history_of(user) -> QuerySet[Registration]:
    """A person's registrations to every kind of event: those made with their account
    and those made with their address, not cancelled nor anonymised, latest first."""
    return (
        Registration.objects.filter(Q(user=user) | Q(email=user.email.lower()))
        .exclude(status=RegistrationStatus.CANCELLED)
        .filter(anonymised_at__isnull=True)
        .select_related("edition", "edition__training")
        .order_by("-edition__date", "-pk")
    )
