"""Demo data of the directory: about sixty showcase actors, and generated volume.

``seed_actors`` is the ``seed_demo`` step: fictitious but realistic actors of
Grand Chambéry's contrat de ville, restored to the same state on every run.
``seed_many`` backs ``seed_demo --actors N``: deterministic generated actors
for load tests, written with bulk inserts.

Everything here is fiction: phone numbers are in the range ARCEP reserves for
fiction (01 99 00 xx xx), e-mail addresses end in .test or example.org, people
are invented, SIRET numbers use an artificial SIREN (999…).
"""

import datetime
import random
from collections.abc import Callable
from dataclasses import dataclass

import shapely
from django.db import connection, transaction
from django.db.models.functions import Length
from django.utils import timezone
from django.utils.text import slugify
from shapely.geometry import shape

from contract.demo import demo_actor_priorities, priorities_by_slug
from contrat_ville.enums import TerritoryKind
from contrat_ville.models import Territory, User
from neighbourhoods import reference
from neighbourhoods.selectors import locate_many

from .enums import (
    ActorKind,
    ActorStatus,
    GovernanceBody,
    JoinRequestKind,
    JoinRequestStatus,
    LocationSource,
    MembershipRole,
    UpdateFrequency,
)
from .models import (
    Actor,
    ActorGovernanceBody,
    Competence,
    ContactPerson,
    JoinRequest,
    Membership,
    Public,
    SearchTerm,
)
from .services import actor_create, actor_search_index, actors_points_set, add_months

BB, HC, CH, GC = "biollay-bellevue", "hauts-de-chambery", "chambery", "grand-chambery"
K = ActorKind
B = GovernanceBody
FICTION_PHONE_PREFIX = "01 99 00 "  # ARCEP's range for works of fiction


@dataclass(frozen=True)
class DemoActor:
    slug: str
    name: str
    kind: str
    summary: str
    description: str
    territories: tuple[str, ...]
    competences: tuple[str, ...]
    publics: tuple[str, ...]
    address: str = ""
    phone: str = ""
    email: str = ""
    website: str = ""
    opening_hours: str = ""
    accessibility: str = ""
    siret: str = ""
    bodies: tuple[str, ...] = ()
    status: str = ActorStatus.PUBLISHED
    # Days since the profile was last confirmed; past the update frequency makes it stale.
    # None: a recent date, spread over the last months.
    verified_days_ago: int | None = None
    update_frequency: int = UpdateFrequency.YEARLY
    # (name, function); e-mail and phone are derived so they stay fictitious.
    contacts: tuple[tuple[str, str], ...] = ()


WEEKDAYS = "Du lundi au vendredi, de 9 h à 12 h et de 14 h à 17 h."
STEP_FREE = "Locaux de plain-pied, accessibles en fauteuil roulant."

