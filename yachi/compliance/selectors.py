from django.db.models import Count

from yachi.compliance.models import DataKey


def data_keys_by_master_key() -> dict[str, int]:
    """How many data keys each master key wraps: a master key absent here can go."""
    rows = DataKey.objects.values("master_key_id").annotate(count=Count("pk"))
    return {row["master_key_id"]: row["count"] for row in rows.order_by("master_key_id")}


def data_key_current() -> DataKey | None:
    return DataKey.objects.filter(is_current=True).first()
