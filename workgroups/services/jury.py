"""Writes of the mock jury: criteria, jurors, settings, phases and score sheets.

The phases run preparation → scoring → deliberation → published. During scoring
each juror fills one score sheet per group (never one of their own group); the
database holds one sheet per (juror, group). See workgroups/aggregation.py for how
the sheets become a ranking.
"""

from collections import Counter
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Max, Min
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from contrat_ville.enums import Role
from contrat_ville.models import RoleAssignment, User
from contrat_ville.services import ServiceError, audit_log_record
from events.models import Edition

from ..enums import PHASE_ORDER, Aggregation, AuditAction, JuryPhase
from ..models import Criterion, Juror, Score, ScoreSheet, Workgroup, WorkshopSettings
from ..permissions import belongs_to_group

# The five default criteria: (name, one-line description).
DEFAULT_CRITERIA = [
    (
        gettext_lazy("Réponse aux besoins des jeunes"),
        gettext_lazy(
            "Le projet répond-il à un besoin réel des jeunes des quartiers prioritaires ?"
        ),
    ),
    (
        gettext_lazy("Faisabilité"),
        gettext_lazy("Peut-il être lancé avec des moyens, un budget et un calendrier réalistes ?"),
    ),
    (
        gettext_lazy("Travailler ensemble"),
        gettext_lazy(
            "Fait-il travailler ensemble des associations, des services publics, des habitants "
            "et des quartiers qui n'en ont pas l'habitude ?"
        ),
    ),
    (
        gettext_lazy("Aller à la rencontre des jeunes"),
        gettext_lazy(
            "Va-t-il chercher les jeunes que les services et les associations ne voient pas "
            "d'habitude ?"
        ),
    ),
    (
        gettext_lazy("Innovation"),
        gettext_lazy("Apporte-t-il une idée ou une façon de faire nouvelle sur le territoire ?"),
    ),
]

MAX_WEIGHT = 1000  # the column holds 5 digits, 2 of them decimals
MAX_SCALE = 100
MAX_ORDER = 32767
CRITERION_FIELDS = ("name", "description", "weight", "scale_min", "scale_max", "order")

# Allowed moves: (from, to). Forward one step; organisers may reopen scoring
# from deliberation, and unpublish.
PHASE_MOVES = {
    (JuryPhase.PREPARATION, JuryPhase.SCORING),
    (JuryPhase.SCORING, JuryPhase.DELIBERATION),
    (JuryPhase.DELIBERATION, JuryPhase.PUBLISHED),
    (JuryPhase.DELIBERATION, JuryPhase.SCORING),
    (JuryPhase.PUBLISHED, JuryPhase.DELIBERATION),
}


class ScoreError(ServiceError):
    """A refused score sheet; ``criterion_id`` says which mark is at fault, if one is."""

    def __init__(self, message: str, criterion_id: int | None = None):
        super().__init__(message)
        self.criterion_id = criterion_id


def _locked_settings(edition: Edition) -> WorkshopSettings:
    """The edition's workshop settings, row-locked for the transaction (PostgreSQL;
    SQLite serialises writers anyway). Created with the defaults if missing."""
    WorkshopSettings.objects.get_or_create(edition=edition)
    locked = WorkshopSettings.objects.select_for_update().get(edition=edition)
    # Keep the per-edition cache of workgroups.selectors.workshop_settings in step.
    edition.__dict__["_workshop_settings"] = locked
    return locked


def phase_moves_from(phase: str) -> list[str]:
    """Where the jury may go from ``phase``, in the order of the phases."""
    return [to for to in PHASE_ORDER if (phase, to) in PHASE_MOVES]


# -- criteria ------------------------------------------------------------------------


def criteria_ensure_defaults(*, edition: Edition, by: User | None = None) -> list[Criterion]:
    """Give the edition the five default criteria (weight 1, scale 0 to 5), only
    when it has none. Returns the criteria created (none if it had some)."""
    with transaction.atomic():
        settings = _locked_settings(edition)
        if Criterion.objects.filter(edition=edition).exists():
            return []
        if settings.phase == JuryPhase.PUBLISHED:
            raise ServiceError(_published_message())
        created = Criterion.objects.bulk_create(
            Criterion(
                edition=edition,
                name=str(name),
                description=str(description),
                weight=Decimal(1),
                scale_min=0,
                scale_max=5,
                order=order,
            )
            for order, (name, description) in enumerate(DEFAULT_CRITERIA, start=1)
        )
        audit_log_record(
            actor=by,
            action=AuditAction.JURY_SET,
            target=edition,
            data={"critères ajoutés": [criterion.name for criterion in created]},
        )
    return created


