from yachi.imaging.caries.tasks import caries_mark_job

__all__ = ["caries_mark_job"]
