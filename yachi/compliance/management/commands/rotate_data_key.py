from django.core.management.base import BaseCommand, CommandError

from yachi.compliance.envelope import CURRENT_KEY_SECONDS
from yachi.compliance.errors import EncryptionError
from yachi.compliance.management import positive_integer
from yachi.compliance.selectors import data_key_current
from yachi.compliance.services import data_key_rotate, values_reencrypt


class Command(BaseCommand):
    help = (
        "Retire the current data key and encrypt new values under a new one; with "
        "--reencrypt, also re-encrypt every stored value under the new key."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--reencrypt",
            action="store_true",
            help="re-encrypt every encrypted value of every model under the new key",
        )
        parser.add_argument(
            "--resume",
            action="store_true",
            help=(
                "do not rotate: re-encrypt the values still under a retired key (after an "
                "interrupted run, or written by a process that had not switched yet)"
            ),
        )
        parser.add_argument("--batch-size", type=positive_integer, default=500)

    def handle(self, *args, reencrypt, resume, batch_size, **options):
        try:
            if not resume:
                self._rotate()
            if reencrypt or resume:
                self._reencrypt(batch_size)
        except EncryptionError as exc:
            raise CommandError(str(exc)) from exc
        if reencrypt and not resume:
            self.stdout.write(
                "Values that processes wrote under the retired key before switching are "
                f"re-encrypted by running again with --resume after {CURRENT_KEY_SECONDS} seconds."
            )

    def _rotate(self):
        retired = data_key_current()
        key = data_key_rotate()
        if retired is not None:
            self.stdout.write(f"Data key {retired.pk} retired.")
        self.stdout.write(
            f"Data key {key.pk} is current; running processes switch to it within "
            f"{CURRENT_KEY_SECONDS} seconds."
        )

    def _reencrypt(self, batch_size):
        for result in values_reencrypt(batch_size=batch_size):
            self.stdout.write(
                f"  {result.model}: {result.reencrypted} of {result.rows} row(s) re-encrypted"
            )
