from django import forms
from django.utils.translation import gettext_lazy as _

from yachi.core.forms import Form
from yachi.growth.models import CouponTemplate
from yachi.growth.referrals.choices import RewardKind


def _coupon_choices():
    return [("", "—")] + [
        (str(t.public_id), t.name)
        for t in CouponTemplate.objects.filter(active=True, system_key__isnull=True).order_by(
            "name"
        )
    ]


class CampaignForm(Form):
    """A referral campaign as a manager writes it: what each level earns."""

    name = forms.CharField(label=_("Name"), max_length=64)
    name_en = forms.CharField(label=_("English name"), max_length=64, required=False)
    starts_at = forms.DateTimeField(label=_("Starts"))
    ends_at = forms.DateTimeField(label=_("Ends"), required=False)
    active = forms.BooleanField(label=_("Active"), required=False, initial=True)
    level1_kind = forms.ChoiceField(
        label=_("The inviter receives"),
        choices=RewardKind.choices,
        help_text=_("When the friend they invited completes a first paid visit."),
    )
    level1_points = forms.IntegerField(
        label=_("Points"), min_value=1, max_value=1_000_000, required=False
    )
    level1_coupon = forms.ChoiceField(label=_("Coupon"), required=False)
    level2_kind = forms.ChoiceField(
        label=_("The inviter's own inviter receives"),
        choices=RewardKind.choices,
        help_text=_("When a friend of a friend completes a first paid visit."),
    )
    level2_points = forms.IntegerField(
        label=_("Points"), min_value=1, max_value=1_000_000, required=False
    )
    level2_coupon = forms.ChoiceField(label=_("Coupon"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choices = _coupon_choices()
        self.fields["level1_coupon"].choices = choices
        self.fields["level2_coupon"].choices = choices

    @classmethod
    def initial_from(cls, campaign) -> dict:
        return {
            "name": campaign.name,
            "name_en": campaign.name_en,
            "starts_at": campaign.starts_at,
            "ends_at": campaign.ends_at,
            "active": campaign.active,
            **{
                f"level{n}_{part}": value
                for n in (1, 2)
                for part, value in (
                    ("kind", getattr(campaign, f"level{n}_kind")),
                    ("points", getattr(campaign, f"level{n}_points") or None),
                    (
                        "coupon",
                        str(getattr(campaign, f"level{n}_coupon").public_id)
                        if getattr(campaign, f"level{n}_coupon_id")
                        else "",
                    ),
                )
            },
        }

    def values(self) -> dict:
        data = self.cleaned_data
        coupons = {
            str(t.public_id): t
            for t in CouponTemplate.objects.filter(
                public_id__in=[data[f"level{n}_coupon"] for n in (1, 2) if data[f"level{n}_coupon"]]
            )
        }
        return {
            "name": data["name"],
            "name_en": data["name_en"],
            "starts_at": data["starts_at"],
            "ends_at": data["ends_at"],
            "active": data["active"],
            **{
                f"level{n}_{part}": value
                for n in (1, 2)
                for part, value in (
                    ("kind", data[f"level{n}_kind"]),
                    ("points", data[f"level{n}_points"] or 0),
                    ("coupon", coupons.get(data[f"level{n}_coupon"])),
                )
            },
        }
