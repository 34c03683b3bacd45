"""Export of a year's programme of actions, CSV or XLSX, in the import's columns.

The file re-imports unchanged (``imports.py``): the same column names, each reference
written so that the import finds the same item again (a directory actor by the slug of its
page, a priority, territory or public by its name unless another one shares it, then by
its slug), amounts and dates in a form the import reads. The CSV is for French
spreadsheets: ";" between fields, the decimal comma, a BOM (docs/exports.md). Text cells are
neutralised against formulas as in every export of the portal (``contrat_ville.spreadsheets``).
"""

from collections.abc import Iterable, Iterator
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db.models import Prefetch, QuerySet
from django.utils import translation
from django.utils.translation import gettext as _

from contrat_ville import spreadsheets
from contrat_ville.csvfiles import normalise
from contrat_ville.models import Territory

from .imports import (
    COLUMNS,
    FUNDER_COLUMNS,
    LIST_SEPARATOR,
    PAID_SUFFIX,
    reference_data,
)
from .models import Action
from .selectors import actions_visible_to

CSV_DELIMITER = ";"  # what Excel expects in a French locale, as the other exports
CSV_DATE_FORMAT = "%d/%m/%Y"
XLSX_DATE_FORMAT = "DD/MM/YYYY"
XLSX_AMOUNT_FORMAT = "#,##0.00"
# XLSX column widths, in characters; the others get DEFAULT_WIDTH.
WIDTHS = {"intitule": 40, "description": 60, "porteur": 24, "partenaires": 30, "objectif": 30}
DEFAULT_WIDTH = 14
FORMATS = ("csv", "xlsx")


def actions_for_export(user, year: int) -> QuerySet[Action]:
    """The year's actions ``user`` may see, with everything a row of the file needs."""
    return (
        actions_visible_to(user)
        .filter(year=year)
        .select_related("carrier", "priority", "objective")
        .prefetch_related(
            "partners",
            Prefetch("territories", queryset=Territory.objects.defer("contour")),
            "publics",
            "fundings",
        )
        .order_by("reference", "title", "pk")
    )


def headers() -> list[str]:
    return [header for _name, header in COLUMNS]


class _Names:
    """How the file names a priority, a territory or a public: its name when the import
    finds this very item by it, else its slug (which the import always finds)."""

    def __init__(self):
        lookups = reference_data()
        self.tables = {
            "priority": (lookups.priorities, "title"),
            "territory": (lookups.territories, "name"),
            "public": (lookups.publics, "name"),
        }

    def of(self, item) -> str:
        table, attribute = self.tables[item._meta.model_name]
        name = getattr(item, attribute)
        found = table.get(normalise(name))
        if found is not None and found.pk == item.pk and LIST_SEPARATOR not in name:
            return name
        return item.slug


def _amount_csv(value: Decimal | None) -> str:
    # The decimal comma and no grouping: what a French spreadsheet reads as a number.
    return "" if value is None else f"{value:.2f}".replace(".", ",")


def _values(action: Action, names: _Names) -> dict[str, object]:
    """The row of ``action``, by column name, with raw types (str, int, date, Decimal)."""
    separator = f" {LIST_SEPARATOR} "
    values = {
        "dossier": action.reference,
        "annee": action.year,
        "intitule": action.title,
        "porteur": action.carrier.slug,
        "partenaires": separator.join(sorted(actor.slug for actor in action.partners.all())),
        "priorite": names.of(action.priority) if action.priority_id else "",
        "objectif": action.objective.title if action.objective_id else "",
        "quartiers": separator.join(names.of(t) for t in action.territories.all()),
        "publics": separator.join(sorted(names.of(p) for p in action.publics.all())),
        "description": action.summary,
        "statut": action.get_status_display(),
        "debut": action.start_date,
        "fin": action.end_date,
        "budget_prevu": action.budget_planned,
        "budget_realise": action.budget_actual,
        "confidentiel": _("oui") if action.amounts_confidential else _("non"),
    }
    planned: dict[str, Decimal] = {}
    paid: dict[str, Decimal] = {}
    for funding in action.fundings.all():
        planned[funding.funder] = planned.get(funding.funder, Decimal(0)) + funding.planned
        if funding.actual is not None:
            paid[funding.funder] = paid.get(funding.funder, Decimal(0)) + funding.actual
    for column, funder in FUNDER_COLUMNS.items():
        values[column] = planned.get(funder)
        values[column + PAID_SUFFIX] = paid.get(funder)
    return values


def _rows(actions: Iterable[Action]) -> Iterator[list]:
    actions = list(actions)
    names = _Names()
    for action in actions:
        values = _values(action, names)
        yield [values[name] for name, _header in COLUMNS]


def _csv_value(value):
    if isinstance(value, Decimal):
        return _amount_csv(value)
    if isinstance(value, date):
        return value.strftime(CSV_DATE_FORMAT)
    return value


def programme_csv_lines(actions: Iterable[Action]) -> Iterator[str]:
    """The header then one line per action; text cells through ``spreadsheets.csv_lines``."""
    with translation.override(settings.LANGUAGE_CODE):
        yield from spreadsheets.csv_lines(
            headers(),
            ([_csv_value(value) for value in row] for row in _rows(actions)),
            delimiter=CSV_DELIMITER,
        )


def programme_xlsx(year: int, actions: Iterable[Action]) -> bytes:
    """One sheet, the CSV's columns: bold frozen header, filters, real date and number cells,
    as the registrations' export."""
    with translation.override(settings.LANGUAGE_CODE):
        return spreadsheets.xlsx_workbook(
            title=_("Programme d'actions %(year)s") % {"year": year},
            sheet_title=_("Programme %(year)s") % {"year": year},
            header=headers(),
            rows=_rows(actions),
            widths=[WIDTHS.get(name, DEFAULT_WIDTH) for name, _header in COLUMNS],
            number_formats=((date, XLSX_DATE_FORMAT), (Decimal, XLSX_AMOUNT_FORMAT)),
        )
