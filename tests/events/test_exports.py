"""Organisers' exports: CSV, XLSX, attendance sheet and badges; who may take
them, what they hold, and the audit-log trace each one leaves."""

import base64
import csv
import datetime
import io
import re
import zlib

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from contrat_ville.models import AuditLogEntry
from events import exports, extensions
from events.enums import AuditAction, College, EditionStatus, RegistrationStatus
from events.selectors import attendees_for_sheet, registrations_for_export
from partners.enums import ActorStatus
from partners.services import actor_create

PARIS = timezone.get_default_timezone()
HEADER = [
    "Identifiant",
    "Statut",
    "Position en liste d'attente",
    "Prénom",
    "Nom",
    "E-mail",
    "Téléphone",
    "Structure",
    "Structure de l'annuaire",
    "Collège",
    "Quartier",
    "Besoins d'accessibilité",
    "Régime alimentaire",
    "Droit à l'image",
    "Sur la liste des participants",
    "Origine",
    "Inscrit le",
    "Annulée le",
    "Arrivée à",
    "Groupe d'atelier",
]
EXPORTS = [
    # url name, audit-log format, content type, file name, confirmed only
    ("events:export_csv", "csv", "text/csv; charset=utf-8", "inscriptions-{}.csv", False),
    (
        "events:export_xlsx",
        "xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "inscriptions-{}.xlsx",
        False,
    ),
    ("events:attendance_pdf", "émargement", "application/pdf", "emargement-{}.pdf", True),
    ("events:badges_pdf", "badges", "application/pdf", "badges-{}.pdf", True),
]
URL_NAMES = [name for name, *_ in EXPORTS]


def url(name, edition):
    return reverse(name, kwargs={"year": edition.year})


# -- reading the PDFs back (no PDF library in the project) --------------------------

_STREAM = re.compile(rb"(\d+) 0 obj\s*<<([^<>]*?)>>\s*stream\r?\n", re.S)
_FONT = re.compile(rb"/Name /(F\d+(?:\+\d+)?) /Subtype /TrueType\s*/ToUnicode (\d+) 0 R")
_TEXT = re.compile(rb"/(F\d+(?:\+\d+)?) [\d.]+ Tf|\(((?:\\.|[^\\()])*)\)|(T\*|\bET\b)", re.S)
_ESCAPE = re.compile(rb"\\([0-7]{1,3}|.)", re.S)
_ESCAPES = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}


def _streams(pdf: bytes) -> dict[int, bytes]:
    """Every stream of the file, decoded (reportlab uses ASCII85 and Flate)."""
    streams = {}
    for match in _STREAM.finditer(pdf):
        header = match.group(2)
        length = int(re.search(rb"/Length (\d+)", header).group(1))
        data = pdf[match.end() : match.end() + length]
        if b"/ASCII85Decode" in header:
            data = base64.a85decode(data.strip(), adobe=True)
        if b"/FlateDecode" in header:
            data = zlib.decompress(data)
        streams[int(match.group(1))] = data
    return streams


def _unescape(raw: bytes) -> bytes:
    def replace(match):
        code = match.group(1)
        if code[:1] in b"01234567":
            return bytes([int(code, 8)])
        return _ESCAPES.get(code, code)

    return _ESCAPE.sub(replace, raw)


def pdf_text(pdf: bytes) -> str:
    """The lines of text drawn in a reportlab PDF, decoded through each embedded
    font's ToUnicode map."""
    streams = _streams(pdf)
    fonts = {}
    for name, cmap_number in _FONT.findall(pdf):
        pairs = re.findall(rb"<([0-9A-F]{2})> <([0-9A-F]{4})>", streams[int(cmap_number)])
        fonts[name] = {int(code, 16): chr(int(char, 16)) for code, char in pairs}
    lines = []
    for data in streams.values():
        if b" Tf" not in data:
            continue
        font, line = {}, ""
        for match in _TEXT.finditer(data):
            if match.group(1):
                font = fonts.get(match.group(1), {})
            elif match.group(3):  # end of a line of text
                if line:
                    lines.append(line)
                line = ""
            else:
                raw = _unescape(match.group(2))
                line += "".join(font.get(byte, chr(byte)) for byte in raw)
    return "\n".join(lines)


