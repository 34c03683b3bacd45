import io

import pytest
from django.core.management import CommandError, call_command

from contrat_ville.models import AuditLogEntry, Territory
from partners import opendata
from partners.enums import ActorStatus, AuditAction
from partners.models import Actor, Competence, Public
from partners.services import actor_create

SIRET_A = "13003013300016"
SIRET_B = "77302000000016"
SIRET_C = "44112345000013"
HEADER = (
    "id,nom,type,presentation_courte,description,siret,code_postal,courriel,site_web,"
    "territoires,competences,publics,instances"
)
VALID = (
    f"{HEADER}\n"
    f"centre-social,Centre social des Hauts,centre_social,Accueil et loisirs.,"
    f'"Le centre accueille les habitants, petits et grands.",{SIRET_A},73000,'
    f"accueil@centre.example.org,https://centre.example.org/,"
    f"QN07302M|chambery,accueil-jeunes|parentalite,jeunes|familles,cotech|copil\n"
    f"mission-locale,Mission locale jeunes,emploi_insertion,Accompagnement des 16-25 ans.,"
    f",,,,,grand-chambery,insertion-16-25,jeunes,\n"
)


def write(tmp_path, text: str, *, encoding: str = "utf-8", name: str = "acteurs.csv"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def run(path, *args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import_actors", str(path), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def refused(path, *args) -> tuple[str, list[str]]:
    """The CommandError message and the lines written to stderr."""
    err = io.StringIO()
    with pytest.raises(CommandError) as error:
        call_command("import_actors", str(path), *args, stdout=io.StringIO(), stderr=err)
    return str(error.value), err.getvalue().splitlines()


def relations(actor: Actor) -> dict:
    return {
        "territories": sorted(t.slug for t in actor.territories.all()),
        "competences": sorted(c.slug for c in actor.competences.all()),
        "publics": sorted(p.slug for p in actor.publics.all()),
        "bodies": sorted(b.body for b in actor.bodies.all()),
    }


def updated_at() -> dict:
    return dict(Actor.objects.values_list("slug", "updated_at"))


def test_import_creates_actors_with_their_relations(db, tmp_path):
    out, err = run(write(tmp_path, VALID))

    assert out == "Fiches créées : 2, modifiées : 0, inchangées : 0.\n"
    assert err == ""
    centre = Actor.objects.get(slug="centre-social")
    assert (centre.name, centre.kind, centre.summary, centre.status) == (
        "Centre social des Hauts",
        "centre_social",
        "Accueil et loisirs.",
        ActorStatus.PUBLISHED,
    )
    assert (centre.siret, centre.postcode, centre.email, centre.website) == (
        SIRET_A,
        "73000",
        "accueil@centre.example.org",
        "https://centre.example.org/",
    )
    assert relations(centre) == {
        "territories": ["chambery", "hauts-de-chambery"],
        "competences": ["accueil-jeunes", "parentalite"],
        "publics": ["familles", "jeunes"],
        "bodies": ["copil", "cotech"],
    }
    assert relations(Actor.objects.get(slug="mission-locale")) == {
        "territories": ["grand-chambery"],
        "competences": ["insertion-16-25"],
        "publics": ["jeunes"],
        "bodies": [],
    }
    entry = AuditLogEntry.objects.get(action=AuditAction.ACTOR_IMPORTED)
    assert entry.data == {
        "file": "acteurs.csv",
        "created": 2,
        "updated": 0,
        "unchanged": 0,
        "status": "published",
    }


def test_import_status_option_sets_new_actors_pending(db, tmp_path):
    run(write(tmp_path, VALID), "--status", "pending")

    assert set(Actor.objects.values_list("status", flat=True)) == {ActorStatus.PENDING}


def test_import_twice_changes_nothing_the_second_time(db, tmp_path):
    path = write(tmp_path, VALID)
    run(path)
    before = updated_at()

    out, _err = run(path)

    assert out == "Fiches créées : 0, modifiées : 0, inchangées : 2.\n"
    assert updated_at() == before
    assert Actor.objects.count() == 2
    assert AuditLogEntry.objects.filter(action=AuditAction.ACTOR_UPDATED).count() == 0


def test_import_updates_by_id_only_the_columns_given(db, tmp_path):
    actor = actor_create(
        by=None,
        data={
            "name": "Régie de quartier",
            "kind": "association",
            "summary": "Ancienne.",
            "description": "Entretien des espaces verts et petits travaux.",
        },
        publics=[Public.objects.get(slug="jeunes")],
        status=ActorStatus.PUBLISHED,
    )
    path = write(
        tmp_path, f"id,nom,presentation_courte\n{actor.slug},Régie de quartier,Nouvelle.\n"
    )

    out, _err = run(path)

    actor.refresh_from_db()
    assert out == "Fiches créées : 0, modifiées : 1, inchangées : 0.\n"
    assert (actor.summary, actor.description, actor.kind) == (
        "Nouvelle.",
        "Entretien des espaces verts et petits travaux.",
        "association",
    )
    assert relations(actor)["publics"] == ["jeunes"]
    assert AuditLogEntry.objects.get(action=AuditAction.ACTOR_UPDATED).data == {
        "fields": ["summary"]
    }


def test_import_updates_by_siret_when_the_id_is_unknown(db, tmp_path):
    actor = actor_create(
        by=None,
        data={
            "name": "Ancien nom",
            "kind": "association",
            "summary": "Une association.",
            "siret": SIRET_B,
        },
        status=ActorStatus.PUBLISHED,
    )
    path = write(
        tmp_path, f"nom,siret,territoires\nNouveau nom,{SIRET_B[:3]} {SIRET_B[3:]},73065\n"
    )

    out, _err = run(path)

    actor.refresh_from_db()
    assert out == "Fiches créées : 0, modifiées : 1, inchangées : 0.\n"
    assert (actor.slug, actor.name) == ("ancien-nom", "Nouveau nom")
    assert relations(actor)["territories"] == ["chambery"]
    assert Actor.objects.count() == 1


def test_import_accepts_semicolons_and_a_bom(db, tmp_path):
    text = (
        "\ufeffnom;type;description;territoires;publics\r\n"
        "Maison de l'Enfance « Éveil & Cœur »;association;Crèche, halte-garderie;"
        "QN07301M|QN07302M;familles\r\n"
    )

    out, _err = run(write(tmp_path, text))

    actor = Actor.objects.get()
    assert out == "Fiches créées : 1, modifiées : 0, inchangées : 0.\n"
    assert (actor.slug, actor.name, actor.summary) == (
        "maison-de-lenfance-eveil-cur",  # slugify drops "œ"
        "Maison de l'Enfance « Éveil & Cœur »",
        "Crèche, halte-garderie",
    )
    assert relations(actor)["territories"] == ["biollay-bellevue", "hauts-de-chambery"]


def test_import_defaults_type_and_summary(db, tmp_path):
    run(write(tmp_path, "nom,type,presentation_courte\nAtelier vélo,,\n"))

    actor = Actor.objects.get()
    assert (actor.slug, actor.kind, actor.summary) == ("atelier-velo", "autre", "Atelier vélo")


def test_import_generated_slug_never_takes_an_id_of_the_file(db, tmp_path):
    run(write(tmp_path, "id,nom\n,Atelier vélo\natelier-velo,Autre atelier\n"))

    assert dict(Actor.objects.values_list("name", "slug")) == {
        "Atelier vélo": "atelier-velo-2",
        "Autre atelier": "atelier-velo",
    }


def test_import_dry_run_writes_nothing(db, tmp_path):
    out, _err = run(write(tmp_path, VALID), "--dry-run")

    assert out == (
        "Fichier valide, rien n'a été écrit : 2 fiches à créer, 0 à modifier, 0 inchangées.\n"
    )
    assert Actor.objects.count() == 0
    assert AuditLogEntry.objects.count() == 0


def test_import_shows_progress_on_big_files(db, tmp_path):
    rows = "".join(f"Structure numéro {n}\n" for n in range(1001))

    out, _err = run(write(tmp_path, "nom\n" + rows), "--dry-run")

    assert out.splitlines() == [
        "Vérification : 500 / 1001 lignes",
        "Vérification : 1000 / 1001 lignes",
        "Fichier valide, rien n'a été écrit : 1001 fiches à créer, 0 à modifier, 0 inchangées.",
    ]


def test_import_warns_about_unknown_columns(db, tmp_path):
    _out, err = run(write(tmp_path, "nom,couleur,date_maj\nAtelier vélo,bleu,2024-01-01\n"))

    assert err == "Colonnes inconnues, ignorées : couleur.\n"
    assert Actor.objects.count() == 1


# -- refusals -------------------------------------------------------------------


def test_import_refuses_a_file_not_in_utf8(db, tmp_path):
    path = write(
        tmp_path, "nom,type\nMission locale,autre\nCafé des élus,autre\n", encoding="latin-1"
    )

    message, _err = refused(path)

    assert message == (
        "Le fichier n'est pas en UTF-8 : caractère illisible ligne 3. Enregistrez le fichier "
        "en UTF-8 (« CSV UTF-8 » dans votre tableur) puis recommencez."
    )
    assert Actor.objects.count() == 0


def test_import_refuses_a_file_without_the_name_column(db, tmp_path):
    message, _err = refused(write(tmp_path, "id,type\natelier,autre\n"))

    assert message == "La colonne obligatoire « nom » manque dans l'en-tête (ligne 1)."
    assert Actor.objects.count() == 0


def test_import_refuses_duplicate_columns(db, tmp_path):
    message, _err = refused(write(tmp_path, "id,nom,type,Nom,ID,siret\na,Atelier,autre,B,a,\n"))

    assert message == "Colonnes en double dans l'en-tête (ligne 1) : id, nom."
    assert Actor.objects.count() == 0


def test_import_refuses_a_header_of_50000_columns(db, tmp_path):
    header = ",".join(["nom", *(f"colonne{number}" for number in range(49_999))])

    message, _err = refused(write(tmp_path, f"{header}\nAtelier vélo\n"))

    assert message == (
        "ligne 1 : l'en-tête compte 50\xa0000 colonnes, 200 au plus : supprimez les colonnes "
        "en trop puis recommencez."
    )
    assert Actor.objects.count() == 0


@pytest.mark.parametrize(
    ("character", "code"), [("\x00", "U+0000"), ("\x0b", "U+000B"), ("\x7f", "U+007F")]
)
def test_import_refuses_a_control_character_in_a_cell(db, tmp_path, character, code):
    path = write(tmp_path, f"id,nom\natelier-bois,Atelier bois\nvelo,Atelier{character}vélo\n")

    message, _err = refused(path)

    assert message == (
        f"ligne 3 : caractère de contrôle {code} interdit (souvent invisible dans un "
        "tableur) : retirez-le puis recommencez."
    )
    assert Actor.objects.count() == 0


@pytest.mark.parametrize(
    ("rows", "errors"),
    [
        (
            f"a,Atelier vélo,{SIRET_A},,\nb,Atelier bois,12345678901234,,\n",
            [
                "ligne 3 : siret : Ce numéro SIRET n'existe pas : vérifiez les chiffres "
                "(clé de contrôle invalide)."
            ],
        ),
        ("a,Atelier vélo,,QN07301M|QN99999X,\n", ["ligne 2 : territoire inconnu « QN99999X »"]),
        ("a,Atelier vélo,,,cuisine\n", ["ligne 2 : compétence inconnue « cuisine »"]),
        (
            "a,Atelier vélo,,,\nb,Atelier bois,,,\na,Atelier fer,,,\n",
            ["ligne 4 : identifiant « a » déjà présent ligne 2"],
        ),
        (
            f"a,Atelier vélo,{SIRET_A},,\nb,Atelier bois,{SIRET_A},,\n",
            [f"ligne 3 : SIRET {SIRET_A} déjà présent ligne 2"],
        ),
        (
            "a,AV,,,\n",
            [
                "ligne 2 : nom : Assurez-vous que cette valeur comporte au moins 3 caractères "
                "(actuellement 2)."
            ],
        ),
        (
            f"a,{'A' * 151},,,\n",
            [
                "ligne 2 : nom : Assurez-vous que cette valeur comporte au plus 150 caractères "
                "(actuellement 151)."
            ],
        ),
        (
            "a,Atelier vélo,,,,\n",
            ["ligne 2 : 6 valeurs pour 5 colonnes (séparateur en trop ou manquant ?)"],
        ),
        (
            "a b,Atelier vélo,,,\n",
            [
                "ligne 2 : id : Ce champ ne doit contenir que des lettres, des nombres, "
                "des tirets bas (_) et des traits d\u2019union."
            ],
        ),
    ],
)
def test_import_refuses_bad_rows_with_their_line(db, tmp_path, rows, errors):
    path = write(tmp_path, "id,nom,siret,territoires,competences\n" + rows)

    message, err = refused(path)

    assert err == errors
    assert message == "1 ligne refusée, rien n'a été écrit."
    assert Actor.objects.count() == 0


@pytest.mark.parametrize(
    ("header", "row", "error"),
    [
        (
            "rna",
            "12345",
            "rna : Un numéro RNA s'écrit W suivi de 9 caractères, par exemple W732001234.",
        ),
        ("code_postal", "7300", "code_postal : Un code postal compte 5 chiffres."),
        ("courriel", "accueil@", "courriel : Saisissez une adresse de courriel valide."),
        ("site_web", "centre social", "site_web : Saisissez une URL valide."),
        (
            "type",
            "club",
            "type inconnu « club » (valeurs possibles : association, "
            "service_etat, collectivite, bailleur_social, emploi_insertion, "
            "etablissement_scolaire, centre_social, sante, conseil_citoyen, entreprise, autre)",
        ),
        ("publics", "jeunes|martiens", "public inconnu « martiens »"),
        (
            "instances",
            "copil|conseil_municipal",
            "instance inconnue « conseil_municipal » "
            "(valeurs possibles : copil, cotech, commission_politique_ville, "
            "commission_emploi_insertion, commission_renouvellement_urbain, conseil_citoyen)",
        ),
    ],
)
def test_import_refuses_bad_values(db, tmp_path, header, row, error):
    message, err = refused(write(tmp_path, f"nom,{header}\nAtelier vélo,{row}\n"))

    assert err == [f"ligne 2 : {error}"]
    assert message == "1 ligne refusée, rien n'a été écrit."


def test_import_refuses_a_siret_of_another_actor(db, tmp_path):
    for name, siret in (("Premier", SIRET_A), ("Second", SIRET_B)):
        actor_create(
            by=None,
            data={"name": name, "kind": "autre", "summary": "Présentation.", "siret": siret},
        )

    message, err = refused(write(tmp_path, f"id,nom,siret\npremier,Premier,{SIRET_B}\n"))

    assert err == [f"ligne 2 : SIRET {SIRET_B} déjà utilisé par la fiche « second »"]
    assert message == "1 ligne refusée, rien n'a été écrit."
    assert Actor.objects.get(slug="premier").siret == SIRET_A


def test_import_refuses_two_rows_for_one_actor(db, tmp_path):
    actor_create(
        by=None,
        data={"name": "Premier", "kind": "autre", "summary": "Présentation.", "siret": SIRET_A},
    )

    _message, err = refused(write(tmp_path, f"id,nom,siret\npremier,Premier,\n,Autre,{SIRET_A}\n"))

    assert err == ["ligne 3 : la ligne 2 désigne déjà la fiche « premier »"]


def test_import_with_good_and_bad_rows_writes_nothing(db, tmp_path):
    rows = (
        f"{HEADER}\n"
        "a,Atelier vélo,autre,Réparation.,,,,,,,,,\n"
        f"b,Atelier bois,autre,Menuiserie.,,{SIRET_C},7300,,,,,,\n"
        "c,Atelier fer,autre,Soudure.,,,,,,chambery|nulle-part,,,\n"
        "d,Atelier pain,autre,Boulangerie.,,,,,,,,,\n"
    )

    message, err = refused(write(tmp_path, rows))

    assert err == [
        "ligne 3 : code_postal : Un code postal compte 5 chiffres.",
        "ligne 4 : territoire inconnu « nulle-part »",
    ]
    assert message == "2 lignes refusées, rien n'a été écrit."
    assert Actor.objects.count() == 0
    assert AuditLogEntry.objects.count() == 0


# -- round trip -------------------------------------------------------------------


@pytest.fixture
def directory(db):
    actor_create(
        by=None,
        data={
            "name": "Centre social des Hauts",
            "kind": "centre_social",
            "summary": "Accueil de loisirs et accompagnement à la scolarité.",
            "description": "Le centre accueille les habitants.\r\nAteliers, sorties, « fêtes ».",
            "address": "12 rue des Écoles",
            "postcode": "73000",
            "town": "Chambéry",
            "insee_code": "73065",
            "phone": "+33479000000",
            "email": "accueil@centre.example.org",
            "website": "https://centre.example.org/",
            "siret": SIRET_A,
            "rna": "W732001234",
            "opening_hours": "Mo-Fr 09:00-12:00",
            "accessibility": "Accès de plain-pied.",
        },
        territories=list(Territory.objects.filter(slug__in=["biollay-bellevue", "chambery"])),
        competences=list(Competence.objects.filter(slug__in=["parentalite", "accueil-jeunes"])),
        publics=list(Public.objects.filter(slug__in=["jeunes", "familles"])),
        bodies=["cotech", "copil"],
        status=ActorStatus.PUBLISHED,
    )
    for name, description in (("Mini", ""), ("Atelier vélo", "Vélo"), ("Maison « Éveil »", "")):
        actor_create(
            by=None,
            data={
                "name": name,
                "kind": "autre",
                "summary": "Une présentation courte.",
                "description": description,
            },
            status=ActorStatus.PUBLISHED,
        )


def exported_csv(tmp_path):
    rows = opendata.structure_rows(
        opendata.actors_for_export(), profile_url=lambda a: f"https://example.org/{a.slug}/"
    )
    path = tmp_path / "export.csv"
    path.write_bytes("".join(opendata.csv_lines(rows)).encode("utf-8"))
    return path


def test_import_of_the_export_changes_nothing(directory, tmp_path):
    path = exported_csv(tmp_path)
    before = updated_at()

    out, err = run(path)

    assert out == "Fiches créées : 0, modifiées : 0, inchangées : 4.\n"
    assert err == ""
    assert updated_at() == before
    assert AuditLogEntry.objects.filter(action=AuditAction.ACTOR_UPDATED).count() == 0


def test_import_of_an_export_with_quoted_formulas_changes_nothing(directory, tmp_path):
    Actor.objects.filter(slug="mini").update(
        accessibility="- Rampe d'accès", opening_hours="=lundi"
    )
    path = exported_csv(tmp_path)
    assert b"'- Rampe d'acc" in path.read_bytes()
    before = updated_at()

    out, err = run(path)

    assert (out, err) == ("Fiches créées : 0, modifiées : 0, inchangées : 4.\n", "")
    assert updated_at() == before
    assert Actor.objects.values_list("accessibility", "opening_hours").get(slug="mini") == (
        "- Rampe d'accès",
        "=lundi",
    )


def test_import_of_the_export_recreates_the_same_export(directory, tmp_path):
    path = exported_csv(tmp_path)
    exported = path.read_bytes()
    Actor.objects.all().delete()

    out, _err = run(path)

    assert out == "Fiches créées : 4, modifiées : 0, inchangées : 0.\n"
    assert exported_csv(tmp_path).read_bytes() == exported
