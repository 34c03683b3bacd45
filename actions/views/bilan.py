"""The yearly bilan's pages: /bilan/ (the latest year), /bilan/<year>/ and its CSV.

The figures come from ``actions.selectors.bilan.bilan_cached`` in the version the reader may
see (``version_for``); this module only shapes them for the page: the charts
(``events.charts.bar_chart``, as the rencontre's dashboard) and, beside each, the table with
the exact amounts in French format.
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from html import escape

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from contrat_ville import spreadsheets
from events.charts import bar_chart

from ..amounts import Numbers
from ..enums import ActionStatus, IndicatorUnit
from ..models import FIRST_YEAR, LAST_YEAR
from ..selectors.bilan import (
    ORGANISERS,
    PARTNERS,
    PUBLIC,
    Bilan,
    bilan_cached,
    bilan_years,
    version_for,
)

CSV_DELIMITER = ";"  # what Excel expects in a French locale, as the other exports
FILE_SUFFIX = {PUBLIC: "", PARTNERS: "-partenaires", ORGANISERS: "-organisateurs"}
PK_MARK = 987654321  # a placeholder pk, replaced in the reversed URL
# The page lists this many actions and indicators at most, so a big year stays a page a
# phone can load; the list of actions, the CSV and the documents have them all.
PAGE_ROWS = 50


def _whole_euros(value: Decimal) -> int:
    # The chart draws whole euros (its geometry is integers); the table has the cents.
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


@dataclass
class Table:
    """A table of the page: ``head`` names the columns, the first one labelling the rows;
    each row is its label then its cells, already formatted. The first ``text_columns``
    columns hold text, the others numbers (right-aligned). With ``link_column`` the row's
    label is a (text, url) pair."""

    caption: str
    head: list[str]
    rows: list[list]
    foot: list[str] | None = None
    text_columns: int = 1
    link_column: bool = False

    @property
    def stacked(self) -> bool:
        # A label and one number fit a phone's width; more columns stack row by row.
        return len(self.head) > 2

    @property
    def columns(self) -> list[dict]:
        return [
            {"text": text, "number": index >= self.text_columns}
            for index, text in enumerate(self.head)
        ]

    def _row(self, row, *, linked: bool = False) -> str:
        # Written here rather than in the template: the organisers' bilan of 1,000 actions
        # has some 10,000 cells, which template tags (or format_html) render many times
        # slower. Every text goes through html.escape.
        if linked:
            text, url = row[0]
            label = f'<a href="{escape(url)}">{escape(str(text))}</a>'
        else:
            label = escape(str(row[0]))
        parts = [f'<tr><th scope="row">{label}</th>']
        for index, text in enumerate(row[1:], start=1):
            number = ' class="number"' if index >= self.text_columns else ""
            # On a phone the stacked table prints each cell's column.
            column = f' data-label="{escape(str(self.head[index]))}"' if self.stacked else ""
            parts.append(f"<td{column}{number}>{escape(str(text))}</td>")
        parts.append("</tr>")
        return "".join(parts)

    @property
    def body(self) -> str:
        rows = "\n".join(self._row(row, linked=self.link_column) for row in self.rows)
        return mark_safe(rows)  # noqa: S308  (escaped cell by cell in _row)

    @property
    def foot_row(self) -> str:
        return mark_safe(self._row(self.foot)) if self.foot else ""  # noqa: S308  (as body)


@dataclass
class Breakdown:
    """One section of the page: its charts and the table of the same figures."""

    key: str
    heading: str
    intro: str = ""
    charts: list[dict] = field(default_factory=list)
    table: Table | None = None
    empty: str = ""


def _money_rows(rows, n: Numbers) -> list[list[str]]:
    return [
        [
            row.label,
            n.quantity(row.count),
            n.euros(row.planned, cents=True),
            n.euros(row.actual, cents=True),
        ]
        for row in rows
    ]


def _breakdowns(bilan: Bilan, n: Numbers) -> list[Breakdown]:
    year = bilan.year
    money_head = [_("Actions"), _("Prévu"), _("Réalisé")]
    total = [
        _("Total"),
        n.quantity(bilan.active),
        n.euros(bilan.planned, cents=True),
        n.euros(bilan.actual, cents=True),
    ]
    sections = []

    sections.append(
        Breakdown(
            key="priorites",
            heading=_("Par priorité du contrat"),
            charts=[
                {
                    **bar_chart(
                        ({"label": r.label, "count": r.count} for r in bilan.by_priority),
                        title=_("Nombre d'actions par priorité en %(year)s") % {"year": year},
                    ),
                    "heading": _("Nombre d'actions"),
                },
                {
                    **bar_chart(
                        (
                            {"label": r.label, "count": _whole_euros(r.planned)}
                            for r in bilan.by_priority
                        ),
                        title=_("Budget prévu par priorité en %(year)s, en euros") % {"year": year},
                    ),
                    "heading": _("Budget prévu, en euros"),
                },
            ],
            table=Table(
                _("Actions et montants par priorité en %(year)s") % {"year": year},
                [_("Priorité"), *money_head],
                _money_rows(bilan.by_priority, n),
                total,
            ),
            empty=_("Aucune action menée cette année."),
        )
    )

    counted = [r for r in bilan.by_territory if r.count]
    sections.append(
        Breakdown(
            key="quartiers",
            heading=_("Par quartier"),
            intro=_(
                "Une action menée dans plusieurs quartiers compte dans chacun ; ses montants "
                "sont sur la ligne « Plusieurs quartiers », pour que le total tombe juste."
            ),
            charts=[
                bar_chart(
                    ({"label": r.label, "count": r.count} for r in counted),
                    title=_("Nombre d'actions par quartier en %(year)s") % {"year": year},
                )
            ],
            table=Table(
                _("Actions et montants par quartier en %(year)s") % {"year": year},
                [_("Quartier"), *money_head],
                [
                    [
                        r.label,
                        n.quantity(r.count) if r.count else "—",
                        n.euros(r.planned, cents=True),
                        n.euros(r.actual, cents=True),
                    ]
                    for r in bilan.by_territory
                ],
                [
                    _("Ensemble des actions"),
                    n.quantity(bilan.active),
                    n.euros(bilan.planned, cents=True),
                    n.euros(bilan.actual, cents=True),
                ],
            ),
            empty=_("Aucune action menée cette année."),
        )
    )

    sections.append(
        Breakdown(
            key="publics",
            heading=_("Par public"),
            intro=_("Une action s'adresse souvent à plusieurs publics : elle compte pour chacun."),
            charts=[
                bar_chart(
                    ({"label": r.label, "count": r.count} for r in bilan.by_public),
                    title=_("Nombre d'actions par public en %(year)s") % {"year": year},
                )
            ],
            table=Table(
                _("Actions par public en %(year)s") % {"year": year},
                [_("Public"), _("Actions")],
                [[r.label, n.quantity(r.count)] for r in bilan.by_public],
            ),
            empty=_("Aucune action n'indique encore son public."),
        )
    )

    sections.append(
        Breakdown(
            key="financeurs",
            heading=_("Par financeur"),
            intro=_(
                "Ce que chaque financeur a prévu de donner et ce qu'il a versé ; la colonne "
                "« Actions » compte les actions qu'il finance."
            ),
            charts=[
                bar_chart(
                    ({"label": r.label, "count": _whole_euros(r.planned)} for r in bilan.by_funder),
                    title=_("Financements prévus par financeur en %(year)s, en euros")
                    % {"year": year},
                )
            ],
            table=Table(
                _("Financements par financeur en %(year)s") % {"year": year},
                [_("Financeur"), _("Actions"), _("Prévu"), _("Versé")],
                _money_rows(bilan.by_funder, n),
                [
                    _("Total"),
                    "",
                    n.euros(bilan.funded_planned, cents=True),
                    n.euros(bilan.funded_actual, cents=True),
                ],
            ),
            empty=_("Aucun financement n'est encore indiqué."),
        )
    )

    sections.append(
        Breakdown(
            key="statuts",
            heading=_("Où en sont les actions"),
            charts=[
                bar_chart(
                    ({"label": r.label, "count": r.count} for r in bilan.by_status),
                    title=_("Actions programmées en %(year)s par statut") % {"year": year},
                )
            ],
            table=Table(
                _("Actions programmées en %(year)s par statut") % {"year": year},
                [_("Statut"), _("Actions")],
                [[r.label, n.quantity(r.count)] for r in bilan.by_status],
                [_("Total"), n.quantity(bilan.programme)],
            ),
        )
    )
    # A section with nothing to draw says so instead of an empty chart.
    for section in sections:
        if not any(chart["bars"] for chart in section.charts):
            section.charts, section.table = [], None
        for number, chart in enumerate(section.charts, start=1):
            chart["id"] = f"graphique-{section.key}-{number}"
    return sections


def _measure(n: Numbers, value: Decimal | None, unit: str) -> str:
    # "12 personnes", "54 %": the unit in the cell keeps a phone's stacked row short.
    return "—" if value is None else f"{n.quantity(value)}\u00a0{unit}"


def _indicator_table(bilan: Bilan, n: Numbers) -> Table | None:
    if not bilan.indicator_lines:
        return None
    units = {value: str(label) for value, label in IndicatorUnit.choices}
    rows = [
        [
            line.action,
            line.label,
            _measure(n, line.target, units.get(line.unit, "")),
            _measure(n, line.achieved, units.get(line.unit, "")),
            _measure(n, line.rate, "%"),
        ]
        for line in bilan.indicator_lines
    ]
    return Table(
        _("Les indicateurs des actions de %(year)s") % {"year": bilan.year},
        [_("Action"), _("Indicateur"), _("Cible"), _("Réalisé"), _("Taux")],
        rows,
        text_columns=2,
    )


def _actions_table(bilan: Bilan, n: Numbers) -> Table | None:
    if not bilan.actions:
        return None
    # One reverse for the thousand links of a big year.
    detail = reverse("actions:detail", kwargs={"pk": PK_MARK})
    rows = []
    for line in bilan.actions:
        if line.confidential and line.planned is None and line.actual is None:
            planned = actual = _("confidentiel")
        else:
            planned, actual = n.euros(line.planned, cents=True), n.euros(line.actual, cents=True)
            if line.confidential:  # the organisers' version: say it, the amounts stay
                planned = _("%(amount)s (confidentiel)") % {"amount": planned}
        rows.append(
            [
                (line.title, detail.replace(str(PK_MARK), str(line.pk))),
                line.carrier,
                line.priority or "—",
                line.status_label,
                planned,
                actual,
            ]
        )
    return Table(
        _("Les actions programmées en %(year)s") % {"year": bilan.year},
        [_("Action"), _("Porteur"), _("Priorité"), _("Statut"), _("Prévu"), _("Réalisé")],
        rows,
        text_columns=4,
        link_column=True,
    )


def _signed(value, text) -> str:
    """A difference with its sign: "+", or a true minus sign (U+2212) rather than a hyphen."""
    if not value:
        return text(value)
    return ("+" if value > 0 else "\u2212") + text(abs(value))


def _comparison_table(bilan: Bilan, n: Numbers) -> Table | None:
    before = bilan.previous
    if before is None:
        return None
    return Table(
        _("%(before)s et %(year)s comparées") % {"before": before.year, "year": bilan.year},
        [_("En chiffres"), str(before.year), str(bilan.year), _("Écart")],
        [
            [
                _("Actions menées"),
                n.quantity(before.active),
                n.quantity(bilan.active),
                _signed(bilan.active - before.active, n.quantity),
            ],
            [
                _("Budget prévu"),
                n.euros(before.planned, cents=True),
                n.euros(bilan.planned, cents=True),
                _signed(bilan.planned - before.planned, lambda v: n.euros(v, cents=True)),
            ],
        ],
    )


def _year_links(years: list[int], year: int) -> tuple[int | None, int | None]:
    before = [y for y in years if y < year]
    after = [y for y in years if y > year]
    return (max(before) if before else None, min(after) if after else None)


def _check_year(year: int) -> None:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise Http404


@login_not_required
@require_GET
def bilan_index(request):
    years = bilan_years()
    if years:
        url = reverse("bilan:year", kwargs={"year": years[0]})
        if request.GET.get("version") == PUBLIC:
            url += "?version=public"
        return redirect(url)
    return render(request, "actions/bilan.html", {"bilan": None, "years": [], "year": None})


@login_not_required
@require_GET
def bilan_page(request, year: int):
    _check_year(year)
    version = version_for(request.user, request.GET.get("version"))
    bilan = bilan_cached(year, version, limit=PAGE_ROWS)
    years = bilan_years()
    previous_year, next_year = _year_links(years, year)
    query = "?version=public" if version == PUBLIC and request.GET.get("version") == PUBLIC else ""
    context = {
        "bilan": bilan,
        "year": year,
        "years": years,
        "previous_year": previous_year,
        "next_year": next_year,
        "query": query,
        # Partners and organisers may switch between their version and the public one.
        "can_see_fuller": request.user.has_perm("actions.view_partner_bilan"),
    }
    if bilan.programme:
        n = Numbers()
        counts = {row.key: row.count for row in bilan.by_status}
        context.update(
            {
                "figures": {
                    # Whole euros in the headline, so a million fits its card; the
                    # tables have the cents.
                    "planned": n.euros(bilan.planned, cents=False),
                    "actual": n.euros(bilan.actual, cents=False),
                    "people": n.quantity(bilan.people_reached),
                    "done": counts[ActionStatus.DONE],
                    "under_way": bilan.active - counts[ActionStatus.DONE],
                    "abandoned": counts[ActionStatus.ABANDONED],
                },
                "sections": _breakdowns(bilan, n),
                "indicator_table": _indicator_table(bilan, n),
                "actions_table": _actions_table(bilan, n),
                "comparison_table": _comparison_table(bilan, n),
            }
        )
    return render(request, "actions/bilan.html", context)


def _csv_rows(bilan: Bilan):
    def amount(value: Decimal | None) -> str:
        # French spreadsheets read "1500,50" as a number, "1500.50" as text.
        return "" if value is None else f"{value:.2f}".replace(".", ",")

    yield [_("Ensemble"), _("Actions programmées"), bilan.programme, "", ""]
    yield [
        _("Ensemble"),
        _("Actions menées (réalisées ou en cours)"),
        bilan.active,
        amount(bilan.planned),
        amount(bilan.actual),
    ]
    if bilan.hidden_amounts:
        yield [
            _("Ensemble"),
            _("Actions aux montants confidentiels, non comptés"),
            bilan.hidden_amounts,
            "",
            "",
        ]
    if not bilan.is_public:
        yield [_("Ensemble"), _("Propositions en attente"), bilan.proposed, "", ""]
    for section, rows, money in (
        (_("Statut"), bilan.by_status, False),
        (_("Priorité"), bilan.by_priority, True),
        (_("Quartier"), bilan.by_territory, True),
        (_("Public"), bilan.by_public, False),
        (_("Financeur"), bilan.by_funder, True),
    ):
        for row in rows:
            amounts = [amount(row.planned), amount(row.actual)] if money else ["", ""]
            yield [section, row.label, row.count, *amounts]
    yield [_("Indicateurs"), _("Indicateurs mesurés"), bilan.indicators, "", ""]
    yield [_("Indicateurs"), _("Indicateurs atteints"), bilan.indicators_reached, "", ""]
    if bilan.previous:
        before = bilan.previous
        label = _("Évolution depuis %(year)s") % {"year": before.year}
        yield [
            label,
            _("Actions menées en %(year)s") % {"year": before.year},
            before.active,
            amount(before.planned),
            "",
        ]
        yield [label, _("Actions reconduites"), before.renewed, "", ""]
        yield [label, _("Actions nouvelles"), before.new, "", ""]
        yield [label, _("Actions arrêtées"), before.stopped, "", ""]
    for line in bilan.actions:
        yield [_("Action"), line.title, "", amount(line.planned), amount(line.actual)]


@login_not_required
@require_GET
def bilan_csv(request, year: int, same_year: int):
    _check_year(year)
    if same_year != year:
        raise Http404
    version = version_for(request.user, request.GET.get("version"))
    bilan = bilan_cached(year, version)
    with translation.override(settings.LANGUAGE_CODE):
        header = [
            _("Rubrique"),
            _("Libellé"),
            _("Nombre"),
            _("Prévu (euros)"),
            _("Réalisé (euros)"),
        ]
        body = "".join(spreadsheets.csv_lines(header, _csv_rows(bilan), delimiter=CSV_DELIMITER))
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    filename = f"bilan-{year}{FILE_SUFFIX[version]}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
