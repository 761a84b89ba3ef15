from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yachi.core.errors import DomainError
from yachi.core.pages import patient_required
from yachi.patients import access, selectors, services
from yachi.patients.choices import FAMILY_SEATS, Relationship
from yachi.patients.forms import FamilyMemberForm, ProfileForm


def _safe_next(request, default):
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(candidate, {request.get_host()}, request.is_secure()):
        return candidate
    return default


@patient_required
def family_page(request):
    account = access.account_of(request.user)
    members = selectors.family_members(account)
    return render(
        request,
        "patients/family.html",
        {
            "members": members,
            "holder": access.holder(account),
            "seats_left": FAMILY_SEATS - len(members),
            "tab": "me",
        },
    )


@patient_required
def family_add_page(request):
    account = access.account_of(request.user)
    form = FamilyMemberForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            try:
                services.family_member_add(account=account, **form.cleaned_data)
            except DomainError as exc:
                form.add_error(None, str(exc.message))
                status = exc.status
            else:
                messages.success(request, _("Family member added."))
                return redirect(_safe_next(request, "/family/"))
    return render(
        request,
        "patients/member_form.html",
        {"form": form, "next": _safe_next(request, ""), "tab": "me"},
        status=status,
    )


@patient_required
def family_edit_page(request, patient_id):
    patient = access.access_family_member_by_id(actor=request.user, patient_id=patient_id)
    form_class = ProfileForm if patient.is_holder else FamilyMemberForm
    initial = {
        "name": patient.name,
        "relationship": patient.relationship,
        "gender": patient.gender,
        "birth_date": patient.birth_date,
    }
    form = form_class(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            data = {"relationship": Relationship.SELF, **form.cleaned_data}
            try:
                services.family_member_update(patient=patient, **data)
            except DomainError as exc:
                form.add_error(None, str(exc.message))
                status = exc.status
            else:
                messages.success(request, _("Saved."))
                return redirect("/me/" if patient.is_holder else "/family/")
    return render(
        request,
        "patients/member_form.html",
        {"form": form, "patient": patient, "tab": "me"},
        status=status,
    )


@patient_required
@require_POST
def family_remove_view(request, patient_id):
    patient = access.access_family_member_by_id(actor=request.user, patient_id=patient_id)
    try:
        services.family_member_remove(patient=patient)
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Family member removed."))
    return redirect("web:family")
