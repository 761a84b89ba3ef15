"""What the composition root (web, demo) may use of financing (nothing below imports it):
quotes and plans for the demo, and the invoices of a payment for the console."""

from yachi.financing.invoicing.services import invoices_of_payment
from yachi.financing.services import quote_create

__all__ = ["invoices_of_payment", "quote_create"]
