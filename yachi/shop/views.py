"""The patient's mall pages: products → cart → checkout → order, and order history."""

import uuid

import segno
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yachi.booking import facade as booking
from yachi.clinics import facade as clinics_facade
from yachi.core.errors import DomainError, InvalidInput
from yachi.core.pages import htmx_partial, patient_required
from yachi.shop import access, images, selectors, services
from yachi.shop.choices import Fulfilment, OrderKind, OrderStatus

SESSION_CLINIC = "shop_clinic"


def pickup_qr_svg(code: str) -> str:
    """The pick-up code as an inline SVG QR code (no script, no external request)."""
    qr = segno.make(services.PICKUP_QR_PREFIX + code, error="m")
    return mark_safe(  # noqa: S308 - segno's own markup of a code we generated
        qr.svg_inline(scale=6, border=2, dark="#111827", light="#ffffff", omitsize=True)
    )


def pay_path(intent) -> str:
    """The patient's payment page for an intent (the payments pages own it)."""
    return f"/pay/{intent.public_id}/"


def _whole_number(raw, *, blank: int | None = None):
    """A number typed in a form: an int, ``blank`` when left empty, or None (not a number).

    Huge and negative numbers come through as they are, for the services to refuse
    with a message that says what is allowed.
    """
    text = str(raw if raw is not None else "").strip()
    if not text:
        return blank
    if len(text) > 12:
        return 10**12  # far out of any range: refused as too many, not as unreadable
    try:
        return int(text)
    except ValueError:
        return None


def _quantity_from(raw):
    value = _whole_number(raw, blank=1)
    if value is None:
        raise InvalidInput(
            _("Choose a quantity from 1 to %(max)d.") % {"max": services.MAX_QUANTITY},
            code="invalid_quantity",
        )
    return value


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
    categories = selectors.categories_on_sale(clinic=clinic)
    category = request.GET.get("category")
    category = category if category in dict(categories) else None
    search = selectors.search_term(request.GET.get("q"))
    products = selectors.products_list(category=category, clinic=clinic, search=search)
    for product in products:
        skus = list(product.skus.all())
        product.from_price_fen = min(s.price_fen for s in skus)
        product.sold_out = selectors.sold_out(skus)
    return render(
        request,
        "shop/products.html",
        {
            "products": products,
            "categories": categories,
            "category": category,
            "search": search,
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
    if chosen is not None and not chosen.in_stock:
        chosen = None
    chosen = chosen or next((s for s in skus if s.in_stock), None)
    return render(
        request,
        "shop/product.html",
        {
            "product": product,
            "skus": skus,
            "chosen": chosen,
            "sold_out": selectors.sold_out(skus),
            "clinic": clinic,
            "clinics": clinics,
            "tab": "shop",
        },
    )


@patient_required
@require_POST
def cart_add_view(request):
    clinic, _clinics = _chosen_clinic(request)
    try:
        if not request.POST.get("sku"):
            raise InvalidInput(_("Choose a variant."), code="sku_required")
        sku = access.sku_by_id(request.POST.get("sku"))
        services.cart_add(
            user=request.user,
            sku=sku,
            quantity=_quantity_from(request.POST.get("quantity")),
            clinic=clinic,
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
    clinic, _clinics = _chosen_clinic(request)
    try:
        sku = access.cart_sku_by_id(actor=request.user, sku_id=sku_id)
        if request.POST.get("action") == "remove":
            services.cart_remove(user=request.user, sku=sku)
        else:
            services.cart_set_quantity(
                user=request.user,
                sku=sku,
                quantity=_quantity_from(request.POST.get("quantity")),
                clinic=clinic,
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
        # As typed: out of range or not a number is refused with a message, never
        # quietly changed into another amount.
        "points": _whole_number(source.get("points"), blank=0),
        "points_typed": str(source.get("points", ""))[:12],
    }


@patient_required
def checkout_page(request):
    source = request.POST if request.method == "POST" else request.GET
    clinic, clinics = _chosen_clinic(request)
    form = _checkout_form(request, source)
    if request.method == "POST":
        try:
            if form["points"] is None:
                raise InvalidInput(
                    _("Points must be a whole number, zero or more."), code="invalid_points"
                )
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
    show_pickup = bool(order.pickup_code) and order.status in services.PICKUP_OPEN
    voucher = None
    if order.kind == OrderKind.FLASH_SALE:
        voucher = booking.voucher_by_source(services.order_reference(order))
    may_cancel = services.buyer_may_cancel(order) and (
        voucher is None or voucher.status == "unused"
    )
    return render(
        request,
        "shop/order.html",
        {
            "order": order,
            "pickup_qr": pickup_qr_svg(order.pickup_code) if show_pickup else "",
            "pickup_code": services.pickup_code_display(order.pickup_code) if show_pickup else "",
            "may_cancel": may_cancel,
            "refund_pending": services.refund_pending(order),
            "voucher": voucher,
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


def product_image(request, name):
    """A product's picture (public, as the catalogue is): cached for good by its name."""
    try:
        content = images.image_content(name)
    except DomainError:
        return HttpResponse(status=404)
    response = HttpResponse(content, content_type="image/jpeg")
    response["Cache-Control"] = "public, max-age=31536000, immutable"
    response["Content-Security-Policy"] = "default-src 'none'"
    return response
