"""What other contexts may use of operations: the state of backups, for readiness and
metrics (``last_backup``: when the newest run ended, its status and size, and the newest
good one); the console's notice to administrators (``last_backup_failed``)."""

from yachi.operations.backups.selectors import LastBackup, last_backup, last_backup_failed

__all__ = ["LastBackup", "last_backup", "last_backup_failed"]
