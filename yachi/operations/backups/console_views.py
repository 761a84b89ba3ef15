"""Backups in the console, for administrators: the last backup, its size and status,
the history with a chart of sizes, and what retention keeps."""

from django.conf import settings
from django.shortcuts import render
from django.utils.translation import gettext as _

from yachi.core.pages import staff_required
from yachi.operations.backups.choices import Status
from yachi.operations.backups.selectors import backup_history, last_backup

CHART_RUNS = 30
CHART_WIDTH, CHART_HEIGHT, BAR_GAP = 600, 120, 4
# A bar is at most this wide, so that a few runs do not look like a wall.
BAR_WIDTH = 36


def _chart(runs) -> list[dict]:
    """Bars of the last runs' sizes, oldest on the left; a failed run is a short red bar."""
    shown = list(reversed(runs[:CHART_RUNS]))
    largest = max((run.size_bytes for run in shown), default=0) or 1
    width = min(CHART_WIDTH / max(len(shown), 1), BAR_WIDTH + BAR_GAP)
    bars = []
    for index, run in enumerate(shown):
        failed = run.status == Status.FAILED
        height = 6 if failed else max(2, round(CHART_HEIGHT * run.size_bytes / largest))
        bars.append(
            {
                "x": round(index * width + BAR_GAP / 2, 1),
                "y": CHART_HEIGHT - height,
                "width": round(min(max(width - BAR_GAP, 1), BAR_WIDTH), 1),
                "height": height,
                "failed": failed,
                "run": run,
            }
        )
    return bars


@staff_required
def backups_page(request):
    if not request.user.is_staff:
        return render(
            request,
            "web/message.html",
            {
                "title": _("Administrators only"),
                "text": _("Backups are for the administrators of the installation."),
            },
            status=403,
        )
    runs = backup_history()
    return render(
        request,
        "operations/console/backups.html",
        {
            "last": last_backup(),
            "runs": runs,
            "bars": _chart(runs),
            "chart_width": CHART_WIDTH,
            "chart_height": CHART_HEIGHT,
            "directory": settings.YACHI_BACKUP_DIR,
            "nightly": settings.YACHI_BACKUP_NIGHTLY,
            "at": "{:02d}:{:02d}".format(*settings.YACHI_BACKUP_TIME),
            "keep": (
                settings.YACHI_BACKUP_KEEP_DAILY,
                settings.YACHI_BACKUP_KEEP_WEEKLY,
                settings.YACHI_BACKUP_KEEP_MONTHLY,
            ),
            "section": "backups",
        },
    )
