import time

from django.core.management.base import BaseCommand

from yachi.shop.flash import store as flash_store
from yachi.shop.flash.repair import consumer_name, flash_repair, stream_drain

BLOCK_MS = 2000


class Command(BaseCommand):
    help = (
        "Turn flash-sale places taken in Redis into orders when their request died, "
        "within seconds (the minute job does it otherwise), and repair every minute."
    )

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="drain and repair once, then stop")
        parser.add_argument(
            "--claim-after",
            type=int,
            default=30,
            help="seconds before a dead worker's entries are taken over",
        )

    def handle(self, *args, once, claim_after, **options):
        if not flash_store.enabled():
            self.stderr.write(
                "flash sales do not use Redis here (YACHI_FLASH_SALE_REDIS): nothing to do"
            )
            return
        consumer = consumer_name()
        self.stdout.write(f"flash worker {consumer} reading {flash_store.STREAM}")
        next_repair = 0.0
        while True:
            handled = stream_drain(
                consumer=consumer,
                # Shorter than the Redis client's socket timeout (5 s), which would
                # otherwise end every quiet wait as if Redis were gone.
                block_ms=None if once else BLOCK_MS,
                claim_idle_ms=claim_after * 1000,
            )
            if handled:
                self.stdout.write(f"{handled} entries handled")
            if time.monotonic() >= next_repair or once:
                result = flash_repair()
                next_repair = time.monotonic() + 60
                if any(result.values()):
                    self.stdout.write(f"repair: {result}")
            if once:
                return