def page_count(pdf: bytes) -> int:
    return len(re.findall(rb"/Type /Page\b(?!s)", pdf))


# -- scenes -----------------------------------------------------------------------------


@pytest.fixture
def scene(edition, make_registration, qpv):
    """One of each status: checked in, waiting twice, cancelled, with accents."""
    zoe = make_registration(
        edition,
        first_name="Zoë",
        last_name="O\u2019Brien",
        email="zoe@example.org",
        phone="+33 6 12 34 56 78",
        organisation="Œuvre des Hauts de Chambéry",
        college=College.CONSEIL_CITOYEN,
        territory=qpv,
        accessibility_needs="Fauteuil roulant",
        dietary_needs="Végétarien",
        image_consent=True,
        listed=True,
        checked_in_at=datetime.datetime(2024, 10, 15, 9, 12, tzinfo=PARIS),
    )
    first_waiting = make_registration(
        edition,
        first_name="Ama",
        last_name="Asante",
        status=RegistrationStatus.WAITING,
        queued_at=timezone.now() - datetime.timedelta(hours=2),
    )
    second_waiting = make_registration(
        edition,
        first_name="Bruno",
        last_name="Attente",
        status=RegistrationStatus.WAITING,
        queued_at=timezone.now() - datetime.timedelta(hours=1),
    )
    cancelled = make_registration(
        edition,
        first_name="Clément",
        last_name="Annulé",
        status=RegistrationStatus.CANCELLED,
        cancelled_at=datetime.datetime(2024, 10, 1, 18, 30, tzinfo=PARIS),
    )
    return {
        "zoe": zoe,
        "first_waiting": first_waiting,
        "second_waiting": second_waiting,
        "cancelled": cancelled,
    }


@pytest.fixture
def groups():
    """A workshops app that has composed the groups."""

    def provider(registrations):
        return {r.pk: f"Groupe {r.pk % 17 + 1} · salle B" for r in registrations}

    extensions._providers.append(provider)
    yield provider
    extensions._providers.remove(provider)


@pytest.fixture
def directory_actor(db):
    return actor_create(
        by=None,
        data={
            "name": "Maison des jeunes du Biollay",
            "kind": "association",
            "summary": "Accueil et activités pour les jeunes du quartier.",
            "description": "",
        },
        territories=[],
        competences=[],
        publics=[],
        bodies=[],
        status=ActorStatus.PUBLISHED,
    )


def csv_rows(registrations) -> list[list[str]]:
    text = "".join(exports.registrations_csv_lines(registrations))
    return list(csv.reader(io.StringIO(text.removeprefix("\ufeff")), delimiter=";"))


def by_id(rows) -> dict[str, dict[str, str]]:
    return {row[0]: dict(zip(HEADER, row, strict=True)) for row in rows[1:]}


# -- CSV --------------------------------------------------------------------------------


def test_csv_header_is_the_column_list(edition):
    rows = csv_rows(registrations_for_export(edition))
    assert rows == [HEADER]
    assert exports.headers() == HEADER
    assert [str(column.header) for column in exports.COLUMNS] == HEADER


def test_csv_starts_with_bom_and_uses_semicolons(edition):
    lines = list(exports.registrations_csv_lines([]))
    assert lines == ["\ufeff" + ";".join(HEADER) + "\r\n"]