DEMO_ACTORS: tuple[DemoActor, ...] = (
    # -- associations ------------------------------------------------------------
    DemoActor(
        "maison-des-jeunes-du-biollay",
        "Maison des jeunes du Biollay",
        K.ASSOCIATION,
        "Accueil libre, sorties et projets portés par les jeunes du Biollay et de Bellevue.",
        "L'association accueille les 11-25 ans après l'école, le mercredi et pendant les "
        "vacances. Les animateurs accompagnent les projets des jeunes (séjours, chantiers, "
        "festival de quartier) et orientent vers les partenaires de l'emploi et de la santé.",
        (BB,),
        ("accueil-jeunes", "information-jeunesse", "pratique-culturelle"),
        ("jeunes", "jeunes-16-25"),
        address="12 rue du Biollay",
        phone="01 99 00 10 01",
        email="accueil@mj-biollay.test",
        website="https://mj-biollay.example.org",
        opening_hours=(
            "Du mardi au vendredi, de 16 h à 19 h ; mercredi et vacances, de 13 h 30 à 18 h 30."
        ),
        accessibility=STEP_FREE,
        contacts=(("Yasmine Haddou", "Coordinatrice"), ("Bruno Ferrand", "Animateur jeunesse")),
    ),
    DemoActor(
        "les-foulees-de-bellevue",
        "Les Foulées de Bellevue",
        K.ASSOCIATION,
        "Club de course à pied et de multisport ouvert aux familles de Bellevue.",
        "Entraînements gratuits deux soirs par semaine au stade, sorties en montagne le "
        "week-end et participation aux courses de l'agglomération, avec un groupe réservé "
        "aux femmes.",
        (BB,),
        ("pratique-sportive", "accueil-jeunes"),
        ("jeunes", "familles", "femmes"),
        phone="01 99 00 10 02",
        email="contact@foulees-bellevue.test",
    ),
    DemoActor(
        "boxe-educative-des-hauts",
        "Boxe éducative des Hauts",
        K.ASSOCIATION,
        "Boxe éducative et remise en forme pour les 8-25 ans des Hauts de Chambéry.",
        "Le club utilise le sport comme support éducatif : respect des règles, maîtrise de "
        "soi, accompagnement scolaire pour les licenciés et liens avec la prévention "
        "spécialisée.",
        (HC,),
        ("pratique-sportive", "prevention-delinquance", "accompagnement-scolarite"),
        ("jeunes",),
        address="Gymnase du Forum, place du Forum",
        phone="01 99 00 10 03",
        email="club@boxe-hauts.test",
        bodies=(B.COMMISSION_POLITIQUE_VILLE,),
        contacts=(("Samir Belkacem", "Entraîneur et président"),),
    ),
    DemoActor(
        "les-treteaux-du-forum",
        "Compagnie Les Tréteaux du Forum",
        K.ASSOCIATION,
        "Compagnie de théâtre qui crée des spectacles avec les habitants.",
        "Ateliers de théâtre pour enfants et adultes, résidences d'artistes dans les écoles "
        "et spectacles joués au pied des immeubles chaque été.",
        (HC, CH),
        ("pratique-culturelle", "participation-habitants"),
        ("tous-publics", "residents-qpv-frr"),
        phone="01 99 00 10 04",
        email="bonjour@treteaux-forum.test",
        website="https://treteaux-forum.example.org",
    ),
    DemoActor(
        "mots-partages",
        "Mots partagés",
        K.ASSOCIATION,
        "Ateliers de français et accompagnement scolaire, animés par des bénévoles.",
        "Cours de français langue étrangère pour adultes, aide aux devoirs pour les enfants "
        "et ateliers de conversation, avec une garderie pendant les cours des parents.",
        (BB, HC),
        ("francais-langue-etrangere", "accompagnement-scolarite"),
        ("personnes-exilees", "familles"),
        address="3 rue des Écoles",
        phone="01 99 00 10 05",
        email="ateliers@mots-partages.test",
        opening_hours="Lundi, mardi et jeudi, de 9 h à 11 h 30 et de 17 h à 19 h.",
        contacts=(("Claire Dumas", "Coordinatrice des bénévoles"),),
    ),
    DemoActor(
        "collectif-elles-des-hauts",
        "Collectif Elles des Hauts",
        K.ASSOCIATION,
        "Écoute, information sur les droits et groupes de parole pour les femmes.",
        "Permanences d'accueil sans rendez-vous, accompagnement des femmes victimes de "
        "violences vers les services spécialisés et actions de sensibilisation à l'égalité.",
        (HC,),
        ("lutte-discriminations", "droits-sociaux", "aide-juridique"),
        ("femmes",),
        phone="01 99 00 10 06",
        email="ecoute@elles-des-hauts.test",
        opening_hours="Mardi et vendredi, de 14 h à 17 h.",
        contacts=(("Leïla Amrani", "Chargée d'accueil"),),
    ),
    DemoActor(
        "paroles-de-femmes-du-biollay",
        "Paroles de femmes du Biollay",
        K.ASSOCIATION,
        "Rencontres, sorties et soutien entre mères de famille du Biollay.",
        "Café des parents chaque semaine, sorties familiales et ateliers autour de la "
        "parentalité, construits avec les habitantes.",
        (BB,),
        ("parentalite", "lutte-discriminations", "vie-associative"),
        ("femmes", "familles"),
        phone="01 99 00 10 07",
        email="contact@paroles-femmes.test",
    ),
    DemoActor(
        "connect-quartiers",
        "Connect'Quartiers",
        K.ASSOCIATION,
        "Médiation numérique : ateliers, aide aux démarches en ligne et prêt d'ordinateurs.",
        "Des médiateurs numériques tiennent des permanences dans les quartiers pour aider à "
        "créer une adresse e-mail, déclarer ses revenus ou suivre la scolarité des enfants "
        "en ligne.",
        (BB, HC),
        ("mediation-numerique", "demarches-en-ligne"),
        ("tous-publics", "seniors"),
        address="8 avenue de Bellevue",
        phone="01 99 00 10 08",
        email="aide@connect-quartiers.test",
        website="https://connect-quartiers.example.org",
        opening_hours=WEEKDAYS,
        accessibility=STEP_FREE,
        siret="99900011100016",
        contacts=(("Julien Morel", "Médiateur numérique"),),
    ),
    DemoActor(
        "clic-solidaire",
        "Clic solidaire",
        K.ASSOCIATION,
        "Reconditionnement d'ordinateurs pour les familles (activité arrêtée).",
        "L'association récupérait le matériel informatique des entreprises pour l'équiper "
        "de logiciels libres et le confier aux familles. Elle a cessé son activité.",
        (GC,),
        ("mediation-numerique", "vie-associative"),
        ("familles",),
        email="contact@clic-solidaire.test",
        status=ActorStatus.ARCHIVED,
        verified_days_ago=500,
    ),
    DemoActor(
        "epicerie-solidaire-la-corbeille",
        "Épicerie solidaire La Corbeille",
        K.ASSOCIATION,
        "Aide alimentaire à petits prix et ateliers cuisine, sur orientation sociale.",
        "Les familles orientées par un travailleur social y font leurs courses à 10 à 30 % "
        "du prix habituel pendant quelques mois, le temps de réaliser un projet "
        "(rembourser une dette, financer un permis).",
        (BB, CH),
        ("droits-sociaux", "vie-associative"),
        ("beneficiaires-des-minimas-sociaux", "familles"),
        address="21 rue de la Banque",
        phone="01 99 00 10 09",
        email="epicerie@corbeille.test",
        opening_hours="Mardi et jeudi, de 14 h à 18 h ; samedi de 9 h à 12 h.",
        contacts=(("Martine Rey", "Responsable de l'épicerie"),),
    ),
    DemoActor(
        "repas-partages-de-bellevue",
        "Collectif Repas partagés de Bellevue",
        K.ASSOCIATION,
        "Repas chauds et conviviaux chaque vendredi, préparés par des habitants bénévoles.",
        "Le collectif cuisine avec les invendus des commerces du quartier et accueille "
        "toutes les personnes isolées ou en difficulté, sans condition.",
        (BB,),
        ("vie-associative", "participation-habitants"),
        ("personnes-en-situation-durgence", "seniors"),
        email="repas@bellevue-solidaire.test",
    ),
    DemoActor(
        "mediateurs-des-hauts",
        "Médiateurs des Hauts",
        K.ASSOCIATION,
        "Médiation sociale de jour et de soirée dans l'espace public des Hauts de Chambéry.",
        "Les médiateurs vont au-devant des habitants, apaisent les conflits de voisinage, "
        "signalent les dysfonctionnements au bailleur et orientent vers les services.",
        (HC,),
        ("mediation-sociale", "prevention-delinquance", "gestion-urbaine-proximite"),
        ("tous-publics", "residents-qpv-frr"),
        phone="01 99 00 10 12",
        email="mediation@mediateurs-hauts.test",
        bodies=(B.COTECH,),
        contacts=(("Omar Cherif", "Chef d'équipe de médiation"),),
    ),
    DemoActor(
        "prevention-specialisee-bassin-chamberien",
        "Association de prévention spécialisée du bassin chambérien",
        K.ASSOCIATION,
        "Éducateurs de rue auprès des jeunes en rupture, de 11 à 25 ans.",
        "Présence éducative dans la rue, accompagnement individuel sans mandat, chantiers "
        "éducatifs rémunérés et travail avec les familles.",
        (BB, HC, CH),
        ("prevention-specialisee", "insertion-16-25", "accueil-jeunes"),
        ("jeunes", "jeunes-16-25"),
        address="5 rue Sommeiller",
        phone="01 99 00 10 13",
        email="equipe@prevention-bassin.test",
        bodies=(B.COTECH,),
        contacts=(("Nicolas Perrin", "Chef de service éducatif"),),
    ),
    DemoActor(
        "les-cartables-du-biollay",
        "Les Cartables du Biollay",
        K.ASSOCIATION,
        "Accompagnement à la scolarité du CP à la 3e, avec les parents.",
        "Des bénévoles et des étudiants aident les enfants à faire leurs devoirs quatre "
        "soirs par semaine ; les parents sont invités à des rencontres avec les enseignants.",
        (BB,),
        ("accompagnement-scolarite", "parentalite"),
        ("jeunes", "familles"),
        phone="01 99 00 10 14",
        email="cartables@biollay-asso.test",
    ),
    DemoActor(
        "velo-pour-tous-chambery",
        "Vélo pour tous Chambéry",
        K.ASSOCIATION,
        "Apprendre à faire du vélo, réparer le sien et se déplacer pour aller travailler.",
        "Vélo-école pour adultes, atelier de réparation participatif et prêt de vélos pour "
        "les personnes qui reprennent un emploi ou une formation.",
        (CH, GC),
        ("accompagnement-mobilite", "accompagnement-emploi"),
        ("demandeurs-emploi", "tous-publics"),
        address="40 avenue de Lyon",
        phone="01 99 00 10 15",
        email="atelier@velo-pour-tous.test",
        verified_days_ago=500,
    ),
    DemoActor(
        "cap-permis",
        "Auto-école sociale Cap Permis",
        K.ASSOCIATION,
        "Permis B accompagné et adapté pour les personnes en insertion.",
        "Code et conduite avec des moniteurs formés à la pédagogie adaptée, financement "
        "possible par les partenaires de l'emploi ; priorité aux habitants des quartiers.",
        (GC,),
        ("permis-conduire", "accompagnement-mobilite"),
        ("demandeurs-emploi", "jeunes-16-25"),
        address="15 rue Pierre et Marie Curie",
        phone="01 99 00 10 16",
        email="inscription@cap-permis.test",
        siret="99900022200011",
    ),
    DemoActor(
        "jardins-partages-du-forum",
        "Jardins partagés du Forum",
        K.ASSOCIATION,
        "Parcelles de jardin cultivées ensemble au pied des immeubles.",
        "Les habitants jardinent, compostent et organisent des fêtes de saison ; les "
        "écoles et le centre social y tiennent des ateliers.",
        (HC,),
        ("participation-habitants", "gestion-urbaine-proximite"),
        ("tous-publics", "residents-qpv-frr"),
        email="jardins@forum-asso.test",
        verified_days_ago=130,
        update_frequency=UpdateFrequency.QUARTERLY,
    ),
    DemoActor(
        "amicale-des-locataires-de-bellevue",
        "Amicale des locataires de Bellevue",
        K.ASSOCIATION,
        "Représente les locataires auprès du bailleur et informe sur les charges.",
        "Permanences mensuelles, accompagnement des réclamations, participation aux "
        "réunions du projet de renouvellement urbain.",
        (BB,),
        ("logement", "participation-habitants"),
        ("residents-qpv-frr", "familles"),
        phone="01 99 00 10 18",
        email="amicale@locataires-bellevue.test",
        verified_days_ago=600,
    ),
    DemoActor(
        "terre-d-accueil-chambery",
        "Terre d'accueil Chambéry",
        K.ASSOCIATION,
        "Accueil, hébergement solidaire et démarches pour les personnes exilées.",
        "Accompagnement dans les démarches de titre de séjour, cours de français, réseau de "
        "familles qui hébergent, sorties culturelles.",
        (GC,),
        ("francais-langue-etrangere", "demarches-administratives", "hebergement"),
        ("personnes-exilees",),
        phone="01 99 00 10 19",
        email="accueil@terre-accueil.test",
        contacts=(("Hélène Vidal", "Présidente"), ("Moussa Diallo", "Coordinateur")),
    ),
    DemoActor(
        "musiques-des-hauts",
        "Musiques des Hauts",
        K.ASSOCIATION,
        "Studio de répétition et ateliers de musique assistée par ordinateur.",
        "Projet d'association de jeunes musiciens des Hauts de Chambéry, proposé à "
        "l'annuaire et en attente de validation.",
        (HC,),
        ("pratique-culturelle", "accueil-jeunes"),
        ("jeunes", "jeunes-16-25"),
        email="studio@musiques-hauts.test",
        status=ActorStatus.PENDING,
        verified_days_ago=3,
    ),
    DemoActor(
        "collectif-des-parents-du-biollay",
        "Collectif des parents du Biollay",
        K.ASSOCIATION,
        "Parents qui s'organisent pour les sorties d'école et les loisirs des enfants.",
        "Collectif proposé à l'annuaire par une habitante, en attente de validation.",
        (BB,),
        ("parentalite", "participation-habitants"),
        ("familles",),
        email="parents@biollay-collectif.test",
        status=ActorStatus.PENDING,
        verified_days_ago=5,
    ),
    DemoActor(
        "fc-hauts-de-chambery",
        "Football club des Hauts de Chambéry",
        K.ASSOCIATION,
        "Club de football (fusionné avec un autre club, fiche archivée).",
        "Le club a rejoint un club voisin ; cette fiche est conservée pour l'historique.",
        (HC,),
        ("pratique-sportive", "accueil-jeunes"),
        ("jeunes",),
        status=ActorStatus.ARCHIVED,
        verified_days_ago=400,
    ),
    DemoActor(
        "sport-et-handicap-savoie",
        "Sport et handicap Savoie",
        K.ASSOCIATION,
        "Activités sportives adaptées pour les personnes en situation de handicap.",
        "Basket fauteuil, natation et randonnée adaptée, avec du matériel prêté et des "
        "éducateurs diplômés ; sensibilisation dans les écoles.",
        (GC,),
        ("pratique-sportive", "lutte-discriminations"),
        ("personnes-en-situation-de-handicap", "jeunes"),
        phone="01 99 00 10 23",
        email="contact@sport-handicap.test",
        accessibility=STEP_FREE,
    ),
    # -- State services ------------------------------------------------------------
    DemoActor(
        "delegation-du-prefet",
        "Délégation du préfet pour la politique de la ville",
        K.STATE_SERVICE,
        "Représente l'État dans les quartiers prioritaires et coordonne ses services.",
        "Les délégués du préfet suivent les projets financés par l'État, animent le "
        "partenariat avec les associations et font remonter les besoins des quartiers.",
        (BB, HC, GC),
        ("participation-habitants", "projet-renouvellement-urbain", "prevention-delinquance"),
        ("residents-qpv-frr",),
        phone="01 99 00 20 01",
        email="delegues@prefecture-demo.test",
        bodies=(B.COPIL, B.COTECH, B.COMMISSION_POLITIQUE_VILLE),
    ),
    DemoActor(
        "ddets-savoie",
        "Direction départementale de l'emploi, du travail et des solidarités",
        K.STATE_SERVICE,
        "Service de l'État pour l'emploi, l'insertion et les solidarités.",
        "Finance et conventionne les structures d'insertion par l'activité économique, "
        "pilote les dispositifs d'emploi et l'hébergement d'urgence.",
        (GC,),
        ("accompagnement-emploi", "iae", "hebergement"),
        ("demandeurs-emploi", "personnes-en-situation-durgence"),
        phone="01 99 00 20 02",
        email="contact@ddets-demo.test",
        bodies=(B.COTECH, B.COMMISSION_EMPLOI_INSERTION),
    ),
    DemoActor(
        "delegation-cohesion-police-population",
        "Délégation cohésion police-population",
        K.STATE_SERVICE,
        "Lien entre la police nationale, les habitants, les commerçants et les associations.",
        "Permanences dans les quartiers, interventions dans les collèges et participation "
        "aux cellules de veille de la prévention de la délinquance.",
        (BB, HC),
        ("prevention-delinquance", "mediation-sociale"),
        ("tous-publics",),
        phone="01 99 00 20 03",
        email="cohesion@police-demo.test",
    ),
    DemoActor(
        "spip-savoie",
        "Service pénitentiaire d'insertion et de probation",
        K.STATE_SERVICE,
        "Accompagne les personnes placées sous main de justice vers l'insertion.",
        "Suivi des mesures en milieu ouvert, travaux d'intérêt général accueillis par les "
        "collectivités et les associations, partenariats pour l'emploi et le logement.",
        (GC,),
        ("prevention-delinquance", "accompagnement-emploi"),
        ("actifs", "jeunes-16-25"),
        phone="01 99 00 20 04",
        email="spip@justice-demo.test",
    ),
    DemoActor(
        "education-nationale-quartiers",
        "Éducation nationale — mission quartiers",
        K.STATE_SERVICE,
        "Coordination des écoles et collèges des quartiers prioritaires.",
        "Réseau d'éducation prioritaire, dispositifs contre le décrochage et liens avec le "
        "programme de réussite éducative.",
        (BB, HC),
        ("decrochage-scolaire", "accompagnement-scolarite"),
        ("jeunes", "familles"),
        phone="01 99 00 20 05",
        email="rep@education-demo.test",
        bodies=(B.COTECH,),
        verified_days_ago=420,
    ),
    # -- local authority services --------------------------------------------------
    DemoActor(
        "ccas-de-chambery",
        "Centre communal d'action sociale de Chambéry",
        K.LOCAL_AUTHORITY,
        "Aides sociales de la commune, domiciliation et accompagnement des seniors.",
        "Instruction des demandes d'aide, accueil sans rendez-vous, portage de repas et "
        "lutte contre l'isolement des personnes âgées.",
        (CH,),
        ("droits-sociaux", "demarches-administratives", "hebergement"),
        ("seniors", "beneficiaires-des-minimas-sociaux"),
        address="Place du Palais de Justice",
        phone="01 99 00 30 01",
        email="accueil@ccas-demo.test",
        opening_hours=WEEKDAYS,
        accessibility=STEP_FREE,
        bodies=(B.COTECH,),
        contacts=(("Isabelle Garnier", "Directrice adjointe"),),
    ),
    DemoActor(
        "service-politique-de-la-ville",
        "Service politique de la ville de Grand Chambéry",
        K.LOCAL_AUTHORITY,
        "Pilote le contrat de ville et l'appel à projets annuel.",
        "Le service anime le partenariat, instruit l'appel à projets, accompagne les "
        "conseils citoyens et organise la rencontre annuelle des partenaires.",
        (GC, BB, HC),
        ("participation-habitants", "vie-associative", "projet-renouvellement-urbain"),
        ("residents-qpv-frr", "tous-publics"),
        phone="01 99 00 30 02",
        email="politique-ville@grandchambery-demo.test",
        bodies=(B.COPIL, B.COTECH, B.COMMISSION_POLITIQUE_VILLE),
        contacts=(
            ("Aurélie Blanc", "Cheffe de projet contrat de ville"),
            ("Mehdi Saïdi", "Chargé de mission appel à projets"),
        ),
    ),
    DemoActor(
        "direction-renouvellement-urbain",
        "Direction du renouvellement urbain",
        K.LOCAL_AUTHORITY,
        "Conduit les projets de renouvellement urbain des quartiers prioritaires.",
        "Démolitions, réhabilitations et nouveaux équipements, concertation avec les "
        "habitants et suivi du relogement avec les bailleurs.",
        (BB, HC),
        ("projet-renouvellement-urbain", "relogement", "participation-habitants"),
        ("residents-qpv-frr",),
        phone="01 99 00 30 03",
        email="renouvellement@grandchambery-demo.test",
        bodies=(B.COTECH, B.COMMISSION_RENOUVELLEMENT_URBAIN),
    ),
    DemoActor(
        "programme-reussite-educative",
        "Programme de réussite éducative de Chambéry",
        K.LOCAL_AUTHORITY,
        "Parcours individuels pour les enfants de 2 à 16 ans qui rencontrent des difficultés.",
        "Une équipe pluridisciplinaire construit avec la famille un parcours sur mesure : "
        "soutien scolaire, santé, loisirs, aide à la parentalité.",
        (BB, HC),
        ("accompagnement-scolarite", "parentalite", "decrochage-scolaire"),
        ("jeunes", "familles"),
        phone="01 99 00 30 04",
        email="pre@ville-demo.test",
        contacts=(("Sandrine Collet", "Coordinatrice du programme"),),
    ),
    DemoActor(
        "service-jeunesse-chambery",
        "Service jeunesse de la ville de Chambéry",
        K.LOCAL_AUTHORITY,
        "Information jeunesse, aides aux projets et accueils de loisirs.",
        "Point information jeunesse, bourses aux projets des 16-25 ans, chantiers jeunes "
        "pendant les vacances et accueils de loisirs dans les quartiers.",
        (CH,),
        ("information-jeunesse", "accueil-jeunes", "insertion-16-25"),
        ("jeunes", "jeunes-16-25", "etudiants"),
        phone="01 99 00 30 05",
        email="jeunesse@ville-demo.test",
        opening_hours=WEEKDAYS,
    ),
    DemoActor(
        "france-services-des-hauts",
        "Maison France services des Hauts",
        K.LOCAL_AUTHORITY,
        "Un seul guichet pour les démarches : impôts, CAF, retraite, titres, santé.",
        "Deux conseillers accompagnent les démarches administratives et en ligne, avec des "
        "permanences de partenaires sur rendez-vous.",
        (HC,),
        ("demarches-administratives", "demarches-en-ligne", "droits-sociaux"),
        ("tous-publics", "seniors"),
        address="Place du Forum",
        phone="01 99 00 30 06",
        email="france-services@ville-demo.test",
        opening_hours=WEEKDAYS,
        accessibility=STEP_FREE,
    ),
    DemoActor(
        "maison-sociale-departement",
        "Maison sociale du Département, antenne de Chambéry",
        K.LOCAL_AUTHORITY,
        "Service social départemental, protection de l'enfance et insertion.",
        "Assistants sociaux, accompagnement des bénéficiaires du RSA et soutien aux "
        "familles, sur rendez-vous.",
        (CH, GC),
        ("droits-sociaux", "parentalite", "accompagnement-emploi"),
        ("familles", "beneficiaires-des-minimas-sociaux"),
        phone="01 99 00 30 07",
        email="msd-chambery@departement-demo.test",
        bodies=(B.COTECH,),
    ),
    # -- social landlords -------------------------------------------------------------
    DemoActor(
        "office-public-habitat",
        "Office public de l'habitat de l'agglomération",
        K.SOCIAL_LANDLORD,
        "Premier bailleur social des quartiers : logement, entretien et relogement.",
        "Gestion de proximité avec des gardiens dans chaque résidence, accompagnement des "
        "locataires relogés pendant le renouvellement urbain.",
        (BB, HC),
        ("logement", "gestion-urbaine-proximite", "relogement"),
        ("residents-qpv-frr", "familles"),
        address="2 place Monge",
        phone="01 99 00 40 01",
        email="locataires@oph-demo.test",
        opening_hours=WEEKDAYS,
        bodies=(B.COTECH, B.COMMISSION_RENOUVELLEMENT_URBAIN),
        contacts=(("Philippe Guillot", "Responsable de la gestion de proximité"),),
    ),
    DemoActor(
        "societe-hlm-pays-de-savoie",
        "Société d'HLM des Pays de Savoie",
        K.SOCIAL_LANDLORD,
        "Logements sociaux dans les Hauts de Chambéry et le centre-ville.",
        "Attribution de logements, accompagnement des locataires en difficulté de "
        "paiement et projets de résidentialisation.",
        (HC, CH),
        ("logement", "gestion-urbaine-proximite"),
        ("familles", "seniors"),
        phone="01 99 00 40 02",
        email="contact@hlm-savoie-demo.test",
    ),
    DemoActor(
        "cooperative-habitat-social",
        "Coopérative d'habitat social",
        K.SOCIAL_LANDLORD,
        "Accession sociale à la propriété et location-accession.",
        "Accompagne les ménages aux revenus modestes qui veulent devenir propriétaires, "
        "notamment dans les nouveaux programmes des quartiers renouvelés.",
        (GC,),
        ("logement", "projet-renouvellement-urbain"),
        ("familles", "actifs"),
        email="accession@coop-habitat.test",
        verified_days_ago=420,
    ),
    # -- employment and integration ----------------------------------------------------
    DemoActor(
        "mission-locale-jeunes",
        "Mission locale jeunes de Chambéry",
        K.EMPLOYMENT,
        "Accompagne les 16-25 ans vers l'emploi, la formation, le logement et la santé.",
        "Un conseiller référent suit chaque jeune : orientation, contrat d'engagement "
        "jeune, aides à la mobilité et au permis, permanences dans les quartiers.",
        (GC, BB, HC),
        ("insertion-16-25", "accompagnement-emploi", "formation", "permis-conduire"),
        ("jeunes-16-25",),
        address="10 rue Jean Jaurès",
        phone="01 99 00 50 01",
        email="accueil@ml-demo.test",
        website="https://mission-locale.example.org",
        opening_hours=WEEKDAYS,
        accessibility=STEP_FREE,
        bodies=(B.COMMISSION_EMPLOI_INSERTION, B.COTECH),
        contacts=(("Karima Bensaïd", "Conseillère en insertion"),),
    ),
    DemoActor(
        "france-travail-chambery",
        "France Travail Chambéry",
        K.EMPLOYMENT,
        "Inscription, indemnisation et accompagnement des demandeurs d'emploi.",
        "Conseillers dédiés aux habitants des quartiers prioritaires, ateliers de "
        "recherche d'emploi et rencontres avec les entreprises qui recrutent.",
        (GC,),
        ("accompagnement-emploi", "formation"),
        ("demandeurs-emploi", "actifs"),
        phone="01 99 00 50 02",
        email="chambery@francetravail-demo.test",
        opening_hours="Du lundi au vendredi, de 8 h 30 à 12 h 30 ; après-midi sur rendez-vous.",
        bodies=(B.COMMISSION_EMPLOI_INSERTION, B.COTECH),
    ),
    DemoActor(
        "plie-du-bassin",
        "Plan local pour l'insertion et l'emploi du bassin chambérien",
        K.EMPLOYMENT,
        "Parcours renforcés vers l'emploi pour les personnes qui en sont le plus éloignées.",
        "Un référent unique, des étapes de formation et de travail en insertion, un suivi "
        "six mois après le retour à l'emploi.",
        (GC,),
        ("accompagnement-emploi", "iae", "formation"),
        ("demandeurs-emploi", "beneficiaires-des-minimas-sociaux"),
        phone="01 99 00 50 03",
        email="plie@insertion-demo.test",
        bodies=(B.COMMISSION_EMPLOI_INSERTION,),
    ),
    DemoActor(
        "cap-emploi-savoie",
        "Cap emploi Savoie",
        K.EMPLOYMENT,
        "Emploi et maintien dans l'emploi des personnes en situation de handicap.",
        "Accompagnement des personnes reconnues travailleurs handicapés et conseil aux "
        "employeurs pour adapter les postes.",
        (GC,),
        ("accompagnement-emploi", "formation"),
        ("personnes-en-situation-de-handicap", "demandeurs-emploi"),
        phone="01 99 00 50 04",
        email="contact@capemploi-demo.test",
        verified_days_ago=800,
        update_frequency=UpdateFrequency.TWO_YEARS,
    ),
    DemoActor(
        "couveuse-entreprises-quartiers",
        "Couveuse d'entreprises des quartiers",
        K.EMPLOYMENT,
        "Tester son projet d'entreprise avant de se lancer, accompagné et assuré.",
        "Permanences de conseillers à la création dans les quartiers, formation à la "
        "gestion et mise en réseau avec les banques et le microcrédit.",
        (BB, HC),
        ("creation-activite", "accompagnement-emploi"),
        ("demandeurs-emploi", "femmes"),
        phone="01 99 00 50 05",
        email="creer@couveuse-demo.test",
        contacts=(("Thierry Lambert", "Chargé d'accompagnement"),),
    ),
    # -- schools -------------------------------------------------------------------------
    DemoActor(
        "college-des-hauts-de-chambery",
        "Collège des Hauts de Chambéry",
        K.SCHOOL,
        "Collège de l'éducation prioritaire, avec une classe de 6e en horaires aménagés sport.",
        "Dispositif « devoirs faits », partenariats culturels et ouverture de l'établissement "
        "aux parents le samedi matin.",
        (HC,),
        ("decrochage-scolaire", "accompagnement-scolarite", "parentalite"),
        ("jeunes", "familles"),
        phone="01 99 00 60 01",
        email="secretariat@college-hauts.test",
        contacts=(("Valérie Roux", "Principale adjointe"),),
    ),
    DemoActor(
        "college-de-bellevue",
        "Collège de Bellevue",
        K.SCHOOL,
        "Collège du quartier de Bellevue, partenaire des associations sportives et culturelles.",
        "Classe relais contre le décrochage, atelier théâtre avec une compagnie et "
        "permanences de l'assistante sociale scolaire.",
        (BB,),
        ("decrochage-scolaire", "pratique-culturelle"),
        ("jeunes",),
        phone="01 99 00 60 02",
        email="secretariat@college-bellevue.test",
    ),
    DemoActor(
        "lycee-professionnel-batiment-services",
        "Lycée professionnel des métiers du bâtiment et des services",
        K.SCHOOL,
        "CAP et bacs professionnels, avec des places pour les jeunes en reprise d'études.",
        "Le lycée accueille en cours d'année des jeunes repérés par la mission locale et "
        "propose des stages dans les entreprises partenaires.",
        (GC,),
        ("formation", "decrochage-scolaire", "insertion-16-25"),
        ("jeunes-16-25",),
        phone="01 99 00 60 03",
        email="ce@lp-batiment.test",
    ),
    DemoActor(
        "ecole-elementaire-du-biollay",
        "École élémentaire du Biollay",
        K.SCHOOL,
        "École du quartier, classes dédoublées en CP et CE1.",
        "Café des parents le vendredi matin, projets avec la bibliothèque et le centre social.",
        (BB,),
        ("accompagnement-scolarite", "parentalite"),
        ("familles",),
        phone="01 99 00 60 04",
        email="ecole.biollay@education-demo.test",
    ),
    # -- social centres and MJC -----------------------------------------------------------
    DemoActor(
        "centre-social-du-biollay",
        "Centre social du Biollay",
        K.SOCIAL_CENTRE,
        "Accueil des habitants, activités familles, accueil de loisirs et projets collectifs.",
        "Le centre social soutient les initiatives des habitants, organise les sorties "
        "familles, les ateliers parents-enfants et l'accueil de loisirs du mercredi.",
        (BB,),
        ("parentalite", "accueil-jeunes", "participation-habitants"),
        ("familles", "residents-qpv-frr"),
        address="1 rue du Biollay",
        phone="01 99 00 70 01",
        email="accueil@cs-biollay.test",
        opening_hours=WEEKDAYS,
        accessibility=STEP_FREE,
        contacts=(("Nathalie Fournier", "Directrice"), ("Rachid Meziane", "Référent familles")),
    ),
    DemoActor(
        "centre-social-des-hauts",
        "Centre social des Hauts de Chambéry",
        K.SOCIAL_CENTRE,
        "Lieu de rencontre du quartier : familles, numérique, vie associative.",
        "Ateliers numériques, soutien aux associations du quartier, fêtes de quartier et "
        "accompagnement des projets d'habitants.",
        (HC,),
        ("mediation-numerique", "parentalite", "vie-associative"),
        ("familles", "tous-publics"),
        address="Place du Forum",
        phone="01 99 00 70 02",
        email="accueil@cs-hauts.test",
        opening_hours=WEEKDAYS,
        accessibility=STEP_FREE,
        bodies=(B.COMMISSION_POLITIQUE_VILLE,),
        contacts=(("Pascale Bonnet", "Directrice"),),
    ),
    DemoActor(
        "mjc-de-chambery",
        "Maison des jeunes et de la culture de Chambéry",
        K.SOCIAL_CENTRE,
        "Activités culturelles et sportives, salles de concert et accompagnement de projets.",
        "Plus de quarante ateliers à l'année, un studio de musique et un accompagnement des "
        "jeunes qui montent un projet culturel.",
        (CH,),
        ("pratique-culturelle", "accueil-jeunes", "information-jeunesse"),
        ("jeunes", "tous-publics"),
        phone="01 99 00 70 03",
        email="accueil@mjc-demo.test",
        website="https://mjc.example.org",
    ),
    DemoActor(
        "maison-de-quartier-bellevue",
        "Maison de quartier de Bellevue",
        K.SOCIAL_CENTRE,
        "Espace de vie sociale : ateliers, permanences et prêt de salles aux associations.",
        "Les habitants y trouvent des permanences d'accès aux droits et d'écrivain public, "
        "et les associations des salles pour leurs activités.",
        (BB,),
        ("vie-associative", "demarches-administratives"),
        ("tous-publics",),
        phone="01 99 00 70 04",
        email="mdq@bellevue-demo.test",
    ),
    # -- health -------------------------------------------------------------------------
    DemoActor(
        "centre-de-sante-des-hauts",
        "Centre de santé des Hauts",
        K.HEALTH,
        "Médecins généralistes, infirmières et psychologue, en tiers payant.",
        "Consultations avec et sans rendez-vous, bilans de santé, accompagnement vers les "
        "droits à l'assurance maladie.",
        (HC,),
        ("acces-soins", "sante-mentale", "droits-sociaux"),
        ("tous-publics",),
        address="6 place du Forum",
        phone="01 99 00 80 01",
        email="rdv@cds-hauts.test",
        opening_hours="Du lundi au samedi, de 8 h à 19 h.",
        accessibility=STEP_FREE,
        siret="99900033300016",
    ),
    DemoActor(
        "pmi-chambery",
        "Protection maternelle et infantile, antenne de Chambéry",
        K.HEALTH,
        "Consultations gratuites pour les futurs parents et les enfants de moins de 6 ans.",
        "Puéricultrices, sages-femmes et médecins : suivi de grossesse, vaccinations, "
        "conseils aux parents, bilans en école maternelle.",
        (CH, BB),
        ("acces-soins", "parentalite"),
        ("familles",),
        phone="01 99 00 80 02",
        email="pmi@departement-demo.test",
        contacts=(("Émilie Chevalier", "Puéricultrice"),),
    ),
    DemoActor(
        "point-accueil-ecoute-jeunes",
        "Point accueil écoute jeunes",
        K.HEALTH,
        "Écoute gratuite et anonyme pour les 12-25 ans et leurs parents.",
        "Des psychologues reçoivent sans rendez-vous les jeunes en difficulté : mal-être, "
        "conflits familiaux, consommations.",
        (GC,),
        ("sante-mentale", "addictions"),
        ("jeunes-16-25", "jeunes", "familles"),
        phone="01 99 00 80 03",
        email="paej@ecoute-demo.test",
    ),
    DemoActor(
        "centre-addictologie",
        "Centre de soins en addictologie",
        K.HEALTH,
        "Accompagnement et soins des personnes ayant une conduite addictive.",
        "Consultations médicales et psychologiques, réduction des risques et interventions "
        "de prévention dans les quartiers.",
        (GC,),
        ("addictions", "acces-soins"),
        ("tous-publics", "jeunes-16-25"),
        phone="01 99 00 80 04",
        email="accueil@addicto-demo.test",
    ),
    DemoActor(
        "atelier-sante-ville",
        "Atelier santé ville",
        K.HEALTH,
        "Coordonne les actions de santé dans les quartiers prioritaires.",
        "Diagnostics de santé partagés avec les habitants, forums santé, formation des "
        "acteurs de terrain au repérage de la souffrance psychique.",
        (BB, HC),
        ("acces-soins", "sante-mentale", "participation-habitants"),
        ("residents-qpv-frr",),
        phone="01 99 00 80 05",
        email="asv@grandchambery-demo.test",
        bodies=(B.COMMISSION_POLITIQUE_VILLE,),
    ),
    # -- citizens' councils ------------------------------------------------------------
    DemoActor(
        "conseil-citoyen-biollay-bellevue",
        "Conseil citoyen Biollay - Bellevue",
        K.CITIZENS_COUNCIL,
        "Habitants et acteurs locaux qui donnent leur avis sur le contrat de ville.",
        "Le conseil citoyen se réunit chaque mois, participe au comité de pilotage et porte "
        "la parole des habitants sur le renouvellement urbain.",
        (BB,),
        ("participation-habitants", "vie-associative"),
        ("residents-qpv-frr",),
        email="conseil-citoyen@biollay-demo.test",
        bodies=(B.CONSEIL_CITOYEN, B.COPIL),
        contacts=(("Fatima Zerrouki", "Membre référente"),),
    ),
    DemoActor(
        "conseil-citoyen-hauts-de-chambery",
        "Conseil citoyen des Hauts de Chambéry",
        K.CITIZENS_COUNCIL,
        "Habitants tirés au sort et volontaires, associés aux décisions du contrat de ville.",
        "Balades urbaines, avis sur les projets financés et participation aux commissions du "
        "renouvellement urbain.",
        (HC,),
        ("participation-habitants", "projet-renouvellement-urbain"),
        ("residents-qpv-frr",),
        email="conseil-citoyen@hauts-demo.test",
        bodies=(B.CONSEIL_CITOYEN, B.COPIL, B.COMMISSION_RENOUVELLEMENT_URBAIN),
        contacts=(("Gérard Michaud", "Membre référent"),),
    ),
    # -- companies -------------------------------------------------------------------------
    DemoActor(
        "recyclerie-des-hauts",
        "Entreprise d'insertion Recyclerie des Hauts",
        K.COMPANY,
        "Collecte, réparation et revente d'objets, avec des salariés en parcours d'insertion.",
        "Vingt postes en insertion, une boutique solidaire ouverte à tous et des ateliers "
        "de réparation pour les habitants.",
        (HC,),
        ("iae", "accompagnement-emploi"),
        ("demandeurs-emploi", "tous-publics"),
        address="18 rue du Pré de l'Âne",
        phone="01 99 00 90 01",
        email="boutique@recyclerie-demo.test",
        opening_hours="Mercredi et samedi, de 10 h à 18 h.",
        bodies=(B.COMMISSION_EMPLOI_INSERTION,),
    ),
    DemoActor(
        "nettoyage-et-services",
        "Entreprise d'insertion Nettoyage et Services",
        K.COMPANY,
        "Propreté des parties communes et espaces verts, en insertion.",
        "Travaille pour les bailleurs sociaux ; chaque salarié a un accompagnement "
        "socioprofessionnel et une formation qualifiante.",
        (GC, BB),
        ("iae", "gestion-urbaine-proximite"),
        ("demandeurs-emploi",),
        phone="01 99 00 90 02",
        email="contact@nettoyage-insertion.test",
    ),
    DemoActor(
        "entreprise-adaptee-savoie",
        "Entreprise adaptée Savoie Services",
        K.COMPANY,
        "Emplois adaptés pour des travailleurs en situation de handicap.",
        "Conditionnement, numérisation de documents et entretien, avec des postes "
        "aménagés et un accompagnement vers les autres entreprises.",
        (GC,),
        ("accompagnement-emploi", "iae"),
        ("personnes-en-situation-de-handicap",),
        phone="01 99 00 90 03",
        email="recrutement@ea-savoie.test",
    ),
    DemoActor(
        "garage-solidaire-du-biollay",
        "Garage solidaire du Biollay",
        K.COMPANY,
        "Réparation de voitures à prix réduit et location pour aller travailler.",
        "Projet d'entreprise solidaire proposé à l'annuaire, en attente de validation.",
        (BB,),
        ("accompagnement-mobilite", "iae"),
        ("demandeurs-emploi",),
        email="garage@solidaire-demo.test",
        status=ActorStatus.PENDING,
        verified_days_ago=1,
    ),
    # -- others --------------------------------------------------------------------------
    DemoActor(
        "caf-accueil-chambery",
        "Caisse d'allocations familiales, accueil de Chambéry",
        K.OTHER,
        "Prestations familiales, aides au logement et accompagnement des familles.",
        "Accueil sur rendez-vous, travailleurs sociaux pour les familles qui traversent une "
        "difficulté, financement des centres sociaux et des actions parentalité.",
        (GC,),
        ("droits-sociaux", "parentalite", "logement"),
        ("familles", "beneficiaires-des-minimas-sociaux"),
        phone="01 99 00 95 01",
        email="partenaires@caf-demo.test",
        bodies=(B.COTECH,),
    ),
    DemoActor(
        "point-acces-au-droit",
        "Point d'accès au droit",
        K.OTHER,
        "Consultations juridiques gratuites et confidentielles.",
        "Avocats, conciliateurs et juristes d'associations reçoivent sur rendez-vous pour "
        "les questions de famille, logement, travail et discriminations.",
        (CH,),
        ("aide-juridique", "lutte-discriminations"),
        ("tous-publics",),
        phone="01 99 00 95 02",
        email="pad@acces-droit-demo.test",
        verified_days_ago=450,
    ),
    DemoActor(
        "centre-hebergement-reinsertion",
        "Centre d'hébergement et de réinsertion sociale",
        K.OTHER,
        "Hébergement temporaire et accompagnement vers le logement.",
        "Hébergement d'urgence et d'insertion pour personnes seules et familles, avec un "
        "accompagnement social, professionnel et vers la santé.",
        (GC,),
        ("hebergement", "logement", "droits-sociaux"),
        ("personnes-en-situation-durgence",),
        phone="01 99 00 95 03",
        email="accueil@chrs-demo.test",
        contacts=(("Laurent Picard", "Chef de service"),),
    ),
)

