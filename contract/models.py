from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from contrat_ville.models import TimeStampedModel

from .enums import BodyKind


class Priority(TimeStampedModel):
    """One axis of the contract. Each contract sets its own (2023 national framework):
    nothing here is a fixed list."""

    title = models.CharField(_("intitulé"), max_length=150)
    slug = models.SlugField(_("adresse de la page"), max_length=80, unique=True)
    summary = models.CharField(_("en une phrase"), max_length=300)
    description = models.TextField(_("présentation"), blank=True, max_length=5000)
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)
    # Seeded by the demo: shown as such, so nobody takes it for the real contract.
    is_demo = models.BooleanField(_("contenu de démonstration"), default=False)

    class Meta:
        verbose_name = _("priorité du contrat")
        verbose_name_plural = _("priorités du contrat")
        ordering = ["position", "title", "pk"]
        constraints = [
            models.CheckConstraint(condition=~models.Q(slug=""), name="priority_slug_not_empty"),
            models.CheckConstraint(condition=~models.Q(title=""), name="priority_title_not_empty"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("contract:priority", kwargs={"slug": self.slug})


class Objective(models.Model):
    """One objective of a priority, in plain words."""

    priority = models.ForeignKey(
        Priority, on_delete=models.CASCADE, related_name="objectives", verbose_name=_("priorité")
    )
    title = models.CharField(_("objectif"), max_length=250)
    description = models.TextField(_("en clair"), blank=True, max_length=2000)
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)

    class Meta:
        verbose_name = _("objectif")
        verbose_name_plural = _("objectifs")
        ordering = ["priority", "position", "pk"]
        constraints = [
            models.CheckConstraint(condition=~models.Q(title=""), name="objective_title_not_empty"),
        ]

    def __str__(self) -> str:
        return self.title


class Body(TimeStampedModel):
    """A governance body of the contract: COPIL, COTECH, a commission, the conseil citoyen.

    Its member organisations are actors of the directory (``Actor.bodies``, declared by
    the directory above); its meetings are events of kind "réunion d'instance"
    (``Edition.body``, declared by the events app)."""

    kind = models.CharField(_("type"), max_length=20, choices=BodyKind.choices)
    name = models.CharField(_("nom"), max_length=150)
    slug = models.SlugField(_("adresse de la page"), max_length=80, unique=True)
    role = models.CharField(_("son rôle en une phrase"), max_length=300)
    description = models.TextField(_("présentation"), blank=True, max_length=5000)
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)
    is_demo = models.BooleanField(_("contenu de démonstration"), default=False)
    # The code under which the directory records an actor's seat in this body
    # (partners.ActorGovernanceBody.body): the seats are the body's member organisations,
    # reached through the reverse relation ``seats``. Empty (NULL) for a body the
    # directory does not know.
    directory_code = models.CharField(
        _("instance correspondante dans l'annuaire"),
        max_length=40,
        unique=True,
        null=True,
        blank=True,
    )

    class Meta:
        verbose_name = _("instance")
        verbose_name_plural = _("instances")
        ordering = ["position", "name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=BodyKind.values), name="body_known_kind"
            ),
            models.CheckConstraint(condition=~models.Q(slug=""), name="body_slug_not_empty"),
            # "" would match nothing and block a second body: no code is NULL.
            models.CheckConstraint(
                condition=~models.Q(directory_code=""), name="body_directory_code_not_empty"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("contract:body", kwargs={"slug": self.slug})