def test_csv_has_one_row_per_registration_whatever_its_status(scene, edition):
    rows = by_id(csv_rows(registrations_for_export(edition)))
    zoe, first, second, cancelled = (
        scene["zoe"],
        scene["first_waiting"],
        scene["second_waiting"],
        scene["cancelled"],
    )
    assert sorted(rows) == sorted(str(r.pk) for r in scene.values())
    assert rows[str(zoe.pk)] == {
        "Identifiant": str(zoe.pk),
        "Statut": "Confirmée",
        "Position en liste d'attente": "",
        "Prénom": "Zoë",
        "Nom": "O\u2019Brien",
        "E-mail": "zoe@example.org",
        "Téléphone": "+33 6 12 34 56 78",
        "Structure": "Œuvre des Hauts de Chambéry",
        "Structure de l'annuaire": "",
        "Collège": str(College.CONSEIL_CITOYEN.label),
        "Quartier": zoe.territory.name,
        "Besoins d'accessibilité": "Fauteuil roulant",
        "Régime alimentaire": "Végétarien",
        "Droit à l'image": "oui",
        "Sur la liste des participants": "oui",
        "Origine": "Formulaire en ligne",
        "Inscrit le": timezone.localtime(zoe.created_at, PARIS).strftime("%d/%m/%Y %H:%M"),
        "Annulée le": "",
        "Arrivée à": "15/10/2024 09:12",
        "Groupe d'atelier": "",
    }
    assert rows[str(first.pk)]["Statut"] == "Liste d'attente"
    assert rows[str(first.pk)]["Position en liste d'attente"] == "1"
    assert rows[str(second.pk)]["Position en liste d'attente"] == "2"
    assert rows[str(cancelled.pk)]["Statut"] == "Annulée"
    assert rows[str(cancelled.pk)]["Annulée le"] == "01/10/2024 18:30"
    assert rows[str(cancelled.pk)]["Droit à l'image"] == "non"


def test_csv_checkin_time_is_paris_time(edition, make_registration):
    # 07:12 UTC is 09:12 in Chambéry in October (summer time).
    make_registration(
        edition, checked_in_at=datetime.datetime(2024, 10, 15, 7, 12, tzinfo=datetime.UTC)
    )
    rows = csv_rows(registrations_for_export(edition))
    assert rows[1][HEADER.index("Arrivée à")] == "15/10/2024 09:12"


def test_csv_names_the_directory_actor(edition, make_registration, directory_actor):
    actor = directory_actor
    make_registration(edition, actor=actor, organisation="")
    row = csv_rows(registrations_for_export(edition))[1]
    assert row[HEADER.index("Structure")] == "Maison des jeunes du Biollay"
    assert row[HEADER.index("Structure de l'annuaire")] == actor.slug


def test_csv_waiting_positions_follow_the_queue_not_the_alphabet(edition, make_registration):
    now = timezone.now()
    late = make_registration(
        edition, last_name="Abel", status=RegistrationStatus.WAITING, queued_at=now
    )
    early = make_registration(
        edition,
        last_name="Zidane",
        status=RegistrationStatus.WAITING,
        queued_at=now - datetime.timedelta(minutes=5),
    )
    rows = by_id(csv_rows(registrations_for_export(edition)))
    assert rows[str(early.pk)]["Position en liste d'attente"] == "1"
    assert rows[str(late.pk)]["Position en liste d'attente"] == "2"


def test_waiting_positions_make_no_query(scene, edition, django_assert_num_queries):
    registrations = list(registrations_for_export(edition))
    with django_assert_num_queries(0):
        positions = exports.waiting_positions(registrations)
    assert positions == {scene["first_waiting"].pk: 1, scene["second_waiting"].pk: 2}


def test_csv_quotes_formulas_but_keeps_phone_numbers(edition, make_registration):
    make_registration(
        edition,
        first_name='=HYPERLINK("http://evil.example","clic")',
        last_name="@SUM(A1)",
        phone="+33 4 79 00 00 00",
        organisation="-2+3+cmd|' /C calc'!A0",
    )
    row = csv_rows(registrations_for_export(edition))[1]
    assert row[HEADER.index("Prénom")] == '\'=HYPERLINK("http://evil.example","clic")'
    assert row[HEADER.index("Nom")] == "'@SUM(A1)"
    assert row[HEADER.index("Téléphone")] == "+33 4 79 00 00 00"
    assert row[HEADER.index("Structure")] == "'-2+3+cmd|' /C calc'!A0"


@pytest.mark.parametrize(
    ("phone", "cell"),
    [
        ("-1+1", "'-1+1"),  # phone characters, but no phone number
        ("+1", "'+1"),
        ("06 12 34 56 78", "06 12 34 56 78"),
        ("+33 6 12 34 56 78", "+33 6 12 34 56 78"),
        ("04 79 96 86 00", "04 79 96 86 00"),
    ],
)
def test_csv_phone_is_kept_only_when_a_valid_number(edition, make_registration, phone, cell):
    make_registration(edition, phone=phone)
    row = csv_rows(registrations_for_export(edition))[1]
    assert row[HEADER.index("Téléphone")] == cell


