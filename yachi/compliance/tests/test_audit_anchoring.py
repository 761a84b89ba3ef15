"""Cutting the end off the audit trail is noticed, and `verify` names where it breaks.

The attacks are done as someone with write access to the database but without the audit
key would do them: plain SQL on the tables, copies of the tables put back, the tables
emptied for the application to start again. The head's signature catches a head moved
by hand; the checkpoints outside the database catch a head put back from a copy.
"""

import logging
import multiprocessing

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone

from yachi.compliance.audit import audit_checkpoint, audit_purge, audit_record, audit_verify
from yachi.compliance.checkpoints import Checkpoint, append_line
from yachi.compliance.models import AuditAction, AuditEntry, AuditHead
from yachi.compliance.tests.conftest import some_entries, sql, verify_command
from yachi.core.errors import Conflict

pytestmark = pytest.mark.django_db


def checkpoint_file():
    return settings.YACHI_AUDIT_CHECKPOINT_FILE


def rewind_head_to(seq: int) -> None:
    """Move the head back onto entry ``seq``, linked to it as if nothing came after."""
    sql(
        "UPDATE compliance_audithead SET seq = %s, digest = "
        "(SELECT digest FROM compliance_auditentry WHERE seq = %s)",
        [seq, seq],
    )


def copy_of(table: str, name: str) -> None:
    sql(f"CREATE TABLE {name} AS SELECT * FROM {table}")


def put_back(table: str, copy: str) -> None:
    sql(f"DELETE FROM {table}")
    sql(f"INSERT INTO {table} SELECT * FROM {copy}")


def test_an_intact_trail_with_its_checkpoints_verifies(caplog, capsys):
    some_entries(3)
    assert verify_command() == (0, "")
    assert "intact: 3 entries (#1–#3); no checkpoint yet" in capsys.readouterr().out
    with caplog.at_level(logging.INFO, logger="yachi.audit.checkpoints"):
        first = audit_checkpoint()
        some_entries(2)
        second = audit_checkpoint()
    assert (first.number, first.seq, second.number, second.seq) == (1, 3, 2, 5)
    assert checkpoint_file().read_text().splitlines() == [first.line(), second.line()]
    assert [r.getMessage() for r in caplog.records] == [
        f"audit checkpoint {first.line()}",
        f"audit checkpoint {second.line()}",
    ]
    head = AuditHead.objects.get()
    assert (head.checkpoint_count, head.checkpoint_seq) == (2, 5)
    assert verify_command() == (0, "")
    assert "intact: 5 entries (#1–#5); 2 checkpoint(s) agree" in capsys.readouterr().out


def test_a_checkpoint_costs_one_read_when_nothing_was_appended(django_assert_num_queries):
    some_entries(2)
    audit_checkpoint()
    with django_assert_num_queries(1):
        assert audit_checkpoint() is None
    assert len(checkpoint_file().read_text().splitlines()) == 1
    call_command("audit", "checkpoint")  # says so, and writes nothing either


def test_the_checkpoint_command_writes_one(capsys):
    some_entries(2)
    call_command("audit", "checkpoint")
    call_command("audit", "checkpoint")
    out = capsys.readouterr().out
    assert "checkpoint 1 written: #2" in out and "nothing written" in out


def test_the_newest_entries_deleted_and_the_head_rewound_are_named():
    """The attack as found: the tail deleted, the head re-linked to the last entry left."""
    some_entries(5)
    sql("DELETE FROM compliance_auditentry WHERE seq >= 4")
    rewind_head_to(3)
    code, message = verify_command()
    assert code == 1
    assert message.startswith("audit trail broken at entry #4: the head (#3) was changed")
    assert "signature does not match" in message


def test_a_rewound_head_is_not_signed_over_by_the_next_entry():
    some_entries(5)
    sql("DELETE FROM compliance_auditentry WHERE seq >= 4")
    rewind_head_to(3)
    some_entries(1)  # the next login or chart read goes on being recorded…
    entries = list(AuditEntry.objects.order_by("seq").values_list("seq", "action"))
    assert entries[3:] == [(4, "audit_head_invalid"), (5, "clinical_read")]
    # …after an entry saying what was found, which no later entry can sign away.
    verdict = audit_verify()
    assert not verdict.intact and verdict.broken_seq == 4
    assert "head was altered" in verdict.reason


def test_a_head_put_back_from_an_older_copy_is_caught_by_a_checkpoint():
    some_entries(3)
    copy_of("compliance_audithead", "head_then")  # signed, and so still valid later
    some_entries(2)
    audit_checkpoint()
    sql("DELETE FROM compliance_auditentry WHERE seq >= 4")
    put_back("compliance_audithead", "head_then")
    code, message = verify_command()
    assert code == 1
    assert message.startswith("audit trail broken at entry #4: entries #4–#5 missing: checkpoint 1")
    assert "saw #5" in message


