from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from yachi.core.errors import DomainError
from yachi.core.pages import patient_required
from yachi.payments import bills, fulfilment, gateway, receipts, selectors
from yachi.payments.access import access_payment_by_id
from yachi.payments.choices import IntentStatus, Method
from yachi.payments.providers.base import ProviderRefused
from yachi.payments.providers.simulator import SIGNATURE_HEADER, SimulatorProvider, sign


@csrf_exempt
@require_POST
def callback(request, method: str):
    """A provider's notification. Not signed by a user: its own signature is checked.

    Read from the stream up to one byte past the limit, whatever the body's size or
    Content-Type, so that even a huge or garbled notification is recorded.
    """
    if method not in gateway.CHANNELS:
        raise Http404
    body = request.read(gateway.MAX_NOTIFICATION_BYTES + 1)
    try:
        answer = gateway.callback_receive(
            method=method,
            headers=request.headers,
            body=body,
            remote_addr=request.client_ip,
        )
    except DomainError:
        raise Http404 from None
    return HttpResponse(answer.body, status=answer.status, content_type=answer.content_type)


@patient_required
@require_http_methods(["GET", "POST"])
def simulator_page(request, out_trade_no: str):
    """Stands in for the provider's cashier page; only where the simulator is enabled.

    Only the payer, logged in, may confirm: a trade number in an address is an
    identifier, not a credential.
    """
    if not settings.YACHI_PAYMENT_SIMULATOR:
        raise Http404
    intent = selectors.simulator_intent(payer=request.user, out_trade_no=out_trade_no)
    if intent is None:
        raise Http404
    error = ""
    if request.method == "POST":
        provider = SimulatorProvider()
        try:
            body = provider.pay(out_trade_no)
        except ProviderRefused:
            error = _("This payment has been closed. Please start again.")
        else:
            # Through the same path a real provider's notification takes.
            gateway.callback_receive(
                method=Method.SIMULATOR,
                headers={SIGNATURE_HEADER: sign(body)},
                body=body,
                remote_addr=request.client_ip,
            )
            return redirect("web:pay", payment_id=intent.public_id)
    return render(request, "payments/simulator.html", {"intent": intent, "error": error})


@patient_required
def payments_page(request):
    intents = selectors.payments_of_payer(payer=request.user, with_clinic=True)
    return render(request, "payments/payments.html", {"intents": intents, "tab": "me"})


@patient_required
@require_http_methods(["GET", "POST"])
def pay_page(request, payment_id: str):
    """One payment: its state, and the methods to pay it with while it is open."""
    intent = access_payment_by_id(actor=request.user, payment_id=payment_id, payer_only=True)
    error = ""
    if request.method == "POST" and request.POST.get("coupon"):
        try:
            bills.bill_apply_coupon(
                actor=request.user, intent=intent, coupon_id=request.POST["coupon"]
            )
        except DomainError as exc:
            error = exc.message
        intent.refresh_from_db()
    elif request.method == "POST":
        try:
            start = gateway.payment_start(
                intent=intent,
                method=request.POST.get("method", ""),
                channel="h5" if request.POST.get("method") == Method.WECHATPAY else "",
                payer_openid=request.user.wechat_openid or "",
                client_ip=request.client_ip,
                return_url=request.path,
            )
        except DomainError as exc:
            error = exc.message
        else:
            if start.kind == "redirect" and start.url:
                return redirect(start.url)
            error = _("Open this payment in the WeChat mini-program to pay.")
        intent.refresh_from_db()
    methods = [(m, Method(m).label) for m in gateway.available_methods()]
    bill = bills.bill_of(intent)
    return render(
        request,
        "payments/pay.html",
        {
            "intent": intent,
            "methods": methods,
            "error": error,
            "open": intent.status == IntentStatus.CREATED and intent.expires_at > timezone.now(),
            "entries": intent.entries.all(),
            "bill": bill,
            "lines": receipts.lines_of_bills([bill]).get(bill.pk, []) if bill else [],
            "coupons": bills.bill_coupons(intent=intent),
            "refunds": intent.refunds.all(),
            "owner_link": fulfilment.owner_link(intent),
            "tab": "me",
        },
    )


@patient_required
def receipt_page(request, payment_id: str):
    """The receipt (收据) of a paid payment, to print or, with ``?download=1``, to keep."""
    intent = access_payment_by_id(actor=request.user, payment_id=payment_id, payer_only=True)
    receipt = receipts.receipt_of(intent)
    if request.GET.get("download") == "1":
        response = render(
            request,
            "payments/receipt_file.html",
            {"receipt": receipt, "css": receipts.receipt_css()},
        )
        filename = f"receipt-{receipt.number}.html"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
    return render(
        request,
        "payments/receipt.html",
        {
            "receipt": receipt,
            "intent": intent,
            "tab": "me",
            "documents": receipts.payment_documents(intent),
        },
    )
