"""Import a CSV of participants into one edition.

Every row is checked before anything is written; one bad row refuses the
whole file, with each problem said as "ligne N : …" (N is the line of the
file, the header being line 1). A good file is written in one transaction
by ``registrations_bulk_create``: seats first, then the waiting list, in the
order of the file.
"""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from contrat_ville.csvfiles import (
    CellError,
    CsvFileError,
    CsvTable,
    column_name,
    header_errors,
    line_message,
    normalise,
    read_table,
    yes_no,
)
from contrat_ville.enums import TerritoryKind
from contrat_ville.models import Territory, User
from contrat_ville.services import audit_log_record

from ..enums import AuditAction, College, RegistrationSource, RegistrationStatus
from ..models import Edition, Registration
from .registrations import DuplicateRegistration, registrations_bulk_create

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 5000

# CSV column → registration field.
COLUMNS = {
    "prenom": "first_name",
    "nom": "last_name",
    "email": "email",
    "telephone": "phone",
    "structure": "organisation",
    "college": "college",
    "quartier": "territory",
    "besoins_accessibilite": "accessibility_needs",
    "regime_alimentaire": "dietary_needs",
    "droit_image": "image_consent",
    "liste_participants": "listed",
}
# Other names people give the same columns (after case and accents are dropped).
ALIASES = {"e_mail": "email", "courriel": "email", "mail": "email"}
REQUIRED_COLUMNS = ("prenom", "nom", "email", "college")
MAX_LENGTHS = {
    name: Registration._meta.get_field(name).max_length
    for name in (
        "first_name",
        "last_name",
        "email",
        "phone",
        "organisation",
        "accessibility_needs",
        "dietary_needs",
    )
}
COLUMN_OF = {value: key for key, value in COLUMNS.items()}


@dataclass
class ImportResult:
    """What an import did, or would do (``dry_run``), or why it refused the file."""

    errors: list[str] = field(default_factory=list)
    rows: int = 0
    confirmed: int = 0
    waiting: int = 0
    dry_run: bool = False
    ignored_columns: list[str] = field(default_factory=list)
    registrations: list[Registration] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


class _FileError(Exception):
    """The file as a whole cannot be read."""


def _column_name(value: str) -> str:
    return column_name(value, ALIASES)


def _read(file) -> bytes:
    raw = file if isinstance(file, bytes) else file.read(MAX_BYTES + 1)
    if len(raw) > MAX_BYTES:
        raise _FileError(
            _(
                "Le fichier dépasse 2 Mo : découpez-le en plusieurs fichiers et "
                "importez-les un à un."
            )
        )
    return raw


def _split(raw: bytes) -> CsvTable:
    """The header (normalised names), its line, and the non-blank rows with their lines."""
    try:
        table = read_table(raw, column_name=_column_name)
    except CsvFileError as error:
        raise _FileError(str(error)) from None
    if len(table.rows) > MAX_ROWS:
        raise _FileError(
            _(
                "Le fichier compte plus de %(max)s participants : découpez-le en "
                "plusieurs fichiers et importez-les un à un."
            )
            % {"max": number_format(MAX_ROWS, force_grouping=True)}
        )
    return table


