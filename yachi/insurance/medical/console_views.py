"""The front desk's medical-insurance screens: identity check, pre-settlement, settlement,
reversal and refund of a bill; the catalogue mapping and reconciliation for managers."""

from datetime import date, timedelta

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yachi.clinics import facade as clinics
from yachi.core.errors import DomainError, InvalidInput
from yachi.core.pages import staff_required
from yachi.insurance.medical import catalogue, reconciliation, services
from yachi.insurance.medical.access import access_bill_for_insurance, access_settlement_by_id
from yachi.insurance.medical.choices import CatalogueClass
from yachi.insurance.medical.models import Institution, Reconciliation, Settlement
from yachi.insurance.medical.platform import configured
from yachi.payments import facade as payments


def _desk_page(request, intent, **extra):
    facts = payments.bill_facts(intent)
    settlements = list(
        Settlement.objects.filter(bill_id=facts.bill_id).exclude(status="superseded")[:20]
        if facts is not None
        else []
    )
    return render(
        request,
        "insurance/console/desk.html",
        dict(
            clinic=intent.clinic,
            intent=intent,
            facts=facts,
            settlements=settlements,
            set_up=configured() and Institution.objects.filter(clinic=intent.clinic).exists(),
            section="payments",
            **extra,
        ),
    )


@staff_required
def desk_page(request, payment_id):
    intent = access_bill_for_insurance(actor=request.user, payment_id=payment_id)
    return _desk_page(request, intent)


@staff_required
@require_POST
def identity_action(request, payment_id):
    intent = access_bill_for_insurance(actor=request.user, payment_id=payment_id)
    credential = request.POST.get("credential", "")
    try:
        insured = services.identity_check(
            actor=request.user, clinic=intent.clinic, credential=credential
        )
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("console:insurance_desk", payment_id=intent.public_id)
    return _desk_page(request, intent, insured=insured, credential=credential.strip())


@staff_required
@require_POST
def pre_settle_action(request, payment_id):
    intent = access_bill_for_insurance(actor=request.user, payment_id=payment_id)
    try:
        services.pre_settle(
            actor=request.user, payment=intent, credential=request.POST.get("credential", "")
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Pre-settled. Check the split with the patient, then settle."))
    return redirect("console:insurance_desk", payment_id=intent.public_id)


@staff_required
@require_POST
def settle_action(request, payment_id):
    intent = access_bill_for_insurance(actor=request.user, payment_id=payment_id)
    try:
        settlement = services.settle(actor=request.user, payment=intent)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("console:insurance_desk", payment_id=intent.public_id)
    messages.success(request, _("Settled with medical insurance. The patient pays the rest."))
    return redirect("console:payment", payment_id=settlement.payment.public_id)


@staff_required
@require_POST
def undo_action(request, settlement_id, step):
    settlement = access_settlement_by_id(actor=request.user, settlement_id=settlement_id)
    if step not in ("reverse", "refund"):
        messages.error(request, _("Choose to reverse or to refund the settlement."))
        return redirect("console:insurance_desk", payment_id=settlement.payment.public_id)
    try:
        done = services.undo(
            actor=request.user,
            settlement=settlement,
            reason=request.POST.get("reason", ""),
            refund=step == "refund",
        )
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("console:insurance_desk", payment_id=settlement.payment.public_id)
    messages.success(
        request,
        _("Refunded to medical insurance.") if step == "refund" else _("Settlement reversed."),
    )
    return redirect("console:insurance_desk", payment_id=done.payment.public_id)


def _clinic_for(request, clinic_id):
    clinic = clinics.staff_clinic_by_id(actor=request.user, clinic_id=clinic_id)
    clinics.require(
        request.user,
        clinic,
        clinics.Duty.DESK,
        _("Medical-insurance settlement is done by the front desk and managers."),
    )
    return clinic


@staff_required
def catalogue_page(request, clinic_id):
    clinic = _clinic_for(request, clinic_id)
    may_change = clinics.may_manage(request.user, clinic)
    if request.method == "POST":
        if not may_change:
            messages.error(request, _("Only a manager changes the insurance catalogue mapping."))
            return redirect("console:insurance_catalogue", clinic_id=clinic.public_id)
        try:
            step = request.POST.get("step")
            if step == "institution":
                services.institution_save(
                    actor=request.user,
                    clinic=clinic,
                    code=request.POST.get("code", ""),
                    area=request.POST.get("area", ""),
                )
                messages.success(request, _("Institution saved."))
            elif step == "remove":
                kind, _sep, code = request.POST.get("item", "").partition(":")
                services.mapping_remove(
                    actor=request.user, clinic=clinic, kind=kind, item_code=code
                )
                messages.success(request, _("Mapping removed: the item is self-paid."))
            else:
                kind, _sep, code = request.POST.get("item", "").partition(":")
                national = request.POST.get("national_code", "")
                listed = catalogue.BY_CODE.get(national.strip().upper())
                services.mapping_save(
                    actor=request.user,
                    clinic=clinic,
                    kind=kind,
                    item_code=code,
                    national_code=national,
                    catalogue_class=request.POST.get("catalogue_class")
                    or (listed.catalogue_class if listed else ""),
                )
                messages.success(request, _("Mapping saved."))
        except DomainError as exc:
            messages.error(request, exc.message)
        return redirect("console:insurance_catalogue", clinic_id=clinic.public_id)
    items = services.catalogue_of(clinic)
    return render(
        request,
        "insurance/console/catalogue.html",
        dict(
            clinic=clinic,
            items=items,
            unmapped=[i for i in items if i.mapping is None],
            national=catalogue.ITEMS,
            classes=CatalogueClass.choices,
            institution=Institution.objects.filter(clinic=clinic).first(),
            may_change=may_change,
            section="insurance",
        ),
    )


@staff_required
def reconciliation_page(request, clinic_id):
    clinic = _clinic_for(request, clinic_id)
    yesterday = timezone.localdate() - timedelta(days=1)
    if request.method == "POST":
        if not clinics.may_manage(request.user, clinic):
            messages.error(request, _("Only a manager reconciles with the platform."))
            return redirect("console:insurance_reconciliation", clinic_id=clinic.public_id)
        try:
            day = _day(request.POST.get("day", ""))
            run = reconciliation.reconcile(clinic=clinic, day=day, actor=request.user)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            if run.findings:
                messages.warning(request, _("Differences found: see the run below."))
            else:
                messages.success(request, _("The platform's statement matches ours."))
        return redirect("console:insurance_reconciliation", clinic_id=clinic.public_id)
    runs = list(Reconciliation.objects.filter(clinic=clinic).select_related("ran_by")[:30])
    return render(
        request,
        "insurance/console/reconciliation.html",
        dict(
            clinic=clinic,
            runs=runs,
            kinds=reconciliation.FINDINGS,
            day=timezone.localdate().isoformat(),
            latest_day=timezone.localdate().isoformat(),
            yesterday=yesterday,
            set_up=configured() and Institution.objects.filter(clinic=clinic).exists(),
            section="insurance",
        ),
    )


def _day(raw: str) -> date:
    try:
        day = date.fromisoformat(raw)
    except ValueError:
        raise InvalidInput(_("Choose a day.")) from None
    if day > timezone.localdate() or day < timezone.localdate() - timedelta(days=366):
        raise InvalidInput(_("Choose a day of the last year, up to today."))
    return day
