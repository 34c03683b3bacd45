"""Demo data of the workshops: the 2024 edition's 17 groups with fictitious
project sheets, three jurors with their scores and published results; the
next edition's groups in preparation.

Deterministic and idempotent: groups, sheets and scores are matched by
(edition, number) and (juror, group) and only missing ones are added.
"""

import random

from django.db import transaction

from contract.demo import demo_project_priorities, priorities_by_slug
from contrat_ville.enums import Role
from contrat_ville.models import Territory, User
from contrat_ville.services import user_roles_set
from events.enums import EventKind, RegistrationStatus
from events.models import Edition

from .enums import JuryPhase
from .models import Criterion, Juror, ProjectSheet, Score, ScoreSheet, Workgroup
from .selectors import workshop_settings

FACILITATOR_EMAIL = "animateur@demo.test"
JURY_EMAIL = "jury@demo.test"
# Two more jurors, fictitious accounts with no password: nobody logs in as them.
EXTRA_JURORS = (
    ("jure.deux@demo.test", "Jérôme", "Jurémi"),
    ("jure.trois@demo.test", "Julie", "Jurette"),
)
ROOMS = ("Grande salle", "Salle A", "Salle B", "Salle C", "Mezzanine", "Foyer")

# Seventeen projects for youth in the priority neighbourhoods, as groups might
# sketch them in 45 minutes (fiction).
PROJECTS = (
    (
        "Cap sur le permis",
        "Sans permis, les 18-25 ans des quartiers renoncent à des emplois en horaires décalés.",
        17,
        25,
        "Auto-école sociale, bourse au permis contre heures de "
        "bénévolat, code en ligne accompagné au centre social.",
        "Permanences au pied des immeubles avec les médiateurs, le soir.",
        12000,
    ),
    (
        "Le studio des Hauts",
        "Les jeunes veulent créer de la musique mais n'ont pas de lieu.",
        13,
        20,
        "Un studio d'enregistrement animé par des musiciens du quartier, ouvert le "
        "mercredi et le samedi.",
        "Tournée des city-stades avec un studio mobile.",
        8000,
    ),
    (
        "Stages pour tous",
        "Les élèves de 3e peinent à trouver un stage d'observation.",
        14,
        15,
        "Un réseau d'entreprises partenaires et une bourse aux stages partagée par les collèges.",
        "Les parents sont invités par les délégués du conseil citoyen.",
        3000,
    ),
    (
        "Sport au féminin",
        "Les filles quittent les clubs à l'adolescence.",
        11,
        17,
        "Créneaux réservés, entraîneuses, transport organisé vers les gymnases.",
        "Ambassadrices de 16-17 ans qui recrutent dans les collèges.",
        6500,
    ),
    (
        "Réparer ensemble",
        "Des jeunes sans diplôme cherchent une première expérience.",
        16,
        25,
        "Chantier d'insertion de réparation de vélos et d'électroménager.",
        "Repérage avec la prévention spécialisée et la mission locale.",
        25000,
    ),
    (
        "Numérique solidaire",
        "Beaucoup de démarches sont en ligne et les jeunes n'ont qu'un téléphone.",
        15,
        25,
        "Ateliers d'accès aux droits en ligne, prêt d'ordinateurs.",
        "Permanences numériques dans les halls et au marché.",
        7000,
    ),
    (
        "Vacances apprenantes",
        "L'été, les enfants des quartiers partent peu.",
        8,
        14,
        "Séjours courts, sorties nature et culture avec les familles.",
        "Inscriptions sur place lors des fêtes de quartier.",
        15000,
    ),
    (
        "Paroles de jeunes",
        "Les jeunes se sentent peu écoutés par les institutions.",
        14,
        22,
        "Un conseil des jeunes du quartier lié au conseil citoyen, un budget participatif.",
        "Micro-trottoirs et podcasts réalisés par les jeunes eux-mêmes.",
        4000,
    ),
    (
        "Santé en tête",
        "Le mal-être des adolescents est peu repéré.",
        12,
        18,
        "Ateliers bien-être, consultations sans rendez-vous au point écoute.",
        "Infirmiers scolaires et éducateurs en binôme dans la rue.",
        9000,
    ),
    (
        "Jobs d'été du quartier",
        "Premier emploi difficile à décrocher sans réseau.",
        16,
        20,
        "Jobs d'été chez les bailleurs et les associations, avec tutorat.",
        "Information dans les collèges et les lycées, forum au centre social.",
        20000,
    ),
    (
        "Cuisine et partage",
        "Alimentation déséquilibrée et isolement.",
        15,
        25,
        "Un restaurant éphémère tenu par des jeunes formés par des chefs.",
        "Invitations portées par les jeunes à leurs familles.",
        11000,
    ),
    (
        "Des livres partout",
        "La lecture recule chez les collégiens.",
        10,
        15,
        "Boîtes à livres, lectures en plein air, rencontres d'auteurs.",
        "Lectures au pied des immeubles l'été.",
        2500,
    ),
    (
        "Mobilité vers l'emploi",
        "Zones d'emploi mal desservies le week-end.",
        18,
        25,
        "Location de scooters à tarif solidaire, covoiturage encadré.",
        "Présentation aux jeunes repérés par France Travail et la mission locale.",
        18000,
    ),
    (
        "Égalité filles-garçons",
        "Stéréotypes dans le choix des métiers.",
        12,
        16,
        "Rencontres avec des professionnelles et des professionnels aux métiers inattendus.",
        "Interventions en classe et au club de foot.",
        3500,
    ),
    (
        "Mon quartier en photos",
        "Image dégradée du quartier chez les jeunes eux-mêmes.",
        12,
        20,
        "Atelier photo et exposition dans le centre-ville.",
        "Appareils prêtés lors de balades urbaines.",
        5000,
    ),
    (
        "Entreprendre au quartier",
        "Des idées d'activité sans accompagnement.",
        18,
        25,
        "Couveuse, micro-crédit, parrainage par des entrepreneurs.",
        "Soirées pitch dans les cafés du quartier.",
        22000,
    ),
    (
        "Médiation par les pairs",
        "Conflits au collège et dans l'espace public.",
        13,
        18,
        "Former des jeunes médiateurs, espaces de dialogue réguliers.",
        "Repérage des leaders positifs par les animateurs.",
        6000,
    ),
)


