"""``yachi dicom-node``: the clinic's DICOM Storage SCP (ADR 0060)."""

from django.core.management.base import BaseCommand, CommandError

from yachi.core.errors import DomainError
from yachi.devices.dicom.node import node_start
from yachi.devices.dicom.settings import node_settings


class Command(BaseCommand):
    help = (
        "Receive X-rays from the clinic's units over DICOM (C-STORE, C-ECHO): one node per "
        "clinic, files kept encrypted under the data directory."
    )

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=None, help="default YACHI_DICOM_PORT")
        parser.add_argument("--ae-title", default=None, help="default YACHI_DICOM_AE_TITLE")
        parser.add_argument("--clinic", default=None, help="the clinic's id (YACHI_DICOM_CLINIC)")
        parser.add_argument("--host", default="0.0.0.0", help="address to listen on")  # noqa: S104

    def handle(self, *args, **options):
        try:
            config = node_settings(
                clinic_id=options["clinic"],
                ae_title=options["ae_title"],
                port=options["port"],
                host=options["host"],
            )
        except DomainError as error:
            raise CommandError(str(error.message)) from error
        self.stdout.write(
            f"DICOM node {config.ae_title} for clinic {config.clinic.public_id} listening on "
            f"{config.host}:{config.port}",
        )
        self.stdout.flush()
        try:
            node_start(config, block=True)
        except OSError as error:
            raise CommandError(f"Cannot listen on {config.host}:{config.port}: {error}") from error
        except KeyboardInterrupt:
            pass
