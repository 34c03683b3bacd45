"""Writes of the workshop groups: create and name them, compose them, move people.

Composition itself is the pure algorithm of ``workgroups.composition``; this
module turns the edition's registrations into its input and its answer into
seats, in one transaction.
"""

from dataclasses import asdict, dataclass

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from contrat_ville.enums import Role
from contrat_ville.models import RoleAssignment, User
from contrat_ville.services import ServiceError, audit_log_record
from events.enums import RegistrationStatus
from events.models import Edition, Registration

from ..composition import Composition, Person, Sizing, compose, evaluate, score_meaningful, sizing
from ..enums import AuditAction
from ..models import ProjectSheet, ScoreSheet, Seat, Workgroup
from ..selectors import workshop_settings


class Source:
    """Who is composed: every confirmed person, or only those already arrived."""

    CONFIRMED = "confirmed"
    CHECKED_IN = "checked_in"
    ALL = (CONFIRMED, CHECKED_IN)


@dataclass(frozen=True)
class GroupMix:
    number: int
    size: int
    score: float | None  # None below two people: no pair to compare
    same_organisation: int  # pairs of group-mates from the same organisation


@dataclass(frozen=True)
class Mix:
    """How mixed the groups are (docs/composition.md): scores between 0 and 1, the
    expected score of a random draw into the same sizes, and an upper bound no
    assignment can beat; same-organisation pairs against the fewest possible."""

    score: float
    bound: float
    random_score: float
    same_organisation: int
    same_organisation_min: int
    balanced: bool
    groups: tuple[GroupMix, ...]

    @classmethod
    def of(cls, composition: Composition, numbers: list[int]) -> "Mix":
        return cls(
            score=composition.score,
            bound=composition.bound,
            random_score=composition.random_score,
            same_organisation=composition.same_organisation,
            same_organisation_min=composition.same_organisation_min,
            balanced=composition.balanced,
            groups=tuple(
                GroupMix(
                    number=numbers[group.index],
                    size=group.size,
                    score=group.score,
                    same_organisation=group.same_organisation,
                )
                for group in composition.groups
            ),
        )

    @property
    def meaningful(self) -> bool:
        """Only groups of two or more have group-mates to compare: otherwise the score
        would read as a perfect mix of people who are simply alone."""
        return score_meaningful([group.size for group in self.groups])

    @classmethod
    def from_dict(cls, data: dict) -> "Mix":
        return cls(**{**data, "groups": tuple(GroupMix(**group) for group in data["groups"])})


@dataclass(frozen=True)
class ComposeReport:
    """What a composition did, for the organiser's page and the audit log."""

    source: str
    keep_seated: bool
    seed: int
    people: int  # seated after the run
    pinned: int  # pinned, kept where they were
    kept: int  # already seated and kept in place (keep_seated)
    placed: int  # given a seat, or another one, by this run
    unseated: int  # lost their seat: no longer confirmed (or not arrived)
    mix: Mix

    def as_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> "ComposeReport":
        return cls(**{**data, "mix": Mix.from_dict(data["mix"])})


def sizing_problem(people: int, group_count: int, *, source: str = Source.CONFIRMED) -> str:
    """Why composing ``people`` people into ``group_count`` groups is refused, or ""."""
    verdict = sizing(people, group_count)
    if verdict == Sizing.NOBODY:
        if source == Source.CHECKED_IN:
            return _("Aucune personne n'a encore été accueillie : il n'y a personne à répartir.")
        return _("Aucune personne confirmée : il n'y a personne à répartir.")
    if verdict == Sizing.EMPTY_GROUPS:
        return ngettext(
            "%(people)s personne pour %(groups)s groupes : certains groupes resteraient vides. "
            "Réduisez le nombre de groupes à %(people)s au plus, ou attendez d'autres "
            "inscriptions.",
            "%(people)s personnes pour %(groups)s groupes : certains groupes resteraient vides. "
            "Réduisez le nombre de groupes à %(people)s au plus, ou attendez d'autres "
            "inscriptions.",
            people,
        ) % {"people": people, "groups": group_count}
    return ""