# Which demo accounts (contrat_ville.demo.DEMO_ACCOUNTS) belong to which actor.
DEMO_MEMBERSHIPS = (
    ("association@demo.test", "maison-des-jeunes-du-biollay", MembershipRole.ADMIN),
    ("conseil-citoyen@demo.test", "conseil-citoyen-biollay-bellevue", MembershipRole.MEMBER),
)
# A request left pending so the moderation queue has something to show.
DEMO_JOIN_REQUEST = (
    "cotech@demo.test",
    "mission-locale-jeunes",
    "Je coordonne les actions emploi du COTECH et souhaite tenir la fiche à jour.",
)


def _email_domain(spec: DemoActor) -> str:
    return spec.email.rsplit("@", 1)[1] if spec.email else "annuaire-demo.test"


def _contact_rows(actor: Actor, spec: DemoActor, index: int) -> list[ContactPerson]:
    rows = []
    for order, (name, function) in enumerate(spec.contacts):
        first, _space, last = name.partition(" ")
        rows.append(
            ContactPerson(
                actor=actor,
                order=order,
                name=name,
                function=function,
                email=f"{slugify(first)}.{slugify(last)}@{_email_domain(spec)}",
                phone=f"{FICTION_PHONE_PREFIX}{index:02d} {50 + order:02d}",
            )
        )
    return rows


