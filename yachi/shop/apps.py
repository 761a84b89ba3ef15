from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ShopConfig(AppConfig):
    name = "yachi.shop"
    verbose_name = _("Mall")

    def ready(self):
        from yachi.shop import handlers

        # The mall owns mall-order payments: it hears when they are paid, closed, refunded.
        handlers.register()