def test_the_whole_trail_put_back_from_an_older_copy_is_caught():
    some_entries(3)
    audit_checkpoint()
    copy_of("compliance_auditentry", "entries_then")
    copy_of("compliance_audithead", "head_then")
    some_entries(3)
    audit_checkpoint()
    put_back("compliance_auditentry", "entries_then")
    put_back("compliance_audithead", "head_then")
    verdict = audit_verify()
    assert (verdict.intact, verdict.broken_seq) == (False, 4)
    assert verdict.reason.startswith("entries #4–#6 missing: checkpoint 2")


def test_a_trail_emptied_and_started_again_is_caught():
    some_entries(3)
    audit_checkpoint()
    sql("DELETE FROM compliance_auditentry")
    sql("DELETE FROM compliance_audithead")
    assert audit_verify().reason.startswith("entries #1–#3 missing: checkpoint 1")
    # The application then starts a new chain, keyed and linked like the real one.
    some_entries(5)
    verdict = audit_verify()
    assert (verdict.intact, verdict.broken_seq) == (False, 1)
    assert verdict.reason.startswith("entries #1–#3 are not those checkpoint 1")
    assert verdict.reason.endswith("the trail was replaced")
    assert AuditEntry.objects.get(seq=1).details["found"] == "missing"


def test_the_checkpoint_anchors_what_it_found_wrong_with_the_head():
    some_entries(3)
    audit_checkpoint()
    some_entries(2)
    sql("DELETE FROM compliance_auditentry WHERE seq >= 5")
    rewind_head_to(4)
    checkpoint = audit_checkpoint()
    assert AuditEntry.objects.get(seq=5).action == AuditAction.AUDIT_HEAD_INVALID
    assert checkpoint.seq == 5  # the entry that says so is anchored outside too
    assert audit_verify().broken_seq == 5


def test_a_checkpoint_count_lowered_in_the_database_is_noticed():
    some_entries(2)
    audit_checkpoint()
    sql("UPDATE compliance_audithead SET checkpoint_count = 0")
    code, message = verify_command()
    assert code == 1 and "signature does not match" in message


def test_a_deleted_checkpoint_file_is_reported():
    some_entries(2)
    audit_checkpoint()
    checkpoint_file().unlink()
    code, message = verify_command()
    assert code == 1
    assert "is missing, yet the head counts 1 checkpoint(s)" in message


def test_the_last_checkpoints_cut_from_the_file_are_reported():
    some_entries(2)
    audit_checkpoint()
    some_entries(2)
    audit_checkpoint()
    first_line = checkpoint_file().read_text().splitlines()[0]
    checkpoint_file().write_text(first_line + "\n")
    code, message = verify_command()
    assert code == 1
    assert "checkpoint 2 (of #4), the last the head counts, is in no checkpoint store" in message


def test_forged_and_garbled_checkpoint_lines_are_reported():
    some_entries(2)
    audit_checkpoint()
    genuine = Checkpoint.parse(checkpoint_file().read_text())
    forged = Checkpoint(genuine.number + 1, 99, genuine.digest, genuine.at, genuine.signature)
    append_line(checkpoint_file(), forged.line())
    append_line(checkpoint_file(), "whatever someone wrote here")
    verdict = audit_verify()
    reasons = [problem.reason for problem in verdict.problems]
    assert reasons == [
        f"{checkpoint_file()} line 2: checkpoint 2 is forged or altered (its signature does not match)",
        f"{checkpoint_file()} line 3 is not a checkpoint (altered?)",
    ]
    assert verdict.broken_seq is None  # no entry is at fault: the file is


def test_a_checkpoint_cut_short_by_a_crash_is_not_a_fault():
    some_entries(2)
    with checkpoint_file().open("w") as file:
        file.write('{"checkpoint":1,"seq":2,"dig')  # power lost mid-write, never counted
    assert audit_verify().intact
    audit_checkpoint()  # the next one starts on a line of its own
    assert audit_verify().intact
    assert checkpoint_file().read_text().splitlines()[1].startswith('{"checkpoint":1,"seq":2,')


def _append_many(path, lines):
    for line in lines:
        append_line(path, line)


def test_checkpoints_written_by_several_processes_at_once_stay_whole_lines(tmp_path):
    path = tmp_path / "checkpoints.jsonl"
    now = timezone.now()
    batches = [
        [
            Checkpoint.signed(number=n, seq=w * 1000 + n, digest="a" * 64, at=now).line()
            for n in range(1, 201)
        ]
        for w in range(4)
    ]
    context = multiprocessing.get_context("fork")
    writers = [context.Process(target=_append_many, args=(path, batch)) for batch in batches]
    for writer in writers:
        writer.start()
    for writer in writers:
        writer.join()
    assert [writer.exitcode for writer in writers] == [0, 0, 0, 0]
    lines = [line for line in path.read_text().splitlines() if line]  # blank ones are skipped
    assert sorted(lines) == sorted(line for batch in batches for line in batch)
    assert all(Checkpoint.parse(line).genuine for line in lines)