def _data(spec: DemoActor) -> dict:
    data = {
        "name": spec.name,
        "kind": spec.kind,
        "summary": spec.summary,
        "description": spec.description,
        "address": spec.address,
        "postcode": "73000" if spec.address else "",
        "town": "Chambéry",
        "insee_code": "73065",
        "phone": spec.phone,
        "email": spec.email,
        "website": spec.website,
        "siret": spec.siret,
        "opening_hours": spec.opening_hours,
        "accessibility": spec.accessibility,
        "update_frequency": spec.update_frequency,
    }
    return data


def _restore(actor: Actor, spec: DemoActor, relations: dict) -> None:
    """Put an existing demo actor back in its demo state (it may have been edited)."""
    for field, value in _data(spec).items():
        setattr(actor, field, value)
    actor.status = spec.status
    actor.save()
    actor.territories.set(relations["territories"])
    actor.competences.set(relations["competences"])
    actor.publics.set(relations["publics"])
    actor.bodies.exclude(body__in=spec.bodies).delete()
    for body in spec.bodies:
        ActorGovernanceBody.objects.get_or_create(actor=actor, body=body)
    actor_search_index([actor.pk])


def _tag_priorities(actors: dict[str, Actor]) -> None:
    """The contract's demo priorities each showcase actor serves (contract/demo_data)."""
    wanted = demo_actor_priorities()
    priorities = priorities_by_slug(slug for slugs in wanted.values() for slug in slugs)
    for slug, actor in actors.items():
        actor.priorities.set([priorities[s] for s in wanted.get(slug, ()) if s in priorities])


