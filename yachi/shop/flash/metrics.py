"""What a flash sale shows Prometheus: places left in each sale running now (ADR 0041).

The database's count, the record of truth (ADR 0013): Redis' copy may run ahead of it by
the places being written at this moment.
"""

from django.utils import timezone

from yachi.core.metrics import register_gauge
from yachi.shop.flash.models import FlashSale


def places_left() -> dict[tuple[str, str], float]:
    now = timezone.now()
    running = FlashSale.objects.filter(is_active=True, starts_at__lte=now, ends_at__gt=now)
    return {
        (str(public_id), str(clinic_public_id)): float(remaining)
        for public_id, clinic_public_id, remaining in running.values_list(
            "public_id", "clinic__public_id", "remaining"
        )
    }


def register() -> None:
    register_gauge(
        "yachi_flash_sale_places_left",
        "Places left in each flash sale running now, by sale and clinic (public ids)",
        places_left,
        labels=("sale", "clinic"),
    )