class _Checker:
    """Checks the rows against the edition and the reference data, in bulk."""

    def __init__(self, edition: Edition, header: list[str]):
        self.edition = edition
        self.header = header
        self.index = {name: position for position, name in enumerate(header) if name in COLUMNS}
        colleges = {}
        for value, label in College.choices:
            colleges[normalise(value)] = value
            colleges[normalise(str(label))] = value
        self.colleges = colleges
        territories = {}
        for territory in Territory.objects.filter(
            kind__in=[TerritoryKind.QPV, TerritoryKind.QVA, TerritoryKind.COMMUNE]
        ).order_by("-order", "-name"):
            # Reversed, so the first in display order wins a shared name.
            for key in (territory.name, territory.slug, territory.code):
                if key:
                    territories[normalise(key)] = territory
        self.territories = territories
        self.registered = set(
            Registration.objects.filter(edition=edition)
            .exclude(email="")
            .values_list("email", flat=True)
        )
        self.actors = self._actors()

    @staticmethod
    def _actors() -> dict:
        from partners.enums import ActorStatus
        from partners.models import Actor

        actors = {}
        for actor in Actor.objects.filter(status=ActorStatus.PUBLISHED).order_by("-pk"):
            actors[normalise(actor.name)] = actor  # the oldest wins, as in the form
        return actors

    def check(self, line: int, cells: list[str], seen: dict[str, int]) -> tuple[list, dict]:
        errors = []
        if len(cells) != len(self.header):
            errors.append(
                line_message(
                    line,
                    _("%(count)d colonnes au lieu de %(expected)d, comme l'en-tête.")
                    % {"count": len(cells), "expected": len(self.header)},
                )
            )
            return errors, {}
        values = {name: cells[position].strip() for name, position in self.index.items()}
        data = {}

        for column, label in (("prenom", _("prénom")), ("nom", _("nom"))):
            value = " ".join(values[column].split())
            if not value:
                errors.append(line_message(line, _("%(field)s manquant.") % {"field": label}))
            data[COLUMNS[column]] = value

        email = values["email"].lower()
        if not email:
            errors.append(line_message(line, _("adresse e-mail manquante.")))
        else:
            try:
                validate_email(email)
            except ValidationError:
                errors.append(
                    line_message(
                        line, _("adresse e-mail « %(email)s » invalide.") % {"email": email}
                    )
                )
            else:
                if email in seen:
                    errors.append(
                        line_message(
                            line,
                            _("l'adresse %(email)s figure déjà ligne %(other)d du fichier.")
                            % {"email": email, "other": seen[email]},
                        )
                    )
                else:
                    seen[email] = line
                if email in self.registered:
                    errors.append(
                        line_message(
                            line,
                            _("%(email)s a déjà une inscription à cette édition.")
                            % {"email": email},
                        )
                    )
        data["email"] = email

        college = self.colleges.get(normalise(values["college"]))
        if not values["college"]:
            errors.append(line_message(line, _("collège manquant.")))
        elif college is None:
            errors.append(
                line_message(
                    line,
                    _(
                        "collège « %(value)s » inconnu (attendu : un code comme copil ou "
                        "habitant, ou le nom d'un collège)."
                    )
                    % {"value": values["college"]},
                )
            )
        data["college"] = college

        quartier = values.get("quartier", "")
        territory = self.territories.get(normalise(quartier)) if quartier else None
        if quartier and territory is None:
            errors.append(
                line_message(line, _("quartier « %(value)s » inconnu.") % {"value": quartier})
            )
        data["territory"] = territory

        data["phone"] = " ".join(values.get("telephone", "").split())
        organisation = " ".join(values.get("structure", "").split())
        data["organisation"] = organisation
        data["actor"] = self.actors.get(normalise(organisation)) if organisation else None
        data["accessibility_needs"] = values.get("besoins_accessibilite", "")
        data["dietary_needs"] = values.get("regime_alimentaire", "")

        for column in ("droit_image", "liste_participants"):
            try:
                data[COLUMNS[column]] = yes_no(column, values.get(column, ""))
            except CellError as error:
                errors.append(line_message(line, str(error)))
                data[COLUMNS[column]] = False

        for name, max_length in MAX_LENGTHS.items():
            if len(data[name]) > max_length:
                errors.append(
                    line_message(
                        line,
                        _("%(column)s : %(max)d caractères au plus.")
                        % {"column": COLUMN_OF[name], "max": max_length},
                    )
                )
        return errors, data


def registrations_import(
    *, edition: Edition, file, by: User | None, dry_run: bool = False
) -> ImportResult:
    """Check every row of ``file`` (bytes or a binary file), then register them
    all, or nothing. With ``dry_run``, only check and say what would happen."""
    result = ImportResult(dry_run=dry_run)
    try:
        table = _split(_read(file))
    except _FileError as error:
        result.errors = [str(error)]
        return result

    errors, result.ignored_columns = header_errors(table, required=REQUIRED_COLUMNS, known=COLUMNS)
    if errors:
        result.errors = errors
        return result
    checker = _Checker(edition, table.header)
    if not table.rows:
        result.errors = [_("Le fichier ne contient aucun participant sous l'en-tête.")]
        return result

    seen: dict[str, int] = {}
    planned = []
    for line, cells in table.rows:
        errors, data = checker.check(line, cells, seen)
        result.errors.extend(errors)
        planned.append((line, data))
    if result.errors:
        return result

    result.rows = len(planned)
    if dry_run:
        confirmed = Registration.objects.filter(
            edition=edition, status=RegistrationStatus.CONFIRMED
        ).count()
        result.confirmed = min(max(edition.capacity - confirmed, 0), result.rows)
        result.waiting = result.rows - result.confirmed
        return result

    lines = {data["email"].strip().lower(): line for line, data in planned}
    try:
        with transaction.atomic():
            result.registrations = registrations_bulk_create(
                edition=edition,
                rows=[data for _line, data in planned],
                by=by,
                source=RegistrationSource.IMPORT,
            )
            audit_log_record(
                actor=by,
                action=AuditAction.REGISTRATIONS_IMPORTED,
                target=edition,
                data={"inscriptions": len(result.registrations)},
            )
    except DuplicateRegistration as error:
        # Someone registered meanwhile with an address of the file: nothing is written.
        line = lines.get(error.existing.email, 0)
        result.errors = [line_message(line, str(error))]
        result.registrations = []
        result.rows = 0
        return result
    result.confirmed = sum(r.status == RegistrationStatus.CONFIRMED for r in result.registrations)
    result.waiting = result.rows - result.confirmed
    return result
