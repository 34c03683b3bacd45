"""The export of a year's programme: the import's columns, formulas neutralised, and a file
that re-imports unchanged (CSV and XLSX)."""

import datetime
import io
from decimal import Decimal

import openpyxl
import pytest

from actions.enums import ActionStatus, AuditAction, Funder
from actions.exports import programme_csv_lines, programme_xlsx
from actions.imports import programme_import
from actions.models import Action
from contrat_ville.models import AuditLogEntry, Territory

HEADER = (
    "Dossier;Année;Intitulé;Porteur;Partenaires;Priorité;Objectif;Quartiers;Publics;"
    "Description;Statut;Début;Fin;Budget prévu;Budget réalisé;Confidentiel;État;EPCI;Commune;"
    "Département;Région;Caf;Bailleurs;Europe;Fonds propres;Autres;État versé;EPCI versé;"
    "Commune versé;Département versé;Région versé;Caf versé;Bailleurs versé;Europe versé;"
    "Fonds propres versé;Autres versé"
)


def url(year, fmt) -> str:
    return f"/actions/exporter/{year}.{fmt}"


@pytest.fixture
def programme(make_action, actor_a, actor_b, priority, objective, qpv_one, qpv_two, youth):
    """Two actions of 2025 with every column filled in one of them, one of 2024."""
    full = make_action(
        actor_a,
        title='=HYPERLINK("http://example.test")',
        reference="AAP-2025-001",
        priority=priority,
        objective=objective,
        territories=[qpv_two, qpv_one],
        publics=[youth],
        fundings=[(Funder.STATE, "4000", "3000"), (Funder.COMMUNE, "1500.5", None)],
        status=ActionStatus.DONE,
        summary="Première ligne\r\nseconde ligne ; avec « guillemets ».",
        start_date=datetime.date(2025, 3, 1),
        end_date=datetime.date(2025, 6, 30),
        budget_planned="12500.50",
        budget_actual="12000",
        amounts_confidential=True,
    )
    full.partners.set([actor_b])
    full.fundings.create(funder=Funder.OTHER, name="Fondation A", planned=Decimal(100))
    full.fundings.create(funder=Funder.OTHER, name="Fondation B", planned=Decimal(50))
    make_action(actor_b, title="Soutien scolaire", status=ActionStatus.PROPOSED)
    make_action(actor_b, title="Ancienne", year=2024)
    return full


def export_csv(year=2025) -> str:
    return "".join(programme_csv_lines(Action.objects.filter(year=year).order_by("reference")))


def test_export_csv_lines(programme):
    lines = export_csv().split("\r\n")

    assert lines[0] == "\ufeff" + HEADER
    assert lines[1] == (
        ";2025;Soutien scolaire;association-beta;;;;;;Une action de test.;Proposée;;;;;non;;;;;;;;"
        ";;;;;;;;;;;;"
    )
    assert lines[2] == (
        'AAP-2025-001;2025;"\'=HYPERLINK(""http://example.test"")";association-alpha;'
        "association-beta;Emploi et insertion;Lever les freins à l'emploi;"
        'Quartier Un | Quartier Deux;Jeunes (test);"Première ligne'
    )
    assert lines[3] == (
        'seconde ligne ; avec « guillemets ».";Réalisée;01/03/2025;30/06/2025;12500,50;'
        "12000,00;oui;4000,00;;1500,50;;;;;;;150,00;3000,00;;;;;;;;;"
    )
    assert lines[4:] == [""]


def test_export_xlsx_cells(programme):
    sheet = openpyxl.load_workbook(io.BytesIO(programme_xlsx(2025, [programme]))).active

    assert sheet.title == "Programme 2025"
    assert [cell.value for cell in sheet[1]] == HEADER.split(";")
    row = {header: cell for header, cell in zip(HEADER.split(";"), sheet[2], strict=True)}
    assert row["Intitulé"].value == '=HYPERLINK("http://example.test")'
    assert (row["Intitulé"].data_type, row["Intitulé"].quotePrefix) == ("s", True)
    assert row["Début"].value == datetime.datetime(2025, 3, 1)
    assert row["Début"].number_format == "DD/MM/YYYY"
    assert (row["Budget prévu"].value, row["Budget prévu"].number_format) == (12500.5, "#,##0.00")
    assert row["Année"].value == 2025
    assert row["Autres"].value == 150
    assert row["EPCI"].value is None
    assert sheet.freeze_panes == "A2"


