"""The CSV import of participants: every row checked, then all written or nothing."""

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from contrat_ville.models import AuditLogEntry
from events.enums import (
    AuditAction,
    College,
    EmailKind,
    RegistrationSource,
    RegistrationStatus,
)
from events.models import OutboundEmail, Registration
from events.services import imports, registrations_import

HEADER = [
    "prenom",
    "nom",
    "email",
    "telephone",
    "structure",
    "college",
    "quartier",
    "besoins_accessibilite",
    "regime_alimentaire",
    "droit_image",
    "liste_participants",
]


def row(number: int, **values) -> dict:
    data = {
        "prenom": f"Prénom{number}",
        "nom": f"Nom{number}",
        "email": f"importe{number}@example.org",
        "telephone": "",
        "structure": "",
        "college": "porteur_projet",
        "quartier": "",
        "besoins_accessibilite": "",
        "regime_alimentaire": "",
        "droit_image": "non",
        "liste_participants": "non",
    }
    data.update(values)
    return data


def csv_bytes(rows: list[dict], *, header=HEADER, sep=",", bom=False) -> bytes:
    lines = [sep.join(header)]
    lines += [sep.join(r.get(column, "") for column in header) for r in rows]
    text = "\r\n".join(lines) + "\r\n"
    return (b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8")


def upload(client, edition, content: bytes, *, dry_run=False, name="participants.csv"):
    data = {"file": SimpleUploadedFile(name, content, content_type="text/csv")}
    if dry_run:
        data["dry_run"] = "on"
    return client.post(reverse("events:import", args=[edition.year]), data)


def snapshot():
    return (
        list(Registration.objects.order_by("pk").values_list("pk", "email", "status")),
        OutboundEmail.objects.count(),
        AuditLogEntry.objects.count(),
    )


# --- a good file ----------------------------------------------------------------


def test_import_creates_registrations_in_file_order_then_waiting_list(
    organiser_client, organiser, edition, qpv
):
    rows = [
        row(
            1,
            prenom="Awa",
            nom="Diop",
            email="Awa.Diop@Example.org",
            telephone="06 12 34 56 78",
            structure="Association des habitants",
            college="Conseil citoyen",
            quartier="Biollay - Bellevue",
            besoins_accessibilite="Fauteuil roulant",
            regime_alimentaire="Végétarien",
            droit_image="oui",
            liste_participants="OUI",
        ),
        row(2, college="COPIL — ÉLUS ET PRÉFECTURE", quartier="QN07301M"),
        row(3, college="habitant", quartier="hauts-de-chambery"),
        row(4, college="Representant des habitants", droit_image="Non"),
        row(5, college="autre", liste_participants=""),
    ]

    response = upload(organiser_client, edition, csv_bytes(rows))

    assert response.status_code == 302
    assert response.url == reverse("events:registrations", args=[edition.year])
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "5 personnes importées : 3 avec une place confirmée, 2 en liste d'attente."
    ]
    registrations = list(Registration.objects.filter(edition=edition).order_by("pk"))
    assert [(r.email, r.status, r.source) for r in registrations] == [
        ("awa.diop@example.org", RegistrationStatus.CONFIRMED, RegistrationSource.IMPORT),
        ("importe2@example.org", RegistrationStatus.CONFIRMED, RegistrationSource.IMPORT),
        ("importe3@example.org", RegistrationStatus.CONFIRMED, RegistrationSource.IMPORT),
        ("importe4@example.org", RegistrationStatus.WAITING, RegistrationSource.IMPORT),
        ("importe5@example.org", RegistrationStatus.WAITING, RegistrationSource.IMPORT),
    ]
    awa = registrations[0]
    assert (
        awa.first_name,
        awa.last_name,
        awa.phone,
        awa.organisation,
        awa.college,
        awa.territory,
        awa.accessibility_needs,
        awa.dietary_needs,
        awa.image_consent,
        awa.listed,
    ) == (
        "Awa",
        "Diop",
        "06 12 34 56 78",
        "Association des habitants",
        College.CONSEIL_CITOYEN,
        qpv,
        "Fauteuil roulant",
        "Végétarien",
        True,
        True,
    )
    assert [(r.college, r.territory.slug if r.territory else None) for r in registrations[1:]] == [
        (College.COPIL, "biollay-bellevue"),
        (College.HABITANT, "hauts-de-chambery"),
        (College.REPRESENTANT_HABITANTS, None),
        (College.AUTRE, None),
    ]
    assert [(r.image_consent, r.listed) for r in registrations[1:]] == [(False, False)] * 4
    # The waiting list keeps the order of the file.
    waiting = Registration.objects.filter(status=RegistrationStatus.WAITING).order_by(
        "queued_at", "pk"
    )
    assert [r.email for r in waiting] == ["importe4@example.org", "importe5@example.org"]
    assert sorted(OutboundEmail.objects.values_list("kind", flat=True)) == sorted(
        [EmailKind.CONFIRMATION] * 3 + [EmailKind.WAITING] * 2
    )
    entry = AuditLogEntry.objects.get(action=AuditAction.REGISTRATIONS_IMPORTED)
    assert (entry.actor, entry.target_id, entry.data) == (
        organiser,
        str(edition.pk),
        {"inscriptions": 5},
    )


