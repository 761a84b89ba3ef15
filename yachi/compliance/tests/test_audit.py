"""The audit trail: every entry chained, any tampering found, retention enforced."""

import importlib
import threading

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from yachi.compliance.audit import audit_purge, audit_verify
from yachi.compliance.models import AuditEntry, AuditHead
from yachi.compliance.tests.conftest import some_entries, sql, verify_command
from yachi.core.errors import InvalidInput

pytestmark = pytest.mark.django_db(transaction=True)


APPEND_ONLY = importlib.import_module("yachi.compliance.migrations.0003_audit_append_only")


def without_append_only_trigger(statement: str, params=()):
    """What someone with database access could do: switch the guard off, then edit."""
    if connection.vendor == "postgresql":
        sql("ALTER TABLE compliance_auditentry DISABLE TRIGGER compliance_audit_no_update")
        try:
            sql(statement, params)
        finally:
            sql("ALTER TABLE compliance_auditentry ENABLE TRIGGER compliance_audit_no_update")
    else:
        guard = next(op for op in APPEND_ONLY.Migration.operations if op.vendor == "sqlite")
        sql("DROP TRIGGER compliance_audit_no_update")
        try:
            sql(statement, params)
        finally:
            sql(guard.sql[0])


def test_entries_are_numbered_and_chained(world):
    entries = some_entries(3, actor=world.clinic_a_doctor.user)
    first = entries[0].seq
    assert [e.seq for e in entries] == [first, first + 1, first + 2]
    assert entries[1].previous == entries[0].digest
    assert entries[0].actor == str(world.clinic_a_doctor.user.public_id)
    assert entries[0].actor_role == "doctor"
    verdict = audit_verify()
    assert verdict.intact and verdict.checked == AuditEntry.objects.count()


def test_verify_exits_zero_on_an_intact_trail(db, capsys):
    some_entries(5)
    assert verify_command() == (0, "")
    assert "intact: 5 entries" in capsys.readouterr().out


def test_an_update_is_refused_by_the_database(db):
    entry = some_entries(1)[0]
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).update(object_id="someone else")


def test_an_entry_edited_in_the_database_is_named(db):
    some_entries(5)
    without_append_only_trigger("UPDATE compliance_auditentry SET object_id = 'x' WHERE seq = 3")
    code, message = verify_command()
    assert code == 1
    assert "#3" in message and "altered" in message


def test_a_deleted_entry_is_named(db):
    some_entries(5)
    sql("DELETE FROM compliance_auditentry WHERE seq = 2")
    code, message = verify_command()
    assert code == 1 and "#2" in message and "missing" in message


def test_the_last_entries_deleted_are_noticed(db):
    some_entries(5)
    sql("DELETE FROM compliance_auditentry WHERE seq >= 4")
    code, message = verify_command()
    assert code == 1 and "#4" in message


def test_reordered_entries_are_noticed(db):
    some_entries(4)
    # Swap the contents of entries 2 and 3 (keeping their numbers).
    without_append_only_trigger("UPDATE compliance_auditentry SET seq = -2 WHERE seq = 2")
    without_append_only_trigger("UPDATE compliance_auditentry SET seq = 2 WHERE seq = 3")
    without_append_only_trigger("UPDATE compliance_auditentry SET seq = 3 WHERE seq = -2")
    code, message = verify_command()
    assert code == 1 and "#2" in message


def test_a_re_forged_digest_without_the_key_is_noticed(db):
    """With database access only, recomputing the digest needs the key: a plain SM3
    or SHA-256 of the content does not pass."""
    import hashlib

    some_entries(3)
    forged = hashlib.sha256(b"forged").hexdigest()
    without_append_only_trigger(
        "UPDATE compliance_auditentry SET object_id = 'x', digest = %s WHERE seq = 3", [forged]
    )
    code, message = verify_command()
    assert code == 1 and "#3" in message


def test_concurrent_writers_keep_the_chain_whole(db):
    def write(n):
        try:
            some_entries(5)
        finally:
            connection.close()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    verdict = audit_verify()
    assert verdict.intact and verdict.checked == 30
    assert AuditHead.objects.get().seq == 30


def test_purge_refuses_anything_younger_than_180_days(db):
    some_entries(2, days_ago=200)
    with pytest.raises(InvalidInput):
        audit_purge(older_than_days=179)
    assert AuditEntry.objects.count() == 2


def test_purge_removes_only_old_entries_and_the_chain_still_verifies(db, settings):
    settings.YACHI_AUDIT_RETENTION_DAYS = 180
    some_entries(3, days_ago=400)
    some_entries(2, days_ago=10)
    assert audit_purge(older_than_days=365) == 3
    remaining = list(AuditEntry.objects.order_by("seq").values_list("action", flat=True))
    assert remaining == ["clinical_read", "clinical_read", "audit_purged"]
    assert audit_verify().intact


def test_a_forged_purge_starting_point_is_noticed(db, settings):
    settings.YACHI_AUDIT_RETENTION_DAYS = 180
    some_entries(3, days_ago=400)
    some_entries(2)
    audit_purge(older_than_days=365)
    # Someone deletes more and moves the starting point without the key.
    sql("DELETE FROM compliance_auditentry WHERE seq = 4")
    AuditHead.objects.update(base_seq=4)
    verdict = audit_verify()
    assert not verdict.intact
    assert any("signature does not match" in problem.reason for problem in verdict.problems)


def test_purge_command_refuses_short_retention(db):
    with pytest.raises(CommandError, match="365"):
        call_command("audit", "purge", "--older-than-days", "30")


def test_a_batch_of_entries_by_one_person_looks_up_their_role_at_a_clinic_once(world):
    from django.test.utils import CaptureQueriesContext

    from yachi.compliance.audit import audit_record_many
    from yachi.compliance.models import AuditAction

    def reads(count):
        return [
            {
                "action": AuditAction.CLINICAL_READ,
                "actor": world.clinic_a_doctor.user,
                "clinic": world.clinic_a,
                "object_type": "patient",
                "object_id": str(world.patient_parent.public_id),
            }
            for _ in range(count)
        ]

    with CaptureQueriesContext(connection) as one:
        audit_record_many(reads(1))
    with CaptureQueriesContext(connection) as many:
        audit_record_many(reads(30))
    assert len(many.captured_queries) == len(one.captured_queries)
    assert set(
        AuditEntry.objects.filter(action=AuditAction.CLINICAL_READ).values_list(
            "actor_role", flat=True
        )
    ) == {"doctor"}
    assert audit_verify().intact
