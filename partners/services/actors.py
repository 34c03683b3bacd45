"""Writes of the directory. Each function is one transaction and records what
it changed in the audit log."""

import calendar
import datetime
from collections.abc import Iterable, Sequence

from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from contrat_ville.models import Territory, User
from contrat_ville.services import ServiceError, audit_log_record

from .. import search
from ..enums import (
    ActorStatus,
    AuditAction,
    JoinRequestKind,
    JoinRequestStatus,
    MembershipRole,
)
from ..models import (
    Actor,
    ActorGovernanceBody,
    Competence,
    ContactPerson,
    DirectoryState,
    JoinRequest,
    Membership,
    Public,
    SearchTerm,
)
from .location import POSITION_FIELDS, placement_for

# Plain fields an actor's profile form or an import may set.
ACTOR_FIELDS = (
    "name",
    "kind",
    "summary",
    "description",
    "address",
    "postcode",
    "town",
    "insee_code",
    "phone",
    "email",
    "website",
    "siret",
    "rna",
    "logo",
    "opening_hours",
    "accessibility",
    "update_frequency",
)
INDEX_CHUNK = 2000
# Words of the directory's own addresses (/annuaire/<word>/): never an actor's slug.
RESERVED_SLUGS = frozenset(
    {
        "proposer",
        "mes-structures",
        "moderation",
        "a-mettre-a-jour",
        "demandes",
        "thematiques",
        "publics",
        "export",
        "carte",
    }
)

__all__ = [
    "ACTOR_FIELDS",
    "RESERVED_SLUGS",
    "actor_contacts_set",
    "actor_create",
    "actor_search_index",
    "actor_status_set",
    "actor_update",
    "actor_verify",
    "add_months",
    "directory_changed",
    "join_request_create",
    "join_request_decide",
    "membership_remove",
    "review_due",
    "unique_slug",
]


def add_months(day: datetime.date, months: int) -> datetime.date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


def review_due(actor: Actor) -> datetime.date:
    return add_months(actor.last_verified_on, int(actor.update_frequency))


def unique_slug(name: str, *, exclude_pk: int | None = None) -> str:
    # slugify drops ligatures: "Cœur" must give "coeur", not "cur".
    base = slugify(name.replace("œ", "oe").replace("Œ", "Oe").replace("æ", "ae"))[:150] or "acteur"
    if base in RESERVED_SLUGS:
        base = f"{base}-acteur"
    slug, counter = base, 2
    taken = Actor.objects.exclude(pk=exclude_pk) if exclude_pk else Actor.objects.all()
    while taken.filter(slug=slug).exists():
        slug, counter = f"{base}-{counter}", counter + 1
    return slug


# -- search index -------------------------------------------------------------


def directory_changed() -> None:
    """Bump the version the directory's cache is keyed on (same transaction as the write)."""
    if not DirectoryState.objects.filter(pk=1).update(version=F("version") + 1):
        DirectoryState.objects.get_or_create(pk=1, defaults={"version": 1})


def actor_search_index(actor_ids: Iterable[int] | None = None) -> int:
    """Recompute the search fields of the given actors (all when None)."""
    actors = Actor.objects.all() if actor_ids is None else Actor.objects.filter(pk__in=actor_ids)
    ids = list(actors.order_by("pk").values_list("pk", flat=True))
    actors = Actor.objects.only("pk", "name", "summary", "description", "town").prefetch_related(
        "territories", "competences__theme", "publics"
    )
    keywords_twice = search.uses_postgresql()
    statement = search.INDEX_SQL_POSTGRESQL if keywords_twice else search.INDEX_SQL_FALLBACK
    done = 0
    for start in range(0, len(ids), INDEX_CHUNK):
        rows = []
        words: set[str] = set()
        for actor in actors.filter(pk__in=ids[start : start + INDEX_CHUNK]).order_by("pk"):
            keywords = [c.name for c in actor.competences.all()]
            keywords += sorted({c.theme.name for c in actor.competences.all()})
            keywords += [p.name for p in actor.publics.all()]
            keywords += [t.name for t in actor.territories.all()]
            joined = " ; ".join(keywords)
            text = search.normalise(
                " ".join([actor.name, joined, actor.summary, actor.description, actor.town])
            )
            words |= search.terms_of([text])
            name = search.normalise(actor.name)[:150]
            rows.append(
                (name, joined, text, joined, actor.pk)
                if keywords_twice
                else (name, joined, text, actor.pk)
            )
        # One raw statement per chunk: bulk_update's CASE expressions and a second
        # UPDATE for the vector made indexing 50,000 actors twice as slow.
        with connection.cursor() as cursor:
            cursor.executemany(statement, rows)
        SearchTerm.objects.bulk_create([SearchTerm(word=w) for w in words], ignore_conflicts=True)
        done += len(rows)
    directory_changed()
    return done


