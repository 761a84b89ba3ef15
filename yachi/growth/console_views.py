"""Coupons and points in the clinic console: managers keep templates, issue coupons
and correct a patient's points; every such change names its reason."""

import uuid
from urllib.parse import urlencode

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yachi.compliance.facade import reference_labels
from yachi.core.errors import DomainError
from yachi.core.pages import staff_required
from yachi.growth import access, ledger, selectors, services
from yachi.growth.forms import TemplateForm


def _masked(phone: str) -> str:
    return f"{phone[:3]}****{phone[-4:]}" if len(phone) >= 7 else phone


@staff_required
def templates_page(request):
    access.require_manager(request.user)
    return render(
        request,
        "growth/console/templates.html",
        {
            "templates": selectors.templates_with_counts(),
            "section": "coupons",
            **{},
        },
    )


@staff_required
def template_edit(request, template_id=None):
    access.require_manager(request.user)
    template = (
        access.access_template_by_id(actor=request.user, template_id=template_id)
        if template_id
        else None
    )
    initial = TemplateForm.initial_from(template) if template else {"active": True}
    form = TemplateForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.coupon_template_save(
                actor=request.user, template=template, **form.values()
            )
        except DomainError as exc:
            form.add_error(None, str(exc.message))
        else:
            messages.success(request, _("The coupon is saved."))
            return redirect("console:coupon_template", template_id=saved.public_id)
    return render(
        request,
        "growth/console/template_form.html",
        {"form": form, "template": template, "section": "coupons", **{}},
    )


@staff_required
def template_detail(request, template_id):
    template = access.access_template_by_id(actor=request.user, template_id=template_id)
    return render(
        request,
        "growth/console/template.html",
        {
            "template": template,
            "counts": selectors.template_counts(template),
            "coupons": selectors.recent_coupons_of_template(template),
            "section": "coupons",
            **{},
        },
    )


def _patient_from(phone: str):
    try:
        return access.patient_user_by_phone_or_id(phone=phone) if phone else None
    except DomainError:
        return None


@staff_required
def issue_page(request):
    """Give one patient a coupon: find them by mobile number, choose, say why."""
    access.require_manager(request.user)
    source = request.POST if request.method == "POST" else request.GET
    phone = source.get("phone", "").strip()
    patient = _patient_from(phone)
    templates = selectors.active_templates()
    if request.method == "POST":
        if patient is None:
            messages.error(request, _("No patient with this mobile number."))
        else:
            try:
                template = access.access_template_by_id(
                    actor=request.user, template_id=source.get("template")
                )
                services.coupon_issue(
                    template_id=template,
                    user=patient,
                    reason=source.get("reason", ""),
                    actor=request.user,
                    idempotency_key=f"console:{source.get('key') or uuid.uuid4().hex}"[:200],
                )
            except DomainError as exc:
                messages.error(request, str(exc.message))
            else:
                messages.success(
                    request,
                    _("%(name)s received the coupon “%(coupon)s”.")
                    % {"name": patient.name or _masked(patient.phone), "coupon": template.name},
                )
                return redirect("console:coupon_template", template_id=template.public_id)
    return render(
        request,
        "growth/console/issue.html",
        {
            "phone": phone,
            "patient": patient,
            "masked_phone": _masked(patient.phone) if patient else "",
            "templates": templates,
            "chosen": source.get("template", ""),
            "reason": source.get("reason", ""),
            "key": uuid.uuid4().hex,
            "section": "coupons",
            **{},
        },
    )


@staff_required
def points_page(request):
    """A patient's points (found by mobile number) and a manual adjustment."""
    access.require_manager(request.user)
    phone = request.GET.get("phone", "").strip()
    patient = _patient_from(phone)
    context = {"phone": phone, "patient": patient, "section": "points"}
    if patient is not None:
        entries = list(selectors.points_entries_of(user=patient, limit=100))
        context.update(
            masked_phone=_masked(patient.phone),
            balance=ledger.points_balance(user=patient),
            entries=entries,
            references=reference_labels(request.user, {e.reference for e in entries}),
            key=uuid.uuid4().hex,
        )
    return render(request, "growth/console/points.html", {**context, **{}})


@staff_required
@require_POST
def points_adjust(request):
    access.require_manager(request.user)
    phone = request.POST.get("phone", "").strip()
    patient = _patient_from(phone)
    if patient is None:
        messages.error(request, _("No patient with this mobile number."))
        return redirect("console:points")
    try:
        delta = int(request.POST.get("delta", ""))
    except ValueError:
        messages.error(request, _("Enter a whole number of points, e.g. 100 or -50."))
    else:
        try:
            ledger.points_adjust(
                actor=request.user,
                user=patient,
                delta=delta,
                note=request.POST.get("reason", ""),
                idempotency_key=f"adjust:{request.POST.get('key') or uuid.uuid4().hex}"[:200],
            )
        except DomainError as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(request, _("The points are adjusted."))
    return redirect(f"{reverse('console:points')}?{urlencode({'phone': phone})}")
