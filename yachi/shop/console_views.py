"""The mall in the clinic console: orders and their steps (front desk), stock per
clinic (front desk, managers), products and SKUs (managers)."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yachi.clinics import facade as clinics
from yachi.core.errors import DomainError
from yachi.core.pages import staff_required
from yachi.shop import access, catalogue, images, selectors, services
from yachi.shop.choices import Category, OrderStatus


def _clinic(request, clinic_id):
    return clinics.staff_clinic_by_id(actor=request.user, clinic_id=clinic_id)


def _int(raw):
    try:
        return int((raw or "").strip())
    except ValueError:
        return None


@staff_required
def orders_page(request, clinic_id):
    services.require_order_staff(request.user)
    clinic = _clinic(request, clinic_id)
    status = request.GET.get("status")
    status = status if status in OrderStatus.values else None
    orders = selectors.orders_of_clinic(clinic=clinic, status=status)
    return render(
        request,
        "shop/console/orders.html",
        dict(
            clinic=clinic,
            orders=orders,
            status=status,
            statuses=OrderStatus.choices,
            section="shop_orders",
        ),
    )


@staff_required
def order_page(request, order_id):
    order = access.access_clinic_order_by_id(actor=request.user, order_id=order_id)
    order = selectors.order_detail(selectors.orders_with_lines([order.pk])[0])
    return render(
        request,
        "shop/console/order.html",
        dict(
            clinic=order.clinic,
            order=order,
            refund_pending=services.refund_pending(order),
            section="shop_orders",
        ),
    )


@staff_required
@require_POST
def order_step(request, order_id):
    order = access.access_clinic_order_by_id(actor=request.user, order_id=order_id)
    try:
        if request.POST.get("step") == "refund":
            services.order_refund(
                actor=request.user, order=order, reason=request.POST.get("reason", "")
            )
            messages.success(request, _("The order is cancelled and the money is on its way back."))
        else:
            services.order_advance(
                actor=request.user, order=order, to_status=request.POST.get("step", "")
            )
    except DomainError as exc:
        messages.error(request, str(exc.message))
    return redirect("console:shop_order", order_id=order.public_id)


@staff_required
def pickup_page(request, clinic_id):
    """The front desk types or scans a buyer's pick-up code and hands the order over."""
    services.require_order_staff(request.user)
    clinic = _clinic(request, clinic_id)
    source = request.POST if request.method == "POST" else request.GET
    code = services.pickup_code_clean(source.get("code"))
    order, error = None, ""
    if code:
        try:
            order = access.access_pickup_order(actor=request.user, clinic=clinic, code=code)
            if request.method == "POST" and source.get("step") == "hand_over":
                order = services.order_hand_over(actor=request.user, order=order)
                messages.success(
                    request, _("Order %(number)s handed over.") % {"number": order.number}
                )
                return redirect("console:shop_pickup", clinic_id=clinic.public_id)
        except DomainError as exc:
            error = str(exc.message)
        if order is not None:
            order = selectors.order_detail(selectors.orders_with_lines([order.pk])[0])
    elif request.method == "POST" or "code" in source:
        error = _("Type or scan the buyer's pick-up code.")
    return render(
        request,
        "shop/console/pickup.html",
        dict(
            clinic=clinic,
            order=order,
            code=services.pickup_code_display(code),
            error=error,
            may_hand_over=order is not None
            and order.status in services.PICKUP_OPEN
            and not services.refund_pending(order),
            section="shop_pickup",
        ),
    )


@staff_required
def stock_page(request, clinic_id):
    catalogue.require_stock_keeper(request.user)
    clinic = _clinic(request, clinic_id)
    if request.method == "POST":
        try:
            sku = access.sku_by_id(request.POST.get("sku"), include_inactive=True)
            amount = _int(request.POST.get("amount"))
            if request.POST.get("mode") == "set":
                catalogue.stock_set(actor=request.user, clinic=clinic, sku=sku, quantity=amount)
            else:
                catalogue.stock_adjust(actor=request.user, clinic=clinic, sku=sku, delta=amount)
        except DomainError as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(request, _("Stock updated."))
        return redirect("console:shop_stock", clinic_id=clinic.public_id)
    products = selectors.products_list(clinic=clinic, active_only=False)
    return render(
        request,
        "shop/console/stock.html",
        dict(clinic=clinic, products=products, section="shop_stock"),
    )


def _product_values(post) -> dict:
    return {
        "name": post.get("name", ""),
        "name_en": post.get("name_en", ""),
        "description": post.get("description", ""),
        "category": post.get("category", ""),
        "is_active": post.get("is_active") == "on",
        "sort": _int(post.get("sort")) if post.get("sort") else 100,
    }


@staff_required
def products_page(request):
    catalogue.require_catalogue_manager(request.user)
    if request.method == "POST":
        try:
            product = catalogue.product_save(actor=request.user, **_product_values(request.POST))
        except DomainError as exc:
            messages.error(request, str(exc.message))
        else:
            return redirect("console:shop_product", product_id=product.public_id)
    products = selectors.products_list(active_only=False)
    return render(
        request,
        "shop/console/products.html",
        dict(products=products, categories=Category.choices, section="shop_products"),
    )


@staff_required
def product_page(request, product_id):
    catalogue.require_catalogue_manager(request.user)
    product = access.product_by_id(product_id, include_inactive=True)
    if request.method == "POST":
        try:
            if request.POST.get("form") == "image":
                images.product_image_set(
                    actor=request.user, product=product, upload=request.FILES.get("image")
                )
            elif request.POST.get("form") == "image_remove":
                images.product_image_remove(actor=request.user, product=product)
            elif request.POST.get("form") == "sku":
                sku = None
                if request.POST.get("sku"):
                    sku = access.sku_by_id(request.POST["sku"], include_inactive=True)
                catalogue.sku_save(
                    actor=request.user,
                    product=product,
                    sku=sku,
                    code=request.POST.get("code", ""),
                    name=request.POST.get("variant", ""),
                    price_fen=_yuan_to_fen(request.POST.get("price", "")),
                    is_active=request.POST.get("is_active") == "on",
                )
            else:
                catalogue.product_save(
                    actor=request.user, product=product, **_product_values(request.POST)
                )
        except DomainError as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(request, _("Saved."))
        return redirect("console:shop_product", product_id=product.public_id)
    return render(
        request,
        "shop/console/product.html",
        dict(
            product=product,
            skus=_with_yuan(selectors.skus_of_product(product=product)),
            categories=Category.choices,
            section="shop_products",
        ),
    )


def _with_yuan(skus) -> list:
    from yachi.core.money import fen_to_yuan

    skus = list(skus)
    for sku in skus:
        sku.price_yuan = fen_to_yuan(sku.price_fen)
    return skus


def _yuan_to_fen(raw: str):
    from decimal import Decimal, InvalidOperation

    from yachi.core.money import yuan_to_fen

    try:
        value = Decimal((raw or "").strip())
    except InvalidOperation:
        return None
    if not value.is_finite() or value <= 0 or value > 100_000:
        return None
    return yuan_to_fen(value)
