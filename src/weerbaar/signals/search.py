"""Dutch full-text search over signal descriptions, on both databases.

PostgreSQL uses the ``dutch`` text-search configuration (stemming, stop words) with a GIN
expression index; the embedded SQLite default uses an FTS5 table kept in sync by triggers
(no Dutch stemmer there, so words match on their beginning). Every word must occur; each
word also matches longer words that start with it ("hennep" finds "hennepteelt").
"""

from __future__ import annotations

import re

from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db import connection
from django.db.models import Q, QuerySet
from django.db.models.expressions import RawSQL

WORD = re.compile(r"\w+", re.UNICODE)


def words(text: str) -> list[str]:
    return [w.lower() for w in WORD.findall(text)][:10]


def matching(queryset: QuerySet, text: str) -> QuerySet:
    terms = words(text)
    if not terms:
        return queryset
    by_reference = Q(reference__iexact=text.strip())
    if connection.vendor == "postgresql":
        query = SearchQuery(" & ".join(f"{t}:*" for t in terms), search_type="raw", config="dutch")
        return queryset.annotate(search=SearchVector("description", config="dutch")).filter(
            by_reference | Q(search=query)
        )
    if connection.vendor == "sqlite":
        fts = " ".join(f'"{t}"*' for t in terms)
        ids = RawSQL(
            "SELECT rowid FROM signals_signal_fts WHERE signals_signal_fts MATCH %s", [fts]
        )
        return queryset.filter(by_reference | Q(pk__in=ids))
    conditions = Q()
    for t in terms:
        conditions &= Q(description__icontains=t)
    return queryset.filter(by_reference | conditions)