def test_csv_holds_the_workshop_group_once_assigned(scene, edition, groups):
    zoe = scene["zoe"]
    rows = by_id(csv_rows(registrations_for_export(edition)))
    assert rows[str(zoe.pk)]["Groupe d'atelier"] == f"Groupe {zoe.pk % 17 + 1} · salle B"


def test_export_leaves_out_other_editions_and_anonymised_rows(
    edition, make_edition, make_registration
):
    make_registration(edition, first_name="Ici")
    make_registration(edition, first_name="", last_name="", anonymised_at=timezone.now())
    make_registration(make_edition(), first_name="Ailleurs")
    rows = csv_rows(registrations_for_export(edition))
    assert [row[HEADER.index("Prénom")] for row in rows[1:]] == ["Ici"]


# -- XLSX -------------------------------------------------------------------------------


def load(content: bytes):
    return openpyxl.load_workbook(io.BytesIO(content)).active


def test_xlsx_holds_the_same_header_and_the_names(scene, edition):
    sheet = load(exports.registrations_xlsx(edition, registrations_for_export(edition)))
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == HEADER
    assert len(rows) == 5
    names = {(row[3], row[4]) for row in rows[1:]}
    assert names == {
        ("Zoë", "O\u2019Brien"),
        ("Ama", "Asante"),
        ("Bruno", "Attente"),
        ("Clément", "Annulé"),
    }
    assert sheet.title == f"Inscriptions {edition.year}"
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:T5"
    assert all(cell.font.bold for cell in sheet[1])


def test_xlsx_dates_are_date_cells_in_paris_time(scene, edition):
    sheet = load(exports.registrations_xlsx(edition, registrations_for_export(edition)))
    zoe_row = next(row for row in sheet.iter_rows(min_row=2) if row[3].value == "Zoë")
    arrival = zoe_row[HEADER.index("Arrivée à")]
    assert arrival.value == datetime.datetime(2024, 10, 15, 9, 12)
    assert arrival.number_format == "DD/MM/YYYY HH:MM"
    assert zoe_row[HEADER.index("Identifiant")].value == scene["zoe"].pk
    waiting_row = next(row for row in sheet.iter_rows(min_row=2) if row[3].value == "Bruno")
    assert waiting_row[HEADER.index("Position en liste d'attente")].value == 2


def test_xlsx_keeps_formulas_as_text_and_drops_control_characters(edition, make_registration):
    make_registration(edition, first_name="=1+1", last_name="Tab\x0bulation")
    sheet = load(exports.registrations_xlsx(edition, registrations_for_export(edition)))
    first_name = sheet.cell(row=2, column=4)
    assert first_name.value == "=1+1"
    assert first_name.data_type == "s"
    assert sheet.cell(row=2, column=5).value == "Tabulation"


def test_xlsx_formula_like_text_is_a_quote_prefixed_text_cell(edition, make_registration):
    make_registration(
        edition,
        first_name='=HYPERLINK("http://evil.example","clic")',
        last_name="Martin",
        phone="-1+1",
        organisation="@SUM(A1)",
        dietary_needs="+33 6 12 34 56 78",
    )
    sheet = load(exports.registrations_xlsx(edition, registrations_for_export(edition)))
    row = {header: cell for header, cell in zip(HEADER, sheet[2], strict=True)}
    quoted = {
        header: (cell.value, cell.data_type, cell.quotePrefix)
        for header, cell in row.items()
        if header in ("Prénom", "Nom", "Téléphone", "Structure", "Régime alimentaire")
    }
    assert quoted == {
        "Prénom": ('=HYPERLINK("http://evil.example","clic")', "s", True),
        "Nom": ("Martin", "s", False),
        "Téléphone": ("-1+1", "s", True),
        "Structure": ("@SUM(A1)", "s", True),
        "Régime alimentaire": ("+33 6 12 34 56 78", "s", False),
    }
    assert [
        cell.coordinate for cells in sheet.iter_rows() for cell in cells if cell.data_type == "f"
    ] == []


# -- attendance sheet -------------------------------------------------------------------