def test_shipped_logs_catch_what_the_local_stores_lost(caplog, tmp_path):
    """Someone holding the database and the checkpoint file can make them agree again;
    the log lines already shipped elsewhere still tell."""
    some_entries(3)
    audit_checkpoint()
    copy_of("compliance_audithead", "head_then")
    file_then = checkpoint_file().read_text()
    some_entries(2)
    with caplog.at_level(logging.INFO, logger="yachi.audit.checkpoints"):
        audit_checkpoint()
    shipped = tmp_path / "yachi.log"
    shipped.write_text(
        "2026-12-01 11:05:00 INFO [-] yachi.request: something else\n"
        + "".join(
            f"2026-12-01 11:05:00 INFO [-] {r.name}: {r.getMessage()}\n" for r in caplog.records
        )
    )
    sql("DELETE FROM compliance_auditentry WHERE seq >= 4")
    put_back("compliance_audithead", "head_then")
    checkpoint_file().write_text(file_then)
    assert verify_command() == (0, "")  # the local stores alone are fooled
    code, message = verify_command("--checkpoints", str(shipped))
    assert code == 1
    assert message.startswith("audit trail broken at entry #4: entries #4–#5 missing: checkpoint 2")


def test_a_shipped_log_that_cannot_be_read_is_reported(tmp_path):
    some_entries(1)
    code, message = verify_command("--checkpoints", str(tmp_path / "absent.log"))
    assert code == 1 and "absent.log cannot be read" in message


@pytest.mark.skipif(not settings.REDIS_URL, reason="needs Redis (REDIS_URL)")
def test_checkpoints_kept_in_redis_too_catch_a_rewound_file(
    settings, django_capture_on_commit_callbacks
):
    import redis

    from yachi.compliance.checkpoints import REDIS_KEY

    settings.YACHI_AUDIT_CHECKPOINT_REDIS_URL = settings.REDIS_URL
    store = redis.Redis.from_url(settings.REDIS_URL)
    store.delete(REDIS_KEY)
    try:
        some_entries(3)
        with django_capture_on_commit_callbacks(execute=True):
            audit_checkpoint()
        copy_of("compliance_audithead", "head_then")
        file_then = checkpoint_file().read_text()
        some_entries(2)
        with django_capture_on_commit_callbacks(execute=True):
            second = audit_checkpoint()
        assert store.lrange(REDIS_KEY, -1, -1) == [second.line().encode()]
        assert audit_verify().intact
        sql("DELETE FROM compliance_auditentry WHERE seq >= 4")
        put_back("compliance_audithead", "head_then")
        checkpoint_file().write_text(file_then)
        verdict = audit_verify()
        assert verdict.broken_seq == 4 and verdict.reason.startswith("entries #4–#5 missing")
    finally:
        store.delete(REDIS_KEY)
        store.close()


def test_purge_keeps_verifying_with_checkpoints_below_its_starting_point(settings):
    settings.YACHI_AUDIT_RETENTION_DAYS = 180
    some_entries(3, days_ago=400)
    audit_checkpoint()  # at #3, about to be purged
    some_entries(2, days_ago=10)
    audit_checkpoint()
    assert audit_purge(older_than_days=365) == 3
    head = AuditHead.objects.get()
    # The purge anchored its own entry and the new starting point at once.
    assert (head.base_seq, head.checkpoint_count, head.checkpoint_seq) == (3, 3, 6)
    assert audit_verify().intact


def test_purge_refuses_to_delete_from_a_trail_whose_head_was_rewound(settings):
    settings.YACHI_AUDIT_RETENTION_DAYS = 180
    some_entries(3, days_ago=400)
    some_entries(2)
    sql("DELETE FROM compliance_auditentry WHERE seq >= 5")
    rewind_head_to(4)
    with pytest.raises(Conflict) as refused:
        audit_purge(older_than_days=365)
    assert refused.value.code == "audit_trail_damaged"
    assert AuditEntry.objects.count() == 4
    assert AuditHead.objects.get().base_seq == 0


def test_the_periodic_job_writes_a_checkpoint_only_when_entries_came():
    from yachi.compliance.tasks import checkpoint_audit_trail

    audit_record(action=AuditAction.LOGIN)
    assert checkpoint_audit_trail.call_local() == 1
    assert checkpoint_audit_trail.call_local() == 0


def test_production_is_warned_when_checkpoints_lie_beside_the_database(settings, tmp_path):
    from yachi.compliance.checks import checkpoints_kept_apart

    settings.PRODUCTION = True
    settings.DATA_DIR = tmp_path / "data"
    settings.YACHI_AUDIT_CHECKPOINT_FILE = tmp_path / "data" / "audit-checkpoints.jsonl"
    assert [warning.id for warning in checkpoints_kept_apart(None)] == ["compliance.W001"]
    settings.YACHI_AUDIT_CHECKPOINT_FILE = tmp_path / "elsewhere" / "audit-checkpoints.jsonl"
    assert checkpoints_kept_apart(None) == []
    settings.PRODUCTION = False
    settings.YACHI_AUDIT_CHECKPOINT_FILE = tmp_path / "data" / "audit-checkpoints.jsonl"
    assert checkpoints_kept_apart(None) == []
