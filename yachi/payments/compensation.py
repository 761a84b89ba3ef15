"""When we cannot deliver what someone paid for: money back, a coupon, an apology.

Never both charged and without what was paid for: the refund is requested in the same
transaction that settles the payment, and the coupon and the message are keyed by the
payment, so running this twice compensates once.
"""

from django.utils.translation import gettext as _

from yachi.core.money import format_yuan
from yachi.payments.models import PaymentIntent


def compensate(*, intent: PaymentIntent, reason) -> None:
    from yachi.growth.facade import compensation_coupon_issue
    from yachi.messaging.facade import notify
    from yachi.payments.services import refund_request

    if intent.refundable_fen:
        refund_request(
            intent=intent,
            amount_fen=intent.refundable_fen,
            reason=_("Compensation: we could not deliver"),
            key=f"RC{intent.out_trade_no[2:]}",
        )
    if intent.payer is None:
        return
    compensation_coupon_issue(
        user=intent.payer, reference=f"payments.intent:{intent.public_id}", reason=str(reason)
    )
    notify(
        recipient=intent.payer,
        kind="payment_compensated",
        params={
            "what": intent.description,
            "reason": str(reason),
            "amount": format_yuan(intent.amount_fen),
        },
        key=f"compensated:{intent.public_id}",
        object_type="payment",
        object_id=intent.public_id,
    )