@pytest.fixture
def dated_edition(make_edition):
    return make_edition(
        title="Rencontre des partenaires 2024",
        date=datetime.date(2024, 10, 15),
        venue_name="Le Scarabée",
        venue_address="Chambéry",
    )


def test_attendance_pdf_holds_the_confirmed_names_only(dated_edition, make_registration):
    make_registration(
        dated_edition, first_name="Zoë", last_name="O\u2019Brien", organisation="Œuvre"
    )
    make_registration(dated_edition, first_name="Awa", last_name="Diop")
    make_registration(
        dated_edition, first_name="Wanda", last_name="Waiting", status=RegistrationStatus.WAITING
    )
    make_registration(
        dated_edition,
        first_name="Carl",
        last_name="Cancelled",
        status=RegistrationStatus.CANCELLED,
    )
    pdf = exports.attendance_pdf(dated_edition, attendees_for_sheet(dated_edition))
    assert pdf.startswith(b"%PDF")
    lines = pdf_text(pdf).splitlines()
    for text in ("Zoë", "O\u2019Brien", "Œuvre", "Awa", "Diop"):
        assert text in lines
    assert "Waiting" not in lines
    assert "Cancelled" not in lines
    assert "Rencontre des partenaires 2024" in lines
    assert "15 octobre 2024 · Le Scarabée, Chambéry" in lines
    start = lines.index("Nom")
    assert lines[start : start + 5] == ["Nom", "Prénom", "Structure", "Collège", "Signature"]
    assert "Page 1 / 1" in lines


def test_attendance_rows_are_alphabetical_by_last_then_first_name(dated_edition, make_registration):
    for first, last in [
        ("Émile", "Zola"),
        ("Paul", "martin"),
        ("Anne", "Martin"),
        ("Éloïse", "Durand"),
        ("Eric", "Dupont"),
        ("Zoé", "Élie"),
    ]:
        make_registration(dated_edition, first_name=first, last_name=last)
    rows = exports.attendance_rows(attendees_for_sheet(dated_edition))
    assert [(row[0], row[1]) for row in rows] == [
        ("Dupont", "Eric"),
        ("Durand", "Éloïse"),
        ("Élie", "Zoé"),
        ("Martin", "Anne"),
        ("martin", "Paul"),
        ("Zola", "Émile"),
    ]
    pdf_lines = pdf_text(exports.attendance_pdf(dated_edition, attendees_for_sheet(dated_edition)))
    surnames = [line for line in pdf_lines.splitlines() if line in {r[0] for r in rows}]
    assert surnames == [row[0] for row in rows]


def test_attendance_pdf_numbers_pages_and_repeats_the_header(dated_edition, make_registration):
    for number in range(60):
        make_registration(dated_edition, first_name=f"Prénom{number:02}", last_name="Durand")
    pdf = exports.attendance_pdf(dated_edition, attendees_for_sheet(dated_edition))
    lines = pdf_text(pdf).splitlines()
    pages = page_count(pdf)
    assert pages == 4  # two-line rows: the college label wraps
    assert [line for line in lines if line.startswith("Page ")] == [
        "Page 1 / 4",
        "Page 2 / 4",
        "Page 3 / 4",
        "Page 4 / 4",
    ]
    assert lines.count("Signature") == pages
    assert [line for line in lines if line.startswith("Prénom") and line != "Prénom"] == [
        f"Prénom{number:02}" for number in range(60)
    ]


def test_attendance_pdf_survives_unusual_characters(dated_edition, make_registration):
    make_registration(dated_edition, first_name="Nguyễn Thị", last_name="Hoa")
    make_registration(dated_edition, first_name="<b>&</b>", last_name="Ayşe Y\u0131lmaz")
    make_registration(dated_edition, first_name="王", last_name="Tab\x0bulation")
    lines = pdf_text(
        exports.attendance_pdf(dated_edition, attendees_for_sheet(dated_edition))
    ).splitlines()
    assert "Nguyên Thi" in lines
    assert "<b>&</b>" in lines
    assert "Ayşe Y\u0131lmaz" in lines
    assert "?" in lines
    assert "Tab ulation" in lines