def test_export_name_shared_by_two_territories_is_written_as_the_slug(
    make_action, actor_a, qpv_one, qpv_two
):
    Territory.objects.filter(pk=qpv_two.pk).update(name="Quartier Un")
    make_action(actor_a, reference="D1", territories=[qpv_one, qpv_two])

    assert export_csv().split("\r\n")[1].split(";")[7] == "Quartier Un | quartier-deux"


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_reimports_unchanged(organiser, programme, fmt):
    actions = list(Action.objects.filter(year=2025).order_by("reference"))
    raw = (
        "".join(programme_csv_lines(actions)).encode()
        if fmt == "csv"
        else programme_xlsx(2025, actions)
    )
    before = list(AuditLogEntry.objects.values_list("pk", flat=True))
    fundings = sorted(programme.fundings.values_list("funder", "name", "planned", "actual"))

    result = programme_import(by=organiser, raw=raw, name=f"programme.{fmt}")

    assert result.errors == []
    assert result.ignored_columns == []
    assert [(row.line, row.kind, row.changes) for row in result.rows] == [
        (2, "unchanged", []),
        (3, "unchanged", []),
    ]
    assert Action.objects.count() == 3
    assert sorted(programme.fundings.values_list("funder", "name", "planned", "actual")) == (
        fundings
    )
    assert list(AuditLogEntry.objects.exclude(pk__in=before).values_list("action", flat=True)) == [
        AuditAction.ACTIONS_IMPORTED
    ]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_edited_then_reimported_updates_the_action(organiser, programme, fmt):
    actions = list(Action.objects.filter(pk=programme.pk))
    if fmt == "csv":
        raw = "".join(programme_csv_lines(actions)).replace("12500,50", "13000,00").encode()
    else:
        workbook = openpyxl.load_workbook(io.BytesIO(programme_xlsx(2025, actions)))
        workbook.active["N2"] = 13000
        buffer = io.BytesIO()
        workbook.save(buffer)
        raw = buffer.getvalue()

    result = programme_import(by=organiser, raw=raw, name=f"programme.{fmt}")

    assert (result.errors, [row.changes for row in result.rows]) == ([], [["budget_prevu"]])
    programme.refresh_from_db()
    assert programme.budget_planned == Decimal("13000.00")


# -- the view ---------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_view_downloads_the_year(organiser_client, programme, fmt):
    response = organiser_client.get(url(2025, fmt))

    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        f'attachment; filename="programme-actions-2025.{fmt}"'
    )
    assert "no-store" in response["Cache-Control"]
    if fmt == "csv":
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        assert response.content.decode().count("\r\n") == 4  # header, two actions, one in two
    else:
        sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
        assert sheet.max_row == 3


def test_export_view_unknown_format_is_404(organiser_client, programme):
    assert organiser_client.get(url(2025, "ods")).status_code == 404


def test_export_view_sends_anonymous_visitors_to_login(client, programme):
    response = client.get(url(2025, "csv"))

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("who", ["partner", "member_a", "no_role_user"])
def test_export_view_is_refused_to_others_than_organisers(client, request, programme, who):
    client.force_login(request.getfixturevalue(who))

    assert client.get(url(2025, "csv")).status_code == 403
    assert client.get(url(2025, "xlsx")).status_code == 403


@pytest.mark.parametrize("count", [1, 6])
def test_export_view_queries_do_not_grow_with_the_actions(
    organiser_client,
    make_action,
    actor_a,
    actor_b,
    priority,
    qpv_one,
    youth,
    count,
    django_assert_num_queries,
):
    for number in range(count):
        action = make_action(
            actor_a,
            title=f"Action {number}",
            reference=f"D{number}",
            priority=priority,
            territories=[qpv_one],
            publics=[youth],
            fundings=[(Funder.STATE, "100", None)],
        )
        action.partners.set([actor_b])

    with django_assert_num_queries(EXPORT_QUERIES):
        response = organiser_client.get(url(2025, "csv"))

    assert response.content.decode().count("\r\n") == count + 1


EXPORT_QUERIES = 12
