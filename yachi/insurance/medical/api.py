"""The front desk's medical-insurance settlement of a bill (医保结算)."""

from ninja import Router

from yachi.core.schemas import errors
from yachi.insurance.medical import services
from yachi.insurance.medical.access import access_bill_for_insurance, access_settlement_by_id
from yachi.insurance.medical.schemas import (
    CredentialIn,
    InsuredOut,
    SettleIn,
    SettlementOut,
    UndoIn,
)

router = Router(tags=["medical insurance"])

FAILS = errors(400, 401, 403, 404, 409, 413, 422, 503)


@router.post("/payments/{payment_id}/insurance/identity", response={200: InsuredOut, **FAILS})
def identity_check(request, payment_id: str, payload: CredentialIn):
    """Who the scanned 医保电子凭证 belongs to: name, insurance and personal-account balance."""
    intent = access_bill_for_insurance(actor=request.auth, payment_id=payment_id)
    return services.identity_check(
        actor=request.auth, clinic=intent.clinic, credential=payload.credential
    )


@router.post("/payments/{payment_id}/insurance/pre-settle", response={200: SettlementOut, **FAILS})
def pre_settle(request, payment_id: str, payload: CredentialIn):
    """How the bill splits: `fund_fen` (统筹基金), `account_fen` (个人账户), `self_fen`
    (the patient's part), per item by its catalogue class; unmapped items are self-paid.
    Nothing is paid yet."""
    intent = access_bill_for_insurance(actor=request.auth, payment_id=payment_id)
    return services.pre_settle(actor=request.auth, payment=intent, credential=payload.credential)


@router.post("/payments/{payment_id}/insurance/settle", response={200: SettlementOut, **FAILS})
def settle(request, payment_id: str, payload: SettleIn | None = None):
    """Settle the bill's latest pre-settlement (or `settlement_id`): insurance's part is
    recorded as a payment of the bill, the bill then asks for `self_fen`. Settling twice
    answers the first settlement."""
    intent = access_bill_for_insurance(actor=request.auth, payment_id=payment_id)
    return services.settle(
        actor=request.auth,
        payment=intent,
        settlement_id=payload.settlement_id if payload is not None else None,
    )


@router.get(
    "/insurance-settlements/{settlement_id}", response={200: SettlementOut, **errors(401, 403, 404)}
)
def settlement_detail(request, settlement_id: str):
    return access_settlement_by_id(actor=request.auth, settlement_id=settlement_id)


@router.post(
    "/insurance-settlements/{settlement_id}/reverse", response={200: SettlementOut, **FAILS}
)
def reverse(request, settlement_id: str, payload: UndoIn):
    """冲正: undo a settlement on its day; the bill asks for insurance's part again
    (`payment_id` is the bill's payment to pay). After the rest is paid, refund instead."""
    settlement = access_settlement_by_id(actor=request.auth, settlement_id=settlement_id)
    return services.undo(actor=request.auth, settlement=settlement, reason=payload.reason)


@router.post(
    "/insurance-settlements/{settlement_id}/refund", response={200: SettlementOut, **FAILS}
)
def refund(request, settlement_id: str, payload: UndoIn):
    """退费: insurance's part goes back to the fund and the personal account; the patient's
    own payment is refunded, if at all, on the bill."""
    settlement = access_settlement_by_id(actor=request.auth, settlement_id=settlement_id)
    return services.undo(
        actor=request.auth, settlement=settlement, reason=payload.reason, refund=True
    )
