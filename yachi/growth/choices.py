from django.db import models
from django.utils.translation import gettext_lazy as _


class CouponKind(models.TextChoices):
    FIXED_AMOUNT = "fixed_amount", _("Amount off")
    PERCENTAGE = "percentage", _("Discount")
    FREE_ITEM = "free_item", _("Free item")


class Applicability(models.TextChoices):
    ANY = "any", _("Everything")
    SERVICES = "services", _("Some treatments")
    PRODUCTS = "products", _("Some products")


class CouponStatus(models.TextChoices):
    AVAILABLE = "available", _("Available")
    HELD = "held", _("In use by an order")
    REDEEMED = "redeemed", _("Used")
    EXPIRED = "expired", _("Expired")
    VOID = "void", _("Void")


class PointsReason(models.TextChoices):
    PAID_SPEND = "paid_spend", _("Earned by paying")
    ACTIVITY = "activity", _("Activity reward")
    CHECKOUT = "checkout", _("Used at checkout")
    REFUND = "refund", _("Given back")
    REWARD_REDEEM = "reward_redeem", _("Exchanged for a reward")
    ADJUSTMENT = "adjustment", _("Adjusted by the clinic")
    EXPIRY = "expiry", _("Expired")


# The built-in template behind compensation_coupon_issue (a visit the clinic moved or
# cancelled); created by a data migration and again on first use if missing.
COMPENSATION_TEMPLATE = "compensation"
# The built-in 洁牙7折券 of the repurchase playbook's cleaning recall (CRM), made on first use.
CLEANING_RECALL_TEMPLATE = "cleaning_recall"
