"""Create or update directory actors from a CSV file in the open-data columns.

Every row is checked before anything is written; one bad row refuses the whole
file. Rows are matched to existing actors by ``id`` (the slug), then by SIRET,
and an actor is only saved when the row changes something, so importing the
same file twice changes nothing. See docs/open-data.md.
"""

from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.text import Truncator, slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from contrat_ville.csvfiles import (
    CsvFileError,
    CsvLineError,
    duplicate_names,
    line_message,
    read_table,
)
from contrat_ville.models import Territory
from contrat_ville.services import ServiceError, audit_log_record
from contrat_ville.spreadsheets import csv_unquoted
from partners import opendata
from partners.enums import ActorKind, ActorStatus, AuditAction, GovernanceBody
from partners.models import Actor, Competence, Public
from partners.services import actor_create, actor_update

# CSV column → Actor field, for the plain fields.
COLUMN_FIELDS = {
    "nom": "name",
    "type": "kind",
    "presentation_courte": "summary",
    "description": "description",
    "adresse": "address",
    "code_postal": "postcode",
    "commune": "town",
    "code_insee": "insee_code",
    "telephone": "phone",
    "courriel": "email",
    "site_web": "website",
    "siret": "siret",
    "rna": "rna",
    "horaires_accueil": "opening_hours",
    "accessibilite": "accessibility",
}
FIELD_COLUMNS = {v: k for k, v in COLUMN_FIELDS.items()} | {"slug": "id"}
# CSV column → keyword of actor_create/actor_update.
RELATION_COLUMNS = {
    "territoires": "territories",
    "competences": "competences",
    "publics": "publics",
    "instances": "bodies",
}
# Written by the export, meaningless on the way in (thematiques derive from competences).
IGNORED_COLUMNS = frozenset({"source", "date_maj", "lien_source", "thematiques"})
KNOWN_COLUMNS = frozenset({"id", *COLUMN_FIELDS, *RELATION_COLUMNS, *IGNORED_COLUMNS})
REQUIRED_COLUMNS = ("nom",)
SUMMARY_MAX_LENGTH = Actor._meta.get_field("summary").max_length
PROGRESS_EVERY = 500
LOOKUP_CHUNK = 2000
CREATE, UPDATE, UNCHANGED = "create", "update", "unchanged"


class ImportFileError(Exception):
    """The file as a whole cannot be read: nothing is checked row by row."""


@dataclass
class Row:
    line: int
    values: dict[str, str]
    cells: int


@dataclass
class Plan:
    """What one valid row will do: create, update (changed fields only) or nothing."""

    line: int
    action: str
    actor: Actor | None = None
    slug: str = ""
    data: dict = field(default_factory=dict)
    relations: dict = field(default_factory=dict)


def _column_name(value: str) -> str:
    return value.strip().lower()


def read_rows(raw: bytes) -> tuple[list[str], list[Row]]:
    """Decode and split the file; returns the header (lower case) and the non-blank rows."""
    try:
        table = read_table(raw, column_name=_column_name)
    except CsvLineError as error:
        raise ImportFileError(
            _("Ligne %(line)d illisible : %(error)s") % {"line": error.line, "error": error.error}
        ) from None
    except CsvFileError as error:
        raise ImportFileError(str(error)) from None
    header = table.header
    duplicates = duplicate_names(header)
    if duplicates:
        raise ImportFileError(
            _("Colonnes en double dans l'en-tête (ligne 1) : %(columns)s.")
            % {"columns": ", ".join(duplicates)}
        )
    missing = [name for name in REQUIRED_COLUMNS if name not in header]
    if missing:
        raise ImportFileError(
            ngettext(
                "La colonne obligatoire « %(columns)s » manque dans l'en-tête (ligne 1).",
                "Les colonnes obligatoires « %(columns)s » manquent dans l'en-tête (ligne 1).",
                len(missing),
            )
            % {"columns": " », « ".join(missing)}
        )
    rows = [
        Row(
            line,
            {
                # The export quotes formula-like text (contrat_ville.spreadsheets): read it
                # back as stored, so that importing the export changes nothing.
                name: csv_unquoted(cell.strip())
                for name, cell in zip(header, cells, strict=False)
                if name in KNOWN_COLUMNS
            },
            len(cells),
        )
        for line, cells in table.rows
    ]
    return header, rows


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.split(opendata.LIST_SEPARATOR) if part.strip()]


