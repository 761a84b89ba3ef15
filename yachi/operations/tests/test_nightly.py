"""The nightly backup: retention, the administrators told when it fails, the console page
and what monitoring reads (``last_backup``)."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from tests.factories import StaffFactory
from yachi.core.roles import Role
from yachi.messaging.models import Notification
from yachi.operations import facade
from yachi.operations.backups import retention
from yachi.operations.backups.choices import Status, Trigger
from yachi.operations.backups.models import BackupRun
from yachi.operations.backups.services import archive_name, backup_nightly


@pytest.fixture
def administrator(db):
    return StaffFactory(role=Role.ADMIN, is_superuser=True, phone="18700009999", name="系统管理员")


def test_a_failed_nightly_backup_tells_every_administrator(
    world, settings, tmp_path, administrator
):
    blocked = tmp_path / "not-a-directory"
    blocked.write_text("a file where the backups should go")
    settings.YACHI_BACKUP_DIR = blocked

    run = backup_nightly()

    assert (run.status, run.trigger) == (Status.FAILED, Trigger.NIGHTLY) and run.error
    told = Notification.objects.filter(kind="backup_failed")
    assert {n.recipient_id for n in told} == {administrator.pk}
    assert {n.channel for n in told} == {"sms", "inbox"}
    assert not told.filter(recipient=world.clinic_a_manager).exists()
    last = facade.last_backup()
    assert last.status == Status.FAILED and last.succeeded_at is None


def test_the_nightly_backup_deletes_what_retention_no_longer_keeps(world, settings, tmp_path):
    settings.YACHI_BACKUP_DIR = tmp_path
    now = timezone.now()
    older = []
    for days in range(1, 60):
        path = tmp_path / archive_name(now - timedelta(days=days))
        path.write_bytes(b"an older archive")
        older.append(path)
    pruned_run = BackupRun.objects.create(
        trigger=Trigger.NIGHTLY,
        status=Status.SUCCEEDED,
        started_at=now - timedelta(days=59),
        finished_at=now - timedelta(days=59),
        path=str(older[-1]),
        size_bytes=16,
    )

    run = backup_nightly()

    assert run.status == Status.SUCCEEDED and Path(run.path).exists()
    left = sorted(tmp_path.glob("yachi-backup-*.ybk"))
    zone = timezone.get_current_timezone()
    stamps = [retention.made_at(path.name, zone) for path in [*older, Path(run.path)]]
    assert len(left) == len(retention.kept(stamps, daily=7, weekly=4, monthly=12))
    assert len(left) < 7 + 4 + 12 and Path(run.path) in left
    assert all(path in left for path in older[:6])  # the last seven days, today's included
    pruned_run.refresh_from_db()
    assert pruned_run.pruned_at is not None and not older[-1].exists()


def test_last_backup_gives_monitoring_the_time_size_and_status(world, settings, tmp_path):
    assert facade.last_backup() is None
    settings.YACHI_BACKUP_DIR = tmp_path

    run = backup_nightly()

    last = facade.last_backup()
    assert (last.finished_at, last.status, last.size_bytes) == (
        run.finished_at,
        Status.SUCCEEDED,
        Path(run.path).stat().st_size,
    )
    assert last.succeeded_at == run.finished_at


def test_administrators_see_backups_in_the_console_and_managers_do_not(
    client, world, settings, tmp_path, administrator
):
    settings.YACHI_BACKUP_DIR = tmp_path
    backup_nightly()
    settings.YACHI_BACKUP_DIR = tmp_path / "missing" / "x"
    (tmp_path / "missing").write_text("blocks the directory")
    backup_nightly()

    client.force_login(administrator)
    page = client.get("/console/backups/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "最近一次备份" in body and "失败" in body and "<svg" in body
    assert body.count("<tr") == 3  # the header and both runs

    client.force_login(world.clinic_a_manager)
    assert client.get("/console/backups/").status_code == 403


def test_every_console_page_tells_administrators_that_the_last_backup_failed(
    client, world, settings, tmp_path, administrator
):
    (tmp_path / "blocked").write_text("a file where a directory should be")
    settings.YACHI_BACKUP_DIR = tmp_path / "blocked" / "backups"
    backup_nightly()

    client.force_login(administrator)
    assert "最近一次备份失败" in client.get("/console/audit/").content.decode()
    client.force_login(world.clinic_a_manager)
    assert "最近一次备份失败" not in client.get("/console/audit/").content.decode()

    settings.YACHI_BACKUP_DIR = tmp_path
    backup_nightly()
    client.force_login(administrator)
    assert "最近一次备份失败" not in client.get("/console/audit/").content.decode()
