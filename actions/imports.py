"""Import of a year's programme of actions from a spreadsheet (CSV or XLSX).

Every row is checked before anything is written; one bad row refuses the whole file, each
problem said as "ligne N : …" (N is the line of the file, the header being line 1; in an
XLSX, the row of the sheet). ``programme_check`` reads and checks, and says what each row
would do; ``programme_write`` writes the rows in one transaction, through
``actions.services`` (so every action is journaled as a form's change is), or nothing.

A row updates an existing action when its (annee, dossier) is already known. Without a
match on the dossier, it updates the action of the same year, carrier and title that has
no dossier number yet: that is how an exported programme re-imports unchanged, and how an
organiser adds the numbers to it, instead of duplicating every action. Other rows create
actions. A column absent from the file leaves that field of an existing action as it is.

The column names are the file's format, not interface text: they are the same whatever the
language of the page, so an export always re-imports (``exports.py`` writes them).
"""

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db import DatabaseError, transaction
from django.db.models import Q
from django.utils import translation
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from contract.models import Objective, Priority
from contrat_ville.csvfiles import (
    CellError,
    CsvFileError,
    CsvTable,
    column_name,
    header_errors,
    line_message,
    normalise,
    read_table,
    read_xlsx,
    yes_no,
)
from contrat_ville.models import Territory, User
from contrat_ville.services import ServiceError, audit_log_record
from contrat_ville.spreadsheets import csv_unquoted
from partners.models import Actor, Public

from .amounts import AmountError
from .amounts import parse_amount as read_amount
from .enums import ActionStatus, AuditAction, Funder
from .models import FIRST_YEAR, LAST_YEAR, MAX_AMOUNT, Action
from .permissions import allowed_statuses
from .selectors import actions_visible_to
from .services import action_create, action_status_set, action_update

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 5000
LIST_SEPARATOR = "|"
PAID_SUFFIX = "_verse"

# File column → funder; "<column>_verse" holds what the funder paid.
FUNDER_COLUMNS = {
    "etat": Funder.STATE,
    "epci": Funder.EPCI,
    "commune": Funder.COMMUNE,
    "departement": Funder.DEPARTMENT,
    "region": Funder.REGION,
    "caf": Funder.CAF,
    "bailleurs": Funder.LANDLORD,
    "europe": Funder.EUROPE,
    "fonds_propres": Funder.OWN,
    "autres": Funder.OTHER,
}
# (name after normalisation, header the export writes): the export's headers normalise to
# the names, so a file written by the portal is read back as it is.
COLUMNS: tuple[tuple[str, str], ...] = (
    ("dossier", "Dossier"),
    ("annee", "Année"),
    ("intitule", "Intitulé"),
    ("porteur", "Porteur"),
    ("partenaires", "Partenaires"),
    ("priorite", "Priorité"),
    ("objectif", "Objectif"),
    ("quartiers", "Quartiers"),
    ("publics", "Publics"),
    ("description", "Description"),
    ("statut", "Statut"),
    ("debut", "Début"),
    ("fin", "Fin"),
    ("budget_prevu", "Budget prévu"),
    ("budget_realise", "Budget réalisé"),
    ("confidentiel", "Confidentiel"),
    ("etat", "État"),
    ("epci", "EPCI"),
    ("commune", "Commune"),
    ("departement", "Département"),
    ("region", "Région"),
    ("caf", "Caf"),
    ("bailleurs", "Bailleurs"),
    ("europe", "Europe"),
    ("fonds_propres", "Fonds propres"),
    ("autres", "Autres"),
    ("etat_verse", "État versé"),
    ("epci_verse", "EPCI versé"),
    ("commune_verse", "Commune versé"),
    ("departement_verse", "Département versé"),
    ("region_verse", "Région versé"),
    ("caf_verse", "Caf versé"),
    ("bailleurs_verse", "Bailleurs versé"),
    ("europe_verse", "Europe versé"),
    ("fonds_propres_verse", "Fonds propres versé"),
    ("autres_verse", "Autres versé"),
)
COLUMN_NAMES = frozenset(name for name, _header in COLUMNS)
REQUIRED_COLUMNS = ("annee", "intitule", "porteur", "description")
# Other names people give the same columns (after case and accents are dropped).
ALIASES = {
    "numero_de_dossier": "dossier",
    "reference": "dossier",
    "annee_de_programmation": "annee",
    "titre": "intitule",
    "description_courte": "description",
    "priorite_du_contrat": "priorite",
    "budget_previsionnel": "budget_prevu",
    "montants_confidentiels": "confidentiel",
}
MAX_LENGTHS = {
    "dossier": Action._meta.get_field("reference").max_length,
    "intitule": Action._meta.get_field("title").max_length,
    "description": Action._meta.get_field("summary").max_length,
}
SIRET = re.compile(r"\d{14}")
DATE_FR = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
DATE_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
# Spaces people and spreadsheets put in numbers: NBSP and narrow NBSP in French text.
_NUMBER_SPACES = str.maketrans("", "", " \u00a0\u202f\u2009\t")
# An XLSX workbook is a zip file.
ZIP_MAGIC = b"PK\x03\x04"
# Excel 97-2003 workbooks, and password-protected XLSX, are OLE2 compound files.
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _column_name(value: str) -> str:
    return column_name(value, ALIASES)


