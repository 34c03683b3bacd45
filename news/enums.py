from django.db import models
from django.utils.translation import gettext_lazy as _


class Audience(models.TextChoices):
    """Who may read a news item or a document."""

    PUBLIC = "public", _("Tout le monde")
    PARTNERS = "partners", _("Partenaires seulement")


class Status(models.TextChoices):
    DRAFT = "draft", _("Brouillon")
    PUBLISHED = "published", _("Publié")
    UNPUBLISHED = "unpublished", _("Retiré")


class DocumentKind(models.TextChoices):
    CONTRACT = "contract", _("Contrat signé")
    REPORT = "report", _("Rapport annuel")
    CALL = "call", _("Appel à projets")
    GUIDE = "guide", _("Guide")
    SLIDES = "slides", _("Présentation d'une rencontre")
    OTHER = "other", _("Autre document")


class AuditAction(models.TextChoices):
    NEWS_CREATED = "news.news_created", _("Actualité rédigée")
    NEWS_UPDATED = "news.news_updated", _("Actualité modifiée")
    NEWS_PUBLISHED = "news.news_published", _("Actualité publiée")
    NEWS_UNPUBLISHED = "news.news_unpublished", _("Actualité retirée")
    DOCUMENT_CREATED = "news.document_created", _("Document ajouté")
    DOCUMENT_UPDATED = "news.document_updated", _("Document modifié")
    DOCUMENT_PUBLISHED = "news.document_published", _("Document publié")
    DOCUMENT_UNPUBLISHED = "news.document_unpublished", _("Document retiré")