def test_import_reads_semicolons_bom_and_french_headers(organiser_client, edition):
    content = "\ufeff" + "Prénom;Nom;E-mail;Collège\r\nÉlise;Durand;elise@example.org;Cotech\r\n"
    response = upload(organiser_client, edition, content.encode("utf-8"))

    assert response.status_code == 302, response.context["errors"]
    registration = Registration.objects.get()
    assert (registration.full_name, registration.email, registration.college) == (
        "Élise Durand",
        "elise@example.org",
        College.COTECH,
    )


def test_import_links_a_known_structure_to_the_directory(organiser_client, edition):
    from partners.enums import ActorStatus
    from partners.services import actor_create

    actor = actor_create(
        by=None,
        data={"name": "Régie de quartier", "kind": "association", "summary": "Emplois."},
        status=ActorStatus.PUBLISHED,
    )

    upload(organiser_client, edition, csv_bytes([row(1, structure="RÉGIE DE QUARTIER")]))

    assert Registration.objects.get().actor == actor


def test_import_skips_blank_lines_and_counts_lines_of_the_file(edition):
    content = csv_bytes([row(1), row(2, email="faux")]).replace(b"\r\n", b"\r\n\r\n", 1)

    result = registrations_import(edition=edition, file=content, by=None)

    assert result.errors == ["ligne 4 : adresse e-mail « faux » invalide."]


def test_import_counts_the_lines_of_a_cell_written_on_two_lines(edition):
    content = (
        b"prenom,nom,email,college,besoins_accessibilite\r\n"
        b'Awa,Diop,awa@example.org,habitant,"Fauteuil\r\net chien guide"\r\n'
        b"Jean,Martin,jean@,habitant,\r\n"
    )

    result = registrations_import(edition=edition, file=content, by=None)

    assert result.errors == ["ligne 4 : adresse e-mail « jean@ » invalide."]


# --- bad input: exact messages, nothing written ---------------------------------


@pytest.mark.parametrize(
    ("content", "errors"),
    [
        (
            csv_bytes([row(1)], header=[c for c in HEADER if c not in ("email", "college")]),
            ["ligne 1 : colonnes obligatoires manquantes : email, college."],
        ),
        (
            csv_bytes([row(1)], header=[c for c in HEADER if c != "email"]),
            ["ligne 1 : colonne obligatoire manquante : email."],
        ),
        (
            csv_bytes([row(1), row(2, email="pas-une-adresse")]),
            ["ligne 3 : adresse e-mail « pas-une-adresse » invalide."],
        ),
        (csv_bytes([row(1, email="")]), ["ligne 2 : adresse e-mail manquante."]),
        (
            csv_bytes([row(1, college="Mairie")]),
            [
                "ligne 2 : collège « Mairie » inconnu (attendu : un code comme copil ou "
                "habitant, ou le nom d'un collège)."
            ],
        ),
        (csv_bytes([row(1, college="")]), ["ligne 2 : collège manquant."]),
        (
            csv_bytes([row(1), row(2, quartier="Atlantide")]),
            ["ligne 3 : quartier « Atlantide » inconnu."],
        ),
        (
            csv_bytes([row(1, prenom="", nom=" ")]),
            ["ligne 2 : prénom manquant.", "ligne 2 : nom manquant."],
        ),
        (
            csv_bytes([row(1), row(2), row(3, email="IMPORTE1@example.org")]),
            ["ligne 4 : l'adresse importe1@example.org figure déjà ligne 2 du fichier."],
        ),
        (
            csv_bytes([row(1, droit_image="peut-être")]),
            ["ligne 2 : droit_image : « peut-être » n'est ni oui ni non."],
        ),
        (
            csv_bytes([row(1)]) + b"Jean,Martin,jean@example.org\r\n",
            ["ligne 3 : 3 colonnes au lieu de 11, comme l'en-tête."],
        ),
        (
            csv_bytes([row(1, telephone="0" * 31)]),
            ["ligne 2 : telephone : 30 caractères au plus."],
        ),
        (
            csv_bytes([row(1, regime_alimentaire="x" * 1001)]),
            ["ligne 2 : regime_alimentaire : 1000 caractères au plus."],
        ),
        (csv_bytes([]), ["Le fichier ne contient aucun participant sous l'en-tête."]),
        (b"\r\n\r\n", ["Le fichier est vide."]),
        (
            csv_bytes([row(1)], header=[*HEADER, "email"]),
            ["ligne 1 : colonnes en double : email."],
        ),
    ],
)
def test_import_bad_input_gives_line_numbered_errors_and_writes_nothing(
    organiser_client, edition, content, errors
):
    before = snapshot()

    response = upload(organiser_client, edition, content)

    assert response.status_code == 200
    assert response.context["result"].errors == errors
    html = response.content.decode()
    assert '<ul aria-labelledby="import-errors-title">' in html
    for error in errors:
        assert f"<li>{error}</li>".replace("'", "&#x27;") in html
    assert snapshot() == before