# -- what the check finds ---------------------------------------------------------------


@dataclass
class PlannedRow:
    """What one row of the file will do."""

    line: int
    year: int
    reference: str
    title: str
    existing: Action | None
    data: dict
    relations: dict
    fundings: list[dict] | None
    status: str | None  # None: an existing action keeps its status
    changes: list[str] = field(default_factory=list)  # columns an update changes

    @property
    def kind(self) -> str:
        if self.existing is None:
            return "create"
        return "update" if self.changes else "unchanged"


@dataclass
class ImportResult:
    """What an import did, or would do (``dry_run``), or why it refused the file."""

    file_name: str = ""
    errors: list[str] = field(default_factory=list)
    rows: list[PlannedRow] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    dry_run: bool = True

    @property
    def ok(self) -> bool:
        return not self.errors

    def count(self, kind: str) -> int:
        return sum(row.kind == kind for row in self.rows)

    @property
    def created(self) -> int:
        return self.count("create")

    @property
    def updated(self) -> int:
        return self.count("update")

    @property
    def unchanged(self) -> int:
        return self.count("unchanged")


# -- reading the file -------------------------------------------------------------------


def read_file(raw: bytes, name: str) -> tuple[CsvTable, bool]:
    """The table of a CSV or XLSX file, and whether it came from a CSV. The content decides
    (a zip is an XLSX), the name only words the refusal of a file that claims to be one."""
    if len(raw) > MAX_BYTES:
        raise CsvFileError(
            _(
                "Le fichier dépasse 2 Mo : découpez-le en plusieurs fichiers et "
                "importez-les un à un."
            )
        )
    lowered = name.lower()
    if raw.startswith(OLE_MAGIC) or lowered.endswith(".xls"):
        raise CsvFileError(
            _(
                "Ce fichier est un classeur Excel 97-2003 (.xls) ou un classeur protégé par un "
                "mot de passe : enregistrez-le au format « Classeur Excel (.xlsx) » sans mot de "
                "passe, ou en « CSV UTF-8 », puis recommencez."
            )
        )
    if raw.startswith(ZIP_MAGIC) or lowered.endswith((".xlsx", ".xlsm")):
        return read_xlsx(raw, column_name=_column_name), False
    return read_table(raw, column_name=_column_name, windows_1252=True), True


# -- values -----------------------------------------------------------------------------


def _year(value: str) -> int:
    if not value:
        raise CellError(_("année manquante."))
    if not value.isascii() or not value.isdigit() or not FIRST_YEAR <= int(value) <= LAST_YEAR:
        raise CellError(
            _("année « %(value)s » invalide (attendu : un nombre entre %(first)s et %(last)s).")
            % {"value": value, "first": FIRST_YEAR, "last": LAST_YEAR}
        )
    return int(value)


