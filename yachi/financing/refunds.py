"""Payments tells financing of every refund (``register_refund_listener``)."""

from yachi.financing.invoicing.services import red_letter_plan


def on_refund(intent, refund) -> None:
    red_letter_plan(intent=intent, refund=refund)
