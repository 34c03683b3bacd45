"""The import of a year's programme: every bad case refused with its line, nothing written;
the good ones in CSV (";" or ",", UTF-8 or Windows-1252) and XLSX; the page."""

import base64
import datetime
import io
import zipfile
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import Workbook

from actions.enums import ActionStatus, AuditAction, Funder
from actions.imports import (
    ImportResult,
    parse_amount,
    programme_check,
    programme_import,
    programme_write,
)
from actions.models import Action
from contrat_ville.csvfiles import MAX_XLSX_UNCOMPRESSED
from contrat_ville.enums import TerritoryKind
from contrat_ville.models import AuditLogEntry, Territory
from partners.enums import ActorKind, ActorStatus
from partners.models import Actor
from partners.services import actor_create

HEADER = "dossier;annee;intitule;porteur;description"
URL = "/actions/importer/"
QUERIES = 13


def csv_bytes(*lines: str, encoding: str = "utf-8") -> bytes:
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def xlsx_bytes(rows) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def run(organiser, raw: bytes, name: str = "programme.csv", dry_run: bool = False):
    return programme_import(by=organiser, raw=raw, name=name, dry_run=dry_run)


def refused(organiser, raw: bytes, name: str = "programme.csv") -> list[str]:
    before = Action.objects.count()
    result = run(organiser, raw, name)
    assert Action.objects.count() == before
    assert not AuditLogEntry.objects.filter(action=AuditAction.ACTIONS_IMPORTED).exists()
    return result.errors


@pytest.fixture
def people(organiser):
    return organiser


# -- good files -------------------------------------------------------------------------


def test_import_semicolon_file_creates_programmed_actions(people, actor_a, actor_b):
    raw = csv_bytes(
        HEADER,
        "AAP-2025-001;2025;Atelier d'insertion;association-alpha;Accompagner vers l'emploi.",
        ";2025;Soutien scolaire;Association Bêta;Aide aux devoirs.",
    )

    result = run(people, raw)

    assert result.errors == []
    assert (result.created, result.updated, result.unchanged) == (2, 0, 0)
    assert list(
        Action.objects.order_by("title").values_list(
            "reference", "year", "title", "carrier__slug", "summary", "status"
        )
    ) == [
        (
            "AAP-2025-001",
            2025,
            "Atelier d'insertion",
            "association-alpha",
            "Accompagner vers l'emploi.",
            ActionStatus.PROGRAMMED,
        ),
        (
            "",
            2025,
            "Soutien scolaire",
            "association-beta",
            "Aide aux devoirs.",
            ActionStatus.PROGRAMMED,
        ),
    ]


def test_import_comma_file_with_bom(people, actor_a):
    raw = b"\xef\xbb\xbf" + csv_bytes(
        "Dossier,Année,Intitulé,Porteur,Description",
        'D1,2025,"Jardins, partagés",ASSOCIATION-ALPHA,"Cultiver ensemble."',
    )

    result = run(people, raw)

    assert result.errors == []
    assert list(Action.objects.values_list("reference", "title", "carrier__slug")) == [
        ("D1", "Jardins, partagés", "association-alpha")
    ]


def test_import_windows_1252_file_with_accents(people, actor_b):
    raw = csv_bytes(
        "Numéro de dossier;Année;Intitulé;Porteur;Description courte",
        "D-é1;2025;Découverte de l'été \u2013 « sorties »;association  BETA;Où ? Là-bas : 12 €.",
        encoding="cp1252",
    )

    result = run(people, raw)

    assert result.errors == []
    assert list(Action.objects.values_list("reference", "title", "carrier__slug", "summary")) == [
        (
            "D-é1",
            "Découverte de l'été \u2013 « sorties »",
            "association-beta",
            "Où ? Là-bas : 12 €.",
        )
    ]