def parse_amount(column: str, value: str) -> Decimal | None:
    """ "12 500,50", "12500.5", "12 500 €" (with NBSP or narrow NBSP too) → Decimal, read by
    ``actions.amounts.parse_amount``; each refusal worded for the cell."""
    try:
        return read_amount(value)
    except AmountError as error:
        messages = {
            "negative": _("%(column)s : montant négatif (« %(value)s »)."),
            "cents": _("%(column)s : deux décimales au plus (« %(value)s »)."),
            "too_big": _("%(column)s : montant supérieur à %(max)s €."),
        }
        message = messages.get(
            error.reason,
            _("%(column)s : montant « %(value)s » illisible (attendu par exemple : 12 500,50)."),
        )
        raise CellError(
            message
            % {
                "column": column,
                "value": value,
                "max": number_format(MAX_AMOUNT, force_grouping=True),
            }
        ) from None


def parse_date(column: str, value: str) -> date | None:
    """JJ/MM/AAAA or AAAA-MM-JJ (what an XLSX date cell gives)."""
    if not value:
        return None
    match = DATE_FR.fullmatch(value)
    parts = (match.group(3), match.group(2), match.group(1)) if match else None
    if parts is None:
        match = DATE_ISO.fullmatch(value.split(" ", 1)[0])  # an XLSX date with a time
        parts = match.groups() if match else None
    try:
        if parts is None:
            raise ValueError
        return date(int(parts[0]), int(parts[1]), int(parts[2]))
    except ValueError:
        raise CellError(
            _("%(column)s : date « %(value)s » illisible (attendu : JJ/MM/AAAA).")
            % {"column": column, "value": value}
        ) from None


def _items(value: str) -> list[str]:
    return [item.strip() for item in value.split(LIST_SEPARATOR) if item.strip()]


# -- reference data, read in bulk ---------------------------------------------------------


class _Lookups:
    """The directory, the contract and the territories, read once for the whole file."""

    def __init__(self, rows: list[dict] | None):
        if rows is not None:  # the export needs the rest only
            self._actors(rows)
        self.priorities = {}
        priorities = list(Priority.objects.order_by("-position", "-title", "-pk"))
        for key in ("title", "slug"):
            # Reversed, so the first in display order wins a shared title; a slug is unique
            # and wins over a title.
            for priority in priorities:
                self.priorities[normalise(getattr(priority, key))] = priority
        self.objectives = defaultdict(dict)  # priority pk → normalised title → objective
        self.objective_priorities = defaultdict(list)  # normalised title → [priority]
        for objective in Objective.objects.select_related("priority").order_by("-position", "-pk"):
            self.objectives[objective.priority_id][normalise(objective.title)] = objective
            self.objective_priorities[normalise(objective.title)].append(objective.priority)
        self.territories = {}
        territories = list(Territory.objects.defer("contour").order_by("-order", "-name", "-pk"))
        for key in ("name", "code", "slug"):  # a slug is unique: it wins over a name
            for territory in territories:
                if getattr(territory, key):
                    self.territories[normalise(getattr(territory, key))] = territory
        self.publics = {}
        for public in Public.objects.all():
            self.publics[normalise(public.name)] = public
            self.publics[normalise(public.slug)] = public
        with translation.override(settings.LANGUAGE_CODE):
            self.statuses = {}
            for value, label in ActionStatus.choices:
                self.statuses[normalise(value)] = value
                self.statuses[normalise(str(label))] = value
            self.status_labels = {value: str(label) for value, label in ActionStatus.choices}

    def _actors(self, rows: list[dict]) -> None:
        wanted = set()
        for values in rows:
            wanted.add(values.get("porteur", ""))
            wanted.update(_items(values.get("partenaires", "")))
        wanted.discard("")
        sirets = {key.translate(_NUMBER_SPACES) for key in wanted}
        sirets = {key for key in sirets if SIRET.fullmatch(key)}
        slugs = {key.lower() for key in wanted}
        names = {normalise(key) for key in wanted}
        self.by_siret, self.by_slug = {}, {}
        for actor in Actor.objects.filter(Q(siret__in=sirets) | Q(slug__in=slugs)):
            if actor.siret:
                self.by_siret[actor.siret] = actor
            self.by_slug[actor.slug] = actor
        # Names are not unique and are compared without case or accents: read them all
        # (one column, a few tens of thousands of rows at most), then fetch the few needed.
        matches = defaultdict(list)
        for pk, name in Actor.objects.values_list("pk", "name"):
            key = normalise(name)
            if key in names:
                matches[key].append(pk)
        found = Actor.objects.in_bulk([pks[0] for pks in matches.values() if len(pks) == 1])
        self.by_name = {key: found.get(pks[0]) for key, pks in matches.items() if len(pks) == 1}
        self.ambiguous_names = {key for key, pks in matches.items() if len(pks) > 1}

    def actor(self, value: str, role: str) -> Actor:
        siret = value.translate(_NUMBER_SPACES)
        if SIRET.fullmatch(siret) and siret in self.by_siret:
            return self.by_siret[siret]
        if value.lower() in self.by_slug:
            return self.by_slug[value.lower()]
        key = normalise(value)
        if key in self.ambiguous_names:
            raise CellError(
                _(
                    "%(role)s : plusieurs fiches de l'annuaire s'appellent « %(value)s » : "
                    "indiquez le SIRET ou l'identifiant de la fiche."
                )
                % {"role": role, "value": value}
            )
        if self.by_name.get(key) is None:
            raise CellError(
                _(
                    "%(role)s « %(value)s » inconnu de l'annuaire (indiquez le SIRET, "
                    "l'identifiant de la fiche ou le nom exact)."
                )
                % {"role": role, "value": value}
            )
        return self.by_name[key]