class ActorImport:
    """Checks every row against the database, then writes them all in one transaction."""

    def __init__(self, header: list[str], rows: list[Row], *, progress=None):
        self.columns = set(header) & KNOWN_COLUMNS
        self.header_length = len(header)
        self.rows = rows
        self.progress = progress or (lambda done, total, phase: None)
        self.errors: list[tuple[int, str]] = []
        self.plans: list[Plan] = []
        self.reserved_slugs: set[str] = set()

    # -- reference data ---------------------------------------------------------

    def _load(self) -> None:
        self.territories_by_slug = {t.slug: t for t in Territory.objects.all()}
        self.territories_by_code: dict[str, list[Territory]] = {}
        for territory in self.territories_by_slug.values():
            if territory.code:
                self.territories_by_code.setdefault(territory.code, []).append(territory)
        self.competences = {c.slug: c for c in Competence.objects.all()}
        self.publics = {p.slug: p for p in Public.objects.all()}

        ids = sorted({r.values["id"] for r in self.rows if r.values.get("id")})
        sirets = sorted({s for r in self.rows if (s := self._siret(r))})
        actors = Actor.objects.prefetch_related("territories", "competences", "publics", "bodies")
        self.by_slug: dict[str, Actor] = {}
        self.by_siret: dict[str, Actor] = {}
        loaded: dict[int, Actor] = {}
        for values, column, index in (
            (ids, "slug", self.by_slug),
            (sirets, "siret", self.by_siret),
        ):
            for start in range(0, len(values), LOOKUP_CHUNK):
                chunk = values[start : start + LOOKUP_CHUNK]
                for actor in actors.filter(**{f"{column}__in": chunk}):
                    # One instance per actor, whichever way it was found.
                    actor = loaded.setdefault(actor.pk, actor)
                    index[getattr(actor, column)] = actor

    def _siret(self, row: Row) -> str:
        # Spreadsheets and people write SIRETs in groups: "123 456 789 00012".
        return "".join(row.values.get("siret", "").split())

    # -- checks -------------------------------------------------------------------

    def check(self) -> list[Plan]:
        self._load()
        seen_ids: dict[str, int] = {}
        seen_sirets: dict[str, int] = {}
        seen_actors: dict[int, int] = {}
        total = len(self.rows)
        for done, row in enumerate(self.rows, start=1):
            before = len(self.errors)
            plan = self._check_row(row, seen_ids, seen_sirets, seen_actors)
            if plan is not None and len(self.errors) == before:
                self.plans.append(plan)
            if done % PROGRESS_EVERY == 0:
                self.progress(done, total, "check")
        return self.plans

    def _error(self, row: Row, message: str) -> None:
        self.errors.append((row.line, message))

    def _check_row(
        self,
        row: Row,
        seen_ids: dict[str, int],
        seen_sirets: dict[str, int],
        seen_actors: dict[int, int],
    ) -> Plan | None:
        if row.cells != self.header_length:
            # The values cannot be trusted to be in their columns.
            self._error(
                row,
                _("%(found)d valeurs pour %(expected)d colonnes (séparateur en trop ou manquant ?)")
                % {"found": row.cells, "expected": self.header_length},
            )
            return None
        values = row.values
        slug = values.get("id", "")
        siret = self._siret(row)

        actor = self.by_slug.get(slug) if slug else None
        if actor is None and siret:
            actor = self.by_siret.get(siret)
        if slug:
            if slug in seen_ids:
                self._error(
                    row,
                    _("identifiant « %(id)s » déjà présent ligne %(line)d")
                    % {"id": slug, "line": seen_ids[slug]},
                )
            seen_ids.setdefault(slug, row.line)
        if siret:
            if siret in seen_sirets:
                self._error(
                    row,
                    _("SIRET %(siret)s déjà présent ligne %(line)d")
                    % {"siret": siret, "line": seen_sirets[siret]},
                )
            seen_sirets.setdefault(siret, row.line)
        if actor is not None:
            if actor.pk in seen_actors:
                self._error(
                    row,
                    _("la ligne %(line)d désigne déjà la fiche « %(id)s »")
                    % {"line": seen_actors[actor.pk], "id": actor.slug},
                )
            seen_actors.setdefault(actor.pk, row.line)
        owner = self.by_siret.get(siret) if siret else None
        if owner is not None and owner is not actor:
            self._error(
                row,
                _("SIRET %(siret)s déjà utilisé par la fiche « %(id)s »")
                % {"siret": siret, "id": owner.slug},
            )

        data = {}
        for column, name in COLUMN_FIELDS.items():
            if column in self.columns:
                data[name] = values[column]
        if "siret" in data:
            data["siret"] = siret
        if "rna" in data:
            data["rna"] = data["rna"].upper()
        if data.get("kind") == "":
            data.pop("kind")  # kept on update, "autre" on creation
        elif "kind" in data and data["kind"] not in ActorKind.values:
            self._error(
                row,
                _("type inconnu « %(value)s » (valeurs possibles : %(choices)s)")
                % {"value": data.pop("kind"), "choices": ", ".join(ActorKind.values)},
            )
        if data.get("summary") == "":
            data.pop("summary")  # kept on update, derived on creation
        relations = self._relations(row)

        if actor is None:
            return self._plan_create(row, slug, data, relations)
        return self._plan_update(row, actor, data, relations)

    def _relations(self, row: Row) -> dict:
        relations = {}
        if "territoires" in self.columns:
            territories = []
            for reference in _split(row.values["territoires"]):
                matches = self.territories_by_code.get(reference) or (
                    [self.territories_by_slug[reference]]
                    if reference in self.territories_by_slug
                    else []
                )
                if len(matches) == 1:
                    territories.append(matches[0])
                elif matches:
                    self._error(
                        row,
                        _("territoire « %(value)s » ambigu : donnez son identifiant")
                        % {"value": reference},
                    )
                else:
                    self._error(row, _("territoire inconnu « %(value)s »") % {"value": reference})
            relations["territories"] = territories
        for column, catalogue, message in (
            ("competences", self.competences, _("compétence inconnue « %(value)s »")),
            ("publics", self.publics, _("public inconnu « %(value)s »")),
        ):
            if column in self.columns:
                found = []
                for slug in _split(row.values[column]):
                    if slug in catalogue:
                        found.append(catalogue[slug])
                    else:
                        self._error(row, message % {"value": slug})
                relations[RELATION_COLUMNS[column]] = found
        if "instances" in self.columns:
            bodies = _split(row.values["instances"])
            for body in bodies:
                if body not in GovernanceBody.values:
                    self._error(
                        row,
                        _("instance inconnue « %(value)s » (valeurs possibles : %(choices)s)")
                        % {"value": body, "choices": ", ".join(GovernanceBody.values)},
                    )
            relations["bodies"] = bodies
        return relations

    def _validate(self, row: Row, candidate: Actor, fields: set[str]) -> None:
        """The model's own field rules (lengths, SIRET, RNA, postcode, e-mail, URL…)."""
        # Not full_clean: its uniqueness checks would cost queries per row; slugs and
        # SIRETs are checked against the loaded actors and the rest of the file instead.
        exclude = [f.name for f in Actor._meta.fields if f.name not in fields]
        try:
            candidate.clean_fields(exclude=exclude)
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                for message in messages:
                    self._error(row, f"{FIELD_COLUMNS.get(name, name)} : {message}")

    def _plan_create(self, row: Row, slug: str, data: dict, relations: dict) -> Plan:
        data.setdefault("kind", ActorKind.OTHER)
        if "summary" not in data:
            data["summary"] = Truncator(data.get("description") or data["name"]).chars(
                SUMMARY_MAX_LENGTH
            )
        candidate = Actor(slug=slug, **data)
        self._validate(row, candidate, set(data) | ({"slug"} if slug else set()))
        if slug:
            self.reserved_slugs.add(slug)
        for keyword in RELATION_COLUMNS.values():
            relations.setdefault(keyword, [])
        return Plan(row.line, CREATE, slug=slug, data=data, relations=relations)

    def _plan_update(self, row: Row, actor: Actor, data: dict, relations: dict) -> Plan:
        # A value equal to the stored one or to the exported one is no change, so
        # that importing an export changes nothing (the export shows the summary in
        # place of a too short description, for one).
        exported = opendata.structure_row(actor, source="-")
        changed = {
            name: value
            for name, value in data.items()
            if value != str(getattr(actor, name)).strip()
            and value != opendata.csv_cell(exported[FIELD_COLUMNS[name]]).strip()
        }
        candidate = Actor(**{name: getattr(actor, name) for name in COLUMN_FIELDS.values()})
        for name, value in changed.items():
            setattr(candidate, name, value)
        self._validate(row, candidate, set(changed))

        changed_relations = {}
        current = {
            "territories": {t.pk for t in actor.territories.all()},
            "competences": {c.pk for c in actor.competences.all()},
            "publics": {p.pk for p in actor.publics.all()},
            "bodies": {b.body for b in actor.bodies.all()},
        }
        for keyword, wanted in relations.items():
            keys = set(wanted) if keyword == "bodies" else {obj.pk for obj in wanted}
            if keys != current[keyword]:
                changed_relations[keyword] = wanted
        action = UPDATE if changed or changed_relations else UNCHANGED
        return Plan(row.line, action, actor=actor, data=changed, relations=changed_relations)

    # -- writes ---------------------------------------------------------------------

    def _new_slug(self, name: str) -> str:
        base = slugify(name)[:150] or "acteur"
        slug, counter = base, 2
        # Explicit ids of later rows are reserved, so a generated slug never takes one.
        while slug in self.reserved_slugs or Actor.objects.filter(slug=slug).exists():
            slug, counter = f"{base}-{counter}", counter + 1
        self.reserved_slugs.add(slug)
        return slug

    @transaction.atomic
    def write(self, *, status: str, source: str) -> dict[str, int]:
        counts = {CREATE: 0, UPDATE: 0, UNCHANGED: 0}
        total = len(self.plans)
        for done, plan in enumerate(self.plans, start=1):
            try:
                if plan.action == CREATE:
                    actor_create(
                        by=None,
                        data=plan.data,
                        status=status,
                        slug=plan.slug or self._new_slug(plan.data["name"]),
                        **plan.relations,
                    )
                elif plan.action == UPDATE:
                    actor_update(by=None, actor=plan.actor, data=plan.data, **plan.relations)
            except ServiceError as error:
                raise CommandError(line_message(plan.line, str(error))) from None
            counts[plan.action] += 1
            if done % PROGRESS_EVERY == 0:
                self.progress(done, total, "write")
        audit_log_record(
            actor=None,
            action=AuditAction.ACTOR_IMPORTED,
            target_label=source,
            data={
                "file": source,
                "created": counts[CREATE],
                "updated": counts[UPDATE],
                "unchanged": counts[UNCHANGED],
                "status": status,
            },
        )
        return counts