def test_import_xlsx_file(people, actor_a, priority):
    raw = xlsx_bytes(
        [
            [
                "Dossier",
                "Année",
                "Intitulé",
                "Porteur",
                "Description",
                "Début",
                "Budget prévu",
                "État",
            ],
            [
                "X1",
                2025,
                "Forum emploi",
                "association-alpha",
                "Un forum.",
                datetime.datetime(2025, 3, 1),
                12500.5,
                4000,
            ],
        ]
    )

    result = run(people, raw, name="programme.xlsx")

    assert result.errors == []
    action = Action.objects.get()
    assert (action.reference, action.year, action.start_date, action.budget_planned) == (
        "X1",
        2025,
        datetime.date(2025, 3, 1),
        Decimal("12500.50"),
    )
    assert list(action.fundings.values_list("funder", "planned", "actual")) == [
        (Funder.STATE, Decimal("4000.00"), None)
    ]


def test_import_xlsx_is_read_by_its_content_whatever_its_name(people, actor_a):
    raw = xlsx_bytes(
        [
            ["annee", "intitule", "porteur", "description"],
            [2025, "Forum", "association-alpha", "Un forum."],
        ]
    )

    result = run(people, raw, name="programme.csv")

    assert (result.errors, result.created) == ([], 1)


def test_import_every_column(
    people, actor_a, actor_b, priority, objective, qpv_one, qpv_two, youth
):
    Territory.objects.filter(pk=qpv_two.pk).update(kind=TerritoryKind.QPV, code="QN07399Z")
    header = (
        "dossier;annee;intitule;porteur;partenaires;priorite;objectif;quartiers;publics;"
        "description;statut;debut;fin;budget_prevu;budget_realise;confidentiel;etat;etat_verse;"
        "commune;autres;autres_verse"
    )
    raw = csv_bytes(
        header,
        "D1;2025;Forum;association-alpha;association-beta | Association Alpha;EMPLOI;"
        "lever les freins a l'emploi;"
        "quartier-un|QN07399Z;Jeunes (test);Un forum.;réalisée;01/03/2025;2025-06-30;"
        "12\u202f500,50 €;12500.5;oui;4\u00a0000;3 000;1000,00;0;",
    )

    result = run(people, raw)

    assert result.errors == []
    action = Action.objects.get()
    assert (
        action.priority,
        action.objective,
        action.status,
        action.start_date,
        action.end_date,
        action.budget_planned,
        action.budget_actual,
        action.amounts_confidential,
    ) == (
        priority,
        objective,
        ActionStatus.DONE,
        datetime.date(2025, 3, 1),
        datetime.date(2025, 6, 30),
        Decimal("12500.50"),
        Decimal("12500.50"),
        True,
    )
    assert sorted(a.slug for a in action.partners.all()) == [
        "association-alpha",
        "association-beta",
    ]
    assert sorted(t.slug for t in action.territories.all()) == ["quartier-deux", "quartier-un"]
    assert list(action.publics.all()) == [youth]
    assert sorted(action.fundings.values_list("funder", "planned", "actual")) == [
        (Funder.COMMUNE, Decimal("1000.00"), None),
        (Funder.OTHER, Decimal("0.00"), None),
        (Funder.STATE, Decimal("4000.00"), Decimal("3000.00")),
    ]


def test_import_finds_the_carrier_by_siret(people, actor_a):
    Actor.objects.filter(pk=actor_a.pk).update(siret="35600000000048")
    raw = csv_bytes(HEADER, ";2025;Forum;356 000 000 00048;Un forum.")

    assert run(people, raw).errors == []
    assert Action.objects.get().carrier == actor_a


def test_import_updates_the_action_of_the_same_year_and_dossier(people, actor_a, make_action):
    action = make_action(
        actor_a, title="Ancien titre", year=2025, reference="D1", budget_planned="100"
    )
    other_year = make_action(actor_a, title="Ancien titre", year=2024, reference="D1")
    raw = csv_bytes(
        HEADER + ";budget_prevu;statut",
        "D1;2025;Nouveau titre;association-alpha;Une action de test.;250;Réalisée",
    )

    result = run(people, raw)

    assert (result.errors, result.created, result.updated) == ([], 0, 1)
    action.refresh_from_db()
    other_year.refresh_from_db()
    assert (action.title, action.budget_planned, action.status) == (
        "Nouveau titre",
        Decimal("250.00"),
        ActionStatus.DONE,
    )
    assert other_year.title == "Ancien titre"
    assert list(
        AuditLogEntry.objects.filter(target_type="actions.action", target_id=str(action.pk))
        .order_by("pk")
        .values_list("action", flat=True)
    ) == [AuditAction.ACTION_STATUS, AuditAction.ACTION_UPDATED, AuditAction.ACTION_BUDGET]


