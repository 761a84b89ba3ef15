"""The patient's mall pages: products → cart → checkout → order, and order history."""

import uuid

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yachi.clinics import facade as clinics_facade
from yachi.core.errors import DomainError
from yachi.core.pages import htmx_partial, patient_required
from yachi.shop import access, selectors, services
from yachi.shop.choices import Category, Fulfilment, OrderStatus

SESSION_CLINIC = "shop_clinic"


def pay_path(intent) -> str:
    """The patient's payment page for an intent (the payments pages own it)."""
    return f"/pay/{intent.public_id}/"


def _int(raw, default: int = 0) -> int:
    try:
        return int(raw)
    except (TypeError, ValueError):
        return default


def _chosen_clinic(request):
    """The clinic the patient shops at: picked on the page, remembered in the session."""
    clinics = list(clinics_facade.active_clinics())
    wanted = (
        request.GET.get("clinic") or request.GET.get("clinic_id") or request.POST.get("clinic_id")
    )
    wanted = wanted or request.session.get(SESSION_CLINIC)
    chosen = next((c for c in clinics if str(c.public_id) == wanted), None)
    chosen = chosen or (clinics[0] if clinics else None)
    if chosen is not None:
        request.session[SESSION_CLINIC] = str(chosen.public_id)
    return chosen, clinics


def _payable(order) -> None:
    intent = getattr(order, "payment", None)
    order.pay_url = (
        pay_path(intent)
        if order.status == OrderStatus.AWAITING_PAYMENT
        and intent is not None
        and intent.status == "created"
        else ""
    )


@patient_required
def shop_page(request):
    clinic, clinics = _chosen_clinic(request)
    category = request.GET.get("category")
    category = category if category in Category.values else None
    products = selectors.products_list(category=category, clinic=clinic)
    for product in products:
        skus = list(product.skus.all())
        product.from_price_fen = min(s.price_fen for s in skus)
        product.available = any(s.in_stock for s in skus)
    return render(
        request,
        "shop/products.html",
        {
            "products": products,
            "categories": Category.choices,
            "category": category,
            "clinic": clinic,
            "clinics": clinics,
            "cart_count": selectors.cart_of(user=request.user).count,
            "tab": "shop",
        },
    )


@patient_required
def product_page(request, product_id):
    product = access.product_by_id(product_id)
    clinic, clinics = _chosen_clinic(request)
    product = selectors.product_detail(product=product, clinic=clinic)
    skus = list(product.skus.all())
    wanted = request.GET.get("sku")
    chosen = next((s for s in skus if str(s.public_id) == wanted), None)
    chosen = chosen or next((s for s in skus if s.in_stock), skus[0] if skus else None)
    return render(
        request,
        "shop/product.html",
        {
            "product": product,
            "skus": skus,
            "chosen": chosen,
            "clinic": clinic,
            "clinics": clinics,
            "tab": "shop",
        },
    )


@patient_required
@require_POST
def cart_add_view(request):
    try:
        sku = access.sku_by_id(request.POST.get("sku"))
        services.cart_add(
            user=request.user, sku=sku, quantity=_int(request.POST.get("quantity"), 1)
        )
    except DomainError as exc:
        messages.error(request, str(exc.message))
        return redirect(request.POST.get("back") or "web:shop")
    if request.POST.get("go") == "checkout":
        return redirect("web:shop_checkout")
    messages.success(request, _("Added to your cart."))
    return redirect("web:shop_cart")


@patient_required
def cart_page(request):
    clinic, clinics = _chosen_clinic(request)
    cart = selectors.cart_of(user=request.user, clinic=clinic)
    return render(
        request,
        "shop/cart.html",
        {"cart": cart, "clinic": clinic, "clinics": clinics, "tab": "shop"},
    )


@patient_required
@require_POST
def cart_line_view(request, sku_id):
    try:
        sku = access.cart_sku_by_id(actor=request.user, sku_id=sku_id)
        if request.POST.get("action") == "remove":
            services.cart_remove(user=request.user, sku=sku)
        else:
            services.cart_set_quantity(
                user=request.user, sku=sku, quantity=_int(request.POST.get("quantity"))
            )
    except DomainError as exc:
        messages.error(request, str(exc.message))
    return redirect("web:shop_cart")


def _checkout_form(request, source) -> dict:
    return {
        "fulfilment": source.get("fulfilment")
        if source.get("fulfilment") in Fulfilment.values
        else Fulfilment.PICKUP,
        "recipient_name": source.get("recipient_name", request.user.name)[:64],
        "recipient_phone": source.get("recipient_phone", "")[:32],
        "address": source.get("address", "")[:200],
        "coupon": source.get("coupon", ""),
        "points": max(0, _int(source.get("points"))),
    }


@patient_required
def checkout_page(request):
    source = request.POST if request.method == "POST" else request.GET
    clinic, clinics = _chosen_clinic(request)
    form = _checkout_form(request, source)
    if request.method == "POST":
        try:
            done = services.order_checkout(
                buyer=request.user,
                clinic=clinics_facade.clinic_by_id(source.get("clinic_id")),
                fulfilment=form["fulfilment"],
                recipient_name=form["recipient_name"],
                recipient_phone=form["recipient_phone"],
                address=form["address"],
                coupon_id=form["coupon"] or None,
                points=form["points"],
                idempotency_key=source.get("idempotency_key") or None,
            )
        except DomainError as exc:
            messages.error(request, str(exc.message))
        else:
            if done.payment is None:
                messages.success(request, _("Order placed and paid with your coupon and points."))
            return redirect("web:shop_order", order_id=done.order.public_id)
    cart = selectors.cart_of(user=request.user, clinic=clinic)
    if not cart.items:
        return redirect("web:shop_cart")
    coupons = selectors.usable_coupons(user=request.user, items=cart.items)
    quote = selectors.checkout_quote(
        user=request.user,
        items=cart.items,
        coupon_id=form["coupon"] or None,
        points=form["points"],
    )
    context = {
        "cart": cart,
        "clinic": clinic,
        "clinics": clinics,
        "form": form,
        "coupons": coupons,
        "quote": quote,
        "fulfilments": Fulfilment.choices,
        "idempotency_key": source.get("idempotency_key") or uuid.uuid4().hex,
        "tab": "shop",
    }
    template = htmx_partial(request, "shop/partials/summary.html", "shop/checkout.html")
    return render(request, template, context)


@patient_required
def orders_page(request):
    orders = selectors.orders_of_buyer(user=request.user, limit=100)
    for order in orders:
        _payable(order)
    return render(request, "shop/orders.html", {"orders": orders, "tab": "shop"})


@patient_required
def order_page(request, order_id):
    order = access.access_order_by_id(actor=request.user, order_id=order_id)
    order = selectors.order_detail(selectors.orders_with_lines([order.pk])[0])
    _payable(order)
    return render(
        request,
        "shop/order.html",
        {
            "order": order,
            "may_cancel": services.buyer_may_cancel(order),
            "refund_pending": services.refund_pending(order),
            "tab": "shop",
        },
    )


@patient_required
@require_POST
def order_cancel_view(request, order_id):
    order = access.access_order_by_id(actor=request.user, order_id=order_id)
    try:
        order = services.order_cancel(
            actor=request.user, order=order, reason=request.POST.get("reason", "")[:80]
        )
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        if order.status == OrderStatus.CANCELLED:
            messages.success(request, _("The order is cancelled."))
        else:
            messages.success(request, _("The order is cancelled; your money is on its way back."))
    return redirect(reverse("web:shop_order", args=[order.public_id]))
