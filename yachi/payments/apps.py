from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PaymentsConfig(AppConfig):
    name = "yachi.payments"
    verbose_name = _("Payments")

    def ready(self):
        from yachi.payments import bills, fulfilment
        from yachi.payments.choices import Purpose

        fulfilment.register(
            Purpose.BILL,
            on_paid=bills.on_paid,
            on_closed=bills.on_closed,
            on_refunded=bills.on_refunded,
        )