def reference_data() -> _Lookups:
    """How the import finds priorities, territories, publics and statuses: the export
    writes each so that it is found again."""
    return _Lookups(None)


# -- the check --------------------------------------------------------------------------


class _Checker:
    def __init__(self, table: CsvTable, *, unquote: bool):
        self.header = table.header
        self.index = {name: i for i, name in enumerate(table.header) if name in COLUMN_NAMES}
        self.unquote = unquote
        self.funders_present = {
            column: (column in self.index, column + PAID_SUFFIX in self.index)
            for column in FUNDER_COLUMNS
        }
        self.any_funder = any(a or b for a, b in self.funders_present.values())

    def values(self, line: int, cells: list[str]) -> tuple[dict, str | None]:
        extra = [cell for cell in cells[len(self.header) :] if cell.strip()]
        if extra:
            return {}, line_message(
                line,
                ngettext(
                    "%(count)d cellule remplie au-delà des colonnes de l'en-tête.",
                    "%(count)d cellules remplies au-delà des colonnes de l'en-tête.",
                    len(extra),
                )
                % {"count": len(extra)},
            )
        values = {}
        for name, position in self.index.items():
            value = cells[position] if position < len(cells) else ""
            if self.unquote:
                value = csv_unquoted(value)  # the "'" our CSV export puts before "=…"
            values[name] = value.strip()
        return values, None

    def check(self, line: int, values: dict, lookups: _Lookups) -> tuple[list[str], dict]:
        """The row's errors, and what it says, field by field."""
        errors = []
        row = {}

        def attempt(function, *args):
            try:
                return function(*args)
            except CellError as error:
                errors.append(line_message(line, str(error)))
                return None

        row["year"] = attempt(_year, values["annee"])
        row["reference"] = values.get("dossier", "")
        for column, message in (
            ("intitule", _("intitulé manquant.")),
            ("description", _("description manquante.")),
        ):
            if not values[column]:
                errors.append(line_message(line, message))
        row["title"] = values["intitule"]
        row["summary"] = values["description"]
        for column, max_length in MAX_LENGTHS.items():
            length = len(values.get(column, ""))
            if length > max_length:
                errors.append(
                    line_message(
                        line,
                        _("%(column)s : %(max)d caractères au plus (%(count)d ici).")
                        % {"column": column, "max": max_length, "count": length},
                    )
                )

        row["carrier"] = None
        if not values["porteur"]:
            errors.append(line_message(line, _("porteur manquant.")))
        else:
            row["carrier"] = attempt(lookups.actor, values["porteur"], _("porteur"))
        if "partenaires" in values:
            partners = []
            for item in _items(values["partenaires"]):
                actor = attempt(lookups.actor, item, _("partenaire"))
                if actor is not None and actor not in partners:
                    partners.append(actor)
            row["partners"] = partners

        if "priorite" in values:
            row["priority"] = None
            if values["priorite"]:
                row["priority"] = lookups.priorities.get(normalise(values["priorite"]))
                if row["priority"] is None:
                    errors.append(
                        line_message(
                            line,
                            _("priorité « %(value)s » inconnue.") % {"value": values["priorite"]},
                        )
                    )
        if "objectif" in values:
            row["objective"] = None
            if values["objectif"]:
                row["objective"] = self._objective(line, values, row, lookups, errors)

        for column, key, table, message in (
            ("quartiers", "territories", lookups.territories, _("quartier « %(value)s » inconnu.")),
            ("publics", "publics", lookups.publics, _("public « %(value)s » inconnu.")),
        ):
            if column not in values:
                continue
            found = []
            for item in _items(values[column]):
                item_found = table.get(normalise(item))
                if item_found is None:
                    errors.append(line_message(line, message % {"value": item}))
                elif item_found not in found:
                    found.append(item_found)
            row[key] = found

        row["status"] = None
        if values.get("statut"):
            row["status"] = lookups.statuses.get(normalise(values["statut"]))
            if row["status"] is None:
                errors.append(
                    line_message(
                        line,
                        _(
                            "statut « %(value)s » inconnu (attendu : Proposée, Programmée, "
                            "En cours, Réalisée ou Abandonnée)."
                        )
                        % {"value": values["statut"]},
                    )
                )
        for column, key in (("debut", "start_date"), ("fin", "end_date")):
            if column in values:
                row[key] = attempt(parse_date, column, values[column])
        if row.get("start_date") and row.get("end_date") and row["end_date"] < row["start_date"]:
            errors.append(
                line_message(
                    line,
                    _("la fin (%(end)s) précède le début (%(start)s).")
                    % {"end": values["fin"], "start": values["debut"]},
                )
            )
        for column, key in (
            ("budget_prevu", "budget_planned"),
            ("budget_realise", "budget_actual"),
        ):
            if column in values:
                row[key] = attempt(parse_amount, column, values[column])
        if "confidentiel" in values:
            row["amounts_confidential"] = attempt(yes_no, "confidentiel", values["confidentiel"])

        row["funders"] = {}
        for column, (has_planned, has_paid) in self.funders_present.items():
            if not (has_planned or has_paid):
                continue
            planned = attempt(parse_amount, column, values[column]) if has_planned else None
            paid_column = column + PAID_SUFFIX
            paid = attempt(parse_amount, paid_column, values[paid_column]) if has_paid else None
            row["funders"][column] = (has_planned, planned, has_paid, paid)
        return errors, row

    def _objective(self, line, values, row, lookups, errors):
        key = normalise(values["objectif"])
        priority = row.get("priority")
        if priority is None:
            if values.get("priorite"):
                return None  # the unknown priority is already said
            errors.append(
                line_message(
                    line,
                    _("objectif « %(value)s » sans priorité : indiquez la priorité.")
                    % {"value": values["objectif"]},
                )
            )
            return None
        objective = lookups.objectives[priority.pk].get(key)
        if objective is not None:
            return objective
        others = [p for p in lookups.objective_priorities.get(key, []) if p.pk != priority.pk]
        if others:
            errors.append(
                line_message(
                    line,
                    _(
                        "l'objectif « %(value)s » appartient à la priorité « %(other)s », "
                        "pas à « %(priority)s »."
                    )
                    % {"value": values["objectif"], "other": others[0], "priority": priority},
                )
            )
        else:
            errors.append(
                line_message(
                    line,
                    _("objectif « %(value)s » inconnu pour la priorité « %(priority)s ».")
                    % {"value": values["objectif"], "priority": priority},
                )
            )
        return None