def test_attendance_pdf_with_nobody(dated_edition):
    pdf = exports.attendance_pdf(dated_edition, [])
    assert pdf.startswith(b"%PDF")
    assert "Page 1 / 1" in pdf_text(pdf).splitlines()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Zoë O\u2019Brien", "Zoë O\u2019Brien"),
        ("François Cœur", "François Cœur"),
        ("Nguyễn Thị", "Nguyên Thi"),
        ("Łukasz Wąs", "Łukasz Was"),
        ("Ayşe Y\u0131lmaz", "Ayşe Y\u0131lmaz"),
        ("\uff21\uff22", "AB"),  # full-width letters
        ("王芳", "??"),
        ("a\x0bb\nc", "a b c"),
    ],
)
def test_printable_keeps_what_the_font_draws(text, expected):
    assert exports.printable(text) == expected


# -- badges -------------------------------------------------------------------------------


def test_badges_pdf_holds_names_organisation_college_and_edition(dated_edition, make_registration):
    make_registration(
        dated_edition,
        first_name="Zoë",
        last_name="O\u2019Brien",
        organisation="Œuvre des Hauts",
        college=College.HABITANT,
    )
    make_registration(
        dated_edition, first_name="Wanda", last_name="Waiting", status=RegistrationStatus.WAITING
    )
    pdf = exports.badges_pdf(dated_edition, attendees_for_sheet(dated_edition))
    assert pdf.startswith(b"%PDF")
    lines = pdf_text(pdf).splitlines()
    for text in ("Zoë", "O\u2019Brien", "Œuvre des Hauts", "Habitant"):
        assert text in lines
    assert "Rencontre des partenaires 2024 · 15 octobre 2024" in lines
    assert "Waiting" not in lines
    assert page_count(pdf) == 1


def test_badges_pdf_holds_the_workshop_group_once_assigned(
    dated_edition, make_registration, groups
):
    zoe = make_registration(dated_edition, first_name="Zoë", last_name="O\u2019Brien")
    lines = pdf_text(
        exports.badges_pdf(dated_edition, attendees_for_sheet(dated_edition))
    ).splitlines()
    assert f"Groupe {zoe.pk % 17 + 1} · salle B" in lines


def test_badges_pdf_without_groups_prints_no_group_line(dated_edition, make_registration):
    make_registration(dated_edition, first_name="Zoë", last_name="O\u2019Brien")
    lines = pdf_text(
        exports.badges_pdf(dated_edition, attendees_for_sheet(dated_edition))
    ).splitlines()
    assert not any(line.startswith("Groupe") for line in lines)


def test_badges_pdf_prints_eight_per_page(dated_edition, make_registration):
    for _number in range(9):
        make_registration(dated_edition)
    pdf = exports.badges_pdf(dated_edition, attendees_for_sheet(dated_edition))
    assert page_count(pdf) == 2


def test_badges_pdf_survives_unusual_characters(dated_edition, make_registration):
    make_registration(dated_edition, first_name="Nguyễn Thị", last_name="Hoa")
    make_registration(dated_edition, first_name="Zoë", last_name="O\u2019Brien")
    make_registration(
        dated_edition,
        first_name="Jean-Christophe-Marie-Alexandre",
        last_name="de La Tour d\u2019Auvergne-Lauraguais",
        organisation="<script>&" * 20,
    )
    lines = pdf_text(
        exports.badges_pdf(dated_edition, attendees_for_sheet(dated_edition))
    ).splitlines()
    assert "Nguyên Thi" in lines
    assert "Zoë" in lines
    assert "O\u2019Brien" in lines
    assert any(line.startswith("Jean-Christophe") for line in lines)


def test_badges_pdf_with_nobody(dated_edition):
    pdf = exports.badges_pdf(dated_edition, [])
    assert pdf.startswith(b"%PDF")
    assert "Aucune inscription confirmée." in pdf_text(pdf).splitlines()


def test_badge_qr_runs_cover_exactly_the_dark_modules(dated_edition, make_registration):
    from events.qrcodes import qr_matrix
    from events.services.emails import checkin_url

    matrix = qr_matrix(checkin_url(make_registration(dated_edition)))
    dark = {
        (row, column)
        for row, start, length in exports.qr_runs(matrix)
        for column in range(start, start + length)
    }
    assert dark == {
        (row, column)
        for row, cells in enumerate(matrix)
        for column, cell in enumerate(cells)
        if cell
    }


