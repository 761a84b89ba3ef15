"""Reads of the mall, with their related rows fetched up front."""

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Prefetch, Q
from django.utils.translation import gettext as _

from yachi.clinics import facade as clinics
from yachi.core.errors import DomainError
from yachi.core.models import as_public_id
from yachi.growth import facade as growth
from yachi.payments import facade as payments
from yachi.shop.choices import Category, Fulfilment
from yachi.shop.models import CartItem, Order, OrderLine, Product, Sku, Stock
from yachi.shop.services import order_reference, points_problem, quote_lines


def _skus(active_only: bool):
    queryset = Sku.objects.order_by("price_fen", "pk")
    return queryset.filter(is_active=True) if active_only else queryset


def stock_at(*, clinic, skus) -> dict[int, int]:
    """SKU pk → how many the clinic holds (one query)."""
    rows = Stock.objects.filter(clinic=clinic, sku_id__in=[s.pk for s in skus])
    return dict(rows.values_list("sku_id", "quantity"))


def _with_stock(products: list[Product], clinic) -> list[Product]:
    skus = [sku for product in products for sku in product.skus.all()]
    counts = stock_at(clinic=clinic, skus=skus) if clinic is not None else {}
    for sku in skus:
        sku.in_stock = counts.get(sku.pk, 0) if clinic is not None else None
    return products


MAX_SEARCH = 40


def search_term(raw) -> str:
    """What a patient typed in the mall's search box, tidied (any script, at most 40)."""
    return " ".join(str(raw or "").split())[:MAX_SEARCH]


def _on_sale(clinic):
    """Products on sale (and, given a clinic, stocked there: it keeps a count of one of
    their SKUs on sale, even a count of zero, which the pages show as sold out)."""
    products = Product.objects.filter(is_active=True)
    skus = Sku.objects.filter(product=OuterRef("pk"), is_active=True)
    if clinic is not None:
        skus = skus.filter(Exists(Stock.objects.filter(sku=OuterRef("pk"), clinic=clinic)))
    return products.filter(Exists(skus))


def _matching(products, search: str):
    for word in search.split():
        products = products.filter(
            Q(name__icontains=word) | Q(name_en__icontains=word) | Q(description__icontains=word)
        )
    return products


def products_list(
    *, category: str | None = None, clinic=None, active_only: bool = True, search: str = ""
):
    """Products with their SKUs (and, given a clinic, each SKU's stock there): 3 queries.

    For patients (``active_only``) only what is on sale, at ``clinic`` when given; a
    ``search`` keeps the products whose name or description holds every word of it.
    """
    products = _on_sale(clinic) if active_only else Product.objects.all()
    products = products.prefetch_related(Prefetch("skus", queryset=_skus(active_only)))
    if category:
        products = products.filter(category=category)
    if search:
        products = _matching(products, search)
    return _with_stock(list(products), clinic)


def categories_on_sale(*, clinic=None) -> list[tuple[str, str]]:
    """The categories with something on sale (at ``clinic``), in the catalogue's order."""
    used = set(_on_sale(clinic).values_list("category", flat=True).distinct())
    return [(value, label) for value, label in Category.choices if value in used]


def sold_out(skus) -> bool:
    """Nothing left of any of these SKUs at the clinic their stock was read for.

    Stock counts are what is on the shelf less what unpaid and paid orders hold, so
    zero everywhere is truly none to sell; unknown counts (no clinic) are not sold out.
    """
    return all(sku.in_stock is not None and sku.in_stock <= 0 for sku in skus)


def product_detail(*, product: Product, clinic=None) -> Product:
    product = (
        Product.objects.prefetch_related(Prefetch("skus", queryset=_skus(True)))
        .filter(pk=product.pk)
        .get()
    )
    return _with_stock([product], clinic)[0]


@dataclass(frozen=True)
class Cart:
    items: list
    subtotal_fen: int

    @property
    def count(self) -> int:
        return sum(item.quantity for item in self.items)


def cart_of(*, user, clinic=None) -> Cart:
    items = list(
        CartItem.objects.filter(user=user).select_related("sku__product").order_by("added_at", "pk")
    )
    counts = stock_at(clinic=clinic, skus=[i.sku for i in items]) if clinic is not None else {}
    for item in items:
        item.amount_fen = item.sku.price_fen * item.quantity
        item.in_stock = counts.get(item.sku_id, 0) if clinic is not None else None
    return Cart(items=items, subtotal_fen=sum(i.amount_fen for i in items))