@transaction.atomic
def seed_actors() -> str:
    """The ``seed_demo`` step: the showcase actors, their contacts and demo memberships."""
    territories = {t.slug: t for t in Territory.objects.all()}
    competences = {c.slug: c for c in Competence.objects.all()}
    publics = {p.slug: p for p in Public.objects.all()}
    existing = {a.slug: a for a in Actor.objects.filter(slug__in=[s.slug for s in DEMO_ACTORS])}
    today = timezone.localdate()
    actors = {}
    for index, spec in enumerate(DEMO_ACTORS, start=1):
        # Organisers may delete a competence or a territory: skip it rather than fail.
        relations = {
            "territories": [territories[s] for s in spec.territories if s in territories],
            "competences": [competences[s] for s in spec.competences if s in competences],
            "publics": [publics[s] for s in spec.publics if s in publics],
        }
        actor = existing.get(spec.slug)
        if actor is None:
            actor = actor_create(
                by=None,
                data=_data(spec),
                bodies=spec.bodies,
                status=spec.status,
                slug=spec.slug,
                geocode=False,  # fictitious addresses: the points are set below
                **relations,
            )
        else:
            _restore(actor, spec, relations)
        days_ago = spec.verified_days_ago
        if days_ago is None:
            days_ago = 7 + index * 37 % 180
        verified = today - datetime.timedelta(days=days_ago)
        Actor.objects.filter(pk=actor.pk).update(
            last_verified_on=verified,
            review_due_on=add_months(verified, spec.update_frequency),
        )
        actor.contacts.all().delete()
        ContactPerson.objects.bulk_create(_contact_rows(actor, spec, index))
        actors[spec.slug] = actor
    placed = _place_demo_actors(actors)
    _tag_priorities(actors)

    accounts = {
        u.email: u
        for u in User.objects.filter(
            email__in=[m[0] for m in DEMO_MEMBERSHIPS] + [DEMO_JOIN_REQUEST[0]]
        )
    }
    for email, slug, role in DEMO_MEMBERSHIPS:
        Membership.objects.update_or_create(
            actor=actors[slug], user=accounts[email], defaults={"role": role}
        )
    email, slug, message = DEMO_JOIN_REQUEST
    user, actor = accounts[email], actors[slug]
    # Back to "asked, not yet decided", whatever happened during the last demo.
    Membership.objects.filter(actor=actor, user=user).delete()
    JoinRequest.objects.filter(actor=actor, user=user).exclude(
        status=JoinRequestStatus.PENDING
    ).delete()
    JoinRequest.objects.get_or_create(
        actor=actor,
        user=user,
        status=JoinRequestStatus.PENDING,
        defaults={"kind": JoinRequestKind.JOIN, "message": message},
    )
    pending = sum(spec.status == ActorStatus.PENDING for spec in DEMO_ACTORS)
    return (
        f"{len(DEMO_ACTORS)} demo actors ({pending} pending, {placed} on the map), "
        f"{len(DEMO_MEMBERSHIPS)} memberships, 1 join request"
    )


