"""Dutch full-text search over signal descriptions, on both databases.

PostgreSQL uses the ``dutch`` text-search configuration (stemming, stop words) with a GIN
expression index; the embedded SQLite default uses an FTS5 table kept in sync by triggers
(no Dutch stemmer there, so words match on their beginning). Every word must occur; each
word also matches longer words that start with it ("hennep" finds "hennepteelt").

On PostgreSQL the planner cannot estimate prefix terms, so it may pick the wrong plan.
Using its own statistics of the index (the most common lexemes), a query with a rare word
takes its few matches from the GIN index first; a query of frequent words walks the date
order, where matches are dense.
"""

from __future__ import annotations

import re
import time

from django.db import connection
from django.db.models import BooleanField, Q, QuerySet
from django.db.models.expressions import RawSQL

WORD = re.compile(r"\w+", re.UNICODE)
REFERENCE = re.compile(r"^GM\d{4}-\d{4}-\d+$", re.IGNORECASE)  # a signal's kenmerk
# Frequent words only: matches are dense, so walking the date order and testing each row
# finds a page fastest. The expression deliberately differs from the GIN index's (no
# COALESCE; description is never null), so the planner does not pick a bitmap of many rows.
FREQUENT_WORDS_SQL = (
    "to_tsvector('dutch'::regconfig, signals_signal.description) "
    "@@ to_tsquery('dutch'::regconfig, %s)"
)
RARE_WORD_SQL = (
    "signals_signal.id = ANY(ARRAY(SELECT id FROM signals_signal WHERE "
    "to_tsvector('dutch'::regconfig, COALESCE(description, '')) "  # the GIN index expression
    "@@ to_tsquery('dutch'::regconfig, %s)))"
)
FREQUENT = 0.005  # a word in at least 0.5% of the signals counts as frequent
STATS_SECONDS = 600
_stats: dict[str, object] = {"at": -1e9, "freqs": {}}


def words(text: str) -> list[str]:
    return [w.lower() for w in WORD.findall(text)][:10]


def _frequent_lexemes() -> dict[str, float]:
    """Lexeme frequencies PostgreSQL collected for the index (refreshed every 10 minutes)."""
    if time.monotonic() - float(_stats["at"]) > STATS_SECONDS:  # type: ignore[arg-type]
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT most_common_elems::text::text[], most_common_elem_freqs FROM pg_stats "
                "WHERE tablename = 'signals_signal_description_dutch'"
            )
            row = cursor.fetchone()
        freqs = dict(zip(row[0], row[1], strict=False)) if row and row[0] else {}
        _stats.update(at=time.monotonic(), freqs=freqs)
    return _stats["freqs"]  # type: ignore[return-value]


def _has_rare_word(terms: list[str]) -> bool:
    frequent = _frequent_lexemes()
    if not frequent:
        return False  # no statistics yet (small or new table): the default plan is fine
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT lexeme FROM unnest(to_tsvector('dutch'::regconfig, %s))", [" ".join(terms)]
        )
        stems = [row[0] for row in cursor.fetchall()]
    return any(
        not any(lexeme.startswith(stem) and freq >= FREQUENT for lexeme, freq in frequent.items())
        for stem in stems
    )


FTS_IDS_SQL = "SELECT rowid FROM signals_signal_fts WHERE signals_signal_fts MATCH %s"
DENSE_SQL = (
    "+signals_signal.id IN (SELECT rowid FROM signals_signal_fts WHERE signals_signal_fts MATCH %s)"
)
SQLITE_RARE_DOCS = 5000  # fewer matching signals than this: start from the FTS index


def _sqlite_has_rare_word(terms: list[str]) -> bool:
    """Count the signals per word prefix in the FTS5 vocabulary (a range seek per word)."""
    with connection.cursor() as cursor:
        for term in terms:
            cursor.execute(
                "SELECT coalesce(sum(doc), 0) FROM signals_signal_fts_vocab "
                "WHERE term >= %s AND term < %s",
                [term, term + "\U0010ffff"],
            )
            if cursor.fetchone()[0] < SQLITE_RARE_DOCS:
                return True
    return False


def matching(queryset: QuerySet, text: str) -> QuerySet:
    terms = words(text)
    if not terms:
        return queryset
    if REFERENCE.match(text.strip()):
        return queryset.filter(reference__iexact=text.strip())
    if connection.vendor == "postgresql":
        raw = " & ".join(f"{t}:*" for t in terms)
        if _has_rare_word(terms):
            few = RawSQL(RARE_WORD_SQL, [raw], output_field=BooleanField())  # noqa: S611 - bound parameter
            return queryset.filter(Q(few))
        dense = RawSQL(FREQUENT_WORDS_SQL, [raw], output_field=BooleanField())  # noqa: S611 - bound parameter
        return queryset.filter(Q(dense))
    if connection.vendor == "sqlite":
        fts = " ".join(f'"{t}"*' for t in terms)
        if _sqlite_has_rare_word(terms):
            ids = RawSQL(FTS_IDS_SQL, [fts])  # noqa: S611 - bound parameter
            return queryset.filter(pk__in=ids)
        # Frequent words: the unary + keeps SQLite from driving the query from the FTS
        # results, so it walks the wanted order and stops after a page.
        dense = RawSQL(DENSE_SQL, [fts], output_field=BooleanField())  # noqa: S611 - bound parameter
        return queryset.filter(Q(dense))
    conditions = Q()
    for t in terms:
        conditions &= Q(description__icontains=t)
    return queryset.filter(conditions)
