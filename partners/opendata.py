"""The published directory as open data, in the data·inclusion v1 "structure" shape.

The first columns are data·inclusion field names; the portal's own extras follow.
Only public fields leave the portal: contact persons and members never do.
The import command (``import_actors``) reads the same columns back. See docs/open-data.md.
"""

import re
from collections.abc import Callable, Iterable, Iterator

from django.conf import settings
from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from contrat_ville import spreadsheets
from contrat_ville.models import Territory

from .enums import ActorStatus
from .models import Actor, ActorGovernanceBody, Competence, Public

DATA_INCLUSION_COLUMNS = (
    "source",
    "id",
    "nom",
    "description",
    "date_maj",
    "lien_source",
    "siret",
    "commune",
    "code_postal",
    "code_insee",
    "adresse",
    "telephone",
    "courriel",
    "site_web",
    "horaires_accueil",
)
EXTRA_COLUMNS = (
    "type",
    "presentation_courte",
    "accessibilite",
    "rna",
    "territoires",
    "competences",
    "thematiques",
    "publics",
    "instances",
)
EXPORT_COLUMNS = DATA_INCLUSION_COLUMNS + EXTRA_COLUMNS
# Lists in JSON, "|"-joined in CSV.
LIST_COLUMNS = ("territoires", "competences", "thematiques", "publics", "instances")
LIST_SEPARATOR = "|"
DEFAULT_SOURCE = "contrat-de-ville"
CHUNK_SIZE = 2000
# data·inclusion bounds on the description.
DESCRIPTION_MIN, DESCRIPTION_MAX = 5, 10000
# The e-mail validator data·inclusion uses refuses these domains, which Django accepts.
SPECIAL_USE_TLDS = frozenset({"arpa", "invalid", "local", "localhost", "onion", "test"})
_POSTCODE = re.compile(r"\d{5}")
_INSEE_CODE = re.compile(r"\d{5}|2[AB]\d{3}")
_SIRET = re.compile(r"\d{14}")
# Deferred: the export never reads them, and search_text holds a copy of every description.
_NOT_EXPORTED = ("search_name", "search_keywords", "search_text", "search_vector", "logo")


def data_source() -> str:
    return getattr(settings, "PORTAL_DATA_SOURCE", DEFAULT_SOURCE)


def actors_for_export() -> QuerySet[Actor]:
    """Published actors, with what the export reads, in a stable order."""
    return (
        Actor.objects.filter(status=ActorStatus.PUBLISHED)
        .defer(*_NOT_EXPORTED)
        .order_by("pk")
        .prefetch_related(
            Prefetch("territories", queryset=Territory.objects.order_by("order", "name", "pk")),
            Prefetch("competences", queryset=Competence.objects.order_by("slug")),
            Prefetch("publics", queryset=Public.objects.order_by("slug")),
            Prefetch("bodies", queryset=ActorGovernanceBody.objects.order_by("body")),
        )
    )


def _or_none(value: str) -> str | None:
    value = (value or "").strip()
    return value or None


def _matching(pattern: re.Pattern, value: str) -> str | None:
    # Stored values passed the model's validators; this guards the schema against older rows.
    value = _or_none(value)
    return value if value is not None and pattern.fullmatch(value) else None


def _public_email(value: str) -> str | None:
    value = _or_none(value)
    if value is None or "@" not in value:
        return None
    domain = value.rsplit("@", 1)[1].lower()
    if "." not in domain or domain.rsplit(".", 1)[1] in SPECIAL_USE_TLDS:
        return None
    return value


def _http_url(value: str) -> str | None:
    # Django's URLField also accepts ftp://; data·inclusion wants http(s).
    value = _or_none(value)
    if value is None or not value.lower().startswith(("http://", "https://")):
        return None
    return value


def export_description(actor: Actor) -> str | None:
    """The description, or the summary when the description is too short for data·inclusion."""
    for text in (actor.description, actor.summary):
        text = (text or "").strip()
        if len(text) >= DESCRIPTION_MIN:
            if len(text) > DESCRIPTION_MAX:
                return text[: DESCRIPTION_MAX - 1] + "…"
            return text
    return None


def thematiques_of(competences: Iterable[Competence]) -> list[str]:
    codes: set[str] = set()
    for competence in competences:
        codes.update(competence.di_thematiques.split())
    return sorted(codes)


def structure_row(
    actor: Actor, *, profile_url: Callable[[Actor], str] | None = None, source: str = ""
) -> dict:
    """One actor as a dict of EXPORT_COLUMNS: None for empty values, lists for LIST_COLUMNS."""
    competences = list(actor.competences.all())
    return {
        "source": source or data_source(),
        "id": actor.slug,
        "nom": actor.name.strip(),
        "description": export_description(actor),
        "date_maj": timezone.localdate(actor.updated_at).isoformat(),
        "lien_source": _http_url(profile_url(actor)) if profile_url else None,
        "siret": _matching(_SIRET, actor.siret),
        "commune": _or_none(actor.town),
        "code_postal": _matching(_POSTCODE, actor.postcode),
        "code_insee": _matching(_INSEE_CODE, actor.insee_code),
        "adresse": _or_none(actor.address),
        "telephone": _or_none(actor.phone),
        "courriel": _public_email(actor.email),
        "site_web": _http_url(actor.website),
        "horaires_accueil": _or_none(actor.opening_hours),
        "type": actor.kind,
        "presentation_courte": _or_none(actor.summary),
        "accessibilite": _or_none(actor.accessibility),
        "rna": _or_none(actor.rna),
        "territoires": [t.reference for t in actor.territories.all()],
        "competences": [c.slug for c in competences],
        "thematiques": thematiques_of(competences),
        "publics": [p.slug for p in actor.publics.all()],
        "instances": [b.body for b in actor.bodies.all()],
    }


def structure_rows(
    actors: QuerySet[Actor], *, profile_url: Callable[[Actor], str] | None = None
) -> Iterator[dict]:
    """The rows of ``actors``, read in chunks so a large directory never sits in memory."""
    source = data_source()
    for actor in actors.iterator(chunk_size=CHUNK_SIZE):
        yield structure_row(actor, profile_url=profile_url, source=source)


def csv_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return LIST_SEPARATOR.join(value)
    return str(value)


def csv_lines(rows: Iterable[dict]) -> Iterator[str]:
    """The header then one line per row, formula-like text quoted (docs/open-data.md)."""
    return spreadsheets.csv_lines(
        EXPORT_COLUMNS, ([csv_cell(row[column]) for column in EXPORT_COLUMNS] for row in rows)
    )


def json_document(rows: Iterable[dict]) -> list[dict]:
    return [{column: row[column] for column in EXPORT_COLUMNS} for row in rows]
