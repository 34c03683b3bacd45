"""The words of the contrat de ville that residents meet on the portal, said plainly.

One list feeds the glossary page (/glossaire/) and the ``{% term %}`` tag, which
explains a word where it appears. The definitions go through gettext like every
other string, so the English glossary comes with the translations. A key is the
word as pages write it; the anchor of its entry on the page is its slug.
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Term:
    key: str  # the word as written on the pages, matched whatever its case
    label: str | Promise  # the word shown as the entry's title
    expansion: str | Promise  # what an acronym stands for, or a short meaning (abbr title)
    definition: str | Promise

    @property
    def anchor(self) -> str:
        return slugify(self.key)

    @property
    def is_acronym(self) -> bool:
        return self.key.isupper()


TERMS: tuple[Term, ...] = (
    Term(
        "contrat de ville",
        _("Contrat de ville"),
        _("accord pour les quartiers prioritaires"),
        _(
            "L'accord signé par l'intercommunalité, les communes, l'État et leurs partenaires "
            "pour améliorer la vie dans les quartiers prioritaires : emploi, éducation, "
            "logement, santé, cadre de vie."
        ),
    ),
    Term(
        "QPV",
        _("Quartier prioritaire (QPV)"),
        _("quartier prioritaire de la politique de la ville"),
        _(
            "Un quartier où les revenus des habitants sont nettement plus bas qu'ailleurs. "
            "L'État le reconnaît officiellement, et les partenaires du contrat de ville y "
            "concentrent leurs actions. Chaque quartier a un code officiel (par exemple "
            "QN07301M) qui sert aux administrations ; sur ce portail, on l'appelle par son nom."
        ),
    ),
    Term(
        "QVA",
        _("Quartier de veille active (QVA)"),
        _("quartier de veille active"),
        _(
            "Un quartier qui n'est plus, ou pas, sur la liste officielle des quartiers "
            "prioritaires, mais que le contrat de ville continue de suivre de près. Des "
            "actions peuvent encore y être soutenues."
        ),
    ),
    Term(
        "droit commun",
        _("Droit commun"),
        _("les services publics ordinaires, pour tous"),
        _(
            "Les services et les aides qui existent partout et pour tout le monde : l'école, "
            "France Travail, la santé, les transports, les aides de la CAF… Le contrat de ville "
            "ne les remplace pas : il demande qu'ils soient bien présents dans les quartiers, "
            "et il y ajoute des moyens en plus."
        ),
    ),
    Term(
        "priorité",
        _("Priorité (axe) du contrat"),
        _("un grand thème du contrat de ville"),
        _(
            "Un des grands thèmes sur lesquels les signataires s'engagent : l'emploi, "
            "l'éducation, le cadre de vie… Chaque contrat choisit les siennes et les découpe "
            "en objectifs concrets. On dit aussi « axe »."
        ),
    ),
    Term(
        "signataire",
        _("Signataire"),
        _("organisation qui a signé le contrat de ville"),
        _(
            "Une organisation qui a signé le contrat de ville et s'est engagée à agir : l'État, "
            "l'intercommunalité, les communes, et souvent le département, la région, la CAF, "
            "les bailleurs sociaux, France Travail…"
        ),
    ),
    Term(
        "appel à projets",
        _("Appel à projets"),
        _("l'appel pour proposer des actions et demander un financement"),
        _(
            "Chaque année, les signataires invitent les associations et les autres structures "
            "à proposer des actions pour les quartiers prioritaires. Ils choisissent ensuite "
            "celles qu'ils financent."
        ),
    ),
    Term(
        "renouvellement urbain",
        _("Renouvellement urbain (NPNRU)"),
        _("nouveau programme national de renouvellement urbain"),
        _(
            "Un programme national, suivi par l'Agence nationale pour la rénovation urbaine "
            "(ANRU), qui transforme en profondeur certains quartiers prioritaires : rénover "
            "ou reconstruire des logements, créer des équipements, des rues et des espaces "
            "verts, en associant les habitants."
        ),
    ),
    Term(
        "GUSP",
        _("Gestion urbaine et sociale de proximité (GUSP)"),
        _("gestion urbaine et sociale de proximité"),
        _(
            "La façon dont la ville, les bailleurs et les habitants règlent ensemble les "
            "problèmes du quotidien dans un quartier : propreté, encombrants, éclairage, "
            "entretien des espaces communs, tranquillité."
        ),
    ),
    Term(
        "adultes-relais",
        _("Adultes-relais"),
        _("médiateurs entre les habitants et les services"),
        _(
            "Des médiateurs employés par des associations ou des collectivités, avec une aide "
            "de l'État, pour faire le lien entre les habitants des quartiers prioritaires et "
            "les services publics, les écoles, les bailleurs."
        ),
    ),
    Term(
        "cité éducative",
        _("Cité éducative"),
        _("école, familles et partenaires réunis autour des enfants"),
        _(
            "Un programme national qui réunit l'école, les familles, la ville, les associations "
            "et les services de l'État autour des enfants et des jeunes d'un quartier "
            "prioritaire, de la petite enfance à l'entrée dans la vie active."
        ),
    ),
    Term(
        "COPIL",
        _("Comité de pilotage (COPIL)"),
        _("comité de pilotage"),
        _(
            "La réunion des élus, du préfet et des signataires du contrat de ville. Elle fixe "
            "les grandes orientations et décide des financements."
        ),
    ),
    Term(
        "COTECH",
        _("Comité technique (COTECH)"),
        _("comité technique"),
        _(
            "La réunion des techniciens des signataires (agents des communes, de "
            "l'intercommunalité, de l'État…). Elle prépare les décisions du comité de "
            "pilotage et suit les actions."
        ),
    ),
    Term(
        "conseil citoyen",
        _("Conseil citoyen"),
        _("habitants et acteurs du quartier associés au contrat de ville"),
        _(
            "Un groupe d'habitants et d'acteurs d'un quartier prioritaire. Il donne son avis "
            "sur les projets et participe aux décisions du contrat de ville."
        ),
    ),
    Term(
        "collège",
        _("Collège"),
        _("famille de partenaires"),
        _(
            "Une famille de partenaires du contrat de ville : les élus et la préfecture, les "
            "techniciens, les commissions, les associations, le conseil citoyen, les "
            "habitants… Chaque personne qui s'inscrit à la rencontre indique son collège."
        ),
    ),
    Term(
        "intercommunalité",
        _("Intercommunalité"),
        _("regroupement de communes"),
        _(
            "Les communes voisines qui travaillent ensemble. L'intercommunalité pilote le "
            "contrat de ville avec l'État."
        ),
    ),
    Term(
        "rencontre",
        _("Rencontre des partenaires"),
        _("journée annuelle des partenaires"),
        _(
            "Une journée par an où les partenaires du contrat de ville se retrouvent pour "
            "faire le bilan, se connaître et construire des projets en atelier. Elle est "
            "ouverte sur inscription, sans compte."
        ),
    ),
    Term(
        "atelier",
        _("Atelier"),
        _("travail en petit groupe pendant la rencontre"),
        _(
            "Pendant la rencontre, des petits groupes qui mêlent structures et quartiers "
            "imaginent en 45 minutes un projet pour les jeunes des quartiers. Chaque groupe "
            "remplit une fiche projet et la présente à un jury."
        ),
    ),
    Term(
        "jury",
        _("Jury des ateliers"),
        _("personnes qui notent les projets des ateliers"),
        _(
            "Quelques personnes qui écoutent les groupes et notent leurs projets selon des "
            "critères annoncés. C'est un exercice : la note ne donne ni argent ni "
            "financement, elle aide à partager les idées."
        ),
    ),
    Term(
        "médiane",
        _("Médiane"),
        _("la note du milieu"),
        _(
            "Quand on range les notes des membres du jury de la plus basse à la plus haute, "
            "la médiane est celle du milieu (avec un nombre pair de notes, la moyenne des deux du "
            "milieu). Une note très différente des autres la change peu."
        ),
    ),
    Term(
        "ex aequo",
        _("Ex aequo"),
        _("à égalité"),
        _("Deux groupes ex aequo ont exactement la même note : ils partagent le même rang."),
    ),
    Term(
        "annuaire",
        _("Annuaire des acteurs"),
        _("liste des structures du contrat de ville"),
        _(
            "La liste des associations, services publics et autres structures qui agissent "
            "dans les quartiers, avec ce qu'elles font, pour qui et où. Elle est ouverte à "
            "tous ; les coordonnées des personnes contact sont réservées aux partenaires."
        ),
    ),
    Term(
        "SIRET",
        _("Numéro SIRET"),
        _("numéro d'identification d'un établissement"),
        _(
            "Le numéro à 14 chiffres qui identifie un établissement (une association, une "
            "entreprise, un service) auprès de l'administration."
        ),
    ),
    Term(
        "RNA",
        _("Numéro RNA"),
        _("numéro d'une association au répertoire national"),
        _(
            "Le numéro d'une association au Répertoire national des associations : une lettre "
            "W suivie de 9 chiffres. Il prouve que l'association est déclarée."
        ),
    ),
    Term(
        "aller-vers",
        _("Aller-vers"),
        _("aller à la rencontre des personnes là où elles sont"),
        _(
            "Une façon de travailler : plutôt que d'attendre les personnes dans un bureau, "
            "les professionnels vont à leur rencontre, dans la rue, en bas des immeubles, "
            "dans les lieux qu'elles fréquentent."
        ),
    ),
)

_BY_KEY = {term.key.casefold(): term for term in TERMS}


def term_for(word: str) -> Term | None:
    """The glossary's entry for ``word`` (whatever its case), or None."""
    return _BY_KEY.get(str(word).strip().casefold())


def sorted_terms() -> list[Term]:
    """The entries in alphabetical order of their title, in the reader's language."""
    return sorted(TERMS, key=lambda term: slugify(str(term.label)))