def _existing_actions(user, rows: list[tuple[int, dict]]) -> tuple[dict, dict]:
    """The actions the file may update: by (year, reference), and, among those with no
    reference yet, by (year, carrier, normalised title) → [actions]."""
    years = {row["year"] for _line_number, row in rows}
    references = {row["reference"] for _line_number, row in rows if row["reference"]}
    carriers = {row["carrier"].pk for _line_number, row in rows}
    actions = (
        actions_visible_to(user)
        .filter(year__in=years)
        .filter(Q(reference__in=references) | Q(reference="", carrier__in=carriers))
        .select_related("carrier", "priority", "objective")
        .prefetch_related("partners", "territories", "publics", "fundings")
    )
    by_reference, by_title = {}, defaultdict(list)
    for action in actions:
        if action.reference:
            by_reference[(action.year, action.reference)] = action
        else:
            by_title[(action.year, action.carrier_id, normalise(action.title))].append(action)
    return by_reference, by_title


def _funding_totals(action: Action | None) -> dict[str, tuple[list, Decimal, Decimal | None]]:
    """funder → (its lines, planned total, paid total or None when nothing is known paid)."""
    totals = {}
    if action is None:
        return totals
    lines = defaultdict(list)
    for funding in action.fundings.all():
        lines[funding.funder].append(funding)
    for funder, fundings in lines.items():
        paid = [f.actual for f in fundings if f.actual is not None]
        totals[funder] = (fundings, sum(f.planned for f in fundings), sum(paid) if paid else None)
    return totals


