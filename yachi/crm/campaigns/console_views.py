"""Campaigns (营销活动) in the console: a saved segment as the audience of a message or a
coupon; sending starts a job whose progress the page follows. Managers only."""

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from yachi.clinics import facade as clinics
from yachi.core.errors import DomainError
from yachi.core.forms import Form
from yachi.core.pages import htmx_partial, staff_required
from yachi.crm.access import of_clinic, staff_clinic
from yachi.crm.campaigns import services
from yachi.crm.campaigns.choices import CHANNEL_LABELS, CampaignKind
from yachi.crm.campaigns.models import Campaign
from yachi.crm.segments.models import Segment
from yachi.growth import facade as growth


class CampaignForm(Form):
    name = forms.CharField(label=gettext_lazy("campaign name"), max_length=64)
    segment = forms.ChoiceField(label=gettext_lazy("audience (segment)"))
    kind = forms.ChoiceField(label=gettext_lazy("kind"), choices=CampaignKind.choices)
    coupon_template = forms.ChoiceField(label=gettext_lazy("coupon"), required=False)
    text = forms.CharField(
        label=gettext_lazy("message"),
        max_length=200,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy(
            "Checked against the advertising rules. Optional for a coupon campaign."
        ),
    )
    channels = forms.MultipleChoiceField(
        label=gettext_lazy("sent by"),
        required=False,
        choices=[
            ("sms", gettext_lazy("SMS")),
            ("wechat", gettext_lazy("WeChat")),
            ("inbox", gettext_lazy("In-app")),
        ],
        widget=forms.CheckboxSelectMultiple,
        initial=["sms", "wechat", "inbox"],
    )


def _form(clinic, data=None):
    form = CampaignForm(data)
    form.segments = {
        str(s.public_id): s for s in Segment.objects.filter(clinic=clinic).order_by("name")
    }
    form.fields["segment"].choices = [
        (key, f"{s.name} · {s.last_count or 0}") for key, s in form.segments.items()
    ]
    form.fields["coupon_template"].choices = [("", "—"), *growth.coupon_templates_offered()]
    return form


@staff_required
def campaigns_page(request, clinic_id):
    clinic = staff_clinic(actor=request.user, clinic_id=clinic_id, duty=clinics.Duty.MANAGE)
    form = _form(clinic, request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            campaign = services.campaign_create(
                actor=request.user,
                segment=form.segments[data["segment"]],
                name=data["name"],
                kind=data["kind"],
                text=data["text"],
                channels=data["channels"],
                coupon_template=data["coupon_template"],
            )
        except DomainError as exc:
            form.add_error(None, str(exc.message))
        else:
            messages.success(request, _("Campaign saved as a draft: check it, then send it."))
            return redirect(
                "console:crm_campaign",
                clinic_id=clinic.public_id,
                crm_campaign_id=campaign.public_id,
            )
    context = {
        "clinic": clinic,
        "campaigns": Campaign.objects.filter(clinic=clinic).select_related("segment"),
        "form": form,
        "section": "crm_campaigns",
    }
    return render(request, "crm/console/campaigns.html", context)


@staff_required
def campaign_page(request, clinic_id, crm_campaign_id):
    clinic = staff_clinic(actor=request.user, clinic_id=clinic_id, duty=clinics.Duty.MANAGE)
    campaign = of_clinic(Campaign, clinic=clinic, object_id=crm_campaign_id, related=["segment"])
    context = {
        "clinic": clinic,
        "campaign": campaign,
        "progress": services.campaign_progress(campaign),
        "channels": [str(CHANNEL_LABELS.get(c, c)) for c in campaign.channels],
        "section": "crm_campaigns",
    }
    template = htmx_partial(
        request,
        "crm/partials/campaign_progress.html",
        "crm/console/campaign.html",
        target="progress",
    )
    return render(request, template, context)


@require_POST
@staff_required
def campaign_send(request, clinic_id, crm_campaign_id):
    clinic = staff_clinic(actor=request.user, clinic_id=clinic_id, duty=clinics.Duty.MANAGE)
    campaign = of_clinic(Campaign, clinic=clinic, object_id=crm_campaign_id, related=["segment"])
    try:
        services.campaign_start(actor=request.user, campaign=campaign)
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Sending has started."))
    return redirect(
        "console:crm_campaign", clinic_id=clinic.public_id, crm_campaign_id=campaign.public_id
    )
