from django.utils.translation import gettext_lazy as _

from yachi.core.errors import Conflict, InvalidInput, NotFound


class OutOfStock(Conflict):
    code = "out_of_stock"
    default_message = _("Sorry, this item is out of stock at this clinic.")


class NotOnSale(Conflict):
    code = "not_on_sale"
    default_message = _("This item is no longer on sale.")


class CartEmpty(InvalidInput):
    code = "cart_empty"
    default_message = _("Your cart is empty.")


class AddressRequired(InvalidInput):
    code = "address_required"
    default_message = _("For delivery, give the recipient's name, mobile number and address.")


class TooManyPoints(InvalidInput):
    code = "points_too_many"
    default_message = _("That is more points than the order needs.")


class NotEnoughPoints(Conflict):
    code = "points_insufficient"
    default_message = _("Not enough points.")


class PickupCodeNotFound(NotFound):
    code = "pickup_code_not_found"
    default_message = _("No pick-up order of this clinic has this code.")


class OrderNotFound(NotFound):
    code = "order_not_found"
    default_message = _("Order not found.")


class ProductNotFound(NotFound):
    code = "product_not_found"
    default_message = _("Product not found.")


class SkuNotFound(NotFound):
    code = "sku_not_found"
    default_message = _("Item not found.")


class OrderStatusChanged(Conflict):
    code = "order_status_changed"
    default_message = _("The order has changed in the meantime. Please reload.")


class NotCancellable(Conflict):
    code = "order_not_cancellable"
    default_message = _("This order can no longer be cancelled here. Please contact the clinic.")


class NotCancellableNow(NotCancellable):
    code = "order_not_cancellable"
    default_message = _(
        "The clinic is already preparing this order, so it can no longer be cancelled "
        "in the app. Please contact the clinic."
    )


class StockNegative(Conflict):
    code = "stock_negative"
    default_message = _("Stock cannot go below zero.")
