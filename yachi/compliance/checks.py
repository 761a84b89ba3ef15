"""Start-up checks of compliance's settings (Django's system checks, run by every
command, ``yachi serve`` included)."""

from pathlib import Path

from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.security)
def checkpoints_kept_apart(app_configs, **kwargs) -> list[checks.CheckMessage]:
    """In production, checkpoints beside the database protect it from nobody who holds
    the machine: whoever can rewrite the database can rewrite them too."""
    if not settings.PRODUCTION:
        return []
    data_dir = Path(settings.DATA_DIR).resolve()
    if not settings.YACHI_AUDIT_CHECKPOINT_FILE.resolve().is_relative_to(data_dir):
        return []
    return [
        checks.Warning(
            f"the audit checkpoints are written inside the data directory ({data_dir}), "
            "beside the database they anchor",
            hint="Point YACHI_AUDIT_CHECKPOINT_FILE at another disk or host, or ship the "
            "file or the yachi.audit.checkpoints log off the machine (ADR 0017).",
            id="compliance.W001",
        )
    ]