# -- points on the map -------------------------------------------------------------------

# (lon, lat) of Chambéry's centre, and how far around it (degrees) the actors that work
# outside the QPV are placed; never inside a QPV's contour.
CITY_CENTRE = (5.9178, 45.5646)
CENTRE_SPREAD = (0.014, 0.009)
# Showcase actors left without a point, so that the map has some to say it cannot show.
UNPLACED_DEMO_ACTORS = frozenset(
    {
        "paroles-de-femmes-du-biollay",
        "terre-d-accueil-chambery",
        "spip-savoie",
        "cooperative-habitat-social",
    }
)
# Where generated actors stand (seed_demo --actors N): around the centres of Grand Chambéry's
# towns, (lon, lat, weight), a spread in degrees around each, and the share that gets a point.
GENERATED_CENTRES = (
    (5.9178, 45.5646, 40),  # Chambéry
    (5.8935, 45.5930, 8),  # Chambéry-le-Haut
    (5.9350, 45.5530, 8),  # Bassens, Saint-Alban-Leysse
    (5.8870, 45.5450, 10),  # Cognin, Jacob-Bellecombette
    (5.9400, 45.5880, 6),  # La Ravoire
    (5.8790, 45.5830, 6),  # La Motte-Servolex
    (5.9960, 45.6170, 3),  # Les Déserts, the Bauges side
    (5.8510, 45.5120, 4),  # Vimines, Saint-Cassin
    (5.9550, 45.5220, 4),  # Barberaz, Challes-les-Eaux
)
GENERATED_SPREAD = 0.012
GENERATED_PLACED_SHARE = 0.85
MAX_TRIES = 200


def _contours(territories: list[Territory]) -> dict[int, object]:
    """Each QPV's contour as a prepared shapely geometry: the stored one, else the national
    file's (a demo run before the perimeter step still places its actors inside)."""
    by_code = {qpv.code: qpv for qpv in reference.qpvs()}
    contours = {}
    for territory in territories:
        if territory.kind != TerritoryKind.QPV:
            continue
        coordinates = territory.contour
        if coordinates is None and territory.code in by_code:
            coordinates = by_code[territory.code].coordinates
        if coordinates:
            geometry = shape({"type": "MultiPolygon", "coordinates": coordinates})
            shapely.prepare(geometry)
            contours[territory.pk] = geometry
    return contours


