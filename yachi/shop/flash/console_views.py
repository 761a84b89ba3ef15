"""The console's flash sales: the clinic's sales with live places left, and a new one."""

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
from yachi.core.errors import DomainError, InvalidInput, PermissionDenied
from yachi.core.forms import Form
from yachi.core.money import yuan_to_fen
from yachi.core.pages import staff_required
from yachi.shop.flash import store
from yachi.shop.flash.selectors import sale_by_id, sale_phase, sales_of_clinic
from yachi.shop.flash.services import flash_sale_create, flash_sale_set_active


class FlashSaleForm(Form):
    title = forms.CharField(label=gettext_lazy("Sale name"), max_length=64)
    description = forms.CharField(
        label=gettext_lazy("description"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    price = forms.DecimalField(
        label=gettext_lazy("sale price (yuan)"), min_value=Decimal("0.01"), decimal_places=2
    )
    # A treatment of the clinic: the sale sells service vouchers to book, at the
    # service's own price crossed out (so no usual price is typed in for it).
    service = forms.ChoiceField(
        label=gettext_lazy("Treatment (sells service vouchers)"), required=False
    )
    original_price = forms.DecimalField(
        label=gettext_lazy("usual price (yuan)"),
        min_value=Decimal("0.01"),
        decimal_places=2,
        required=False,
        help_text=gettext_lazy("For a product only: a treatment's is its service's price."),
    )
    voucher_valid_days = forms.IntegerField(
        label=gettext_lazy("voucher valid for (days)"),
        min_value=1,
        max_value=366,
        initial=90,
        required=False,
    )
    places = forms.IntegerField(label=gettext_lazy("places"), min_value=1, max_value=100000)
    per_person_limit = forms.IntegerField(
        label=gettext_lazy("limit per person"), min_value=1, max_value=99, initial=1
    )
    starts_at = forms.DateTimeField(
        label=gettext_lazy("starts"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    ends_at = forms.DateTimeField(
        label=gettext_lazy("ends"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    payment_window_minutes = forms.IntegerField(
        label=gettext_lazy("minutes to pay"), min_value=1, max_value=120, initial=15
    )


def _form(clinic, data=None) -> FlashSaleForm:
    form = FlashSaleForm(data)
    services = {str(s.public_id): s for s in clinics.clinic_services(clinic=clinic)}
    form.fields["service"].choices = [("", _("None: a product or package"))] + [
        (key, f"{s.display_name} · ¥{s.price_fen / 100:.2f}") for key, s in services.items()
    ]
    form.services = services
    return form


def _clinic(request, clinic_id):
    return clinics.staff_clinic_by_id(actor=request.user, clinic_id=clinic_id)


def _rows(clinic):
    sales = list(sales_of_clinic(clinic=clinic))
    rows = []
    for sale in sales:
        in_redis = None
        if store.enabled():
            try:
                in_redis = store.remaining(sale.pk)
            except store.Unavailable:
                in_redis = None
        rows.append({"sale": sale, "phase": sale_phase(sale), "in_redis": in_redis})
    return rows


def _local(moment: datetime, zone: ZoneInfo) -> datetime:
    # The form reads the clinic's wall-clock time; the current time zone may differ.
    return moment.replace(tzinfo=None).replace(tzinfo=zone)


@staff_required
def flash_sales_page(request, clinic_id):
    clinic = _clinic(request, clinic_id)
    may_create = clinics.may_manage(request.user, clinic)
    form = _form(clinic, request.POST or None)
    if request.method == "POST":
        if not may_create:
            messages.error(request, _("Only clinic managers create flash sales."))
            return redirect("console:flash_sales", clinic_id=clinic.public_id)
        if form.is_valid():
            data = form.cleaned_data
            zone = ZoneInfo(clinic.timezone)
            service = form.services.get(data["service"] or "")
            try:
                if service is None and data["original_price"] is None:
                    raise InvalidInput(_("Give the usual price, or choose a treatment."))
                flash_sale_create(
                    actor=request.user,
                    clinic=clinic,
                    title=data["title"],
                    description=data["description"],
                    price_fen=yuan_to_fen(data["price"]),
                    original_price_fen=(
                        service.price_fen if service else yuan_to_fen(data["original_price"])
                    ),
                    service=service,
                    voucher_valid_days=data["voucher_valid_days"] or 90,
                    places=data["places"],
                    per_person_limit=data["per_person_limit"],
                    starts_at=_local(data["starts_at"], zone),
                    ends_at=_local(data["ends_at"], zone),
                    payment_window_minutes=data["payment_window_minutes"],
                )
            except DomainError as exc:
                messages.error(request, str(exc.message))
            else:
                messages.success(request, _("Flash sale created."))
                return redirect("console:flash_sales", clinic_id=clinic.public_id)
    context = dict(
        clinic=clinic, rows=_rows(clinic), form=form, may_create=may_create, section="flash"
    )
    return render(request, "shop/console/flash/sales.html", context)


@staff_required
def flash_sales_live(request, clinic_id):
    """The table alone, polled by the page every few seconds."""
    clinic = _clinic(request, clinic_id)
    return render(
        request,
        "shop/console/flash/partials/rows.html",
        {
            "rows": _rows(clinic),
            "clinic": clinic,
            "may_create": clinics.may_manage(request.user, clinic),
        },
    )


@staff_required
@require_POST
def flash_sale_active(request, sale_id):
    """A manager pauses a sale (no more places are taken) or resumes it."""
    sale = sale_by_id(sale_id)
    # A sale is public, but only its clinic's managers may change it.
    clinics.staff_clinic_by_id(actor=request.user, clinic_id=sale.clinic.public_id)
    if not clinics.may_manage(request.user, sale.clinic):
        raise PermissionDenied(_("Only clinic managers pause or resume flash sales."))
    flash_sale_set_active(sale=sale, active=request.POST.get("active") == "1", actor=request.user)
    messages.success(
        request, _("Flash sale resumed.") if sale.is_active else _("Flash sale paused.")
    )
    return redirect("console:flash_sales", clinic_id=sale.clinic.public_id)