def _fundings(line, row, existing, errors) -> list[dict] | None:
    """The funders' lines the action will have, or None when the file has no funder column.

    The file holds one total per funder; an existing action may have several lines for one
    (two foundations under "autres"): they stay as they are while the totals are the same."""
    if not row["funders"]:
        return None
    current = _funding_totals(existing)
    result = []
    for column, funder in FUNDER_COLUMNS.items():
        lines, planned_now, paid_now = current.get(funder, ([], None, None))
        if column not in row["funders"]:
            result.extend(_as_rows(lines))
            continue
        has_planned, planned, has_paid, paid = row["funders"][column]
        if not has_planned:
            planned = planned_now
        if not has_paid:
            paid = paid_now
        if planned is None:
            if paid is not None:
                errors.append(
                    line_message(
                        line,
                        _("%(column)s : montant versé sans montant prévu (colonne %(planned)s).")
                        % {"column": column + PAID_SUFFIX, "planned": column},
                    )
                )
            continue
        if lines and planned == planned_now and paid == paid_now:
            result.extend(_as_rows(lines))
            continue
        name = lines[0].name if len(lines) == 1 else ""
        result.append({"funder": funder, "name": name, "planned": planned, "actual": paid})
    return result


def _as_rows(fundings) -> list[dict]:
    return [
        {"funder": f.funder, "name": f.name, "planned": f.planned, "actual": f.actual}
        for f in fundings
    ]


def _fundings_key(rows) -> list[tuple]:
    return sorted((r["funder"], r["name"], r["planned"], r["actual"]) for r in rows)


def _changes(existing: Action, planned: PlannedRow) -> list[str]:
    """The file's columns whose value differs from the action's."""
    changes = []
    data = planned.data
    for column, name in (
        ("dossier", "reference"),
        ("intitule", "title"),
        ("porteur", "carrier"),
        ("priorite", "priority"),
        ("objectif", "objective"),
        ("description", "summary"),
        ("debut", "start_date"),
        ("fin", "end_date"),
        ("budget_prevu", "budget_planned"),
        ("budget_realise", "budget_actual"),
        ("confidentiel", "amounts_confidential"),
    ):
        if name in data and data[name] != getattr(existing, name):
            changes.append(column)
    for column, name in (
        ("partenaires", "partners"),
        ("quartiers", "territories"),
        ("publics", "publics"),
    ):
        if name in planned.relations:
            before = {item.pk for item in getattr(existing, name).all()}
            if before != {item.pk for item in planned.relations[name]}:
                changes.append(column)
    if planned.status is not None and planned.status != existing.status:
        changes.append("statut")
    if planned.fundings is not None and _fundings_key(planned.fundings) != _fundings_key(
        _as_rows(existing.fundings.all())
    ):
        changes.append("financeurs")
    return changes