def test_import_row_without_dossier_updates_the_same_title_of_the_carrier(
    people, actor_a, make_action
):
    action = make_action(actor_a, title="Atelier d'insertion", year=2025)
    raw = csv_bytes(HEADER, "D9;2025;ATELIER D'INSERTION ;association-alpha;Une autre description.")

    result = run(people, raw)

    assert (result.errors, result.created, result.updated) == ([], 0, 1)
    action.refresh_from_db()
    assert (action.reference, action.title, action.summary) == (
        "D9",
        "ATELIER D'INSERTION",
        "Une autre description.",
    )


def test_import_absent_column_keeps_the_field(people, actor_a, qpv_one, make_action):
    action = make_action(
        actor_a,
        reference="D1",
        territories=[qpv_one],
        budget_planned="100",
        fundings=[(Funder.STATE, "100", None)],
    )
    raw = csv_bytes(HEADER, "D1;2025;Atelier d'insertion;association-alpha;Une action de test.")

    result = run(people, raw)

    assert (result.errors, result.updated, result.unchanged) == ([], 0, 1)
    action.refresh_from_db()
    assert list(action.territories.all()) == [qpv_one]
    assert action.budget_planned == Decimal("100.00")
    assert action.fundings.count() == 1


def test_import_same_totals_keep_the_funders_several_lines(people, actor_a, make_action):
    action = make_action(actor_a, reference="D1")
    action.fundings.create(funder=Funder.OTHER, name="Fondation A", planned=Decimal(100))
    action.fundings.create(funder=Funder.OTHER, name="Fondation B", planned=Decimal(50))
    raw = csv_bytes(
        HEADER + ";autres", "D1;2025;Atelier d'insertion;association-alpha;Une action de test.;150"
    )

    result = run(people, raw)

    assert (result.errors, result.unchanged) == ([], 1)
    assert sorted(action.fundings.values_list("name", "planned")) == [
        ("Fondation A", Decimal("100.00")),
        ("Fondation B", Decimal("50.00")),
    ]


def test_import_dry_run_writes_nothing_and_says_what_it_would_do(people, actor_a, make_action):
    make_action(actor_a, reference="D1")
    raw = csv_bytes(
        HEADER,
        "D1;2025;Nouveau titre;association-alpha;Une action de test.",
        "D2;2025;Forum;association-alpha;Un forum.",
    )

    result = run(people, raw, dry_run=True)

    assert result.errors == []
    assert [(row.line, row.kind, row.changes) for row in result.rows] == [
        (2, "update", ["intitule"]),
        (3, "create", []),
    ]
    assert Action.objects.count() == 1
    assert Action.objects.get().title == "Atelier d'insertion"
    assert not AuditLogEntry.objects.filter(action=AuditAction.ACTIONS_IMPORTED).exists()


def test_import_one_journal_entry_for_the_file(people, actor_a, make_action):
    make_action(actor_a, reference="D1", title="Atelier d'insertion")
    make_action(actor_a, reference="D3", title="Inchangée")
    raw = csv_bytes(
        HEADER,
        "D1;2025;Nouveau titre;association-alpha;Une action de test.",
        "D2;2025;Forum;association-alpha;Un forum.",
        "D3;2025;Inchangée;association-alpha;Une action de test.",
    )

    run(people, raw, name="aap-2025.csv")

    entry = AuditLogEntry.objects.get(action=AuditAction.ACTIONS_IMPORTED)
    assert (entry.actor, entry.target_label, entry.data) == (
        people,
        "aap-2025.csv",
        {
            "file": "aap-2025.csv",
            "rows": 3,
            "created": 1,
            "updated": 1,
            "unchanged": 1,
            "year": "2025",
            "years": [2025],
        },
    )


# -- bad files: each refused with its line, nothing written ------------------------------


def test_import_unknown_carrier(people):
    raw = csv_bytes(HEADER, "D1;2025;Forum;inconnue;Un forum.")

    assert refused(people, raw) == [
        "ligne 2 : porteur « inconnue » inconnu de l'annuaire (indiquez le SIRET, "
        "l'identifiant de la fiche ou le nom exact)."
    ]