def _inside(rng: random.Random, geometry) -> tuple[float, float]:
    """A point of ``geometry`` (lon, lat), drawn in its box until it falls inside."""
    west, south, east, north = geometry.bounds
    for _try in range(MAX_TRIES):
        lon, lat = rng.uniform(west, east), rng.uniform(south, north)
        if shapely.contains_xy(geometry, lon, lat):
            return lon, lat
    point = geometry.representative_point()
    return point.x, point.y


def _outside(rng: random.Random, centre, spread, contours: list) -> tuple[float, float]:
    """A point near ``centre`` (lon, lat) that is in no QPV."""
    lon, lat = centre
    for _try in range(MAX_TRIES):
        lon = centre[0] + rng.uniform(-spread[0], spread[0])
        lat = centre[1] + rng.uniform(-spread[1], spread[1])
        if not any(shapely.contains_xy(geometry, lon, lat) for geometry in contours):
            break
    return lon, lat


def _place_demo_actors(actors: dict[str, Actor]) -> int:
    """Deterministic points: inside the first QPV an actor works in, else in the centre of
    Chambéry but outside the QPV; a few actors stay without one."""
    territories = list(Territory.objects.all())
    contours = _contours(territories)
    slugs = {t.slug: t.pk for t in territories}
    points = {}
    for spec in DEMO_ACTORS:
        actor = actors[spec.slug]
        if spec.slug in UNPLACED_DEMO_ACTORS:
            points[actor.pk] = None
            continue
        rng = random.Random(spec.slug)  # noqa: S311 (demo data): the same point every run
        qpv = next((slugs[s] for s in spec.territories if slugs.get(s) in contours), None)
        if qpv is not None:
            lon, lat = _inside(rng, contours[qpv])
        else:
            lon, lat = _outside(rng, CITY_CENTRE, CENTRE_SPREAD, list(contours.values()))
        points[actor.pk] = (round(lat, 6), round(lon, 6))
    actors_points_set(points, source=LocationSource.MANUAL)
    return sum(point is not None for point in points.values())


# -- generated volume ------------------------------------------------------------------

GENERATED_PREFIX = "gen-"
BATCH_SIZE = 2000

# (place phrase, territory slug): names and territories agree.
PLACES = (
    ("du Biollay", BB),
    ("de Bellevue", BB),
    ("des Hauts de Chambéry", HC),
    ("de Chambéry-le-Haut", HC),
    ("du Laurier", HC),
    ("des Combes", HC),
    ("de Bissy", CH),
    ("de Mérande", CH),
    ("du Covet", CH),
    ("de Joppet", CH),
    ("du centre-ville", CH),
    ("de la Cassine", CH),
    ("du bassin chambérien", GC),
    ("de Grand Chambéry", GC),
    ("de Savoie", GC),
)
STREETS = (
    "rue du Biollay",
    "avenue de Bellevue",
    "place du Forum",
    "rue Sommeiller",
    "avenue de Lyon",
    "rue de la République",
    "rue Jean Jaurès",
    "boulevard de la Colonne",
    "rue Pierre et Marie Curie",
    "rue du Pré de l'Âne",
    "avenue des Follaz",
    "quai des Allobroges",
    "rue de la Banque",
    "place Monge",
    "rue Croix d'Or",
    "avenue du Comte Vert",
)
# Theme slug -> (weight, words used in names, publics it usually serves).
THEMES = {
    "jeunesse": (
        18,
        ("Jeunesse", "Jeunes en action", "Espace jeunes", "Loisirs jeunesse", "Passerelle jeunes"),
        ("jeunes", "jeunes-16-25"),
    ),
    "education": (
        10,
        ("Réussite éducative", "Soutien scolaire", "Parents et enfants", "Savoirs partagés"),
        ("jeunes", "familles"),
    ),
    "emploi-insertion": (
        14,
        ("Emploi solidaire", "Tremplin emploi", "Insertion et emploi", "Français pour tous"),
        ("demandeurs-emploi", "jeunes-16-25", "beneficiaires-des-minimas-sociaux"),
    ),
    "sante": (
        7,
        ("Santé pour tous", "Bien-être et santé", "Écoute et santé", "Prévention santé"),
        ("tous-publics", "jeunes-16-25", "seniors"),
    ),
    "habitat-cadre-de-vie": (
        6,
        ("Habitat solidaire", "Cadre de vie", "Logement d'abord", "Locataires solidaires"),
        ("familles", "residents-qpv-frr", "personnes-en-situation-durgence"),
    ),
    "renouvellement-urbain": (
        3,
        ("Quartier en projet", "Mémoire du quartier", "Ateliers urbains"),
        ("residents-qpv-frr",),
    ),
    "citoyennete-participation": (
        9,
        ("Vivre ensemble", "Initiatives habitantes", "Égalité des droits", "Citoyenneté"),
        ("residents-qpv-frr", "tous-publics", "femmes"),
    ),
    "culture-sport": (
        14,
        (
            "Sport et loisirs",
            "Arts et cultures",
            "Danse urbaine",
            "Football",
            "Musiques",
            "Théâtre",
        ),
        ("jeunes", "tous-publics", "familles"),
    ),
    "mobilite": (
        3,
        ("Mobilité solidaire", "Vélo solidaire", "Permis pour tous"),
        ("demandeurs-emploi", "jeunes-16-25"),
    ),
    "inclusion-numerique": (
        5,
        ("Numérique solidaire", "Clic et partage", "Ateliers numériques"),
        ("seniors", "tous-publics"),
    ),
    "acces-aux-droits": (
        6,
        ("Accès aux droits", "Droits et démarches", "Point info droits"),
        ("beneficiaires-des-minimas-sociaux", "personnes-exilees", "tous-publics"),
    ),
    "tranquillite-prevention": (
        5,
        ("Médiation", "Prévention et médiation", "Tranquillité"),
        ("jeunes", "residents-qpv-frr"),
    ),
}
# Kind -> (weight, structure words).
# Kind -> (weight, structure words). Associations add a theme word to the name
# ("Collectif Espace jeunes du Covet"); other structures say what they are.
KINDS = {
    K.ASSOCIATION: (55, ("Association", "Collectif", "Amicale", "Club", "Réseau", "Comité")),
    K.SOCIAL_CENTRE: (7, ("Maison de quartier", "Centre social", "Espace de vie sociale", "MJC")),
    K.EMPLOYMENT: (
        7,
        ("Chantier d'insertion", "Point emploi", "Plateforme insertion", "Antenne emploi"),
    ),
    K.COMPANY: (
        6,
        ("Entreprise d'insertion", "Recyclerie", "Garage solidaire", "Régie de quartier"),
    ),
    K.LOCAL_AUTHORITY: (
        6,
        ("Antenne du CCAS", "Bibliothèque municipale", "Maison France services", "Point jeunes"),
    ),
    K.SCHOOL: (5, ("Collège", "Lycée professionnel", "École élémentaire", "École maternelle")),
    K.HEALTH: (
        5,
        ("Centre de santé", "Maison de santé pluriprofessionnelle", "Point écoute santé"),
    ),
    K.STATE_SERVICE: (
        3,
        ("Permanence du délégué du préfet", "Permanence cohésion police-population"),
    ),
    K.SOCIAL_LANDLORD: (2, ("Agence HLM", "Agence de proximité du bailleur social")),
    K.CITIZENS_COUNCIL: (1, ("Collectif d'habitants", "Comité de quartier")),
    K.OTHER: (3, ("Permanence juridique", "Point d'accueil solidaire", "Fondation")),
}
SENTENCES = (
    "L'équipe accueille {public} {place}, avec et sans rendez-vous.",
    "Au programme : {competence}, avec les partenaires du quartier.",
    "Des bénévoles et des salariés vont au-devant des habitants, au pied des immeubles.",
    "Les activités sont gratuites ou à petit prix, sur simple inscription.",
    "Nous travaillons avec le centre social, la mission locale et les écoles {place}.",
    "Un accompagnement individuel est proposé à celles et ceux qui le souhaitent.",
    "Les projets sont construits avec les habitants, qui participent aux décisions.",
    "Permanences hebdomadaires et ateliers collectifs pendant les vacances scolaires.",
)
# Most profiles are kept up to date yearly; about one in eight is past its review date.
FREQUENCIES = (
    (UpdateFrequency.YEARLY, 60),
    (UpdateFrequency.HALF_YEARLY, 20),
    (UpdateFrequency.TWO_YEARS, 15),
    (UpdateFrequency.QUARTERLY, 5),
)
STATUSES = ((ActorStatus.PUBLISHED, 92), (ActorStatus.PENDING, 5), (ActorStatus.ARCHIVED, 3))
# Bodies a generated actor may sit in; the conseil citoyen seat is for citizens' councils.
GENERATED_BODIES = [b for b in GovernanceBody.values if b != GovernanceBody.CONSEIL_CITOYEN]


def _silent(_line: str) -> None:
    pass


def _next_generated_number() -> int:
    last = (
        Actor.objects.filter(slug__startswith=GENERATED_PREFIX)
        .order_by(Length("slug").desc(), "-slug")
        .values_list("slug", flat=True)
        .first()
    )
    return int(last.removeprefix(GENERATED_PREFIX)) + 1 if last else 1


