from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FinancingConfig(AppConfig):
    name = "yachi.financing"
    label = "financing"
    verbose_name = _("Financing and invoices")

    def ready(self):
        from yachi.compliance.facade import register_personal_data
        from yachi.crm import facade as crm
        from yachi.financing import arrears, documents, privacy, refunds
        from yachi.payments import facade as payments

        # Overdue instalments count as money owed in CRM's arrears tag.
        crm.register_arrears_source(arrears.overdue_instalments)
        # A refunded payment's invoice is reversed by a red-letter invoice.
        payments.register_refund_listener(refunds.on_refund)
        # The invoice's status beside the receipt and on the desk's bill page.
        payments.register_payment_documents(documents.invoice_lines)
        register_personal_data(privacy.PERSONAL_DATA)
