"""The contract's themes and competences, and the publics of data·inclusion.

Organisers edit them afterwards; codes in ``di_thematiques`` and the slugs of
publics marked data·inclusion are values of the data·inclusion v1 schema.
"""

from django.db import migrations

THEMES = [
    # (theme slug, theme name, [(competence slug, name, data·inclusion thématiques)])
    ("jeunesse", "Jeunesse", [
        ("accueil-jeunes", "Accueil et animation jeunesse", "remobilisation--lien-social"),
        ("information-jeunesse", "Information jeunesse", ""),
        ("insertion-16-25", "Accompagnement des 16-25 ans",
         "choisir-un-metier--decouvrir-un-metier-ou-un-secteur-dactivite "
         "choisir-un-metier--identifier-ses-points-forts-et-ses-competences"),
    ]),
    ("education", "Éducation", [
        ("accompagnement-scolarite", "Accompagnement à la scolarité", ""),
        ("decrochage-scolaire", "Prévention du décrochage scolaire", ""),
        ("parentalite", "Soutien à la parentalité",
         "famille--soutien-a-la-parentalite-et-a-leducation"),
    ]),
    ("emploi-insertion", "Emploi et insertion", [
        ("accompagnement-emploi", "Accompagnement vers l'emploi",
         "trouver-un-emploi--repondre-a-des-offres-demploi "
         "preparer-sa-candidature--realiser-un-cv-et-ou-une-lettre-de-motivation"),
        ("formation", "Formation et qualification",
         "se-former--trouver-sa-formation se-former--monter-son-dossier-de-formation"),
        ("iae", "Insertion par l'activité économique", ""),
        ("creation-activite", "Création d'activité",
         "creer-une-entreprise--definir-son-projet-de-creation-dentreprise"),
        ("francais-langue-etrangere", "Apprentissage du français",
         "lecture-ecriture-calcul--maitriser-le-francais"),
    ]),
    ("sante", "Santé", [
        ("acces-soins", "Accès aux soins", "sante--acces-aux-soins"),
        ("sante-mentale", "Santé mentale", "sante--sante-mentale"),
        ("addictions", "Prévention des addictions", "sante--addictions"),
    ]),
    ("habitat-cadre-de-vie", "Habitat et cadre de vie", [
        ("logement", "Accès et maintien dans le logement",
         "logement-hebergement--se-maintenir-dans-le-logement "
         "logement-hebergement--sinformer-sur-les-demarches-liees-a-lacces-au-logement"),
        ("hebergement", "Hébergement temporaire",
         "logement-hebergement--rechercher-une-solution-dhebergement-temporaire"),
        ("gestion-urbaine-proximite", "Gestion urbaine de proximité", ""),
    ]),
    ("renouvellement-urbain", "Renouvellement urbain", [
        ("projet-renouvellement-urbain", "Projet de renouvellement urbain", ""),
        ("relogement", "Relogement et accompagnement des ménages", ""),
    ]),
    ("citoyennete-participation", "Citoyenneté et participation", [
        ("participation-habitants", "Participation des habitants",
         "remobilisation--benevolat-action-citoyenne"),
        ("vie-associative", "Vie associative et bénévolat",
         "remobilisation--benevolat-action-citoyenne"),
        ("lutte-discriminations", "Lutte contre les discriminations",
         "difficultes-administratives-ou-juridiques--connaitre-ses-droits-face-a-une-discrimination"),
    ]),
    ("culture-sport", "Culture et sport", [
        ("pratique-sportive", "Pratique sportive",
         "remobilisation--activites-sportives-et-culturelles"),
        ("pratique-culturelle", "Pratiques culturelles et artistiques",
         "remobilisation--activites-sportives-et-culturelles"),
    ]),
    ("mobilite", "Mobilité", [
        ("accompagnement-mobilite", "Accompagnement à la mobilité",
         "mobilite--etre-accompagne-dans-son-parcours-mobilite"),
        ("permis-conduire", "Permis de conduire", "mobilite--preparer-un-permis"),
    ]),
    ("inclusion-numerique", "Inclusion numérique", [
        ("mediation-numerique", "Médiation numérique",
         "numerique--maitriser-les-fondamentaux-du-numerique"),
        ("demarches-en-ligne", "Aide aux démarches en ligne",
         "numerique--acceder-a-des-services-en-ligne"),
    ]),
    ("acces-aux-droits", "Accès aux droits", [
        ("demarches-administratives", "Accompagnement aux démarches administratives",
         "difficultes-administratives-ou-juridiques--accompagnement-aux-demarches-administratives"),
        ("droits-sociaux", "Accès aux droits sociaux",
         "difficultes-administratives-ou-juridiques--accompagnement-pour-lacces-aux-droits"),
        ("aide-juridique", "Information juridique", ""),
    ]),
    ("tranquillite-prevention", "Tranquillité et prévention", [
        ("prevention-specialisee", "Prévention spécialisée", ""),
        ("mediation-sociale", "Médiation sociale", ""),
        ("prevention-delinquance", "Prévention de la délinquance", ""),
    ]),
]

# (slug, name, is a data·inclusion code)
PUBLICS = [
    ("tous-publics", "Tous publics", True),
    ("jeunes", "Jeunes", True),
    ("jeunes-16-25", "Jeunes de 16 à 25 ans", False),
    ("familles", "Familles", True),
    ("seniors", "Seniors", True),
    ("femmes", "Femmes", True),
    ("demandeurs-emploi", "Demandeurs d'emploi", True),
    ("personnes-en-situation-de-handicap", "Personnes en situation de handicap", True),
    ("residents-qpv-frr", "Habitants des quartiers prioritaires", True),
    ("beneficiaires-des-minimas-sociaux", "Bénéficiaires des minima sociaux", True),
    ("personnes-exilees", "Personnes exilées", True),
    ("personnes-en-situation-durgence", "Personnes en situation d'urgence", True),
    ("etudiants", "Étudiants", True),
    ("actifs", "Actifs", True),
]


def seed(apps, schema_editor):
    Theme = apps.get_model("partners", "Theme")
    Competence = apps.get_model("partners", "Competence")
    Public = apps.get_model("partners", "Public")
    for theme_order, (slug, name, competences) in enumerate(THEMES, start=1):
        theme, _ = Theme.objects.update_or_create(
            slug=slug, defaults={"name": name, "order": theme_order * 10}
        )
        for order, (c_slug, c_name, codes) in enumerate(competences, start=1):
            Competence.objects.update_or_create(
                slug=c_slug,
                defaults={"theme": theme, "name": c_name, "order": order, "di_thematiques": codes},
            )
    for order, (slug, name, is_di) in enumerate(PUBLICS, start=1):
        Public.objects.update_or_create(
            slug=slug, defaults={"name": name, "order": order, "is_data_inclusion": is_di}
        )


class Migration(migrations.Migration):
    dependencies = [("partners", "0002_search_postgresql")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
