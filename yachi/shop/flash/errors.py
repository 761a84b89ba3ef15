"""Why a flash-sale place was refused, with the codes the mini-program switches on."""

from django.utils.translation import gettext_lazy as _

from yachi.core.errors import Conflict, NotFound


class FlashSaleNotFound(NotFound):
    code = "flash_sale_not_found"
    default_message = _("Flash sale not found.")


class SoldOut(Conflict):
    code = "sold_out"
    default_message = _("Sold out: every place of this flash sale is taken.")


class LimitReached(Conflict):
    code = "limit_reached"
    default_message = _("You already hold as many places of this flash sale as one person may.")


class NotStarted(Conflict):
    code = "not_started"
    default_message = _("This flash sale has not started yet.")


class SaleEnded(Conflict):
    code = "sale_ended"
    default_message = _("This flash sale has ended.")