# What the check found that the services set on the action itself.
DATA_FIELDS = (
    "title",
    "summary",
    "carrier",
    "priority",
    "objective",
    "start_date",
    "end_date",
    "budget_planned",
    "budget_actual",
    "amounts_confidential",
)


def _plan(
    user, line: int, row: dict, existing: Action | None, lookups: _Lookups, errors: list
) -> PlannedRow:
    data = {name: row[name] for name in DATA_FIELDS if name in row}
    data["reference"] = row["reference"]
    relations = {key: row[key] for key in ("partners", "territories", "publics") if key in row}
    status = row["status"]
    if existing is None:
        status = status or ActionStatus.PROGRAMMED
    elif status not in (None, existing.status) and status not in allowed_statuses(user, existing):
        errors.append(
            line_message(
                line,
                _("statut : l'action ne peut pas passer de « %(old)s » à « %(new)s ».")
                % {
                    "old": lookups.status_labels[existing.status],
                    "new": lookups.status_labels[status],
                },
            )
        )
    effective_status = status or existing.status
    actual = data.get("budget_actual", existing.budget_actual if existing else None)
    if effective_status == ActionStatus.PROPOSED and actual is not None:
        errors.append(
            line_message(
                line,
                _(
                    "une action proposée n'a pas encore de budget réalisé : videz "
                    "budget_realise ou indiquez un autre statut."
                ),
            )
        )
    if existing is not None and "objective" not in data and "priority" in data:
        objective = existing.objective
        if objective is not None and data["priority"] != existing.priority:
            errors.append(
                line_message(
                    line,
                    _(
                        "l'objectif actuel « %(objective)s » n'appartient pas à la nouvelle "
                        "priorité : ajoutez la colonne objectif."
                    )
                    % {"objective": objective},
                )
            )
    planned = PlannedRow(
        line=line,
        year=row["year"],
        reference=row["reference"],
        title=row["title"],
        existing=existing,
        data=data,
        relations=relations,
        fundings=_fundings(line, row, existing, errors),
        status=status,
    )
    if existing is not None:
        planned.changes = _changes(existing, planned)
    return planned


