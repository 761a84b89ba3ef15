"""Yesterday's online payments of the demo, through the payment simulator, and the
simulator's statement of that day, so that 立即对账 on the console's 对账 page has
something to find: three app payments that agree, and one trade the clinic never
created (我方无此交易)."""

from datetime import datetime, time, timedelta

from yachi.accounts.models import User
from yachi.core.roles import ClinicRole, Role
from yachi.payments.bills import bill_create
from yachi.payments.choices import Method
from yachi.payments.providers.simulator import SimulatorProvider
from yachi.payments.services import payment_received

PAYMENTS = (("洁牙", 26800, 10), ("儿童涂氟", 12800, 14), ("复诊费", 5000, 16))
STRANGER = ("NX20261201174000", 38800, 17)


def build_simulator_day(*, clinic, today, zone) -> int:
    day = today - timedelta(days=1)
    desk = (
        User.objects.filter(memberships__clinic=clinic, memberships__role=ClinicRole.FRONT_DESK)
        .order_by("pk")
        .first()
    )
    payers = User.objects.filter(role=Role.PATIENT).order_by("pk")[3 : 3 + len(PAYMENTS)]
    lines = []
    for payer, (what, fen, hour) in zip(payers, PAYMENTS, strict=False):
        intent = bill_create(
            actor=desk, clinic=clinic, payer=payer, amount_fen=fen, description=what
        )
        paid_at = datetime.combine(day, time(hour, 12), tzinfo=zone)
        payment_received(
            method=Method.SIMULATOR,
            out_trade_no=intent.out_trade_no,
            amount_fen=fen,
            provider_trade_no=f"SIM-{intent.out_trade_no}",
            paid_at=paid_at,
            source="demo",
        )
        lines.append(_line(intent.out_trade_no, fen, paid_at))
    number, fen, hour = STRANGER
    lines.append(_line(number, fen, datetime.combine(day, time(hour, 40), tzinfo=zone)))
    SimulatorProvider().statement_set(day, lines)
    return len(lines) - 1


def _line(out_trade_no: str, fen: int, at: datetime) -> dict:
    return {
        "kind": "payment",
        "out_trade_no": out_trade_no,
        "provider_trade_no": f"SIM-{out_trade_no}",
        "amount_fen": fen,
        "at": at.isoformat(),
    }