class Command(BaseCommand):
    help = (
        "Creates or updates directory actors from a CSV file with the open-data export's "
        "columns (see docs/open-data.md). Every row is checked first; any error and nothing "
        "is written."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="CSV file, UTF-8, separated by ',' or ';'")
        parser.add_argument(
            "--status",
            choices=[ActorStatus.PENDING, ActorStatus.PUBLISHED],
            default=ActorStatus.PUBLISHED,
            help="status of the actors the file creates (existing ones keep theirs)",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="check the file and report, write nothing"
        )

    def handle(self, *args, file, status, dry_run, **options):
        path = Path(file)
        try:
            raw = path.read_bytes()
        except OSError as error:
            raise CommandError(
                _("Impossible de lire %(file)s : %(error)s")
                % {"file": file, "error": error.strerror}
            ) from None
        try:
            header, rows = read_rows(raw)
        except ImportFileError as error:
            raise CommandError(str(error)) from None
        unknown = sorted(name for name in set(header) - KNOWN_COLUMNS if name)
        if unknown:
            self.stderr.write(
                _("Colonnes inconnues, ignorées : %(columns)s.") % {"columns": ", ".join(unknown)}
            )

        importer = ActorImport(
            header, rows, progress=self._progress if len(rows) > PROGRESS_EVERY else None
        )
        plans = importer.check()
        if importer.errors:
            for line, message in sorted(importer.errors, key=lambda item: item[0]):
                self.stderr.write(line_message(line, message))
            refused = len({line for line, _message in importer.errors})
            raise CommandError(
                ngettext(
                    "%(count)d ligne refusée, rien n'a été écrit.",
                    "%(count)d lignes refusées, rien n'a été écrit.",
                    refused,
                )
                % {"count": refused}
            )

        if dry_run:
            counts = {CREATE: 0, UPDATE: 0, UNCHANGED: 0}
            for plan in plans:
                counts[plan.action] += 1
            self.stdout.write(
                _(
                    "Fichier valide, rien n'a été écrit : %(created)d fiches à créer, "
                    "%(updated)d à modifier, %(unchanged)d inchangées."
                )
                % {
                    "created": counts[CREATE],
                    "updated": counts[UPDATE],
                    "unchanged": counts[UNCHANGED],
                }
            )
            return
        counts = importer.write(status=status, source=path.name)
        self.stdout.write(
            _("Fiches créées : %(created)d, modifiées : %(updated)d, inchangées : %(unchanged)d.")
            % {"created": counts[CREATE], "updated": counts[UPDATE], "unchanged": counts[UNCHANGED]}
        )

    def _progress(self, done: int, total: int, phase: str) -> None:
        label = _("Vérification") if phase == "check" else _("Écriture")
        self.stdout.write(
            _("%(phase)s : %(done)d / %(total)d lignes")
            % {"phase": label, "done": done, "total": total}
        )