def test_import_ambiguous_carrier_name(people, actor_a):
    actor_create(
        by=None,
        data={
            "name": "association ALPHA",
            "kind": ActorKind.ASSOCIATION,
            "summary": "Une homonyme de l'association Alpha.",
        },
        status=ActorStatus.PUBLISHED,
    )
    raw = csv_bytes(HEADER, "D1;2025;Forum;Association Alpha;Un forum.")

    assert refused(people, raw) == [
        "ligne 2 : porteur : plusieurs fiches de l'annuaire s'appellent « Association Alpha » : "
        "indiquez le SIRET ou l'identifiant de la fiche."
    ]


def test_import_unknown_partner(people, actor_a, actor_b):
    raw = csv_bytes(
        HEADER + ";partenaires",
        "D1;2025;Forum;association-alpha;Un forum.;association-beta|inconnue",
    )

    assert refused(people, raw) == [
        "ligne 2 : partenaire « inconnue » inconnu de l'annuaire (indiquez le SIRET, "
        "l'identifiant de la fiche ou le nom exact).",
    ]


@pytest.mark.parametrize("year", ["1999", "2101", "20x5", "2025.5", "", "\uff12\uff10\uff12\uff15"])
def test_import_bad_year(people, actor_a, year):
    raw = csv_bytes(HEADER, f"D1;{year};Forum;association-alpha;Un forum.")

    expected = (
        "ligne 2 : année manquante."
        if not year
        else f"ligne 2 : année « {year} » invalide (attendu : un nombre entre 2000 et 2100)."
    )
    assert refused(people, raw) == [expected]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("-12", "budget_prevu : montant négatif (« -12 »)."),
        ("\u221212,50 €", "budget_prevu : montant négatif (« \u221212,50 € »)."),
        ("douze", "budget_prevu : montant « douze » illisible (attendu par exemple : 12 500,50)."),
        (
            "12,5,0",
            "budget_prevu : montant « 12,5,0 » illisible (attendu par exemple : 12 500,50).",
        ),
        ("1e5", "budget_prevu : montant « 1e5 » illisible (attendu par exemple : 12 500,50)."),
        ("1.234", "budget_prevu : deux décimales au plus (« 1.234 »)."),
        ("1000000000", "budget_prevu : montant supérieur à 999\xa0999\xa0999,99 €."),
    ],
)
def test_import_bad_amount(people, actor_a, value, message):
    raw = csv_bytes(HEADER + ";budget_prevu", f"D1;2025;Forum;association-alpha;Un forum.;{value}")

    assert refused(people, raw) == [f"ligne 2 : {message}"]


def test_import_bad_funder_amounts(people, actor_a):
    raw = csv_bytes(
        HEADER + ";etat;caf_verse;europe_verse",
        "D1;2025;Forum;association-alpha;Un forum.;-1;abc;",
        "D2;2025;Forum 2;association-alpha;Un forum.;;;200",
    )

    assert refused(people, raw) == [
        "ligne 2 : etat : montant négatif (« -1 »).",
        "ligne 2 : caf_verse : montant « abc » illisible (attendu par exemple : 12 500,50).",
        "ligne 3 : europe_verse : montant versé sans montant prévu (colonne europe).",
    ]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("12 500,50", Decimal("12500.50")),
        ("12500.5", Decimal("12500.50")),
        ("12 500 €", Decimal("12500.00")),
        ("12\u00a0500,5\u00a0€", Decimal("12500.50")),
        ("12\u202f500", Decimal("12500.00")),
        ("12.500,50", Decimal("12500.50")),
        ("12,500.50", Decimal("12500.50")),
        ("0", Decimal("0.00")),
        ("", None),
        ("999999999", Decimal("999999999.00")),
    ],
)
def test_parse_amount_french_and_plain_forms(value, expected):
    assert parse_amount("budget_prevu", value) == expected


def test_import_unknown_status(people, actor_a):
    raw = csv_bytes(HEADER + ";statut", "D1;2025;Forum;association-alpha;Un forum.;Terminée")

    assert refused(people, raw) == [
        "ligne 2 : statut « Terminée » inconnu (attendu : Proposée, Programmée, En cours, "
        "Réalisée ou Abandonnée)."
    ]