def _jurors() -> list[User]:
    users = list(User.objects.filter(email=JURY_EMAIL))
    for email, first_name, last_name in EXTRA_JURORS:
        user, created = User.objects.get_or_create(
            email=email, defaults={"first_name": first_name, "last_name": last_name}
        )
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
            user_roles_set(actor=None, user=user, roles=[Role.JUROR])
        users.append(user)
    return users


def _groups(edition: Edition) -> list[Workgroup]:
    existing = {group.number: group for group in edition.workgroups.all()}
    for number in range(1, edition.group_count + 1):
        if number not in existing:
            existing[number] = Workgroup.objects.create(
                edition=edition,
                number=number,
                name=PROJECTS[(number - 1) % len(PROJECTS)][0] if edition.year == 2024 else "",
                room=f"{ROOMS[(number - 1) % len(ROOMS)]}, table {number}",
            )
    return [existing[number] for number in sorted(existing)]


def _compose(edition: Edition) -> None:
    from .services.groups import groups_compose

    confirmed = edition.registrations.filter(status=RegistrationStatus.CONFIRMED)
    if confirmed.filter(seat__isnull=True).exists():
        groups_compose(by=None, edition=edition, source="confirmed", keep_seated=True)


def _sheets(groups: list[Workgroup]) -> None:
    territories = list(Territory.objects.filter(kind__in=["qpv"]).order_by("order"))
    for group in groups:
        if hasattr(group, "sheet"):
            continue
        title, need, age_min, age_max, actions, outreach, budget = PROJECTS[
            (group.number - 1) % len(PROJECTS)
        ]
        sheet = ProjectSheet.objects.create(
            workgroup=group,
            title=title,
            need=need,
            age_min=age_min,
            age_max=age_max,
            actions=actions,
            outreach=outreach,
            resources="Locaux du centre social, deux animateurs, matériel prêté par la ville.",
            budget=budget,
            first_steps="Réunir les partenaires en janvier, tester sur un quartier au printemps.",
            indicators="Nombre de jeunes touchés, dont jeunes filles ; retours des familles.",
            other_partners="Parents d'élèves, commerçants du quartier",
        )
        sheet.territories.set(territories[group.number % 2 :: 2] or territories)
        present = [seat.registration_id for seat in group.seats.all()[:6]]
        sheet.members_present.set(present)
    _tag_priorities(groups)


