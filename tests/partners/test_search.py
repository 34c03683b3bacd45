"""Search: ranking, accents, plurals, typos, and exact facet counts, on both
paths (PostgreSQL full-text, portable fallback)."""

import pytest

from partners.enums import ActorStatus
from partners.search import normalise, query_words
from partners.selectors import DirectoryQuery, directory_search


def names(query: DirectoryQuery) -> list[str]:
    return [actor.name for actor in directory_search(query).actors]


def test_normalise_drops_case_accents_and_punctuation():
    assert normalise("  Éducation, CŒUR & Santé ! ") == "education coeur sante"


def test_query_words_drop_french_stop_words():
    assert query_words("l'accès aux droits de la famille") == ["acces", "droits", "famille"]


@pytest.fixture
def youth_actors(make_actor):
    make_actor(
        "Centre social Le Lien", summary="Activités pour tous.", competences=["accueil-jeunes"]
    )  # "jeunesse" through its theme
    make_actor("Jeunesse et Avenir", summary="Association de quartier.")
    make_actor(
        "Santé Commune",
        summary="Soins de proximité.",
        description="Des permanences pour la jeunesse le mercredi.",
    )
    make_actor("Club de boxe", summary="Sport en salle.")


def test_search_puts_name_matches_first(youth_actors):
    result = names(DirectoryQuery(q="jeunesse"))

    assert result[0] == "Jeunesse et Avenir"
    assert sorted(result) == ["Centre social Le Lien", "Jeunesse et Avenir", "Santé Commune"]


@pytest.mark.postgresql
def test_search_ranks_name_then_competences_then_descriptions(youth_actors):
    assert names(DirectoryQuery(q="jeunesse")) == [
        "Jeunesse et Avenir",
        "Centre social Le Lien",
        "Santé Commune",
    ]


@pytest.mark.parametrize("typed", ["sante", "SANTÉ", "santé", "Sante"])
def test_search_ignores_accents_and_case(make_actor, typed):
    make_actor("Santé Commune", summary="Soins de proximité.")
    make_actor("Club de boxe", summary="Sport en salle.")

    assert names(DirectoryQuery(q=typed)) == ["Santé Commune"]


def test_search_finds_singular_from_plural(make_actor):
    make_actor("Association Lire Ensemble", summary="Lecture à voix haute.")
    make_actor("Club de boxe", summary="Sport en salle.")

    assert names(DirectoryQuery(q="associations")) == ["Association Lire Ensemble"]


def test_search_tolerates_a_typo(youth_actors):
    result = names(DirectoryQuery(q="jeunnesse"))

    assert "Jeunesse et Avenir" in result
    assert "Club de boxe" not in result


def test_search_every_word_must_match(youth_actors):
    assert names(DirectoryQuery(q="jeunesse soins")) == ["Santé Commune"]


def test_search_of_stop_words_only_lists_everything(youth_actors):
    assert len(names(DirectoryQuery(q="de la"))) == 4


def test_search_unknown_word_finds_nothing(youth_actors):
    assert names(DirectoryQuery(q="xylophone")) == []


def test_search_never_lists_pending_or_archived(make_actor):
    make_actor("Jeunesse publiée")
    make_actor("Jeunesse en attente", status=ActorStatus.PENDING)
    make_actor("Jeunesse archivée", status=ActorStatus.ARCHIVED)

    assert names(DirectoryQuery(q="jeunesse")) == ["Jeunesse publiée"]
    assert names(DirectoryQuery()) == ["Jeunesse publiée"]


# -- facets -----------------------------------------------------------------------


@pytest.fixture
def mixed_actors(make_actor):
    make_actor(
        "A",
        kind="association",
        territories=["biollay-bellevue"],
        competences=["accueil-jeunes"],
        publics=["jeunes"],
        bodies=["cotech"],
    )
    make_actor(
        "B",
        kind="association",
        territories=["biollay-bellevue", "hauts-de-chambery"],
        competences=["accueil-jeunes", "parentalite"],
        publics=["familles"],
    )
    make_actor(
        "C",
        kind="centre_social",
        territories=["hauts-de-chambery"],
        competences=["parentalite"],
        publics=["familles", "jeunes"],
        bodies=["cotech", "copil"],
    )
    make_actor(
        "D",
        kind="sante",
        territories=["chambery"],
        competences=["acces-soins"],
        summary="Santé des jeunes.",
    )
    make_actor(
        "E", kind="association", territories=["biollay-bellevue"], status=ActorStatus.PENDING
    )


def counts(result, param) -> dict[str, int]:
    facet = next(f for f in result.facets if f.param == param)
    return {o.value: o.count for o in facet.options if o.count}


def test_facet_counts_without_filters(mixed_actors):
    result = directory_search(DirectoryQuery())

    assert counts(result, "territoire") == {
        "biollay-bellevue": 2,
        "hauts-de-chambery": 2,
        "chambery": 1,
    }
    assert counts(result, "type") == {"association": 2, "centre_social": 1, "sante": 1}
    assert counts(result, "competence") == {"accueil-jeunes": 2, "parentalite": 2, "acces-soins": 1}
    assert counts(result, "public") == {"jeunes": 2, "familles": 2}
    assert counts(result, "instance") == {"cotech": 2, "copil": 1}


def test_facet_counts_follow_the_other_filters(mixed_actors):
    result = directory_search(DirectoryQuery(territories=("hauts-de-chambery",)))

    assert names(DirectoryQuery(territories=("hauts-de-chambery",))) == ["B", "C"]
    # Its own facet keeps every territory's count; the others narrow to B and C.
    assert counts(result, "territoire") == {
        "biollay-bellevue": 2,
        "hauts-de-chambery": 2,
        "chambery": 1,
    }
    assert counts(result, "type") == {"association": 1, "centre_social": 1}
    assert counts(result, "public") == {"jeunes": 1, "familles": 2}


def test_facet_count_equals_results_of_choosing_the_value(mixed_actors):
    base = DirectoryQuery(q="jeunes", kinds=("association", "centre_social", "sante"))
    result = directory_search(base)
    for facet in result.facets:
        if facet.param == "type":
            continue
        for option in facet.options:
            chosen = DirectoryQuery(
                q=base.q,
                kinds=base.kinds,
                **{
                    {
                        "territoire": "territories",
                        "competence": "competences",
                        "public": "publics",
                        "instance": "bodies",
                    }[facet.param]: (option.value,)
                },
            )
            assert option.count == directory_search(chosen).actors.count(), (
                facet.param,
                option.value,
            )


def test_values_of_one_facet_add_up(mixed_actors):
    assert names(DirectoryQuery(territories=("chambery", "hauts-de-chambery"))) == ["B", "C", "D"]


def test_facets_narrow_each_other(mixed_actors):
    assert names(DirectoryQuery(territories=("biollay-bellevue",), publics=("familles",))) == ["B"]


def test_search_and_facets_combine(mixed_actors):
    query = DirectoryQuery(q="sante", territories=("chambery",))

    assert names(query) == ["D"]
    assert counts(directory_search(query), "territoire") == {"chambery": 1}
