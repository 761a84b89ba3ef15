from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from yachi.core.forms import Form
from yachi.core.money import fen_to_yuan, yuan_to_fen
from yachi.growth.choices import Applicability, CouponKind


class TemplateForm(Form):
    """A coupon template as a manager writes it: yuan and dates, not fen."""

    name = forms.CharField(label=_("Name"), max_length=64)
    name_en = forms.CharField(label=_("English name"), max_length=64, required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=CouponKind.choices)
    amount_off = forms.DecimalField(
        label=_("Amount off (yuan)"),
        min_value=Decimal("0.01"),
        max_digits=9,
        decimal_places=2,
        required=False,
    )
    pay_percent = forms.IntegerField(
        label=_("Pay percent (70 = 7折)"), min_value=1, max_value=99, required=False
    )
    applies_to = forms.ChoiceField(label=_("Applies to"), choices=Applicability.choices)
    item_codes = forms.CharField(
        label=_("Item codes"),
        required=False,
        help_text=_("Service codes or product SKUs, separated by commas."),
    )
    min_spend = forms.DecimalField(
        label=_("Minimum spend (yuan)"),
        min_value=0,
        max_digits=9,
        decimal_places=2,
        required=False,
    )
    valid_days = forms.IntegerField(
        label=_("Valid days after issue"), min_value=1, max_value=3650, required=False
    )
    valid_from = forms.DateTimeField(label=_("Valid from"), required=False)
    valid_until = forms.DateTimeField(label=_("Valid until"), required=False)
    total_quantity = forms.IntegerField(label=_("Total quantity"), min_value=0, required=False)
    per_person_limit = forms.IntegerField(label=_("Per person"), min_value=1, required=False)
    points_cost = forms.IntegerField(
        label=_("Points cost"),
        min_value=1,
        max_value=10_000_000,
        required=False,
        help_text=_("Leave empty unless patients may take it for points."),
    )
    active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    @classmethod
    def initial_from(cls, template) -> dict:
        return {
            "name": template.name,
            "name_en": template.name_en,
            "kind": template.kind,
            "amount_off": fen_to_yuan(template.amount_off_fen) if template.amount_off_fen else None,
            "pay_percent": template.pay_percent,
            "applies_to": template.applies_to,
            "item_codes": ", ".join(template.item_codes or []),
            "min_spend": fen_to_yuan(template.min_spend_fen),
            "valid_days": template.valid_days,
            "valid_from": template.valid_from,
            "valid_until": template.valid_until,
            "total_quantity": template.total_quantity,
            "per_person_limit": template.per_person_limit,
            "points_cost": template.points_cost,
            "active": template.active,
        }

    def values(self) -> dict:
        data = self.cleaned_data
        codes = [c.strip() for c in (data["item_codes"] or "").replace("，", ",").split(",")]
        return {
            "name": data["name"],
            "name_en": data["name_en"],
            "kind": data["kind"],
            "amount_off_fen": yuan_to_fen(data["amount_off"]) if data["amount_off"] else 0,
            "pay_percent": data["pay_percent"],
            "applies_to": data["applies_to"],
            "item_codes": [c for c in codes if c],
            "min_spend_fen": yuan_to_fen(data["min_spend"]) if data["min_spend"] else 0,
            "valid_days": data["valid_days"],
            "valid_from": data["valid_from"],
            "valid_until": data["valid_until"],
            "total_quantity": data["total_quantity"],
            "per_person_limit": data["per_person_limit"],
            "points_cost": data["points_cost"],
            "active": data["active"],
        }
