"""The patient's 秒杀 page: sales on offer with their places left, and taking one."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from yachi.core.errors import DomainError
from yachi.core.pages import patient_required
from yachi.payments.facade import intent_by_reference
from yachi.shop.flash.selectors import sale_by_id, sale_phase, sales_on_offer
from yachi.shop.flash.services import flash_reserve


def flash_sales_page(request):
    """Anyone may look; taking a place asks for a login."""
    sales = [(sale, sale_phase(sale)) for sale in sales_on_offer()]
    return render(request, "shop/flash/sales.html", {"sales": sales, "tab": "home"})


@require_POST
def flash_reserve_view(request, sale_id):
    if not request.user.is_authenticated:
        return redirect_to_login(reverse("web:flash_sales"), reverse("web:login"))
    return _reserve(request, sale_id)


@patient_required
def _reserve(request, sale_id):
    try:
        sale = sale_by_id(sale_id)
        reservation = flash_reserve(sale=sale, buyer=request.user)
    except DomainError as exc:
        messages.error(request, str(exc.message))
        return redirect("web:flash_sales")
    intent = getattr(reservation, "payment", None) or intent_by_reference(
        f"shop.order:{reservation.order.public_id}"
    )
    # The payment page belongs to payments; it is addressed by the intent's public id.
    return redirect(f"/pay/{intent.public_id}/")