# -- views: permissions, files, audit log, queries -------------------------------------


@pytest.mark.parametrize("name", URL_NAMES)
def test_export_sends_anonymous_visitors_to_login(client, edition, name):
    response = client.get(url(name, edition))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("name", URL_NAMES)
@pytest.mark.parametrize("who", ["partner", "no_role_user"])
def test_export_is_forbidden_to_non_organisers(
    client, request, edition, make_registration, name, who
):
    make_registration(edition, first_name="Secret")
    client.force_login(request.getfixturevalue(who))
    response = client.get(url(name, edition))
    assert response.status_code == 403
    assert b"Secret" not in response.content
    assert AuditLogEntry.objects.count() == 0


@pytest.mark.parametrize(("name", "kind", "content_type", "filename", "confirmed_only"), EXPORTS)
def test_export_downloads_a_file_for_organisers(
    organiser_client, scene, edition, name, kind, content_type, filename, confirmed_only
):
    response = organiser_client.get(url(name, edition))
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"] == (
        f'attachment; filename="{filename.format(edition.year)}"'
    )
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize(("name", "kind", "content_type", "filename", "confirmed_only"), EXPORTS)
def test_export_writes_one_audit_log_entry(
    organiser_client, organiser, scene, edition, name, kind, content_type, filename, confirmed_only
):
    organiser_client.get(url(name, edition))
    entry = AuditLogEntry.objects.get()
    assert entry.actor == organiser
    assert entry.action == AuditAction.REGISTRATIONS_EXPORTED
    assert entry.target_type == "events.edition"
    assert entry.target_id == str(edition.pk)
    assert entry.data == {"format": kind, "inscriptions": 1 if confirmed_only else 4}


def test_csv_view_returns_the_rows(organiser_client, scene, edition):
    response = organiser_client.get(url("events:export_csv", edition))
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff" + ";".join(HEADER))
    assert "Zoë;O\u2019Brien" in text
    assert len(text.splitlines()) == 5


def test_pdf_views_hold_the_confirmed_names(organiser_client, scene, edition):
    for name in ("events:attendance_pdf", "events:badges_pdf"):
        content = organiser_client.get(url(name, edition)).content
        assert content.startswith(b"%PDF")
        lines = pdf_text(content).splitlines()
        assert "O\u2019Brien" in lines
        assert "Asante" not in lines


@pytest.mark.parametrize("name", URL_NAMES)
def test_export_of_a_draft_edition_reaches_organisers(
    organiser_client, make_edition, make_registration, name
):
    draft = make_edition(status=EditionStatus.DRAFT)
    make_registration(draft)
    assert organiser_client.get(url(name, draft)).status_code == 200


@pytest.mark.parametrize("name", URL_NAMES)
def test_export_of_an_unknown_year_is_404(organiser_client, name):
    response = organiser_client.get(reverse(name, kwargs={"year": 1999}))
    assert response.status_code == 404
    assert AuditLogEntry.objects.count() == 0


@pytest.mark.parametrize("name", URL_NAMES)
def test_export_refuses_post(organiser_client, edition, name):
    assert organiser_client.post(url(name, edition)).status_code == 405


@pytest.mark.parametrize("name", URL_NAMES)
def test_export_queries_do_not_grow_with_registrations(
    organiser_client, edition, make_registration, qpv, directory_actor, name
):
    actor = directory_actor

    def add(count):
        for _number in range(count):
            make_registration(edition, actor=actor, territory=qpv)

    add(1)
    organiser_client.get(url(name, edition))  # warm the session and caches
    with CaptureQueriesContext(connection) as one:
        assert organiser_client.get(url(name, edition)).status_code == 200
    add(7)
    with CaptureQueriesContext(connection) as eight:
        assert organiser_client.get(url(name, edition)).status_code == 200
    assert len(eight) == len(one)


def test_export_record_refuses_an_unknown_kind(edition, organiser):
    from events.services import registrations_export_record

    with pytest.raises(ValueError, match="unknown export kind"):
        registrations_export_record(by=organiser, edition=edition, kind="pdf", count=1)
    assert AuditLogEntry.objects.count() == 0
