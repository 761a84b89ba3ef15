from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError

from yachi.compliance.errors import EncryptionError
from yachi.compliance.keys import (
    MASTER_KEYS,
    development_master_key_add,
    keyring,
    keys_file_path,
)
from yachi.compliance.management import positive_integer
from yachi.compliance.selectors import data_keys_by_master_key
from yachi.compliance.services import data_keys_rewrap


class Command(BaseCommand):
    help = (
        f"Wrap every data key with the current master key (the first of {MASTER_KEYS}). "
        "Safe while the site serves and safe to run again; once it has run, the old "
        "master keys can be removed."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--generate",
            action="store_true",
            help="outside production: first add a new current master key to the key file",
        )
        parser.add_argument("--batch-size", type=positive_integer, default=100)

    def handle(self, *args, generate, batch_size, **options):
        if generate:
            try:
                key_id = development_master_key_add()
            except ImproperlyConfigured as exc:
                raise CommandError(str(exc)) from exc
            self.stdout.write(f"Master key {key_id} added to {keys_file_path()}.")
        ring = keyring()
        current = ring.current_master_key_id
        try:
            count = data_keys_rewrap(batch_size=batch_size)
        except EncryptionError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"{count} data key(s) re-wrapped with master key {current}.")
        in_use = data_keys_by_master_key()
        for key_id, keys in in_use.items():
            self.stdout.write(f"  master key {key_id}: wraps {keys} data key(s)")
        retired = [key_id for key_id in ring.master_keys if key_id != current]
        if retired:
            self.stdout.write(
                f"No data key needs master key(s) {', '.join(retired)} any more: "
                "they can be removed from the configuration."
            )
