from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BookingConfig(AppConfig):
    name = "yachi.booking"
    label = "booking"
    verbose_name = _("Booking")

    def ready(self):
        from yachi.booking import handlers  # noqa: F401  (subscribes to other contexts' events)
