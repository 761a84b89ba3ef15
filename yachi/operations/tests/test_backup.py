"""`yachi backup` and `yachi restore` in the process of a running installation: what an
archive holds, the key file, and every refusal of a restore leaving everything as it was."""

import json
import stat
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from yachi.compliance import facade as compliance
from yachi.operations.backups.choices import Status, Trigger
from yachi.operations.backups.models import BackupRun
from yachi.operations.tests.helpers import archive_of, members_of


@pytest.fixture
def photo():
    path = Path(settings.MEDIA_ROOT) / "doctors" / "test-photo.jpg"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"\xff\xd8\xff a doctor's photo")
    yield path
    path.unlink(missing_ok=True)


def backup(capsys, to: Path) -> Path:
    call_command("backup", "--to", str(to))
    return Path(capsys.readouterr().out.strip())


def keys(capsys, to: Path) -> Path:
    call_command("backup", "--keys", "--to", str(to))
    return Path(capsys.readouterr().out.strip())


def test_backup_prints_the_archive_it_wrote_and_records_the_run(world, tmp_path, capsys, photo):
    path = backup(capsys, tmp_path / "archives")

    assert path.parent == tmp_path / "archives" and path.name.endswith(".ybk")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    run = BackupRun.objects.get()
    assert (run.status, run.trigger, run.path) == (Status.SUCCEEDED, Trigger.COMMAND, str(path))
    assert run.size_bytes == path.stat().st_size and run.files >= 1 and run.rows > 0


def test_the_archive_holds_database_files_and_manifest_but_no_key(world, tmp_path, capsys, photo):
    path = backup(capsys, tmp_path)

    members = members_of(path)
    manifest = json.loads(members.pop("manifest.json"))
    assert members["files/default/doctors/test-photo.jpg"] == photo.read_bytes()
    assert set(manifest["members"]) == set(members)
    assert manifest["counts"]["clinics_doctor"] == 3
    assert ["operations", "0001_initial"] in manifest["migrations"]
    everything = b"".join(members.values())
    for value in compliance.keys_export().values():
        for part in value.replace(",", ":").split(":"):
            if len(part) >= 16:
                assert part.encode() not in everything


def test_keys_go_to_a_file_of_their_own_readable_by_the_operator_only(world, tmp_path, capsys):
    path = keys(capsys, tmp_path / "keys")

    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert set(json.loads(path.read_text())) == {
        "YACHI_MASTER_KEYS",
        "YACHI_INDEX_KEY",
        "YACHI_AUDIT_KEY",
        "YACHI_BACKUP_KEY",
    }


def test_keys_without_a_directory_are_refused(world, capsys):
    with pytest.raises(CommandError, match="--to"):
        call_command("backup", "--keys")
    assert capsys.readouterr().out == ""


# --- refusals: nothing changes -----------------------------------------------------------------


@pytest.fixture
def made(world, tmp_path, capsys, photo):
    """An archive and its key file, and what the installation held when they were made."""
    archive = backup(capsys, tmp_path / "archives")
    key_file = keys(capsys, tmp_path / "keys")
    before = (BackupRun.objects.count(), photo.read_bytes(), key_file.read_bytes())
    return archive, key_file, before, photo


def refused(capsys, archive, key_file, match):
    with pytest.raises(CommandError, match=match) as refusal:
        call_command("restore", str(archive), "--keys", str(key_file))
    assert refusal.value.returncode != 0
    assert capsys.readouterr().out == ""


def unchanged(before, key_file, photo):
    assert (BackupRun.objects.count(), photo.read_bytes(), key_file.read_bytes()) == before
    assert not list(Path(settings.DATA_DIR).glob(".restore-*"))


def test_a_tampered_archive_is_refused(made, capsys):
    archive, key_file, before, photo = made
    blob = bytearray(archive.read_bytes())
    blob[len(blob) // 2] ^= 0x01
    archive.write_bytes(bytes(blob))

    refused(capsys, archive, key_file, "altered")
    unchanged(before, key_file, photo)


def test_a_member_changed_by_someone_holding_the_backup_key_fails_its_checksum(made, capsys):
    archive, key_file, before, photo = made
    members = members_of(archive)
    members["files/default/doctors/test-photo.jpg"] = b"another picture"
    archive_of(members, archive)

    refused(capsys, archive, key_file, "校验值不符：files/default/doctors/test-photo.jpg")
    unchanged(before, key_file, photo)


def test_an_archive_opened_with_another_installations_keys_is_refused(made, tmp_path, capsys):
    archive, key_file, before, photo = made
    other = json.loads(key_file.read_text())
    other["YACHI_BACKUP_KEY"] = "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWY="
    other_file = tmp_path / "other-keys.json"
    other_file.write_text(json.dumps(other))

    refused(capsys, archive, other_file, "another backup key")
    unchanged(before, key_file, photo)


def test_an_archive_of_a_newer_schema_than_the_code_is_refused(made, capsys):
    archive, key_file, before, photo = made
    members = members_of(archive)
    manifest = json.loads(members["manifest.json"])
    manifest["migrations"].append(["booking", "9999_from_a_later_version"])
    members["manifest.json"] = json.dumps(manifest).encode()
    archive_of(members, archive)

    refused(capsys, archive, key_file, "比当前程序新.*booking.9999_from_a_later_version")
    unchanged(before, key_file, photo)


def test_a_restore_into_the_running_installation_is_refused(made, capsys):
    archive, key_file, before, photo = made

    refused(capsys, archive, key_file, "已有数据库|已有数据表")
    unchanged(before, key_file, photo)


def test_a_key_file_that_is_not_one_is_refused(made, tmp_path, capsys):
    archive, key_file, before, photo = made
    broken = tmp_path / "broken.json"
    broken.write_text('{"YACHI_MASTER_KEYS": "nope"}')

    refused(capsys, archive, broken, "YACHI_INDEX_KEY|key_id:base64")
    unchanged(before, key_file, photo)
