from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from yachi.compliance.audit import audit_checkpoint, audit_purge, audit_verify
from yachi.core.errors import DomainError

# Enough to see what happened; the rest is the same story told by more checkpoints.
PROBLEMS_SHOWN = 10


class Command(BaseCommand):
    help = (
        "The audit trail: `verify` the chain, its head and its checkpoints; write a "
        "`checkpoint` now; or `purge` entries past retention."
    )

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        verify = actions.add_parser(
            "verify", help="exit 0 when the trail is intact, 1 naming the first bad entry"
        )
        verify.add_argument(
            "--checkpoints",
            type=Path,
            action="append",
            default=[],
            metavar="FILE",
            help="also hold the trail to the checkpoints in FILE: a copy of the checkpoint "
            "file or of the log from wherever they were shipped (may be repeated)",
        )
        actions.add_parser(
            "checkpoint", help="write the end of the chain down outside the database"
        )
        purge = actions.add_parser("purge", help="delete entries older than the retention period")
        purge.add_argument("--older-than-days", type=int, required=True)

    def handle(self, *args, action, **options):
        if action == "verify":
            self._verify(options["checkpoints"])
        elif action == "checkpoint":
            self._checkpoint()
        else:
            try:
                deleted = audit_purge(older_than_days=options["older_than_days"])
            except DomainError as exc:
                raise CommandError(str(exc.message)) from exc
            self.stdout.write(f"purged {deleted} audit entries")

    def _verify(self, checkpoint_files):
        verdict = audit_verify(checkpoint_files=checkpoint_files)
        if not verdict.intact:
            first, *others = verdict.problems
            where = f" at entry #{first.seq}" if first.seq is not None else ""
            lines = [f"audit trail broken{where}: {first.reason}"]
            lines += [f"  also: {problem.reason}" for problem in others[:PROBLEMS_SHOWN]]
            if len(others) > PROBLEMS_SHOWN:
                lines.append(f"  and {len(others) - PROBLEMS_SHOWN} more")
            lines.append(f"({verdict.checked} entries checked)")
            raise CommandError("\n".join(lines), returncode=1)
        span = f" (#{verdict.first_seq}–#{verdict.last_seq})" if verdict.checked else ""
        anchored = "no checkpoint yet"
        if verdict.last_checkpoint:
            anchored = (
                f"{verdict.checkpoints} checkpoint(s) agree; the last, "
                f"{verdict.last_checkpoint.describe()}, saw #{verdict.last_checkpoint.seq}"
            )
        self.stdout.write(f"audit trail intact: {verdict.checked} entries{span}; {anchored}")

    def _checkpoint(self):
        checkpoint = audit_checkpoint()
        if checkpoint is None:
            self.stdout.write("no new audit entry since the last checkpoint: nothing written")
            return
        local = timezone.localtime(checkpoint.when).isoformat(sep=" ", timespec="seconds")
        self.stdout.write(f"checkpoint {checkpoint.number} written: #{checkpoint.seq} at {local}")