def test_import_status_move_the_workflow_forbids(people, actor_a, make_action):
    make_action(actor_a, reference="D1", status=ActionStatus.PROPOSED)
    raw = csv_bytes(
        HEADER + ";statut", "D1;2025;Atelier d'insertion;association-alpha;Une action.;Réalisée"
    )

    assert refused(people, raw) == [
        "ligne 2 : statut : l'action ne peut pas passer de « Proposée » à « Réalisée »."
    ]


def test_import_actual_budget_of_a_proposal(people, actor_a):
    raw = csv_bytes(
        HEADER + ";statut;budget_realise", "D1;2025;Forum;association-alpha;Un forum.;proposed;10"
    )

    assert refused(people, raw) == [
        "ligne 2 : une action proposée n'a pas encore de budget réalisé : videz budget_realise "
        "ou indiquez un autre statut."
    ]


def test_import_unknown_priority(people, actor_a, priority):
    raw = csv_bytes(
        HEADER + ";priorite;objectif", "D1;2025;Forum;association-alpha;Un forum.;Santé;Soigner"
    )

    assert refused(people, raw) == ["ligne 2 : priorité « Santé » inconnue."]


def test_import_objective_of_another_priority(people, actor_a, priority, other_priority, objective):
    raw = csv_bytes(
        HEADER + ";priorite;objectif",
        "D1;2025;Forum;association-alpha;Un forum.;education;Lever les freins à l'emploi",
        "D2;2025;Forum 2;association-alpha;Un forum.;emploi;Réussir à l'école",
        "D3;2025;Forum 3;association-alpha;Un forum.;;Lever les freins à l'emploi",
    )

    assert refused(people, raw) == [
        "ligne 2 : l'objectif « Lever les freins à l'emploi » appartient à la priorité "
        "« Emploi et insertion », pas à « Éducation et jeunesse ».",
        "ligne 3 : objectif « Réussir à l'école » inconnu pour la priorité « Emploi et "
        "insertion ».",
        "ligne 4 : objectif « Lever les freins à l'emploi » sans priorité : indiquez la priorité.",
    ]


def test_import_unknown_territory_and_public(people, actor_a, qpv_one, youth):
    raw = csv_bytes(
        HEADER + ";quartiers;publics",
        "D1;2025;Forum;association-alpha;Un forum.;Quartier Un|Quartier Trois;jeunes-test|Martiens",
    )

    assert refused(people, raw) == [
        "ligne 2 : quartier « Quartier Trois » inconnu.",
        "ligne 2 : public « Martiens » inconnu.",
    ]


def test_import_reversed_and_unreadable_dates(people, actor_a):
    raw = csv_bytes(
        HEADER + ";debut;fin",
        "D1;2025;Forum;association-alpha;Un forum.;30/06/2025;01/03/2025",
        "D2;2025;Forum 2;association-alpha;Un forum.;31/02/2025;mars",
    )

    assert refused(people, raw) == [
        "ligne 2 : la fin (01/03/2025) précède le début (30/06/2025).",
        "ligne 3 : debut : date « 31/02/2025 » illisible (attendu : JJ/MM/AAAA).",
        "ligne 3 : fin : date « mars » illisible (attendu : JJ/MM/AAAA).",
    ]


def test_import_duplicate_dossier_in_the_file(people, actor_a):
    raw = csv_bytes(
        HEADER,
        "D1;2025;Forum;association-alpha;Un forum.",
        "D1;2024;Forum;association-alpha;Un forum.",
        "D1;2025;Autre forum;association-alpha;Un forum.",
    )

    assert refused(people, raw) == ["ligne 4 : le dossier « D1 » de 2025 figure déjà ligne 2."]


def test_import_same_action_twice_without_dossier(people, actor_a):
    raw = csv_bytes(
        HEADER,
        ";2025;Forum;association-alpha;Un forum.",
        ";2025;forum ;association-alpha;Un autre.",
    )

    assert refused(people, raw) == [
        "ligne 3 : même année, même porteur et même intitulé que la ligne 2, sans numéro de "
        "dossier : indiquez le numéro de dossier de chacune."
    ]