def test_import_refuses_an_email_already_registered(organiser_client, edition, make_registration):
    make_registration(edition, email="deja@example.org")
    before = snapshot()

    response = upload(
        organiser_client, edition, csv_bytes([row(1), row(2, email="Deja@Example.org")])
    )

    assert response.context["result"].errors == [
        "ligne 3 : deja@example.org a déjà une inscription à cette édition."
    ]
    assert snapshot() == before


def test_import_email_of_another_edition_is_fine(
    organiser_client, edition, make_edition, make_registration
):
    make_registration(make_edition(), email="importe1@example.org")

    response = upload(organiser_client, edition, csv_bytes([row(1)]))

    assert response.status_code == 302
    assert edition.registrations.count() == 1


def test_import_wrong_encoding_is_one_clear_error(organiser_client, edition):
    content = "prenom,nom,email,college\r\nÉlise,Durand,elise@example.org,cotech\r\n"
    before = snapshot()

    response = upload(organiser_client, edition, content.encode("latin-1"))

    assert response.context["result"].errors == [
        "Le fichier n'est pas en UTF-8 : caractère illisible ligne 2. Enregistrez le fichier "
        "en UTF-8 (« CSV UTF-8 » dans votre tableur) puis recommencez."
    ]
    assert snapshot() == before


def test_import_mixed_good_and_bad_rows_writes_nothing(organiser_client, edition):
    rows = [
        row(1),
        row(2, email="mauvaise"),
        row(3),
        row(4, college="Mairie", quartier="Atlantide"),
        row(5, email="importe1@example.org"),
        row(6),
    ]
    before = snapshot()

    response = upload(organiser_client, edition, csv_bytes(rows))

    assert response.context["result"].errors == [
        "ligne 3 : adresse e-mail « mauvaise » invalide.",
        "ligne 5 : collège « Mairie » inconnu (attendu : un code comme copil ou habitant, ou "
        "le nom d'un collège).",
        "ligne 5 : quartier « Atlantide » inconnu.",
        "ligne 6 : l'adresse importe1@example.org figure déjà ligne 2 du fichier.",
    ]
    assert "4 erreurs" in response.content.decode()
    assert snapshot() == before


def test_import_dry_run_writes_nothing_and_says_what_would_happen(
    organiser_client, edition, make_registration
):
    make_registration(edition)
    before = snapshot()

    response = upload(
        organiser_client, edition, csv_bytes([row(1), row(2), row(3), row(4)]), dry_run=True
    )

    assert response.status_code == 200
    result = response.context["result"]
    assert (result.errors, result.rows, result.confirmed, result.waiting) == ([], 4, 2, 2)
    assert (
        "Le fichier est correct : 4 personnes seraient importées (2 avec une place confirmée, "
        "2 en liste d'attente). Rien n'a été enregistré"
    ) in response.content.decode()
    assert snapshot() == before


def test_import_dry_run_still_reports_errors(organiser_client, edition):
    response = upload(organiser_client, edition, csv_bytes([row(1, email="x")]), dry_run=True)

    assert response.context["result"].errors == ["ligne 2 : adresse e-mail « x » invalide."]
    assert Registration.objects.count() == 0