def _orders():
    return Order.objects.select_related("clinic").prefetch_related(
        Prefetch("lines", queryset=OrderLine.objects.select_related("sku").order_by("pk"))
    )


def attach_payments(orders: list[Order]) -> list[Order]:
    """Each order's payment (live, else newest) as ``order.payment``: one query."""
    references = {order_reference(o): o for o in orders}
    found = payments.intents_by_reference(references)
    for reference, order in references.items():
        order.payment = found.get(reference)
    return orders


def orders_with_lines(pks) -> list[Order]:
    return list(_orders().filter(pk__in=pks).order_by("-created_at"))


def orders_of_buyer(*, user, limit: int = 50) -> list[Order]:
    return attach_payments(list(_orders().filter(buyer=user).order_by("-created_at")[:limit]))


def orders_of_clinic(*, clinic, status: str | None = None, limit: int = 200) -> list[Order]:
    orders = _orders().select_related("buyer").filter(clinic=clinic)
    if status:
        orders = orders.filter(status=status)
    return attach_payments(list(orders.order_by("-created_at")[:limit]))


def order_detail(order: Order) -> Order:
    return attach_payments([order])[0]


@dataclass(frozen=True)
class UsableCoupon:
    coupon_id: str
    title: str
    discount_fen: int


def usable_coupons(*, user, items) -> list[UsableCoupon]:
    """The buyer's coupons that fit these cart items, biggest discount first."""
    if not items:
        return []
    return [
        UsableCoupon(str(d.coupon_id), d.title, d.discount_fen)
        for d in growth.coupons_usable(user=user, lines=quote_lines(items))
    ]


@dataclass(frozen=True)
class Quote:
    subtotal_fen: int
    discount_fen: int
    points: int
    points_fen: int
    total_fen: int
    points_balance: int
    points_max: int
    error: str = ""
    points_error: str = ""


def checkout_quote(*, user, items, coupon_id=None, points: int | None = 0) -> Quote:
    """What checkout would charge with this coupon and these points; changes nothing.

    Points that cannot be used (not a number, negative, more than the patient has or
    than the order needs) are not used, and ``points_error`` says why.
    """
    subtotal = sum(item.sku.price_fen * item.quantity for item in items)
    discount, error = 0, ""
    if coupon_id and items:
        try:
            discount = growth.coupon_quote(
                user=user, coupon_id=coupon_id, lines=quote_lines(items)
            ).discount_fen
        except DomainError as exc:
            error = str(exc.message)
    balance = growth.points_balance(user=user)
    needed = growth.points_needed(subtotal - discount)
    points_max = min(balance, needed)
    points_error = ""
    if points is None or points < 0:
        points_error = _("Points must be a whole number, zero or more.")
    else:
        problem = points_problem(points=points, balance=balance, needed=needed)
        points_error = str(problem.message) if problem else ""
    if points_error:
        points = 0
    points_fen = min(growth.points_value_fen(points), subtotal - discount)
    return Quote(
        subtotal_fen=subtotal,
        discount_fen=discount,
        points=points,
        points_fen=points_fen,
        total_fen=subtotal - discount - points_fen,
        points_balance=balance,
        points_max=points_max,
        error=error,
        points_error=points_error,
    )


def skus_of_product(*, product: Product) -> list[Sku]:
    """Every variant of a product, on sale or not, cheapest first (the console's product page)."""
    return list(Sku.objects.filter(product=product).order_by("price_fen", "pk"))


def order_labels(viewer, ids) -> dict[str, str]:
    """Mall orders by their number, for staff of the clinic they are picked up at or sent
    from (every clinic's for chain-wide staff)."""
    public_ids = [public_id for public_id in map(as_public_id, ids) if public_id]
    if not viewer.is_clinic_staff or not public_ids:
        return {}
    orders = Order.objects.filter(public_id__in=public_ids)
    mine = clinics.staff_clinic_ids(viewer)
    if mine is not None:
        orders = orders.filter(clinic_id__in=mine)
    return {
        str(public_id): number for public_id, number in orders.values_list("public_id", "number")
    }


def delivery_addresses(*, user_ids=None) -> dict[int, str]:
    """Each buyer's latest delivery address (decrypted), for the buyers who gave one:
    one query. CRM reads the district from it (the distance tag)."""
    orders = Order.objects.filter(fulfilment=Fulfilment.DELIVERY)
    if user_ids is not None:
        orders = orders.filter(buyer_id__in=list(user_ids))
    found: dict[int, str] = {}
    for buyer_id, address in orders.order_by("created_at", "pk").values_list("buyer_id", "address"):
        if address:
            found[buyer_id] = address
    return found