# -- actors -------------------------------------------------------------------


def _set_relations(
    actor: Actor,
    *,
    territories: Sequence[Territory] | None,
    competences: Sequence[Competence] | None,
    publics: Sequence[Public] | None,
    bodies: Sequence[str] | None,
    priorities: Sequence | None = None,
) -> None:
    if territories is not None:
        actor.territories.set(territories)
    if competences is not None:
        actor.competences.set(competences)
    if publics is not None:
        actor.publics.set(publics)
    if priorities is not None:
        actor.priorities.set(priorities)
    if bodies is not None:
        wanted = set(bodies)
        actor.bodies.exclude(body__in=wanted).delete()
        existing = set(actor.bodies.values_list("body", flat=True))
        ActorGovernanceBody.objects.bulk_create(
            [ActorGovernanceBody(actor=actor, body=b) for b in sorted(wanted - existing)]
        )


def _changed_fields(actor: Actor, data: dict) -> list[str]:
    return sorted(k for k, v in data.items() if k in ACTOR_FIELDS and getattr(actor, k) != v)


def actor_create(
    *,
    by: User | None,
    data: dict,
    territories: Sequence[Territory] = (),
    competences: Sequence[Competence] = (),
    publics: Sequence[Public] = (),
    bodies: Sequence[str] = (),
    priorities: Sequence = (),
    status: str = ActorStatus.PENDING,
    slug: str = "",
    make_admin: bool = False,
    geocode: bool = True,
) -> Actor:
    """Create an actor. Proposals start pending; ``make_admin`` links the proposer.

    ``data`` may hold ``latitude`` and ``longitude`` (typed: they win); without them the
    address is geocoded when the portal enables it. ``actor.placement_warning`` then says,
    in French, why the address could not be placed ("" when it could, or was not tried).
    """
    # The address service is asked before the transaction: no lock waits on the network.
    placement = placement_for(None, data, geocode=geocode)
    with transaction.atomic():
        actor = Actor(**{k: v for k, v in data.items() if k in ACTOR_FIELDS})
        actor.slug = slug or unique_slug(actor.name)
        actor.status = status
        actor.created_by = by if by is not None and by.is_authenticated else None
        actor.last_verified_on = timezone.localdate()
        actor.review_due_on = review_due(actor)
        if placement is not None:
            placement.apply(actor)
        try:
            with transaction.atomic():
                actor.save()
        except IntegrityError as error:
            raise ServiceError(_("Une structure avec ce numéro SIRET existe déjà.")) from error
        _set_relations(
            actor,
            territories=territories,
            competences=competences,
            publics=publics,
            bodies=bodies,
            priorities=priorities,
        )
        if make_admin and actor.created_by is not None:
            Membership.objects.create(actor=actor, user=actor.created_by, role=MembershipRole.ADMIN)
        actor_search_index([actor.pk])
        audit_log_record(
            actor=by, action=AuditAction.ACTOR_CREATED, target=actor, data={"status": status}
        )
    actor.placement_warning = placement.warning if placement is not None else ""
    return actor


def actor_update(
    *,
    by: User | None,
    actor: Actor,
    data: dict,
    territories: Sequence[Territory] | None = None,
    competences: Sequence[Competence] | None = None,
    publics: Sequence[Public] | None = None,
    bodies: Sequence[str] | None = None,
    priorities: Sequence | None = None,
    geocode: bool = True,
) -> Actor:
    """Save the profile; saving it counts as checking it is up to date.

    The point follows ``actor_create``'s rules (see services.location.placement_for);
    ``placement_warning`` is set on the returned actor the same way.
    """
    # Read without a lock to ask the address service outside the transaction; the row is
    # locked and compared again below.
    before = Actor.objects.get(pk=actor.pk)
    placement = placement_for(before, data, geocode=geocode)
    with transaction.atomic():
        # Compare with the stored row: a ModelForm has already changed ``actor`` in memory.
        stored = Actor.objects.select_for_update().get(pk=actor.pk)
        changed = _changed_fields(stored, data)
        for field in changed:
            setattr(stored, field, data[field])
        if placement is not None:
            point = (stored.latitude, stored.longitude)
            placement.apply(stored)
            if (stored.latitude, stored.longitude) != point:
                changed = sorted({*changed, *POSITION_FIELDS})
        stored.last_verified_on = timezone.localdate()
        stored.review_due_on = review_due(stored)
        try:
            with transaction.atomic():
                stored.save()
        except IntegrityError as error:
            raise ServiceError(_("Une structure avec ce numéro SIRET existe déjà.")) from error
        actor = stored
        _set_relations(
            actor,
            territories=territories,
            competences=competences,
            publics=publics,
            bodies=bodies,
            priorities=priorities,
        )
        actor_search_index([actor.pk])
        audit_log_record(
            actor=by, action=AuditAction.ACTOR_UPDATED, target=actor, data={"fields": changed}
        )
    actor.placement_warning = placement.warning if placement is not None else ""
    return actor


