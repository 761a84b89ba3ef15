from django.core.management.base import BaseCommand

from yachi.core.progress import Progress
from yachi.crm.tags.services import tags_refresh

# The refresh's steps, each reported once: patients, appointments, bills, addresses,
# surveys and complaints, the computation, the writes.
REFRESH_STEPS = 7
STEP_LABELS = {
    "patients": "患者",
    "appointments": "预约",
    "bills": "账单",
    "addresses": "地址",
    "feedback": "满意度与投诉",
    "computed": "计算标签",
    "stored": "保存",
}


class Command(BaseCommand):
    help = (
        "CRM: `yachi crm refresh` computes every patient's tags again and prints how many changed."
    )

    def add_arguments(self, parser):
        commands = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        commands.add_parser("refresh", help="recompute the patients' tags and print what changed")

    def handle(self, *args, action, **options):
        self.stderr.style_func = None
        bar = Progress(REFRESH_STEPS, out=self.stderr, log=lambda message: None)
        done = tags_refresh(progress=lambda step: bar.advance(STEP_LABELS.get(step, step)))
        bar.finish()
        self.stderr.write(
            f"{done.patients} patients in {done.seconds:.1f} s: {done.added} added, "
            f"{done.removed} removed, {done.changed} reasons changed, {done.kept} unchanged"
        )
        self.stdout.write(f"{done.total_changed} tags changed")
