"""Channels and ROI in the console: channels and their tracked links (with QR codes),
spend per channel and month, and the report by first or last touch with its chart."""

from datetime import date
from decimal import Decimal

import segno
from django import forms
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from yachi.core.errors import DomainError
from yachi.core.forms import Form
from yachi.core.money import yuan_to_fen
from yachi.core.pages import staff_required
from yachi.growth.attribution import access, report, services
from yachi.growth.attribution.models import AdSpend, Channel, ChannelKind, TrackedLink


class ChannelForm(Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=40)
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=ChannelKind.choices)


class LinkForm(Form):
    campaign = forms.CharField(label=gettext_lazy("Campaign"), max_length=60)
    target = forms.CharField(
        label=gettext_lazy("Lands on"),
        max_length=200,
        initial="/",
        help_text=gettext_lazy("A page of the app, e.g. /articles/ or /shop/."),
    )


class SpendForm(Form):
    channel = forms.ModelChoiceField(
        label=gettext_lazy("Channel"), queryset=Channel.objects.all(), to_field_name="public_id"
    )
    month = forms.CharField(
        label=gettext_lazy("Month"), widget=forms.DateInput(attrs={"type": "month"})
    )
    amount = forms.DecimalField(
        label=gettext_lazy("Spend (yuan)"), min_value=Decimal(0), max_digits=12, decimal_places=2
    )

    def clean_month(self):
        try:
            year, month = (int(part) for part in self.cleaned_data["month"].split("-"))
            return date(year, month, 1)
        except (ValueError, TypeError):
            raise forms.ValidationError(_("Choose a month.")) from None


def link_url(link: TrackedLink) -> str:
    return settings.YACHI_PUBLIC_URL.rstrip("/") + reverse("web:tracked_link", args=[link.code])


def _qr(text: str) -> str:
    return mark_safe(  # noqa: S308 - segno's own markup of a link we made
        segno.make(text, error="m").svg_inline(
            scale=4, border=2, dark="#111827", light="#ffffff", omitsize=True
        )
    )


@staff_required
def channels_page(request):
    access.require_marketer(request.user)
    form = ChannelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.channel_save(actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            form.add_error(None, str(exc.message))
        else:
            messages.success(request, _("The channel is added."))
            return redirect("console:channels")
    channels = Channel.objects.prefetch_related("links").order_by("name")
    return render(
        request,
        "growth/console/attribution/channels.html",
        {
            "channels": [(c, [(link, link_url(link)) for link in c.links.all()]) for c in channels],
            "form": form,
            "section": "channels",
        },
    )


@staff_required
def channel_page(request, channel_id):
    channel = access.access_channel(actor=request.user, channel_id=channel_id)
    form = LinkForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            link = services.link_create(actor=request.user, channel=channel, **form.cleaned_data)
        except DomainError as exc:
            form.add_error(None, str(exc.message))
        else:
            messages.success(request, _("The tracked link is made."))
            return redirect("console:tracked_link", link_id=link.public_id)
    return render(
        request,
        "growth/console/attribution/channel.html",
        {
            "channel": channel,
            "links": [(link, link_url(link)) for link in channel.links.all()],
            "form": form,
            "section": "channels",
        },
    )


@staff_required
def link_page(request, link_id):
    link = access.access_link(actor=request.user, link_id=link_id)
    url = link_url(link)
    return render(
        request,
        "growth/console/attribution/link.html",
        {
            "link": link,
            "url": url,
            "qr": _qr(url),
            "touches": link.touches.count(),
            "section": "channels",
        },
    )


@staff_required
@require_POST
def link_toggle(request, link_id):
    link = access.access_link(actor=request.user, link_id=link_id)
    TrackedLink.objects.filter(pk=link.pk).update(active=not link.active)
    messages.success(
        request,
        _("The link is switched on.") if not link.active else _("The link is switched off."),
    )
    return redirect("console:tracked_link", link_id=link.public_id)


def _month_param(value: str | None, default: date) -> date:
    try:
        year, month = (int(part) for part in (value or "").split("-"))
        return date(year, month, 1)
    except (ValueError, TypeError):
        return default


def _shift(month: date, months: int) -> date:
    index = month.year * 12 + month.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


@staff_required
def roi_page(request):
    access.require_marketer(request.user)
    this_month = timezone.localdate().replace(day=1)
    last = _month_param(request.GET.get("to"), this_month)
    first = _month_param(request.GET.get("from"), _shift(last, -11))
    if first > last:
        first, last = last, first
    model = request.GET.get("model", "first")
    form = SpendForm(request.POST or None, initial={"month": this_month.strftime("%Y-%m")})
    if request.method == "POST" and form.is_valid():
        try:
            services.spend_set(
                actor=request.user,
                channel=form.cleaned_data["channel"],
                month=form.cleaned_data["month"],
                amount_fen=yuan_to_fen(form.cleaned_data["amount"]),
            )
        except DomainError as exc:
            form.add_error(None, str(exc.message))
        else:
            messages.success(request, _("The spend is saved."))
            return redirect(request.get_full_path())
    result = report.channel_report(model=model, first_month=first, last_month=last)
    chart = report.chart_data(result)
    chart["series"][0]["label"] = _("Return on ad spend (revenue ÷ spend)")
    chart["series"][1]["label"] = _("Cost per acquired patient (yuan)")
    chart["axes"] = [{"name": _("ROAS")}, {"name": _("yuan"), "secondary": True}]
    spend = AdSpend.objects.filter(month__gte=first, month__lte=last).select_related("channel")
    return render(
        request,
        "growth/console/attribution/roi.html",
        {
            "report": result,
            "chart": chart,
            "form": form,
            "model": result.model,
            "first": first.strftime("%Y-%m"),
            "last": last.strftime("%Y-%m"),
            "spend": spend.order_by("-month", "channel__name")[:60],
            "window_days": settings.YACHI_ATTRIBUTION_WINDOW_DAYS,
            "section": "roi",
        },
    )


console_patterns = [
    path("channels/", channels_page, name="channels"),
    path("channels/roi/", roi_page, name="channel_roi"),
    path("channels/links/<str:link_id>/", link_page, name="tracked_link"),
    path("channels/links/<str:link_id>/toggle/", link_toggle, name="tracked_link_toggle"),
    path("channels/<str:channel_id>/", channel_page, name="channel"),
]