def test_import_missing_required_columns(people):
    raw = csv_bytes("dossier;intitule;porteur", "D1;Forum;association-alpha")

    assert refused(people, raw) == [
        "ligne 1 : colonnes obligatoires manquantes : annee, description."
    ]


def test_import_duplicate_column(people):
    raw = csv_bytes(HEADER + ";Intitulé", "D1;2025;Forum;association-alpha;Un forum.;Forum")

    assert refused(people, raw) == ["ligne 1 : colonnes en double : intitule."]


def test_import_required_values_and_lengths(people, actor_a):
    raw = csv_bytes(
        HEADER,
        f"D1;2025;{'x' * 201};association-alpha;{'y' * 1501}",
        f"{'d' * 41};2025;;;",
    )

    assert refused(people, raw) == [
        "ligne 2 : intitule : 200 caractères au plus (201 ici).",
        "ligne 2 : description : 1500 caractères au plus (1501 ici).",
        "ligne 3 : intitulé manquant.",
        "ligne 3 : description manquante.",
        "ligne 3 : dossier : 40 caractères au plus (41 ici).",
        "ligne 3 : porteur manquant.",
    ]


def test_import_cells_beyond_the_header(people, actor_a):
    raw = csv_bytes(HEADER, "D1;2025;Forum;association-alpha;Un forum.;en trop;;")

    assert refused(people, raw) == [
        "ligne 2 : 1 cellule remplie au-delà des colonnes de l'en-tête."
    ]


def test_import_empty_file(people):
    assert refused(people, b"") == ["Le fichier est vide."]
    assert refused(people, csv_bytes(HEADER)) == [
        "Le fichier ne contient aucune action sous l'en-tête."
    ]


def test_import_neither_utf8_nor_windows_1252(people):
    raw = csv_bytes(HEADER) + b"D1;2025;Forum\x81;association-alpha;Un forum.\r\n"

    assert refused(people, raw) == [
        "Le fichier n'est ni en UTF-8 ni en Windows-1252 : caractère illisible ligne 2. "
        "Enregistrez le fichier en UTF-8 (« CSV UTF-8 » dans votre tableur) puis recommencez."
    ]


def test_import_control_character(people, actor_a):
    raw = csv_bytes(HEADER, "D1;2025;Forum\x00;association-alpha;Un forum.")

    assert refused(people, raw) == [
        "ligne 2 : caractère de contrôle U+0000 interdit (souvent invisible dans un tableur) : "
        "retirez-le puis recommencez."
    ]


def test_import_xlsx_bomb(people):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b" " * (MAX_XLSX_UNCOMPRESSED + 1))

    assert refused(people, buffer.getvalue(), "programme.xlsx") == [
        "Le classeur XLSX dépasse 32 Mo une fois décompressé : enregistrez-le au format "
        "« CSV UTF-8 » ou découpez-le en plusieurs fichiers."
    ]


@pytest.mark.parametrize("raw", [b"PK\x03\x04garbage", b"Dossier;Annee\r\n"])
def test_import_xlsx_garbage(people, raw):
    assert refused(people, raw, "programme.xlsx") == [
        "Le fichier n'est pas un classeur XLSX lisible. Enregistrez-le au format « Classeur "
        "Excel (.xlsx) » ou « CSV UTF-8 » depuis votre tableur puis recommencez."
    ]


def test_import_xls_workbook(people):
    raw = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100

    assert refused(people, raw, "programme.xls") == [
        "Ce fichier est un classeur Excel 97-2003 (.xls) ou un classeur protégé par un mot de "
        "passe : enregistrez-le au format « Classeur Excel (.xlsx) » sans mot de passe, ou en "
        "« CSV UTF-8 », puis recommencez."
    ]


def test_import_xlsx_errors_say_the_sheet_row(people, actor_a):
    raw = xlsx_bytes(
        [
            [],
            ["annee", "intitule", "porteur", "description"],
            [2025, "Forum", "association-alpha", "Un forum."],
            [],
            [1999, "Forum 2", "association-alpha", "Un forum."],
        ]
    )

    assert refused(people, raw, "programme.xlsx") == [
        "ligne 5 : année « 1999 » invalide (attendu : un nombre entre 2000 et 2100)."
    ]


