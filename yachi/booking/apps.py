from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BookingConfig(AppConfig):
    name = "yachi.booking"
    label = "booking"
    verbose_name = _("Booking")

    def ready(self):
        from yachi.booking import (
            deposits,
            handlers,  # noqa: F401  (subscribes to other contexts' events)
        )
        from yachi.payments.facade import Purpose, register_owner

        register_owner(
            Purpose.DEPOSIT,
            on_paid=deposits.on_paid,
            on_closed=deposits.on_closed,
            # No on_refunded: a refunded deposit belongs to a cancelled appointment.
        )