def test_import_unknown_columns_are_ignored_and_said(edition):
    header = [*HEADER, "Remarques"]
    result = registrations_import(
        edition=edition, file=csv_bytes([row(1)], header=header), by=None, dry_run=True
    )

    assert (result.errors, result.ignored_columns) == ([], ["remarques"])


def test_import_file_over_2_mb_is_refused_by_the_form(organiser_client, edition):
    content = csv_bytes([row(1, besoins_accessibilite="x" * (2 * 1024 * 1024))])

    response = upload(organiser_client, edition, content)

    assert [str(e) for e in response.context["form"].errors["file"]] == [
        "Le fichier dépasse 2 Mo : découpez-le en plusieurs fichiers et importez-les un à un."
    ]
    assert Registration.objects.count() == 0


def test_import_service_refuses_over_2_mb_too(edition):
    result = registrations_import(edition=edition, file=b"x" * (2 * 1024 * 1024 + 1), by=None)

    assert result.errors == [
        "Le fichier dépasse 2 Mo : découpez-le en plusieurs fichiers et importez-les un à un."
    ]


def test_import_more_than_5000_rows_is_refused(organiser_client, edition):
    lines = ["prenom,nom,email,college"] + [
        f"P,N,p{n}@example.org,autre" for n in range(imports.MAX_ROWS + 1)
    ]
    before = snapshot()

    response = upload(organiser_client, edition, "\n".join(lines).encode())

    assert response.context["result"].errors == [
        "Le fichier compte plus de 5\xa0000 participants : découpez-le en plusieurs fichiers "
        "et importez-les un à un."
    ]
    assert snapshot() == before


def test_import_header_of_50000_columns_is_refused(organiser_client, edition):
    header = [*HEADER, *(f"colonne{number}" for number in range(50_000 - len(HEADER)))]
    before = snapshot()

    response = upload(organiser_client, edition, ",".join(header).encode() + b"\r\n")

    assert response.status_code == 200
    assert response.context["result"].errors == [
        "ligne 1 : l'en-tête compte 50\xa0000 colonnes, 200 au plus : supprimez les colonnes "
        "en trop puis recommencez."
    ]
    assert snapshot() == before


def test_import_still_reports_every_duplicate_column(edition):
    content = csv_bytes([row(1)], header=[*HEADER, "nom", "Prénom", "e-mail", "Courriel"])

    result = registrations_import(edition=edition, file=content, by=None)

    assert result.errors == ["ligne 1 : colonnes en double : email, nom, prenom."]


@pytest.mark.parametrize(
    ("character", "code"), [("\x00", "U+0000"), ("\x0b", "U+000B"), ("\x1b", "U+001B")]
)
def test_import_control_character_in_a_cell_is_refused_and_writes_nothing(
    organiser_client, edition, character, code
):
    content = csv_bytes([row(1), row(2, structure=f"Maison{character}des jeunes")])
    before = snapshot()

    response = upload(organiser_client, edition, content)

    assert response.status_code == 200
    assert response.context["result"].errors == [
        f"ligne 3 : caractère de contrôle {code} interdit (souvent invisible dans un "
        "tableur) : retirez-le puis recommencez."
    ]
    assert snapshot() == before


def test_import_missing_file_is_a_field_error(organiser_client, edition):
    response = organiser_client.post(reverse("events:import", args=[edition.year]), {})

    assert [str(e) for e in response.context["form"].errors["file"]] == [
        "Ce champ est obligatoire."
    ]


def test_import_registration_taken_meanwhile_undoes_the_whole_file(
    edition, organiser, make_registration, monkeypatch
):
    """Someone registers with an address of the file between the checks and
    the writing: the file is refused whole, nothing of it stays."""
    real = imports.registrations_bulk_create

    def competing(**kwargs):
        make_registration(edition, email="importe3@example.org")
        return real(**kwargs)

    monkeypatch.setattr(imports, "registrations_bulk_create", competing)
    before_count = Registration.objects.count()

    result = registrations_import(
        edition=edition, file=csv_bytes([row(1), row(2), row(3)]), by=organiser
    )

    assert result.errors == ["ligne 4 : Cette adresse e-mail est déjà inscrite à cette édition."]
    assert result.registrations == []
    # The competing registration was written inside the undone transaction: gone too.
    assert Registration.objects.count() == before_count
    assert AuditLogEntry.objects.filter(action=AuditAction.REGISTRATIONS_IMPORTED).count() == 0