def test_import_too_large_and_too_many_rows(people, actor_a):
    rows = [f"D{number};2025;Forum {number};association-alpha;Un forum." for number in range(5001)]

    assert refused(people, b"x" * (2 * 1024 * 1024 + 1)) == [
        "Le fichier dépasse 2 Mo : découpez-le en plusieurs fichiers et importez-les un à un."
    ]
    assert refused(people, csv_bytes(HEADER, *rows)) == [
        "Le fichier compte plus de 5\xa0000 actions : découpez-le en plusieurs fichiers et "
        "importez-les un à un."
    ]


def test_import_one_bad_row_writes_none_of_the_good_ones(people, actor_a):
    raw = csv_bytes(
        HEADER,
        "D1;2025;Forum;association-alpha;Un forum.",
        "D2;2025;Forum 2;inconnue;Un forum.",
        "D3;2025;Forum 3;association-alpha;Un forum.",
    )

    assert len(refused(people, raw)) == 1


def test_import_nothing_half_written_when_the_database_refuses(people, actor_a):
    raw = csv_bytes(
        HEADER,
        "D1;2025;Forum;association-alpha;Un forum.",
        "D2;2025;Forum 2;association-alpha;Un forum.",
    )
    checked = programme_check(raw=raw, name="programme.csv", user=people)
    assert checked.errors == []
    # Meanwhile, someone gives another action the second row's dossier number.
    Action.objects.create(
        title="Concurrente",
        year=2025,
        reference="D2",
        carrier=actor_a,
        summary="Créée pendant l'import.",
    )

    result = programme_write(by=people, result=checked)

    assert result.errors == ["ligne 3 : Une action de 2025 porte déjà le numéro de dossier « D2 »."]
    assert list(Action.objects.values_list("title", flat=True)) == ["Concurrente"]
    assert not AuditLogEntry.objects.filter(action=AuditAction.ACTIONS_IMPORTED).exists()


def test_import_write_of_a_refused_check_writes_nothing(people):
    result = programme_write(by=people, result=ImportResult(errors=["ligne 2 : non."]))

    assert (result.errors, Action.objects.count()) == (["ligne 2 : non."], 0)


# -- the page ---------------------------------------------------------------------------


def test_import_page_sends_anonymous_visitors_to_login(client):
    response = client.get(URL)

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("who", ["partner", "member_a", "no_role_user"])
def test_import_page_is_refused_to_others_than_organisers(client, request, who):
    client.force_login(request.getfixturevalue(who))

    assert client.get(URL).status_code == 403
    assert client.post(URL, {"step": "import"}).status_code == 403


def test_import_page_for_organisers(organiser_client, actor_a, make_action):
    make_action(actor_a, year=2024)

    response = organiser_client.get(URL)

    assert response.status_code == 200
    assert reverse("actions:import") == URL
    assert response.context["years"] == [2024]
    assert b'href="/actions/exporter/2024.csv"' in response.content


def test_import_page_check_shows_the_plan_and_keeps_the_file(organiser_client, actor_a):
    raw = csv_bytes(HEADER, "D1;2025;Forum;association-alpha;Un forum.")
    upload = io.BytesIO(raw)
    upload.name = "programme.csv"

    response = organiser_client.post(URL, {"file": upload, "step": "check"})

    assert response.status_code == 200
    assert Action.objects.count() == 0
    assert [(row.line, row.kind) for row in response.context["rows"]] == [(2, "create")]
    keep = response.context["keep_form"]
    assert keep.initial == {"content": base64.b64encode(raw).decode(), "file_name": "programme.csv"}
    assert 'name="content"' in response.content.decode()


def test_import_page_import_of_the_kept_file(organiser_client, actor_a):
    raw = csv_bytes(HEADER, "D1;2025;Forum;association-alpha;Un forum.")

    response = organiser_client.post(
        URL,
        {"content": base64.b64encode(raw).decode(), "file_name": "programme.csv", "step": "import"},
        follow=True,
    )

    assert response.redirect_chain == [(URL, 302)]
    assert list(Action.objects.values_list("reference", flat=True)) == ["D1"]
    assert [str(m) for m in response.context["messages"]] == [
        "Programme importé depuis « programme.csv ». Actions créées : 1 ; modifiées : 0 ; "
        "inchangées : 0."
    ]


