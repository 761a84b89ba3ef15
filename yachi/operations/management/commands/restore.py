from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from yachi.core.progress import progress_bar
from yachi.operations.backups.restore import RestoreFailed, RestoreRefused, restore


class Command(BaseCommand):
    help = (
        "Restore an archive of `yachi backup` into the empty data directory or database "
        "the environment names (YACHI_DATA_DIR, DATABASE_URL), with the key file of "
        "`yachi backup --keys`; then verify the counts, the keys and the audit trail."
    )
    # The checks would read the keys and the database before the restore put them there.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path)
        parser.add_argument("--keys", type=Path, required=True, metavar="KEYFILE")

    def handle(self, *args, archive, keys, **options):
        bar, update = progress_bar(self.stderr)
        try:
            report = restore(archive_path=archive, keys_path=keys, progress=update)
        except RestoreRefused as exc:
            bar.finish()
            raise CommandError(f"restore refused, nothing changed: {exc}") from exc
        except RestoreFailed as exc:
            bar.finish()
            raise CommandError(f"restore failed: {exc}") from exc
        except OSError as exc:
            bar.finish()
            raise CommandError(f"restore failed: {exc}") from exc
        bar.finish()
        lines = [
            f"restored the {report.vendor} backup of {report.created_at}: {report.tables} "
            f"tables, {report.rows} rows (as counted at backup), {report.files} files",
            f"data keys: {report.data_keys} open with the key file's master keys",
            f"audit trail intact: {report.audit_entries} entries",
        ]
        if report.keys_file:
            lines.append(f"keys written to {report.keys_file}")
        if report.migrated:
            lines.append(f"migrated to this code: {', '.join(report.migrated)}")
        self.stdout.write("\n".join(lines))
