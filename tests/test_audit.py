"""The audit log: hash chains, append-only, same transaction, search and CSV export."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.test import Client
from django.urls import reverse

from weerbaar.accounts import actions
from weerbaar.audit.log import record
from weerbaar.audit.models import Action, AuditEntry
from weerbaar.audit.verify import verify_all
from weerbaar.core.testing import assert_isolated, login

pytestmark = pytest.mark.django_db


def test_each_entry_links_to_the_previous_one(world):
    first = record(Action.UPDATE, actor=world["regisseur"], obj=world.papendrecht)
    second = record(Action.UPDATE, actor=world["analist"], obj=world.papendrecht)
    other = record(Action.UPDATE, actor=world["regisseur_dordrecht"], obj=world.dordrecht)
    assert first.chain == second.chain == "GM0590"
    assert (first.sequence, second.sequence) == (1, 2)
    assert second.prev_hash == first.hash
    assert other.chain == "GM0505" and other.sequence == 1
    assert all(report.ok for report in verify_all())


def test_entries_cannot_be_changed_through_the_orm(world):
    entry = record(Action.UPDATE, actor=world["regisseur"], obj=world.papendrecht)
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()
    with pytest.raises(PermissionError):
        AuditEntry.objects.filter(pk=entry.pk).update(purpose="x")
    with pytest.raises(PermissionError):
        AuditEntry.objects.all().delete()


def test_database_refuses_updates(world):
    entry = record(Action.UPDATE, actor=world["regisseur"], obj=world.papendrecht)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditentry SET purpose = 'vervalst' WHERE id = %s", [entry.pk])


def test_verify_command_detects_tampering(world):
    record(Action.UPDATE, actor=world["regisseur"], obj=world.papendrecht)
    entry = record(Action.READ, actor=world["regisseur"], obj=world.papendrecht, purpose="LIO")
    call_command("verify_audit_log")
    # Tamper below the ORM and the triggers: drop the guard, change a row, restore the guard.
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = replica")  # skips triggers
            cursor.execute(
                "UPDATE audit_auditentry SET purpose = 'vervalst' WHERE id = %s", [entry.pk]
            )
            cursor.execute("SET LOCAL session_replication_role = DEFAULT")
        else:
            cursor.execute("DROP TRIGGER audit_entry_no_update")
            cursor.execute(
                "UPDATE audit_auditentry SET purpose = 'vervalst' WHERE id = %s", [entry.pk]
            )
    with pytest.raises(CommandError, match="niet in orde"):
        call_command("verify_audit_log")


def test_entry_is_written_in_the_same_transaction_as_the_change(world):
    before = AuditEntry.objects.count()
    with pytest.raises(RuntimeError), transaction.atomic():
        actions.update_account(world["beheerder"], world["analist"], first_name="Anna")
        raise RuntimeError("fails after the change")
    world["analist"].refresh_from_db()
    assert world["analist"].first_name == "Test"
    assert AuditEntry.objects.count() == before


def test_update_records_field_names_not_values(world):
    actions.update_account(world["beheerder"], world["analist"], first_name="Anna")
    entry = AuditEntry.objects.get(action=Action.UPDATE)
    assert entry.changed_fields == ["first_name"]
    assert "Anna" not in entry.canonical().decode()
    assert entry.organisation == "Gemeente Papendrecht"
    assert entry.object_repr == ""  # accounts hold personal data: no description in the log


def test_reading_someone_elses_account_is_logged(world):
    client = login(Client(), world["beheerder"])
    url = reverse("accounts:detail", args=[world["analist"].pk])
    assert client.get(url).status_code == 200
    entry = AuditEntry.objects.get(action=Action.READ)
    assert entry.actor_id == world["beheerder"].pk
    assert entry.object_id == str(world["analist"].pk)


def test_audit_page_is_isolated(world):
    record(
        Action.UPDATE,
        actor=world["regisseur"],
        obj=world["regisseur"],
        purpose="papendrecht-marker",
    )
    record(
        Action.UPDATE,
        actor=world["regisseur_dordrecht"],
        obj=world.dordrecht,
        purpose="dordrecht-marker",
    )
    assert_isolated(
        reverse("audit:list"),
        owner=world["beheerder"],
        outsiders=[
            world["beheerder_dordrecht"],
            world["regisseur"],
            world["bestuurder"],
            world["partner"],
            world["regionaal_analist"],
        ],
        markers=["papendrecht-marker"],
    )


def test_csv_export_requires_purpose_and_is_logged(world):
    record(Action.UPDATE, actor=world["regisseur"], obj=world.papendrecht, purpose="=HYPERLINK(1)")
    record(
        Action.UPDATE,
        actor=world["regisseur_dordrecht"],
        obj=world.dordrecht,
        purpose="dordrecht-marker",
    )
    client = login(Client(), world["beheerder"])
    url = reverse("audit:export")
    response = client.post(url, {"purpose": ""})
    assert response.status_code == 400
    assert "Doel van de export" in response.content.decode()
    response = client.post(url + "?action=update", {"purpose": "Controle door de FG"})
    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode()
    lines = body.strip().splitlines()
    assert lines[0].lstrip("\ufeff").startswith("tijdstip,keten,volgnummer")
    assert "dordrecht-marker" not in body
    assert "'=HYPERLINK(1)" in body  # neutralised against CSV injection
    export = AuditEntry.objects.get(action=Action.EXPORT)
    assert export.purpose == "Controle door de FG"
    assert export.detail["filters"] == {"action": "update"}


def test_export_refused_for_roles_without_audit_access(world):
    client = login(Client(), world["regisseur"])
    assert client.post(reverse("audit:export"), {"purpose": "nieuwsgierig"}).status_code == 403
    assert not AuditEntry.objects.filter(action=Action.EXPORT).exists()


def test_viewing_the_audit_log_is_itself_logged(world):
    record(Action.UPDATE, actor=world["regisseur"], obj=world.papendrecht)
    client = login(Client(), world["beheerder"])
    assert client.get(reverse("audit:list")).status_code == 200
    entry = AuditEntry.objects.filter(action=Action.READ, object_type="audit.AuditEntry").get()
    assert entry.actor_id == world["beheerder"].pk


def test_dashboard_counts_failed_logins_without_names(world):
    record(Action.LOGIN_FAILED, actor_label="iemand-geheims", municipality=world.papendrecht)
    body = login(Client(), world["beheerder"]).get("/").content.decode()
    assert "mislukte pogingen" in body
    assert "iemand-geheims" not in body


def test_log_page_names_records_and_fields_in_dutch(world):
    actions.update_account(world["beheerder"], world["analist"], first_name="Anna")
    client = login(Client(), world["beheerder"])
    body = client.get(
        reverse("audit:list"), {"object_type": "accounts.User", "action": "update"}
    ).content.decode()
    assert "Account #" in body and "voornaam" in body
    assert "first_name" not in body


def test_reading_several_records_logs_each_kind_per_municipality_in_one_go(world):
    from weerbaar.audit.log import record_read

    reader = world["platformbeheerder"]
    entry = record(Action.UPDATE, actor=world["regisseur"], obj=world.papendrecht)
    here = [world["analist"], world["medewerker"]]
    there = world["regisseur_dordrecht"]
    before = AuditEntry.objects.count()
    record_read(reader, [*here, entry, there])
    new = AuditEntry.objects.order_by("pk")[before:]
    users_here = [e for e in new if e.object_type == "accounts.User" and e.chain == "GM0590"]
    assert len(users_here) == 1
    assert users_here[0].detail == {"ids": [str(u.pk) for u in here], "count": 2}
    single = [e for e in new if e.object_type == "audit.AuditEntry"]
    assert len(single) == 1 and single[0].object_id == str(entry.pk)  # not mixed in with users
    assert [e.object_id for e in new if e.chain == "GM0505"] == [str(there.pk)]
    assert len(new) == 3 and all(e.action == Action.READ for e in new)
    assert all(report.ok for report in verify_all())  # the chains stay unbroken


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks between connections")
@pytest.mark.django_db(transaction=True)
def test_concurrent_readers_of_several_chains_neither_deadlock_nor_fork_them(world):
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connections

    from weerbaar.audit.log import record_read

    here, there = world["analist"], world["regisseur_dordrecht"]
    record(Action.UPDATE, actor=here, obj=world.papendrecht)
    record(Action.UPDATE, actor=there, obj=world.dordrecht)
    reader = world["platformbeheerder"]

    def read(n: int) -> None:
        try:
            for _ in range(10):  # both chains, in alternating order
                record_read(reader, [here, there, world["medewerker"]][:: 1 if n % 2 else -1])
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=4) as pool:
        list(pool.map(read, range(4)))
    assert all(report.ok for report in verify_all())
    for chain in ("GM0590", "GM0505"):
        sequences = list(
            AuditEntry.objects.filter(chain=chain)
            .order_by("sequence")
            .values_list("sequence", flat=True)
        )
        assert sequences == list(range(1, len(sequences) + 1))
    assert AuditEntry.objects.filter(action=Action.READ).count() == 4 * 10 * 2
