from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from yachi.core.progress import progress_bar
from yachi.operations.backups.services import BackupFailed, backup_create, keys_export


class Command(BaseCommand):
    help = (
        "Back up the database, uploaded files and audit checkpoints into an encrypted "
        "archive and print its path; with --keys, export the keys into a file of their own."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--to", type=Path, metavar="DIR", help="where to write (default YACHI_BACKUP_DIR)"
        )
        parser.add_argument(
            "--keys",
            action="store_true",
            help="export the encryption keys and the backup key instead (needs --to; keep "
            "the file apart from the archives)",
        )

    def handle(self, *args, to, keys, **options):
        if keys:
            if to is None:
                raise CommandError("--keys needs --to DIR: the keys never go with the archives")
            try:
                path = keys_export(to=to)
            except BackupFailed as exc:
                raise CommandError(str(exc)) from exc
            self.stdout.write(str(path))
            return
        bar, update = progress_bar(self.stderr)
        try:
            done = backup_create(to=to, progress=update)
        except BackupFailed as exc:
            bar.finish()
            raise CommandError(f"backup failed: {exc}") from exc
        bar.finish()
        self.stderr.write(
            f"{done.rows} rows, {done.files} files, {done.size / 2**20:.1f} MB in "
            f"{done.run.seconds:.1f} s"
        )
        self.stdout.write(str(done.path))