def programme_check(*, raw: bytes, name: str, user) -> ImportResult:
    """Read and check every row of the file; say what each would do. Writes nothing."""
    result = ImportResult(file_name=name, dry_run=True)
    try:
        table, from_csv = read_file(raw, name)
    except CsvFileError as error:
        result.errors = [str(error)]
        return result
    if len(table.rows) > MAX_ROWS:
        result.errors = [
            _(
                "Le fichier compte plus de %(max)s actions : découpez-le en plusieurs "
                "fichiers et importez-les un à un."
            )
            % {"max": number_format(MAX_ROWS, force_grouping=True)}
        ]
        return result
    checker = _Checker(table, unquote=from_csv)
    errors, result.ignored_columns = header_errors(
        table, required=REQUIRED_COLUMNS, known=COLUMN_NAMES
    )
    if errors:
        result.errors = errors
        return result
    if not table.rows:
        result.errors = [_("Le fichier ne contient aucune action sous l'en-tête.")]
        return result

    rows = []
    for line, cells in table.rows:
        values, error = checker.values(line, cells)
        if error:
            result.errors.append(error)
        else:
            rows.append((line, values))
    lookups = _Lookups([values for _line_number, values in rows])
    checked = []
    for line, values in rows:
        errors, row = checker.check(line, values, lookups)
        result.errors.extend(errors)
        if not errors:
            checked.append((line, row))

    by_reference, by_title = _existing_actions(user, checked)
    seen_references, seen_titles = {}, {}
    claimed = set()  # an action without dossier is updated by one row at most
    for line, row in checked:
        year, reference = row["year"], row["reference"]
        title_key = (year, row["carrier"].pk, normalise(row["title"]))
        if reference:
            if (year, reference) in seen_references:
                result.errors.append(
                    line_message(
                        line,
                        _("le dossier « %(reference)s » de %(year)s figure déjà ligne %(other)d.")
                        % {
                            "reference": reference,
                            "year": year,
                            "other": seen_references[(year, reference)],
                        },
                    )
                )
                continue
            seen_references[(year, reference)] = line
        elif title_key in seen_titles:
            result.errors.append(
                line_message(
                    line,
                    _(
                        "même année, même porteur et même intitulé que la ligne %(other)d, sans "
                        "numéro de dossier : indiquez le numéro de dossier de chacune."
                    )
                    % {"other": seen_titles[title_key]},
                )
            )
            continue
        seen_titles.setdefault(title_key, line)
        existing = by_reference.get((year, reference)) if reference else None
        if existing is None:
            candidates = by_title.get(title_key, [])
            if len(candidates) > 1:
                result.errors.append(
                    line_message(
                        line,
                        _(
                            "plusieurs actions de %(year)s de ce porteur s'intitulent "
                            "« %(title)s » : indiquez leur numéro de dossier."
                        )
                        % {"year": year, "title": row["title"]},
                    )
                )
                continue
            existing = candidates[0] if candidates else None
            if existing is not None and existing.pk in claimed:
                existing = None
        if existing is not None:
            claimed.add(existing.pk)
        result.rows.append(_plan(user, line, row, existing, lookups, result.errors))
    if result.errors:
        result.rows = []
    return result


def programme_write(*, by: User, result: ImportResult) -> ImportResult:
    """Write the rows ``programme_check`` planned, in one transaction, or nothing: the
    database may still refuse a row (someone gave another action that dossier number
    meanwhile), and then nothing of the file is kept."""
    if not result.ok:
        return result
    can_mark_confidential = by.has_perm("actions.manage")
    years = sorted({row.year for row in result.rows})
    row = None
    try:
        with transaction.atomic():
            for row in result.rows:
                if row.existing is None:
                    # A new action has nothing to replace: empty lists would only cost queries.
                    action_create(
                        by=by,
                        year=row.year,
                        data=row.data,
                        relations={key: items for key, items in row.relations.items() if items},
                        fundings=row.fundings or None,
                        status=row.status,
                    )
                elif row.changes:
                    action = row.existing
                    if row.status is not None and row.status != action.status:
                        action = action_status_set(by=by, action=action, status=row.status)
                    action_update(
                        by=by,
                        action=action,
                        data=row.data,
                        relations=row.relations,
                        fundings=row.fundings,
                        can_mark_confidential=can_mark_confidential,
                    )
            audit_log_record(
                actor=by,
                action=AuditAction.ACTIONS_IMPORTED,
                target_label=result.file_name[:254],
                data={
                    "file": result.file_name,
                    "rows": len(result.rows),
                    "created": result.created,
                    "updated": result.updated,
                    "unchanged": result.unchanged,
                    # The journal's sentence names "the programme <year>" (actions/audit.py).
                    "year": ", ".join(str(year) for year in years),
                    "years": years,
                },
            )
    except ServiceError as error:
        result.errors = [line_message(row.line, str(error))]
    except (DatabaseError, Action.DoesNotExist):
        result.errors = [
            line_message(
                row.line if row else 0,
                _(
                    "la base de données a refusé cette ligne (une action a pu changer pendant "
                    "l'import) : rien n'a été enregistré, recommencez."
                ),
            )
        ]
    if result.errors:
        result.rows = []
        return result
    result.dry_run = False
    return result


def programme_import(*, by: User, raw: bytes, name: str, dry_run: bool = False) -> ImportResult:
    """Check ``raw`` (the bytes of a CSV or XLSX file), then, unless ``dry_run``, write it
    all or nothing."""
    result = programme_check(raw=raw, name=name, user=by)
    if dry_run or not result.ok:
        return result
    return programme_write(by=by, result=result)
