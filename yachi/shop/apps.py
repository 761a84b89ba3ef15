from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ShopConfig(AppConfig):
    name = "yachi.shop"
    verbose_name = _("Mall")

    def ready(self):
        from yachi.compliance.facade import register_object_labels
        from yachi.shop import handlers
        from yachi.shop.flash import metrics
        from yachi.shop.selectors import order_labels

        register_object_labels("order", order_labels)
        register_object_labels("shop.order", order_labels)

        # The mall owns mall-order payments: it hears when they are paid, closed, refunded.
        handlers.register()
        metrics.register()