def _tag_priorities(groups: list[Workgroup]) -> None:
    """The contract's demo priorities each project serves (contract/demo_data)."""
    wanted = {group.pk: demo_project_priorities(group.number) for group in groups}
    priorities = priorities_by_slug(slug for slugs in wanted.values() for slug in slugs)
    for sheet in ProjectSheet.objects.filter(workgroup__in=groups):
        sheet.priorities.set([priorities[s] for s in wanted[sheet.workgroup_id] if s in priorities])


def _scores(edition: Edition, groups: list[Workgroup], jurors: list[User]) -> None:
    from .services.jury import criteria_ensure_defaults

    criteria_ensure_defaults(edition=edition)
    criteria = list(Criterion.objects.filter(edition=edition).order_by("order", "pk"))
    rng = random.Random(edition.year)  # noqa: S311 (reproducible fiction)
    for user in jurors:
        juror, _created = Juror.objects.get_or_create(edition=edition, user=user)
        for group in groups:
            sheet, created = ScoreSheet.objects.get_or_create(juror=juror, workgroup=group)
            if not created:
                continue
            base = 2 + (group.number * 7) % 3
            Score.objects.bulk_create(
                Score(
                    sheet=sheet,
                    criterion=criterion,
                    value=max(
                        criterion.scale_min, min(criterion.scale_max, base + rng.randint(-1, 2))
                    ),
                )
                for criterion in criteria
            )


@transaction.atomic
def seed_workshops() -> str:
    first = Edition.objects.filter(kind=EventKind.RENCONTRE, year=2024).first()
    if first is None:
        return "workshops: no 2024 edition"
    groups = _groups(first)
    _compose(first)
    facilitator = User.objects.filter(email=FACILITATOR_EMAIL).first()
    if facilitator is not None:
        groups[2].facilitators.add(facilitator)
    _sheets(groups)
    jurors = _jurors()
    _scores(first, groups, jurors)
    settings = workshop_settings(first)
    if settings.phase != JuryPhase.PUBLISHED:
        from django.utils import timezone

        settings.phase = JuryPhase.PUBLISHED
        settings.results_public = True
        settings.gallery_public = True
        settings.published_at = timezone.now()
        settings.save()

    upcoming = (
        Edition.objects.filter(kind=EventKind.RENCONTRE, year__gt=2024).order_by("year").first()
    )
    if upcoming is not None:
        next_groups = _groups(upcoming)
        if facilitator is not None:
            next_groups[0].facilitators.add(facilitator)
        workshop_settings(upcoming)
        from .services.jury import criteria_ensure_defaults

        criteria_ensure_defaults(edition=upcoming)
        Juror.objects.get_or_create(edition=upcoming, user=jurors[0])
    seated = sum(group.seats.count() for group in groups)
    return (
        f"workshops: 2024 has {len(groups)} groups ({seated} seated), sheets, "
        f"{len(jurors)} jurors, results published"
        + (f"; {upcoming.year} in preparation" if upcoming else "")
    )
