"""Full-text search of the directory.

PostgreSQL: a weighted French document (name > competences, themes, publics
and territories > descriptions) in ``Actor.search_vector``, accent-blind through
the ``french_unaccent`` configuration, ranked with ts_rank; words the directory
does not contain are widened to their nearest known words with pg_trgm, so a
typo still finds something. Elsewhere (SQLite, for ``make run``): every word
must appear in ``Actor.search_text``, compared without case or accents, plurals
reduced; close words are found with difflib. See docs/search.md.
"""

import difflib
import re
import unicodedata

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import Case, F, IntegerField, Q, QuerySet, Value, When

SEARCH_CONFIG = "french_unaccent"
MAX_WORDS = 8
MIN_SIMILARITY = 0.4  # pg_trgm similarity under which a word is not taken as a typo
_WORD = re.compile(r"[a-z0-9]+")
# PostgreSQL's French configuration drops these; the fallback does the same.
STOP_WORDS = frozenset(
    {
        "a",
        "au",
        "aux",
        "avec",
        "ce",
        "ces",
        "d",
        "dans",
        "de",
        "des",
        "du",
        "en",
        "et",
        "l",
        "la",
        "le",
        "les",
        "leur",
        "mais",
        "ou",
        "par",
        "pour",
        "qu",
        "que",
        "qui",
        "sa",
        "se",
        "ses",
        "son",
        "sur",
        "un",
        "une",
        "vos",
        "votre",
    }
)


def normalise(text: str) -> str:
    """Lower case, no accents, words separated by one space."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    ascii_text = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    ascii_text = ascii_text.replace("œ", "oe").replace("æ", "ae")
    return " ".join(_WORD.findall(ascii_text))


def query_words(query: str) -> list[str]:
    return [w for w in normalise(query).split() if w not in STOP_WORDS][:MAX_WORDS]


def singular(word: str) -> str:
    """Crude French plural reduction, enough for the fallback (jeunes → jeune)."""
    if len(word) > 3 and word[-1] in "sx":
        return word[:-1]
    return word


def uses_postgresql() -> bool:
    return connection.vendor == "postgresql"


# The statements that store one actor's search fields: the document's one definition.
# Parameters: normalised name, keywords, search text, id; on PostgreSQL the keywords
# come twice, as the weighted vector is written in the same statement (one row version
# per indexing, not two). The configuration is SEARCH_CONFIG, spelt out for a plain literal.
INDEX_SQL_FALLBACK = (
    "UPDATE partners_actor SET search_name = %s, search_keywords = %s, search_text = %s "
    "WHERE id = %s"
)
INDEX_SQL_POSTGRESQL = (
    "UPDATE partners_actor SET search_name = %s, search_keywords = %s, search_text = %s, "
    "search_vector = setweight(to_tsvector('french_unaccent', coalesce(name, '')), 'A') "
    "|| setweight(to_tsvector('french_unaccent', %s), 'B') "
    "|| setweight(to_tsvector('french_unaccent', concat_ws(' ', summary, description, town)), "
    "'C') WHERE id = %s"
)


def terms_of(texts) -> set[str]:
    words = set()
    for text in texts:
        words.update(w for w in normalise(text).split() if 2 < len(w) <= 100)
    return words


# -- matching ---------------------------------------------------------------


def _close_words_postgresql(word: str) -> list[str]:
    from django.contrib.postgres.search import TrigramSimilarity

    from .models import SearchTerm

    return list(
        SearchTerm.objects.annotate(similarity=TrigramSimilarity("word", word))
        .filter(word__trigram_similar=word, similarity__gte=MIN_SIMILARITY)
        .order_by("-similarity", "word")
        .values_list("word", flat=True)[:3]
    )


def _close_words_fallback(word: str, known: list[str]) -> list[str]:
    return difflib.get_close_matches(word, known, n=3, cutoff=0.8)


def _known_words(words: list[str]) -> set[str]:
    from .models import SearchTerm

    return set(SearchTerm.objects.filter(word__in=words).values_list("word", flat=True))


def _postgresql_query(words: list[str]) -> SearchQuery | None:
    known = _known_words(words)
    clauses = []
    for word in words:
        # Tokens are [a-z0-9]+ only, so building a raw tsquery is safe.
        alternatives = [f"{word}:*"]
        if word not in known:
            alternatives += _close_words_postgresql(word)
        clauses.append("(" + " | ".join(alternatives) + ")")
    if not clauses:
        return None
    return SearchQuery(" & ".join(clauses), search_type="raw", config=SEARCH_CONFIG)


def apply_search(actors: QuerySet, query: str) -> tuple[QuerySet, bool]:
    """Filter ``actors`` on ``query``; the second value says whether a rank was added."""
    words = query_words(query)
    if not words:
        return actors, False
    if uses_postgresql():
        tsquery = _postgresql_query(words)
        if tsquery is None:
            return actors.none(), False
        return (
            actors.filter(search_vector=tsquery).annotate(
                rank=SearchRank(F("search_vector"), tsquery)
            ),
            True,
        )
    return _fallback_search(actors, words), True


def _fallback_search(actors: QuerySet, words: list[str]) -> QuerySet:
    from .models import SearchTerm

    known = None
    condition = Q()
    name_hits = []
    for word in words:
        variants = [singular(word)]
        if not SearchTerm.objects.filter(word__startswith=variants[0]).exists():
            if known is None:
                known = list(SearchTerm.objects.values_list("word", flat=True))
            variants += _close_words_fallback(word, known)
        alternatives = Q()
        name_hit = Q()
        for variant in variants:
            alternatives |= Q(search_text__contains=variant)
            name_hit |= Q(search_name__contains=variant)
        condition &= alternatives
        name_hits.append(When(name_hit, then=Value(1)))
    rank = sum(
        (Case(hit, default=Value(0), output_field=IntegerField()) for hit in name_hits),
        Value(0),
    )
    return actors.filter(condition).annotate(rank=rank)