@transaction.atomic
def actor_verify(*, by: User, actor: Actor) -> Actor:
    """The one-click "still up to date": resets the review date."""
    actor.last_verified_on = timezone.localdate()
    actor.review_due_on = review_due(actor)
    # updated_at moves too: the export's date_maj says when the data was last confirmed.
    actor.save(update_fields=["last_verified_on", "review_due_on", "updated_at"])
    directory_changed()  # "last update" sorting moves
    audit_log_record(actor=by, action=AuditAction.ACTOR_VERIFIED, target=actor)
    return actor


@transaction.atomic
def actor_status_set(*, by: User, actor: Actor, status: str) -> Actor:
    if status not in ActorStatus.values:
        raise ServiceError(_("Statut inconnu."))
    previous = actor.status
    if previous == status:
        return actor
    actor.status = status
    actor.save(update_fields=["status", "updated_at"])
    directory_changed()
    audit_log_record(
        actor=by,
        action=AuditAction.ACTOR_STATUS,
        target=actor,
        data={"from": previous, "to": status},
    )
    return actor


@transaction.atomic
def actor_contacts_set(*, by: User, actor: Actor, contacts: Sequence[dict]) -> None:
    """Replace the actor's contact persons with ``contacts`` (dicts of fields)."""
    actor.contacts.all().delete()
    ContactPerson.objects.bulk_create(
        [
            ContactPerson(
                actor=actor,
                order=index,
                name=c["name"],
                function=c.get("function", ""),
                email=c.get("email", ""),
                phone=c.get("phone", ""),
            )
            for index, c in enumerate(contacts)
        ]
    )
    # Names only: the log must not become a second copy of personal data.
    audit_log_record(
        actor=by, action=AuditAction.CONTACT_CHANGED, target=actor, data={"count": len(contacts)}
    )


# -- members and requests ------------------------------------------------------


@transaction.atomic
def join_request_create(*, user: User, actor: Actor, kind: str, message: str = "") -> JoinRequest:
    if kind not in JoinRequestKind.values:
        raise ServiceError(_("Demande inconnue."))
    if Membership.objects.filter(actor=actor, user=user).exists():
        raise ServiceError(_("Vous êtes déjà membre de cette structure."))
    try:
        with transaction.atomic():
            request = JoinRequest.objects.create(actor=actor, user=user, kind=kind, message=message)
    except IntegrityError as error:
        raise ServiceError(
            _("Vous avez déjà une demande en attente pour cette structure.")
        ) from error
    audit_log_record(
        actor=user, action=AuditAction.JOIN_REQUESTED, target=actor, data={"kind": kind}
    )
    return request


@transaction.atomic
def join_request_decide(*, by: User, request: JoinRequest, approve: bool) -> JoinRequest:
    # Lock the request so two organisers cannot both decide it.
    request = JoinRequest.objects.select_for_update().get(pk=request.pk)
    if request.status != JoinRequestStatus.PENDING:
        raise ServiceError(_("Cette demande a déjà été traitée."))
    request.status = JoinRequestStatus.APPROVED if approve else JoinRequestStatus.REJECTED
    request.decided_by = by
    request.decided_at = timezone.now()
    request.save(update_fields=["status", "decided_by", "decided_at"])
    if approve:
        role = (
            MembershipRole.ADMIN if request.kind == JoinRequestKind.CLAIM else MembershipRole.MEMBER
        )
        Membership.objects.update_or_create(
            actor=request.actor, user=request.user, defaults={"role": role}
        )
    audit_log_record(
        actor=by,
        action=AuditAction.JOIN_DECIDED,
        target=request.actor,
        data={"user": request.user.email, "kind": request.kind, "approved": approve},
    )
    return request


@transaction.atomic
def membership_remove(*, by: User, membership: Membership) -> None:
    audit_log_record(
        actor=by,
        action=AuditAction.MEMBER_REMOVED,
        target=membership.actor,
        data={"user": membership.user.email},
    )
    membership.delete()