def _published_message() -> str:
    return _(
        "Les résultats sont publiés : repassez le jury en délibération avant de "
        "modifier les critères."
    )


def _clean_row(row: dict) -> dict:
    values = {key: row[key] for key in CRITERION_FIELDS if key in row}
    name = str(values.get("name", "")).strip()
    if not name:
        raise ServiceError(_("Chaque critère doit avoir un nom."))
    values["name"] = name
    values["description"] = str(values.get("description") or "").strip()
    try:
        values["weight"] = Decimal(str(values.get("weight", 1)))
        values["scale_min"] = int(values.get("scale_min", 0))
        values["scale_max"] = int(values.get("scale_max", 5))
        values["order"] = int(values.get("order") or 0)
    except (ArithmeticError, TypeError, ValueError):
        raise ServiceError(
            _("Critère « %(name)s » : poids, barème et ordre sont des nombres.") % {"name": name}
        ) from None
    if not 0 <= values["order"] <= MAX_ORDER:
        raise ServiceError(
            _("Critère « %(name)s » : l'ordre va de 0 à %(max)s.")
            % {"name": name, "max": MAX_ORDER}
        )
    weight = values["weight"]
    if not (0 < weight < MAX_WEIGHT) or weight != weight.quantize(Decimal("0.01")):
        raise ServiceError(
            _(
                "Critère « %(name)s » : le poids doit être positif, inférieur à %(max)s, "
                "avec au plus deux décimales."
            )
            % {"name": name, "max": MAX_WEIGHT}
        )
    if not 0 <= values["scale_min"] < values["scale_max"] <= MAX_SCALE:
        raise ServiceError(
            _(
                "Critère « %(name)s » : le barème va d'une note minimale positive ou nulle "
                "à une note maximale plus grande, au plus %(max)s."
            )
            % {"name": name, "max": MAX_SCALE}
        )
    return values


def criteria_set(*, by: User, edition: Edition, rows: list[dict]) -> None:
    """Add, change and delete criteria. Each row: ``id`` (None for a new criterion),
    the criterion's fields, and ``delete``. Criteria not in ``rows`` stay as they are.

    Refused: a criterion of another edition; two criteria with the same name;
    deleting a criterion that already has marks; a scale that would leave given
    marks outside it; any change once the results are published."""
    with transaction.atomic():
        settings = _locked_settings(edition)
        if settings.phase == JuryPhase.PUBLISHED:
            raise ServiceError(_published_message())
        existing = {c.pk: c for c in Criterion.objects.filter(edition=edition)}
        deletes, updates, creates = [], [], []
        for row in rows:
            pk = row.get("id")
            if pk is not None and pk not in existing:
                raise ServiceError(_("Ce critère n'existe pas ou plus : rechargez la page."))
            if row.get("delete"):
                if pk is not None:
                    deletes.append(existing[pk])
                continue
            values = _clean_row(row)
            (updates if pk is not None else creates).append((pk, values))

        untouched = set(existing) - {c.pk for c in deletes} - {pk for pk, _values in updates}
        names = [existing[pk].name for pk in untouched]
        names += [values["name"] for _pk, values in updates + creates]
        if max(Counter(name.casefold() for name in names).values(), default=0) > 1:
            raise ServiceError(_("Deux critères ne peuvent pas porter le même nom."))

        scored = _score_ranges(existing)
        for criterion in deletes:
            if criterion.pk in scored:
                raise ServiceError(
                    _(
                        "Le critère « %(name)s » a déjà reçu des notes : il ne peut plus être "
                        "supprimé."
                    )
                    % {"name": criterion.name}
                )
        changes, changed_criteria = {}, []
        for pk, values in updates:
            criterion = existing[pk]
            low, high = scored.get(pk, (None, None))
            if low is not None and not (values["scale_min"] <= low and high <= values["scale_max"]):
                raise ServiceError(
                    _(
                        "Le critère « %(name)s » a déjà reçu des notes de %(low)s à %(high)s : "
                        "son barème doit les contenir."
                    )
                    % {"name": criterion.name, "low": low, "high": high}
                )
            changed = {
                key: [str(getattr(criterion, key)), str(value)]
                for key, value in values.items()
                if getattr(criterion, key) != value
            }
            if changed:
                changes[criterion.name] = changed
                for key, value in values.items():
                    setattr(criterion, key, value)
                changed_criteria.append(criterion)
        deleted = [criterion.name for criterion in deletes]
        Criterion.objects.filter(pk__in=[c.pk for c in deletes]).delete()
        try:
            with transaction.atomic():
                for criterion in changed_criteria:
                    criterion.save()
                created = Criterion.objects.bulk_create(
                    Criterion(edition=edition, **values) for _pk, values in creates
                )
        except IntegrityError:
            # Two names swapped in one go trip the unique constraint half-way.
            raise ServiceError(
                _("Deux critères ne peuvent pas porter le même nom, même le temps d'un échange.")
            ) from None
        if deleted or changes or created:
            data = {}
            if created:
                data["critères ajoutés"] = [c.name for c in created]
            if deleted:
                data["critères supprimés"] = deleted
            for name, changed in changes.items():
                data[f"critère « {name} »"] = ", ".join(
                    f"{key} : {old} → {new}" for key, (old, new) in changed.items()
                )
            audit_log_record(actor=by, action=AuditAction.JURY_SET, target=edition, data=data)


