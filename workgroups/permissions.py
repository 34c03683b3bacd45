"""Who may do what in the workshops (django-rules; see contrat_ville.permissions).

Objects: ``workgroups.edit_sheet`` and ``workgroups.score_group`` take a
Workgroup; ``view_results``, ``export_scores`` and ``view_gallery`` take an Edition.
"""

import rules

from contrat_ville.permissions import is_facilitator, is_organiser, is_partner

from .enums import JuryPhase


@rules.predicate
def is_group_facilitator(user, workgroup) -> bool:
    if workgroup is None or not user.is_authenticated:
        return False
    cache = workgroup.__dict__.setdefault("_facilitated_by", {})
    if user.pk not in cache:
        cache[user.pk] = workgroup.facilitators.filter(pk=user.pk).exists()
    return cache[user.pk]


def belongs_to_group(user, workgroup) -> bool:
    """The person sits in the group (their registration, by account or address)
    or facilitates it: then they cannot judge it."""
    from .selectors import memberships

    return (user.pk, workgroup.pk) in memberships(workgroup.edition, [user])


@rules.predicate
def is_edition_juror(user, workgroup) -> bool:
    if workgroup is None or not user.is_authenticated:
        return False
    return workgroup.edition.jurors.filter(user=user).exists()


@rules.predicate
def is_own_group(user, workgroup) -> bool:
    return workgroup is not None and belongs_to_group(user, workgroup)


def _settings(edition):
    from .selectors import workshop_settings

    return workshop_settings(edition)


@rules.predicate
def marks_revealed(user, edition) -> bool:
    """The jury's marks show from deliberation on, to every role (docs/jury.md)."""
    from .results import REVEALED_PHASES

    return edition is not None and _settings(edition).phase in REVEALED_PHASES


@rules.predicate
def results_published(user, edition) -> bool:
    return edition is not None and _settings(edition).phase == JuryPhase.PUBLISHED


@rules.predicate
def results_public(user, edition) -> bool:
    return edition is not None and _settings(edition).results_public


@rules.predicate
def gallery_public(user, edition) -> bool:
    return edition is not None and _settings(edition).gallery_public


rules.add_perm("workgroups.view_groups", is_partner)
rules.add_perm("workgroups.manage", is_organiser)
# The workshop countdown on the room projector: organisers and facilitators.
rules.add_perm("workgroups.run_countdown", is_organiser | is_facilitator)
rules.add_perm("workgroups.edit_sheet", is_organiser | is_group_facilitator)
# Jurors score independently: their own sheets only, never a group they belong to.
rules.add_perm("workgroups.score_group", is_edition_juror & ~is_own_group)
# Results and the scores' CSV hold marks: nobody sees them while jurors are still scoring,
# organisers included (they follow the progress on the jury page).
rules.add_perm(
    "workgroups.view_results",
    marks_revealed & (is_organiser | (results_published & (is_partner | results_public))),
)
rules.add_perm("workgroups.export_scores", marks_revealed & is_organiser)
rules.add_perm(
    "workgroups.view_gallery",
    is_organiser | (results_published & (is_partner | gallery_public)),
)
