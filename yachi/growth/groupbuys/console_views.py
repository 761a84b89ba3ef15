"""The console's group-buys: a clinic's campaigns, a new one, a campaign's groups and
members (names masked), running and stopping it."""

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from yachi.clinics import facade as clinics
from yachi.core.errors import DomainError
from yachi.core.forms import Form
from yachi.core.money import yuan_to_fen
from yachi.core.pages import staff_required
from yachi.growth.groupbuys import access, selectors, services
from yachi.growth.groupbuys.choices import CampaignStatus
from yachi.growth.groupbuys.models import MAX_SIZE, MIN_SIZE


class CampaignForm(Form):
    title = forms.CharField(label=gettext_lazy("campaign name"), max_length=64)
    description = forms.CharField(
        label=gettext_lazy("description"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    service = forms.ChoiceField(label=gettext_lazy("Treatment (each member gets a voucher)"))
    size = forms.IntegerField(
        label=gettext_lazy("group size"), min_value=MIN_SIZE, max_value=MAX_SIZE, initial=3
    )
    price = forms.DecimalField(
        label=gettext_lazy("price per member (yuan)"), min_value=Decimal("0.01"), decimal_places=2
    )
    leader_discount = forms.DecimalField(
        label=gettext_lazy("leader pays less by (yuan)"),
        min_value=Decimal("0"),
        decimal_places=2,
        initial=0,
        required=False,
    )
    leader_benefit = forms.CharField(
        label=gettext_lazy("leader's benefit"),
        max_length=64,
        required=False,
        help_text=gettext_lazy("e.g. anaesthesia fee waived"),
    )
    fill_hours = forms.IntegerField(
        label=gettext_lazy("hours to fill a group"), min_value=1, max_value=168, initial=48
    )
    stock = forms.IntegerField(
        label=gettext_lazy("groups it may form"), min_value=1, max_value=10000, initial=20
    )
    voucher_valid_days = forms.IntegerField(
        label=gettext_lazy("voucher valid for (days)"), min_value=1, max_value=366, initial=90
    )
    starts_at = forms.DateTimeField(
        label=gettext_lazy("starts"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    ends_at = forms.DateTimeField(
        label=gettext_lazy("ends"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )


def _form(clinic, data=None) -> CampaignForm:
    form = CampaignForm(data)
    services_ = {str(s.public_id): s for s in clinics.clinic_services(clinic=clinic)}
    form.fields["service"].choices = [
        (key, f"{s.display_name} · ¥{s.price_fen / 100:.2f}") for key, s in services_.items()
    ]
    form.services = services_
    return form


def _local(moment: datetime, zone: ZoneInfo) -> datetime:
    # The form reads the clinic's wall-clock time; the current time zone may differ.
    return moment.replace(tzinfo=None).replace(tzinfo=zone)


@staff_required
def group_buys_page(request, clinic_id):
    clinic = access.staff_clinic(actor=request.user, clinic_id=clinic_id)
    clinics.require(request.user, clinic, clinics.Duty.SEE)
    may_manage = clinics.may_manage(request.user, clinic)
    form = _form(clinic, request.POST or None)
    if request.method == "POST":
        if not may_manage:
            messages.error(request, _("Only clinic managers create group-buys."))
            return redirect("console:group_buys", clinic_id=clinic.public_id)
        if form.is_valid():
            data = form.cleaned_data
            zone = ZoneInfo(clinic.timezone)
            try:
                campaign = services.campaign_create(
                    actor=request.user,
                    clinic=clinic,
                    service=form.services.get(data["service"]),
                    title=data["title"],
                    description=data["description"],
                    size=data["size"],
                    price_fen=yuan_to_fen(data["price"]),
                    leader_discount_fen=yuan_to_fen(data["leader_discount"] or 0),
                    leader_benefit=data["leader_benefit"],
                    fill_hours=data["fill_hours"],
                    stock=data["stock"],
                    voucher_valid_days=data["voucher_valid_days"],
                    starts_at=_local(data["starts_at"], zone),
                    ends_at=_local(data["ends_at"], zone),
                )
            except DomainError as exc:
                form.add_error(None, str(exc.message))
            else:
                messages.success(request, _("Group-buy created."))
                return redirect(
                    "console:group_buy", clinic_id=clinic.public_id, campaign_id=campaign.public_id
                )
    context = {
        "clinic": clinic,
        "campaigns": selectors.campaigns_of_clinic(clinic=clinic),
        "form": form,
        "may_manage": may_manage,
        "section": "group_buys",
    }
    return render(request, "growth/groupbuys/console/campaigns.html", context)


@staff_required
def group_buy_page(request, clinic_id, campaign_id):
    clinic = access.staff_clinic(actor=request.user, clinic_id=clinic_id)
    clinics.require(request.user, clinic, clinics.Duty.SEE)
    campaign = access.staff_campaign_by_id(
        actor=request.user, clinic=clinic, campaign_id=campaign_id
    )
    groups = [
        (group, [(selectors.masked_name(m.user), m) for m in group.everyone])
        for group in selectors.groups_of_campaign(campaign)
    ]
    context = {
        "clinic": clinic,
        "campaign": campaign,
        "phase": selectors.campaign_phase(campaign),
        "groups": groups,
        "may_manage": clinics.may_manage(request.user, clinic),
        "section": "group_buys",
    }
    return render(request, "growth/groupbuys/console/campaign.html", context)


@require_POST
@staff_required
def group_buy_status(request, clinic_id, campaign_id):
    clinic = access.staff_clinic(actor=request.user, clinic_id=clinic_id)
    campaign = access.staff_campaign_by_id(
        actor=request.user, clinic=clinic, campaign_id=campaign_id
    )
    clinics.require(request.user, clinic, clinics.Duty.MANAGE)
    status = request.POST.get("status", "")
    try:
        services.campaign_set_status(actor=request.user, campaign=campaign, status=status)
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(
            request,
            _("The group-buy is running.")
            if status == CampaignStatus.RUNNING
            else _("The group-buy is stopped: no new groups start."),
        )
    return redirect("console:group_buy", clinic_id=clinic.public_id, campaign_id=campaign.public_id)
