from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PaymentsConfig(AppConfig):
    name = "yachi.payments"
    verbose_name = _("Payments")

    def ready(self):
        from yachi.compliance.facade import register_object_labels
        from yachi.patients.facade import register_desk_part
        from yachi.payments import bills, desk, fulfilment, group_buys
        from yachi.payments.choices import Purpose
        from yachi.payments.selectors import bill_labels, payment_labels

        register_object_labels("payment", payment_labels)
        register_object_labels("payments.bill", bill_labels)

        fulfilment.register(
            Purpose.BILL,
            on_paid=bills.on_paid,
            on_closed=bills.on_closed,
            on_refunded=bills.on_refunded,
        )
        # Growth's group-buys take their members' payments here (growth stands beneath).
        group_buys.register()
        # Bills, balance, coupons and points on the front desk's page of a patient.
        register_desk_part(
            key="payments",
            order=10,
            template="payments/partials/desk_part.html",
            read=desk.desk_part,
        )
