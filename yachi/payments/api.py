"""Paying from the mini-program: my payments, the methods on offer, starting a payment."""

from django.http import HttpResponse
from django.urls import reverse
from ninja import Router

from yachi.core.schemas import errors
from yachi.payments import bills, documents, gateway, receipts, selectors
from yachi.payments.access import access_payment_by_id
from yachi.payments.choices import Method
from yachi.payments.schemas import (
    CouponIn,
    CouponOut,
    MethodOut,
    PaymentDetailOut,
    PaymentOut,
    ReceiptOut,
    StartIn,
    StartOut,
)

router = Router(tags=["payments"])


@router.get("/payments", response={200: list[PaymentOut], **errors(401)})
def my_payments(request):
    """The caller's payments, newest first (the last 100)."""
    return selectors.payments_of_payer(payer=request.auth)


@router.get("/payments/{payment_id}", response={200: PaymentDetailOut, **errors(401, 404)})
def payment_detail(request, payment_id: str):
    """A payment; a treatment bill's with its lines (收费明细) and the coupon's share on each."""
    intent = access_payment_by_id(actor=request.auth, payment_id=payment_id)
    bill = bills.bill_of(intent)
    if bill is not None:
        intent.bill = {
            "bill_id": bill.public_id,
            "list_fen": bill.list_fen,
            "discount_fen": bill.discount_fen,
            "lines": receipts.lines_of_bills([bill]).get(bill.pk, []),
        }
    return intent


@router.get("/payment-methods", auth=None, response={200: list[MethodOut]})
def payment_methods(request):
    """The online methods this deployment accepts, with their channels."""
    return [
        {"method": m, "name": str(Method(m).label), "channels": list(gateway.CHANNELS[m])}
        for m in gateway.available_methods()
    ]


@router.get("/payments/{payment_id}/coupons", response={200: list[CouponOut], **errors(401, 404)})
def payment_coupons(request, payment_id: str):
    """The caller's coupons that would take something off this bill (empty otherwise)."""
    intent = access_payment_by_id(actor=request.auth, payment_id=payment_id, payer_only=True)
    return [
        {"coupon_id": d.coupon_id, "title": d.title, "discount_fen": d.discount_fen}
        for d in bills.bill_coupons(intent=intent)
    ]


@router.post(
    "/payments/{payment_id}/coupon",
    response={200: PaymentOut, **errors(400, 401, 404, 409, 413, 422)},
)
def payment_use_coupon(request, payment_id: str, payload: CouponIn):
    """Use one coupon on a treatment bill before paying starts; the amount goes down."""
    intent = access_payment_by_id(actor=request.auth, payment_id=payment_id, payer_only=True)
    return bills.bill_apply_coupon(actor=request.auth, intent=intent, coupon_id=payload.coupon_id)


@router.post(
    "/payments/{payment_id}/start",
    response={200: StartOut, **errors(400, 401, 404, 409, 413, 422, 503)},
)
def payment_start(request, payment_id: str, payload: StartIn):
    """Open the trade: JSAPI parameters for `wx.requestPayment`, or a page to open.

    For WeChat Pay in the mini-program (`jsapi`) the caller's WeChat account must be
    bound (`POST /me/wechat`); its openid is the payer.
    """
    intent = access_payment_by_id(actor=request.auth, payment_id=payment_id, payer_only=True)
    start = gateway.payment_start(
        intent=intent,
        method=payload.method,
        channel=payload.channel,
        payer_openid=request.auth.wechat_openid or "",
        client_ip=request.client_ip,
        return_url=payload.return_url,
    )
    url = start.url
    if url.startswith("/"):
        url = request.build_absolute_uri(url)
    return {"kind": start.kind, "params": start.params, "url": url}


@router.get("/payments/{payment_id}/receipt", response={200: ReceiptOut, **errors(401, 404)})
def payment_receipt(request, payment_id: str):
    """The payer: the receipt (收据) of a paid payment; `404 not_paid` before it is paid."""
    intent = access_payment_by_id(actor=request.auth, payment_id=payment_id, payer_only=True)
    receipt = receipts.receipt_of(intent)
    url = request.build_absolute_uri(reverse("web:receipt", args=[intent.public_id]))
    return {
        "number": receipt.number,
        "clinic": receipt.clinic_name,
        "clinic_address": receipt.clinic_address,
        "payer": receipt.payer,
        "purpose": receipt.purpose,
        "description": receipt.description,
        "list_fen": receipt.list_fen,
        "discount_fen": receipt.discount_fen,
        "paid_fen": receipt.paid_fen,
        "refunded_fen": receipt.refunded_fen,
        "kept_fen": receipt.kept_fen,
        "method": receipt.method,
        "paid_at": receipt.paid_at,
        "status": receipt.status,
        "visit": receipt.visit,
        "lines": list(receipt.lines),
        "url": url,
        "download_url": url + "?download=1",
    }


@router.get(
    "/payments/{payment_id}/receipt.pdf",
    response={200: None, **errors(401, 404)},
    openapi_extra={
        "responses": {
            200: {
                "description": "The itemised receipt as a PDF",
                "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    },
)
def payment_receipt_pdf(request, payment_id: str):
    """The itemised receipt (收据) of a paid payment as a PDF, for the payer or staff of
    its clinic (a staff download is audited); `404 not_paid` before it is paid."""
    name, content = documents.receipt_pdf(actor=request.auth, payment_id=payment_id)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
