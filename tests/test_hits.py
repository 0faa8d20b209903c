"""Hits (same subject or address) and duplicates (same place, similar text), and merging."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from weerbaar.audit.models import AuditEntry
from weerbaar.core.testing import assert_cannot_change, login
from weerbaar.signals import actions
from weerbaar.signals.hits import hits_for, likely_duplicates
from weerbaar.signals.models import Signal

pytestmark = pytest.mark.django_db


def file(world, by, description, **kwargs):  # type: ignore[no-untyped-def]
    user = world[by]
    return actions.create_signal(
        user,
        actions.NewSignal(
            municipality=user.municipality, channel="medewerker", description=description, **kwargs
        ),
    )


def test_hits_on_shared_subjects_and_address_only_within_reach(world):
    plate = {"kind": "voertuig", "licence_plate": "12-ABC-3"}
    first = file(
        world,
        "medewerker",
        "Busje bij de loods",
        subjects=[plate],
        location={"postcode": "3351AB", "house_number": 7},
    )
    second = file(
        world,
        "regisseur",
        "Hetzelfde busje bij de haven",
        subjects=[{"kind": "voertuig", "licence_plate": "12abc3"}],
    )
    third = file(
        world,
        "analist",
        "Ander verhaal, zelfde adres",
        location={"postcode": "3351 ab", "house_number": 7},
    )
    elsewhere = file(world, "regisseur_dordrecht", "Busje in Dordrecht", subjects=[plate])
    hits = {h.signal: h.reasons for h in hits_for(first, world["regisseur"])}
    assert set(hits) == {second, third}
    assert hits[second] == ["voertuig: 12ABC3"] and hits[third] == ["zelfde adres"]
    assert elsewhere not in hits  # another municipality is never shown
    assert hits_for(first, world["medewerker"]) == []  # a medewerker sees only their own signals


def test_likely_duplicates_need_same_place_time_and_similar_text(world):
    loc = {"area_name": "Jachthaven De Kade"}
    a = file(
        world,
        "medewerker",
        "Boot vertrekt elke nacht zonder lichten uit de jachthaven",
        location=loc,
    )
    b = file(
        world,
        "regisseur",
        "Elke nacht vertrekt een boot zonder lichten uit de jachthaven",
        location={"area_name": "jachthaven de kade"},
    )
    file(world, "regisseur", "Graffiti op de steiger", location=loc)
    old = file(
        world,
        "regisseur",
        "Boot vertrekt elke nacht zonder lichten uit de jachthaven",
        location=loc,
        received_at=timezone.now() - timedelta(days=90),
    )
    found = likely_duplicates(a, world["regisseur"])
    assert [d.signal for d in found] == [b] and found[0].similarity >= 60
    assert old not in [d.signal for d in found]


def test_merge_keeps_both_histories_and_audit_trails(world):
    a = file(
        world,
        "medewerker",
        "Loods met afgeplakte ramen",
        subjects=[{"kind": "adres", "postcode": "3351AB", "house_number": 7}],
    )
    b = file(world, "regisseur", "Afgeplakte ramen bij de loods")
    client = login(Client(), world["regisseur"])
    response = client.post(reverse("signals:merge", args=[b.pk]), {"other": a.pk})
    assert response.status_code == 302
    a.refresh_from_db()
    assert a.status == "samengevoegd" and a.merged_into == b
    assert list(a.history.values_list("to_status", flat=True)) == ["nieuw", "samengevoegd"]
    assert b.history.count() == 2 and "is hierin samengevoegd" in b.history.last().note
    assert b.subjects.filter(match_key="adres:3351AB:7:").exists()
    assert AuditEntry.objects.filter(object_id=str(a.pk), detail__merged_into=b.reference).exists()
    with pytest.raises(ValidationError):
        actions.merge(world["regisseur"], a, b)  # already merged
    page = client.get(reverse("signals:detail", args=[b.pk])).content.decode()
    assert a.reference in page


def test_merge_is_closed_to_other_tenants_and_roles(world):
    a = file(world, "regisseur", "Een")
    b = file(world, "regisseur", "Twee")
    other = file(world, "regisseur_dordrecht", "Dordrecht")
    state = lambda: list(Signal.objects.order_by("pk").values_list("status", "merged_into"))
    assert_cannot_change(
        reverse("signals:merge", args=[b.pk]),
        {"other": a.pk},
        outsiders=[world["regisseur_dordrecht"], world["medewerker"], world["partner"]],
        unchanged=state,
    )
    with pytest.raises(PermissionDenied):
        actions.merge(world["regisseur"], other, b)


def test_triage_corrects_and_removes_subjects_and_hits_follow(world):
    from django.test import Client
    from django.urls import reverse

    from weerbaar.audit.models import Action, AuditEntry
    from weerbaar.core.testing import assert_cannot_change, login
    from weerbaar.signals import actions
    from weerbaar.signals.models import Signal, Subject

    def file(plate):  # type: ignore[no-untyped-def]
        return actions.create_signal(
            world["regisseur"],
            actions.NewSignal(
                municipality=world.papendrecht,
                channel="medewerker",
                description="Busje bij de loods",
                subjects=[{"kind": "voertuig", "licence_plate": plate}],
            ),
        )

    earlier, later = file("12-ABC-3"), file("12-ABD-3")  # a typo in the second plate
    subject = later.subjects.get()
    client = login(Client(), world["analist"])
    url = reverse("signals:subject_edit", args=[later.pk, subject.pk])
    assert client.get(url).status_code == 200
    bad = client.post(url, {"betrokkene-kind": "voertuig", "betrokkene-licence_plate": "???"})
    assert bad.status_code == 400 and "???" in bad.content.decode()
    assert Subject.objects.get(pk=subject.pk).licence_plate == "12ABD3"
    ok = client.post(
        url,
        {
            "betrokkene-kind": "voertuig",
            "betrokkene-role": "gebruiker",
            "betrokkene-licence_plate": "12-abc-3",
        },
    )
    assert ok.status_code == 302
    page = client.get(reverse("signals:detail", args=[later.pk])).content.decode()
    assert earlier.reference in page  # now a hit on the same vehicle
    assert AuditEntry.objects.filter(action=Action.UPDATE, object_type="signals.Subject").exists()
    remove = reverse("signals:subject_remove", args=[later.pk, subject.pk])
    assert_cannot_change(
        remove,
        {},
        outsiders=[world["medewerker"], world["regisseur_dordrecht"], world["partner"]],
        unchanged=lambda: Subject.objects.count(),
    )
    assert client.post(remove).status_code == 302
    assert not Subject.objects.filter(pk=subject.pk).exists()
    assert Signal.objects.filter(pk=later.pk).exists()
    assert AuditEntry.objects.filter(action=Action.DELETE, object_type="signals.Subject").exists()
