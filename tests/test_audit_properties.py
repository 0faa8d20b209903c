"""Property: any change to any hashed field of any entry is detected by the chain check."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from weerbaar.audit.log import Target, record
from weerbaar.audit.models import Action, AuditEntry

FIELDS = [
    "action",
    "actor_label",
    "organisation",
    "object_type",
    "object_id",
    "object_repr",
    "purpose",
    "prev_hash",
]


@pytest.mark.django_db
@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    purposes=st.lists(st.text(max_size=40), min_size=1, max_size=6),
    victim=st.integers(min_value=0, max_value=5),
    field=st.sampled_from(FIELDS),
    replacement=st.text(min_size=1, max_size=20),
)
def test_tampering_with_any_field_changes_the_hash(purposes, victim, field, replacement):
    entries = [
        record(Action.READ, actor_label="systeem", obj=Target("x.Y", str(i)), purpose=p)
        for i, p in enumerate(purposes)
    ]
    assert all(e.compute_hash() == e.hash for e in entries)
    assert all(b.prev_hash == a.hash for a, b in itertools.pairwise(entries))
    entry = AuditEntry.objects.get(pk=entries[victim % len(entries)].pk)
    if getattr(entry, field) == replacement:
        return
    setattr(entry, field, replacement)
    assert entry.compute_hash() != entry.hash