def _score_ranges(criteria: dict[int, Criterion]) -> dict[int, tuple[int, int]]:
    """Criterion id -> (lowest, highest) mark given, for criteria with marks."""
    rows = (
        Score.objects.filter(criterion_id__in=list(criteria))
        .values("criterion_id")
        .annotate(low=Min("value"), high=Max("value"))
    )
    return {row["criterion_id"]: (row["low"], row["high"]) for row in rows}


# -- jurors and settings -------------------------------------------------------------


def jurors_set(*, by: User, edition: Edition, users) -> None:
    """Make ``users`` the edition's jurors. Someone added must hold the juror role;
    once scoring has started, a juror who filled sheets cannot be removed."""
    wanted = {user.pk: user for user in users}
    with transaction.atomic():
        settings = _locked_settings(edition)
        current = {
            juror.user_id: juror
            for juror in Juror.objects.filter(edition=edition).select_related("user")
        }
        added = [wanted[pk] for pk in wanted if pk not in current]
        removed = [current[pk] for pk in current if pk not in wanted]
        if added:
            jurors = set(
                RoleAssignment.objects.filter(
                    role=Role.JUROR, user_id__in=[user.pk for user in added], user__is_active=True
                ).values_list("user_id", flat=True)
            )
            lacking = sorted(str(user) for user in added if user.pk not in jurors)
            if lacking:
                raise ServiceError(
                    _(
                        "Ces personnes n'ont pas le rôle de membre du jury : %(names)s. "
                        "Donnez-le-leur d'abord dans la gestion des rôles."
                    )
                    % {"names": ", ".join(lacking)}
                )
        if removed and settings.phase != JuryPhase.PREPARATION:
            busy = sorted(
                str(juror.user)
                for juror in removed
                if ScoreSheet.objects.filter(juror=juror).exists()
            )
            if busy:
                raise ServiceError(
                    _(
                        "La notation a commencé et ces jurés ont déjà rempli des grilles : "
                        "%(names)s. Ils ne peuvent plus être retirés du jury."
                    )
                    % {"names": ", ".join(busy)}
                )
        if not added and not removed:
            return
        Juror.objects.filter(pk__in=[juror.pk for juror in removed]).delete()
        Juror.objects.bulk_create(Juror(edition=edition, user=user) for user in added)
        data = {}
        if added:
            data["jurés ajoutés"] = sorted(str(user) for user in added)
        if removed:
            data["jurés retirés"] = sorted(str(juror.user) for juror in removed)
        audit_log_record(actor=by, action=AuditAction.JURY_SET, target=edition, data=data)


def jury_settings_set(
    *,
    by: User,
    edition: Edition,
    aggregation: str,
    results_public: bool,
    gallery_public: bool,
) -> None:
    if aggregation not in Aggregation.values:
        raise ServiceError(_("Méthode d'agrégation inconnue."))
    with transaction.atomic():
        settings = _locked_settings(edition)
        wanted = {
            "aggregation": aggregation,
            "results_public": bool(results_public),
            "gallery_public": bool(gallery_public),
        }
        changes = {
            key: [str(getattr(settings, key)), str(value)]
            for key, value in wanted.items()
            if getattr(settings, key) != value
        }
        if not changes:
            return
        for key, value in wanted.items():
            setattr(settings, key, value)
        settings.save(update_fields=[*wanted, "updated_at"])
        audit_log_record(
            actor=by, action=AuditAction.JURY_SET, target=edition, data={"changes": changes}
        )


