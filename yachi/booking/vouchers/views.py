"""The patient's 服务券 under 我的: the list, one voucher, and 预约 into the booking flow."""

from django.shortcuts import render

from yachi.booking.vouchers import policy, selectors
from yachi.booking.vouchers.access import access_voucher_by_id
from yachi.core.pages import patient_required


@patient_required
def vouchers_page(request):
    rows = [
        (voucher, policy.may_book(voucher))
        for voucher in selectors.vouchers_of_owner(owner=request.user)
    ]
    return render(request, "booking/vouchers/vouchers.html", {"rows": rows, "tab": "me"})


@patient_required
def voucher_page(request, voucher_id):
    voucher = access_voucher_by_id(actor=request.user, voucher_id=voucher_id)
    return render(
        request,
        "booking/vouchers/voucher.html",
        {
            "voucher": voucher,
            "may_book": policy.may_book(voucher),
            "may_refund": policy.may_refund(voucher),
            "order_id": policy.order_id_of(voucher),
            "tab": "me",
        },
    )