def sizing_warning(people: int, group_count: int) -> str:
    """A composition that is allowed but gives some group a single person, or ""."""
    if sizing(people, group_count) != Sizing.SMALL_GROUPS:
        return ""
    if people == 1:
        return _(
            "Une seule personne confirmée : elle n'aurait personne avec qui échanger. "
            "Attendez d'autres inscriptions."
        )
    return _(
        "%(people)s personnes pour %(groups)s groupes : certains groupes n'auraient qu'une "
        "personne, sans personne avec qui échanger, et l'indice de mélange ne voudrait rien "
        "dire. Pour des groupes d'au moins deux personnes, réduisez le nombre de groupes à "
        "%(most)s au plus."
    ) % {"people": people, "groups": group_count, "most": people // 2}


def _lock_edition(edition: Edition) -> Edition:
    """One writer of an edition's groups at a time (a no-op on SQLite, which serialises writes)."""
    return Edition.objects.select_for_update().get(pk=edition.pk)


def _numbers(numbers) -> str:
    return ", ".join(str(number) for number in sorted(numbers))


def _extra_groups(edition: Edition, groups: list[Workgroup]) -> list[Workgroup]:
    """Groups beyond the edition's group count; refused when they hold a project
    sheet or scores, which deleting them would lose."""
    extra = [group for group in groups if group.number > edition.group_count]
    if not extra:
        return []
    ids = [group.pk for group in extra]
    with_work = {
        number
        for model in (ProjectSheet, ScoreSheet)
        for number in model.objects.filter(workgroup_id__in=ids).values_list(
            "workgroup__number", flat=True
        )
    }
    if with_work:
        raise ServiceError(
            ngettext(
                "Le nombre de groupes de l'édition est passé à %(count)s, mais le groupe "
                "%(numbers)s a déjà une fiche projet ou des notes du jury : remettez le nombre "
                "de groupes à %(needed)s dans les paramètres de l'édition.",
                "Le nombre de groupes de l'édition est passé à %(count)s, mais les groupes "
                "%(numbers)s ont déjà une fiche projet ou des notes du jury : remettez le nombre "
                "de groupes à %(needed)s dans les paramètres de l'édition.",
                len(with_work),
            )
            % {
                "count": edition.group_count,
                "numbers": _numbers(with_work),
                "needed": max(group.number for group in extra),
            }
        )
    return extra


def _create_missing(edition: Edition, groups: list[Workgroup]) -> list[int]:
    have = {group.number for group in groups}
    missing = [n for n in range(1, edition.group_count + 1) if n not in have]
    Workgroup.objects.bulk_create(Workgroup(edition=edition, number=n) for n in missing)
    return missing


def groups_ensure(*, by: User, edition: Edition) -> list[Workgroup]:
    """Give the edition exactly its ``group_count`` groups, numbered from 1.

    Missing groups are created. Groups beyond the count are removed only when
    empty: a group still holding people is never deleted, the change is refused
    naming them. Returns the groups in order.
    """
    with transaction.atomic():
        edition = _lock_edition(edition)
        groups = list(Workgroup.objects.filter(edition=edition).order_by("number"))
        extra = _extra_groups(edition, groups)
        holding = (
            Workgroup.objects.filter(pk__in=[group.pk for group in extra])
            .annotate(people=Count("seats"))
            .filter(people__gt=0)
            .values_list("number", flat=True)
        )
        holding = list(holding)
        if holding:
            raise ServiceError(
                ngettext(
                    "Le nombre de groupes de l'édition est passé à %(count)s, mais le groupe "
                    "%(numbers)s a encore des participants : déplacez-les dans un autre groupe "
                    "ou recomposez les groupes d'abord.",
                    "Le nombre de groupes de l'édition est passé à %(count)s, mais les groupes "
                    "%(numbers)s ont encore des participants : déplacez-les dans un autre groupe "
                    "ou recomposez les groupes d'abord.",
                    len(holding),
                )
                % {"count": edition.group_count, "numbers": _numbers(holding)}
            )
        removed = [group.number for group in extra]
        Workgroup.objects.filter(pk__in=[group.pk for group in extra]).delete()
        created = _create_missing(edition, groups)
        if created or removed:
            audit_log_record(
                actor=by,
                action=AuditAction.GROUPS_SET,
                target=edition,
                data={"created": created, "removed": removed},
            )
    return list(Workgroup.objects.filter(edition=edition).order_by("number"))


def _facilitator_ids(users) -> set[int]:
    return set(
        RoleAssignment.objects.filter(
            role=Role.FACILITATOR, user__in=users, user__is_active=True
        ).values_list("user_id", flat=True)
    )


def groups_update(*, by: User, edition: Edition, rows: list[dict]) -> list[int]:
    """Name the groups, give their room and facilitators.

    ``rows``: one dict per group to change, with ``number`` and any of ``name``,
    ``room`` and ``facilitators`` (users holding the facilitator role).
    Returns the numbers of the groups that changed.
    """
    users = {user.pk: user for row in rows for user in row.get("facilitators", [])}
    not_facilitators = [user for pk, user in users.items() if pk not in _facilitator_ids(users)]
    if not_facilitators:
        raise ServiceError(
            _(
                "Seules les personnes qui ont le rôle d'animateur peuvent animer un groupe : "
                "%(names)s ne l'ont pas. Attribuez-leur ce rôle sur la page des rôles d'abord."
            )
            % {"names": ", ".join(sorted(str(user) for user in not_facilitators))}
        )
    changed: dict[int, dict] = {}
    with transaction.atomic():
        groups = {
            group.number: group
            for group in Workgroup.objects.select_for_update()
            .filter(edition=edition, number__in=[row["number"] for row in rows])
            .prefetch_related("facilitators")
        }
        unknown = {row["number"] for row in rows} - set(groups)
        if unknown:
            raise ServiceError(
                ngettext(
                    "Ce groupe n'existe pas dans cette édition : %(numbers)s.",
                    "Ces groupes n'existent pas dans cette édition : %(numbers)s.",
                    len(unknown),
                )
                % {"numbers": _numbers(unknown)}
            )
        for row in rows:
            group = groups[row["number"]]
            changes = {}
            for key in ("name", "room"):
                value = " ".join(str(row.get(key, getattr(group, key))).split())
                if value != getattr(group, key):
                    changes[key] = [getattr(group, key), value]
                    setattr(group, key, value)
            if changes:
                group.save(update_fields=list(changes))
            if "facilitators" in row:
                before = {user.pk: user for user in group.facilitators.all()}
                after = {user.pk: user for user in row["facilitators"]}
                if set(before) != set(after):
                    group.facilitators.set(list(after.values()))
                    changes["facilitators"] = [
                        sorted(user.email for user in before.values()),
                        sorted(user.email for user in after.values()),
                    ]
            if changes:
                changed[group.number] = changes
        if changed:
            audit_log_record(
                actor=by,
                action=AuditAction.GROUPS_SET,
                target=edition,
                data={"changes": {str(number): value for number, value in changed.items()}},
            )
    return sorted(changed)


def organisation_key(registration: Registration, actor_names: dict[str, int]) -> str | None:
    """Who the person works for, as the composition compares it: the directory's
    actor when linked, else the typed name lower-cased with spaces collapsed
    (the same name as a linked actor counts as that actor)."""
    if registration.actor_id:
        return f"actor:{registration.actor_id}"
    name = " ".join(registration.organisation.split()).lower()
    if not name:
        return None
    if name in actor_names:
        return f"actor:{actor_names[name]}"
    return f"name:{name}"


def _people(registrations: list[Registration]) -> list[Person]:
    actor_names = {
        " ".join(registration.actor.name.split()).lower(): registration.actor_id
        for registration in registrations
        if registration.actor_id
    }
    return [
        Person(
            id=registration.pk,
            organisation=organisation_key(registration, actor_names),
            college=registration.college,
            territory=str(registration.territory_id) if registration.territory_id else None,
        )
        for registration in registrations
    ]


def _is_confirmed(registration: Registration) -> bool:
    return registration.status == RegistrationStatus.CONFIRMED and not registration.anonymised_at


def groups_mix(groups: list[Workgroup]) -> Mix | None:
    """How mixed the groups are as they stand, moves by hand included (no write:
    it sits here beside the composition it scores). ``groups`` come from
    ``selectors.workgroups_of`` (seats, registrations and actors prefetched);
    only confirmed people count, pinned ones as fixed. None when nobody is seated."""
    seats = [
        (position, seat)
        for position, group in enumerate(groups)
        for seat in group.seats.all()
        if _is_confirmed(seat.registration)
    ]
    if not seats:
        return None
    composition = evaluate(
        _people([seat.registration for _position, seat in seats]),
        len(groups),
        {seat.registration_id: position for position, seat in seats},
        fixed=[seat.registration_id for _position, seat in seats if seat.pinned],
    )
    return Mix.of(composition, [group.number for group in groups])


def groups_compose(
    *,
    by: User,
    edition: Edition,
    source: str = Source.CONFIRMED,
    keep_seated: bool = True,
    seed: int | None = None,
) -> ComposeReport:
    """Seat the edition's participants in its groups, mixing organisations,
    colleges and neighbourhoods (docs/composition.md).

    - ``source``: every confirmed person, or only those checked in.
    - Pinned seats stay where they are (a pinned person who has not arrived yet
      keeps their seat too: the pin is the organiser's choice).
    - ``keep_seated``: people already seated stay in their group and only the
      others are placed (late arrivals); otherwise everyone not pinned is
      placed again.
    - Anyone else loses their seat: cancelled, back on the waiting list,
      anonymised, or (source "checked_in") not arrived.
    - Missing groups are created first; groups beyond the edition's count are
      emptied and removed, unless someone is pinned there.
    """
    if source not in Source.ALL:
        raise ValueError(f"unknown source {source!r}")

    with transaction.atomic():
        edition = _lock_edition(edition)
        if seed is None:
            seed = workshop_settings(edition).composition_seed
        groups = list(Workgroup.objects.filter(edition=edition).order_by("number"))
        extra = _extra_groups(edition, groups)
        extra_ids = {group.pk for group in extra}
        _create_missing(edition, groups)
        groups = list(
            Workgroup.objects.filter(edition=edition, number__lte=edition.group_count).order_by(
                "number"
            )
        )
        index = {group.pk: position for position, group in enumerate(groups)}

        seats = {
            seat.registration_id: seat
            for seat in Seat.objects.select_for_update(of=("self",))
            .filter(workgroup__edition=edition)
            .select_related("workgroup")
        }
        confirmed = Q(status=RegistrationStatus.CONFIRMED, anonymised_at__isnull=True)
        wanted = confirmed
        if source == Source.CHECKED_IN:
            pinned_ids = [pk for pk, seat in seats.items() if seat.pinned]
            wanted = confirmed & (Q(checked_in_at__isnull=False) | Q(pk__in=pinned_ids))
        registrations = list(
            Registration.objects.filter(wanted, edition=edition)
            .select_related("actor")
            .order_by("pk")
        )
        # Refused before anything is written: no one to place, or groups left empty.
        problem = sizing_problem(len(registrations), len(groups), source=source)
        if problem:
            raise ServiceError(problem)
        people_ids = {registration.pk for registration in registrations}

        pinned_extra = [
            seat.workgroup.number
            for pk, seat in seats.items()
            if seat.pinned and seat.workgroup_id in extra_ids and pk in people_ids
        ]
        if pinned_extra:
            raise ServiceError(
                ngettext(
                    "Le nombre de groupes de l'édition est passé à %(count)s, mais des personnes "
                    "sont épinglées dans le groupe %(numbers)s : désépinglez-les ou "
                    "déplacez-les d'abord.",
                    "Le nombre de groupes de l'édition est passé à %(count)s, mais des personnes "
                    "sont épinglées dans les groupes %(numbers)s : désépinglez-les ou "
                    "déplacez-les d'abord.",
                    len(set(pinned_extra)),
                )
                % {"count": edition.group_count, "numbers": _numbers(set(pinned_extra))}
            )
        pinned = {
            pk: index[seat.workgroup_id]
            for pk, seat in seats.items()
            if pk in people_ids and seat.pinned
        }
        seated = {}
        if keep_seated:
            seated = {
                pk: index[seat.workgroup_id]
                for pk, seat in seats.items()
                if pk in people_ids and not seat.pinned and seat.workgroup_id in index
            }

        result = compose(
            _people(registrations), len(groups), seed=seed, pinned=pinned, seated=seated
        )

        gone = [seat.pk for pk, seat in seats.items() if pk not in people_ids]
        Seat.objects.filter(pk__in=gone).delete()
        now = timezone.now()
        moved, created = [], []
        for pk, position in result.assignment.items():
            group = groups[position]
            seat = seats.get(pk)
            if seat is None:
                created.append(Seat(workgroup=group, registration_id=pk, seated_at=now))
            elif seat.workgroup_id != group.pk:
                seat.workgroup = group
                seat.seated_at = now
                moved.append(seat)
        Seat.objects.bulk_update(moved, ["workgroup", "seated_at"])
        Seat.objects.bulk_create(created)
        Workgroup.objects.filter(pk__in=extra_ids).delete()

        report = ComposeReport(
            source=source,
            keep_seated=keep_seated,
            seed=seed,
            people=len(result.assignment),
            pinned=len(pinned),
            kept=len(seated),
            placed=len(moved) + len(created),
            unseated=len(gone),
            mix=Mix.of(result, [group.number for group in groups]),
        )
        data = report.as_dict()
        data["mix"].pop("groups")
        data["removed_groups"] = sorted(group.number for group in extra)
        audit_log_record(actor=by, action=AuditAction.GROUPS_COMPOSED, target=edition, data=data)
    return report


def _movable(edition: Edition, registration: Registration) -> None:
    if registration.edition_id != edition.pk:
        raise ServiceError(_("Cette inscription n'est pas celle de cette édition."))
    if not _is_confirmed(registration):
        raise ServiceError(
            _("Seule une personne dont l'inscription est confirmée peut avoir une place.")
        )


def seat_move(
    *,
    by: User,
    edition: Edition,
    registration: Registration,
    workgroup: Workgroup,
    pinned: bool,
) -> Seat:
    """Put the person in ``workgroup`` (pinned there or not), by hand."""
    _movable(edition, registration)
    if workgroup.edition_id != edition.pk:
        raise ServiceError(_("Ce groupe n'est pas un groupe de cette édition."))
    with transaction.atomic():
        seat = (
            Seat.objects.select_for_update(of=("self",))
            .select_related("workgroup")
            .filter(registration=registration)
            .first()
        )
        before = (seat.workgroup.number, seat.pinned) if seat else (None, None)
        if before == (workgroup.number, pinned):
            return seat
        if seat is None:
            seat = Seat(registration=registration)
        seat.workgroup = workgroup
        seat.pinned = pinned
        seat.save()
        audit_log_record(
            actor=by,
            action=AuditAction.SEAT_MOVED,
            target=registration,
            data={"from": before[0], "to": workgroup.number, "pinned": pinned},
        )
    return seat


def seat_pin(*, by: User, seat: Seat, pinned: bool) -> Seat:
    """Pin the person to their group (composing again leaves them there), or unpin."""
    with transaction.atomic():
        seat = (
            Seat.objects.select_for_update(of=("self",)).select_related("workgroup").get(pk=seat.pk)
        )
        if seat.pinned == pinned:
            return seat
        seat.pinned = pinned
        seat.save(update_fields=["pinned", "seated_at"])
        audit_log_record(
            actor=by,
            action=AuditAction.SEAT_MOVED,
            target=seat.registration,
            data={"from": seat.workgroup.number, "to": seat.workgroup.number, "pinned": pinned},
        )
    return seat
