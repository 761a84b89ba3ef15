from django.db import models
from django.utils.translation import gettext_lazy as _


class Category(models.TextChoices):
    TOOTHBRUSH = "toothbrush", _("Electric toothbrushes")
    BRUSH_HEADS = "brush_heads", _("Brush heads")
    FLOSS = "floss", _("Floss and interdental")
    MOUTHWASH = "mouthwash", _("Mouthwash")
    WHITENING = "whitening", _("Whitening")
    CHILDREN = "children", _("For children")
    TREATMENT = "treatment", _("Treatment packages")


class OrderStatus(models.TextChoices):
    AWAITING_PAYMENT = "awaiting_payment", _("Awaiting payment")
    PAID = "paid", _("Paid")
    # The clinic has started to put the order together: the buyer can no longer cancel.
    PREPARING = "preparing", _("Being prepared")
    READY = "ready", _("Ready for pick-up")
    SHIPPED = "shipped", _("Shipped")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")
    REFUNDED = "refunded", _("Refunded")


class OrderKind(models.TextChoices):
    REGULAR = "regular", _("Mall order")
    FLASH_SALE = "flash_sale", _("Flash sale")


class Fulfilment(models.TextChoices):
    PICKUP = "pickup", _("Pick up at the clinic")
    DELIVERY = "delivery", _("Delivery")


class ReservationStatus(models.TextChoices):
    RESERVED = "reserved", _("Reserved, awaiting payment")
    PAID = "paid", _("Paid")
    RELEASED = "released", _("Released")


# A reservation in these holds one of the sale's places and one of the buyer's.
HOLDING = (ReservationStatus.RESERVED, ReservationStatus.PAID)
