from django.core.management.base import BaseCommand, CommandError

from yachi.compliance.audit import audit_purge, audit_verify
from yachi.core.errors import DomainError


class Command(BaseCommand):
    help = "The audit trail: `verify` the hash chain, or `purge` entries past retention."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        actions.add_parser(
            "verify", help="exit 0 when the chain is intact, 1 naming the first bad entry"
        )
        purge = actions.add_parser("purge", help="delete entries older than the retention period")
        purge.add_argument("--older-than-days", type=int, required=True)

    def handle(self, *args, action, **options):
        if action == "verify":
            verdict = audit_verify()
            if not verdict.intact:
                raise CommandError(
                    f"audit trail broken at entry #{verdict.broken_seq}: {verdict.reason} "
                    f"({verdict.checked} entries checked)",
                    returncode=1,
                )
            span = f" (#{verdict.first_seq}–#{verdict.last_seq})" if verdict.checked else ""
            self.stdout.write(f"audit trail intact: {verdict.checked} entries{span}")
        else:
            try:
                deleted = audit_purge(older_than_days=options["older_than_days"])
            except DomainError as exc:
                raise CommandError(str(exc.message)) from exc
            self.stdout.write(f"purged {deleted} audit entries")
