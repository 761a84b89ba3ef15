from django.utils.translation import gettext_lazy as _

from yachi.core.errors import Conflict, DomainError, InvalidInput


class PaymentExists(Conflict):
    code = "payment_exists"
    default_message = _("This is already being paid.")


class NotPayable(Conflict):
    code = "not_payable"
    default_message = _("This payment can no longer be paid.")


class AmountChanged(Conflict):
    code = "amount_changed"
    default_message = _(
        "The bill has changed since this page was opened. Check the new amount and take "
        "the payment again."
    )


class MethodUnavailable(InvalidInput):
    code = "method_unavailable"
    default_message = _("This payment method is not available.")


class RefundTooLarge(Conflict):
    code = "refund_too_large"
    default_message = _("The refund is larger than what is left to refund.")


class ProviderDown(DomainError):
    code = "provider_unavailable"
    status = 503
    default_message = _("The payment service is not answering. Please try again shortly.")


class CannotFulfil(Exception):
    """Raised by an owner when what was paid for can no longer be delivered.

    The payment is then refunded in full and the payer compensated; ``message`` is
    what the payer is told, in their words.
    """

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


class StatementNotAvailable(DomainError):
    """A statement could not be had or read: nothing was compared, nothing changed."""

    code = "statement_unavailable"
    status = 503
    default_message = _("The statement could not be downloaded. Please try again later.")