def jury_phase_set(*, by: User, edition: Edition, phase: str) -> bool:
    """Move the jury to ``phase``. Returns False when it already is there.

    Allowed: one step forward; deliberation back to scoring (a forgotten sheet);
    published back to deliberation (unpublish). Scoring needs criteria and jurors."""
    if phase not in JuryPhase.values:
        raise ServiceError(_("Phase inconnue."))
    with transaction.atomic():
        settings = _locked_settings(edition)
        current = settings.phase
        if current == phase:
            return False
        if (current, phase) not in PHASE_MOVES:
            raise ServiceError(
                _("Le jury ne peut pas passer de « %(current)s » à « %(phase)s ».")
                % {"current": JuryPhase(current).label, "phase": JuryPhase(phase).label}
            )
        if phase == JuryPhase.SCORING and not (
            Criterion.objects.filter(edition=edition).exists()
            and Juror.objects.filter(edition=edition).exists()
        ):
            raise ServiceError(
                _("Choisissez au moins un juré et un critère avant d'ouvrir la notation.")
            )
        settings.phase = phase
        settings.published_at = timezone.now() if phase == JuryPhase.PUBLISHED else None
        settings.save(update_fields=["phase", "published_at", "updated_at"])
        audit_log_record(
            actor=by,
            action=AuditAction.JURY_PHASE,
            target=edition,
            data={
                "changes": {"phase": [str(JuryPhase(current).label), str(JuryPhase(phase).label)]}
            },
        )
    return True


# -- score sheets --------------------------------------------------------------------


def score_sheet_save(
    *,
    juror_user: User,
    workgroup: Workgroup,
    values: dict[int, int],
    comment: str = "",
) -> ScoreSheet:
    """Save the juror's sheet for the group: a mark for every criterion of the
    edition, within its scale. A second save updates the same sheet.

    Refused outside the scoring phase, for someone who is not a juror of the
    edition, and for a juror who belongs to the group (seated in it or facilitating it)."""
    edition = workgroup.edition
    with transaction.atomic():
        settings = _locked_settings(edition)
        if settings.phase != JuryPhase.SCORING:
            raise ScoreError(
                _("La notation n'est pas ouverte : les grilles ne peuvent pas être modifiées.")
            )
        juror = Juror.objects.filter(edition=edition, user=juror_user).first()
        if juror is None:
            raise ScoreError(_("Vous n'êtes pas membre du jury de cette édition."))
        if belongs_to_group(juror_user, workgroup):
            raise ScoreError(_("Vous faites partie de ce groupe : vous ne pouvez pas le noter."))
        criteria = list(Criterion.objects.filter(edition=edition))
        if not criteria:
            raise ScoreError(_("Aucun critère n'est défini pour cette édition."))
        unknown = set(values) - {criterion.pk for criterion in criteria}
        if unknown:
            raise ScoreError(_("Ces notes portent sur un critère inconnu : rechargez la page."))
        for criterion in criteria:
            value = values.get(criterion.pk)
            if value is None:
                raise ScoreError(
                    _("Critère « %(name)s » : donnez une note.") % {"name": criterion.name},
                    criterion.pk,
                )
            if (
                isinstance(value, bool)
                or not isinstance(value, int)
                or not criterion.scale_min <= value <= criterion.scale_max
            ):
                raise ScoreError(
                    _("Critère « %(name)s » : la note doit être entre %(low)s et %(high)s.")
                    % {
                        "name": criterion.name,
                        "low": criterion.scale_min,
                        "high": criterion.scale_max,
                    },
                    criterion.pk,
                )
        comment = (comment or "").strip()
        sheet, created = ScoreSheet.objects.get_or_create(
            juror=juror, workgroup=workgroup, defaults={"comment": comment}
        )
        if not created and sheet.comment != comment:
            sheet.comment = comment
            sheet.save(update_fields=["comment", "updated_at"])
        elif not created:
            sheet.save(update_fields=["updated_at"])
        stored = {score.criterion_id: score for score in Score.objects.filter(sheet=sheet)}
        for criterion in criteria:
            value = values[criterion.pk]
            score = stored.get(criterion.pk)
            if score is None:
                Score.objects.create(sheet=sheet, criterion=criterion, value=value)
            elif score.value != value:
                score.value = value
                score.save(update_fields=["value"])
    return sheet


def scores_export_record(*, by: User, edition: Edition, count: int) -> None:
    """The scores' CSV was downloaded: record it (jurors' names and comments)."""
    audit_log_record(
        actor=by,
        action=AuditAction.SCORES_EXPORTED,
        target=edition,
        data={"lignes": count},
    )