class _Generator:
    """Builds generated actors and their relation rows from one seeded random stream."""

    def __init__(self, seed: int):
        self.rng = random.Random(seed)  # noqa: S311 (demo data, not secrets)
        # Points come from a stream of their own: the actors' other fields stay as they were.
        self.point_rng = random.Random(f"points-{seed}")  # noqa: S311
        self.today = timezone.localdate()
        territories = list(Territory.objects.all())
        self.territories = {t.slug: t.pk for t in territories}
        self.contours = _contours(territories)
        self.centres = [(lon, lat) for lon, lat, _weight in GENERATED_CENTRES]
        self.centre_weights = [weight for _lon, _lat, weight in GENERATED_CENTRES]
        self.competences = {}  # theme slug -> [(pk, name)]
        for c in Competence.objects.select_related("theme"):
            self.competences.setdefault(c.theme.slug, []).append((c.pk, c.name))
        self.all_competences = [c for cs in self.competences.values() for c in cs]
        self.publics = {p.slug: (p.pk, p.name) for p in Public.objects.all()}
        self.themes = [t for t in THEMES if t in self.competences]
        self.theme_weights = [THEMES[t][0] for t in self.themes]
        self.kinds = list(KINDS)
        self.kind_weights = [KINDS[k][0] for k in self.kinds]
        self.places = [p for p in PLACES if p[1] in self.territories]
        self.statuses = [s for s, _w in STATUSES]
        self.status_weights = [w for _s, w in STATUSES]
        self.frequencies = [f for f, _w in FREQUENCIES]
        self.frequency_weights = [w for _f, w in FREQUENCIES]

    def actor(self, number: int) -> tuple[Actor, list[int], list[int], list[int], list[str]]:
        rng = self.rng
        theme = rng.choices(self.themes, self.theme_weights)[0]
        _weight, theme_words, theme_publics = THEMES[theme]
        kind = rng.choices(self.kinds, self.kind_weights)[0]
        place, territory = rng.choice(self.places)

        own = self.competences[theme]
        competences = rng.sample(own, k=min(len(own), rng.randint(1, 2)))
        for extra in rng.sample(self.all_competences, k=rng.randint(1, 2)):
            if extra not in competences:
                competences.append(extra)
        territories = {self.territories[territory]}
        if rng.random() < 0.35:
            territories.add(rng.choice(list(self.territories.values())))
        if rng.random() < 0.1:
            territories.add(rng.choice(list(self.territories.values())))
        publics = {self.publics[s] for s in rng.sample(theme_publics, k=1) if s in self.publics}
        for _ in range(rng.randint(0, 2)):
            publics.add(rng.choice(list(self.publics.values())))

        structure = rng.choice(KINDS[kind][1])
        if kind == K.ASSOCIATION:
            name = f"{structure} {rng.choice(theme_words)} {place}"
        else:
            name = f"{structure} {place}"
        public = min(publics)[1].lower()
        public = "tous les publics" if public == "tous publics" else f"les {public}"
        competence_names = [c[1][0].lower() + c[1][1:] for c in competences]
        what = " et ".join(competence_names[:2])
        summary = f"{what[0].upper()}{what[1:]}, pour {public} {place}."
        description = " ".join(
            s.format(public=public, place=place, competence=competence_names[0])
            for s in rng.sample(SENTENCES, k=3)
        )
        slug = f"{GENERATED_PREFIX}{number:06d}"
        frequency = rng.choices(self.frequencies, self.frequency_weights)[0]
        days_ago = rng.randint(0, 180) if rng.random() < 0.85 else rng.randint(180, 900)
        verified = self.today - datetime.timedelta(days=days_ago)
        bodies = rng.sample(GENERATED_BODIES, k=rng.randint(1, 2)) if rng.random() < 0.08 else []
        if kind == K.CITIZENS_COUNCIL:
            bodies.append(GovernanceBody.CONSEIL_CITOYEN)
        actor = Actor(
            name=name[:150],
            slug=slug,
            kind=kind,
            summary=summary[:280],
            description=description,
            address=f"{rng.randint(1, 120)} {rng.choice(STREETS)}",
            postcode="73000",
            town="Chambéry",
            insee_code="73065",
            phone=(
                f"{FICTION_PHONE_PREFIX}{rng.randint(0, 99):02d} {rng.randint(0, 99):02d}"
                if rng.random() < 0.6
                else ""
            ),
            email=f"contact@{slug}.test" if rng.random() < 0.4 else "",
            status=rng.choices(self.statuses, self.status_weights)[0],
            update_frequency=frequency,
            last_verified_on=verified,
            review_due_on=add_months(verified, frequency),
        )
        actor.latitude, actor.longitude = self.point(self.territories[territory])
        if actor.latitude is not None:
            actor.location_source = LocationSource.MANUAL
        return (
            actor,
            sorted(territories),
            [c[0] for c in competences],
            sorted(p[0] for p in publics),
            bodies,
        )

    def point(self, territory: int) -> tuple[float | None, float | None]:
        """(lat, lon): inside the actor's QPV, else around one of the towns' centres."""
        rng = self.point_rng
        if rng.random() >= GENERATED_PLACED_SHARE:
            return None, None
        if territory in self.contours:
            lon, lat = _inside(rng, self.contours[territory])
        else:
            lon, lat = rng.choices(self.centres, self.centre_weights)[0]
            lon += rng.gauss(0, GENERATED_SPREAD)
            lat += rng.gauss(0, GENERATED_SPREAD * 0.7)
        return round(lat, 6), round(lon, 6)


def _locate(actors: list[Actor]) -> None:
    """Set ``located_in`` on unsaved generated actors, in one pass over the contours."""
    found = locate_many(
        (index, actor.longitude, actor.latitude)
        for index, actor in enumerate(actors)
        if actor.latitude is not None
    )
    for index, actor in enumerate(actors):
        actor.located_in_id = found.get(index)


def _link_inserts() -> dict[str, str]:
    """INSERTs of the relation rows: about 300,000 rows for 50,000 actors, where building a
    model instance per row would take longer than writing it."""
    tables = {
        "territories": (Actor.territories.through, "actor", "territory"),
        "competences": (Actor.competences.through, "actor", "competence"),
        "publics": (Actor.publics.through, "actor", "public"),
        "bodies": (ActorGovernanceBody, "actor", "body"),
    }
    quote = connection.ops.quote_name
    inserts = {}
    for name, (model, first, second) in tables.items():
        columns = [quote(model._meta.get_field(f).column) for f in (first, second)]
        # Only names from the models' metadata, quoted; values go as parameters.
        table = quote(model._meta.db_table)
        inserts[name] = f"INSERT INTO {table} ({', '.join(columns)}) VALUES (%s, %s)"  # noqa: S608
    return inserts


def _refresh_statistics() -> None:
    """Give the planner statistics for the new rows and, on PostgreSQL, drop the dead row
    versions the search indexing leaves (each actor is written three times): without this,
    the directory pages are measured three times slower than autovacuum later makes them."""
    tables = [
        Actor._meta.db_table,
        Actor.territories.through._meta.db_table,
        Actor.competences.through._meta.db_table,
        Actor.publics.through._meta.db_table,
        ActorGovernanceBody._meta.db_table,
        SearchTerm._meta.db_table,
    ]
    # VACUUM cannot run inside a transaction (a test's, for instance); ANALYZE can.
    command = (
        "VACUUM ANALYZE"
        if connection.vendor == "postgresql" and not connection.in_atomic_block
        else "ANALYZE"
    )
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"{command} {connection.ops.quote_name(table)}")


def seed_many(count: int, progress: Callable[[str], None] = _silent) -> str:
    """``seed_demo --actors N``: add generated actors until the directory holds ``count``."""
    existing = Actor.objects.count()
    if existing >= count:
        return f"{existing} actors in the directory already: none generated"
    missing = count - existing
    first = _next_generated_number()
    # Seeded by the first number: the same starting point always yields the same actors.
    generator = _Generator(seed=first)
    links = _link_inserts()
    done = 0
    progress(f"Generating {missing} actors ({existing} already in the directory)…")
    while done < missing:
        size = min(BATCH_SIZE, missing - done)
        rows = [generator.actor(first + done + i) for i in range(size)]
        _locate([row[0] for row in rows])
        with transaction.atomic():
            actors = Actor.objects.bulk_create([row[0] for row in rows], batch_size=BATCH_SIZE)
            values = {name: [] for name in links}
            for actor, (_actor, territories, competences, publics, bodies) in zip(
                actors, rows, strict=True
            ):
                values["territories"] += [(actor.pk, t) for t in territories]
                values["competences"] += [(actor.pk, c) for c in competences]
                values["publics"] += [(actor.pk, p) for p in publics]
                values["bodies"] += [(actor.pk, b) for b in bodies]
            with connection.cursor() as cursor:
                for name, sql in links.items():
                    if values[name]:
                        cursor.executemany(sql, values[name])
            actor_search_index([actor.pk for actor in actors])
        done += size
        progress(f"  {done}/{missing}")
    _refresh_statistics()
    return f"{missing} generated actors added: {existing + missing} in the directory"
