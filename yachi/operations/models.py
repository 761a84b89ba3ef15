"""The operations context's tables: its sub-packages' models, under its app label."""

from yachi.operations.backups.models import BackupRun

__all__ = ["BackupRun"]