def test_import_page_errors_with_their_lines(organiser_client, actor_a):
    upload = io.BytesIO(csv_bytes(HEADER, "D1;2025;Forum;inconnue;Un forum."))
    upload.name = "programme.csv"

    response = organiser_client.post(URL, {"file": upload, "step": "import"})

    assert response.status_code == 200
    assert Action.objects.count() == 0
    assert response.context["errors"] == [
        "ligne 2 : porteur « inconnue » inconnu de l'annuaire (indiquez le SIRET, "
        "l'identifiant de la fiche ou le nom exact)."
    ]
    assert response.context["keep_form"] is None


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Choisissez le fichier à importer."),
        ({"content": "pas du base64 !"}, "Choisissez de nouveau le fichier."),
    ],
)
def test_import_page_without_a_usable_file(organiser_client, data, message):
    response = organiser_client.post(URL, {**data, "step": "check"})

    assert response.status_code == 200
    assert response.context["form"].errors == {"file": [message]}


def test_import_page_too_large_file_is_refused_next_to_the_field(organiser_client):
    upload = io.BytesIO(b"x" * (2 * 1024 * 1024 + 1))
    upload.name = "programme.csv"

    response = organiser_client.post(URL, {"file": upload, "step": "check"})

    assert response.context["form"].errors == {
        "file": [
            "Le fichier dépasse 2 Mo : découpez-le en plusieurs fichiers et importez-les un à un."
        ]
    }


def test_import_page_large_file_is_asked_again_rather_than_kept(
    organiser_client, actor_a, settings
):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    upload = io.BytesIO(csv_bytes(HEADER, f"D1;2025;Forum;association-alpha;{'x' * 1200}"))
    upload.name = "programme.csv"

    response = organiser_client.post(URL, {"file": upload, "step": "check"})

    assert response.context["result"].errors == []
    assert response.context["keep_form"] is None
    assert "choisissez-le de nouveau" in response.content.decode()


@pytest.mark.parametrize("count", [1, 30])
def test_import_check_queries_do_not_grow_with_the_rows(
    people,
    actor_a,
    actor_b,
    priority,
    objective,
    qpv_one,
    youth,
    make_action,
    django_assert_num_queries,
    count,
):
    make_action(actor_a, reference="D0")
    rows = [
        f"D{n};2025;Forum {n};association-alpha;Un forum.;emploi;Lever les freins à l'emploi;"
        "quartier-un;jeunes-test;Association Bêta"
        for n in range(count)
    ]
    raw = csv_bytes(HEADER + ";priorite;objectif;quartiers;publics;partenaires", *rows)

    with django_assert_num_queries(QUERIES):
        result = programme_check(raw=raw, name="programme.csv", user=people)

    assert (result.errors, len(result.rows)) == ([], count)


def test_import_page_kept_file_near_the_limit_is_posted_back(organiser_client, actor_a):
    rows = [f"D{n};2025;Forum {n};association-alpha;{'x' * 400}" for n in range(4200)]
    raw = csv_bytes(HEADER, *rows)
    assert 1_700_000 < len(raw) < 2 * 1024 * 1024
    upload = io.BytesIO(raw)
    upload.name = "programme.csv"
    checked = organiser_client.post(URL, {"file": upload, "step": "check"})
    kept = checked.context["keep_form"].initial

    response = organiser_client.post(URL, {**kept, "step": "check"})

    assert response.status_code == 200
    assert (response.context["result"].errors, response.context["result"].created) == ([], 4200)


def test_import_two_dossiers_of_the_same_title_update_one_action_and_create_the_other(
    people, actor_a, make_action
):
    action = make_action(actor_a, title="Forum", year=2025)
    raw = csv_bytes(
        HEADER,
        "D1;2025;Forum;association-alpha;Un forum.",
        "D2;2025;Forum;association-alpha;Un forum.",
    )

    result = run(people, raw)

    assert [(row.line, row.kind) for row in result.rows] == [(2, "update"), (3, "create")]
    action.refresh_from_db()
    assert action.reference == "D1"
    assert sorted(Action.objects.values_list("reference", flat=True)) == ["D1", "D2"]
