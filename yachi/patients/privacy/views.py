"""The patient's privacy pages: consent, the policy, download and erase their data."""

from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yachi.compliance.facade import personal_data_erase, personal_data_export
from yachi.core.errors import DomainError
from yachi.core.pages import patient_required
from yachi.patients import access
from yachi.patients.privacy import consents

Kind = consents.Kind


def _next(request) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or "/"
    if url_has_allowed_host_and_scheme(candidate, {request.get_host()}, request.is_secure()):
        return candidate
    return "/"


def policy_page(request):
    template = (
        "patients/policy_en.html"
        if (get_language() or "").startswith("en")
        else ("patients/policy_zh.html")
    )
    return render(request, template, {"version": consents.current_version(), "tab": "me"})


@patient_required(gated=False)
def consent_page(request):
    """First visit, or a new version of the texts: the privacy notice must be accepted;
    the sensitive kinds are separate, optional and can be changed later."""
    account = access.account_of(request.user)
    if request.method == "POST":
        if request.POST.get(Kind.PRIVACY_POLICY) != "yes":
            messages.error(request, _("Please accept the privacy policy to use the app."))
        else:
            for kind in Kind:
                if request.POST.get(kind) == "yes":
                    consents.consent_grant(
                        actor=request.user,
                        account=account,
                        kind=kind,
                        version=consents.current_version(),
                    )
            return redirect(_next(request))
    return render(
        request,
        "patients/consent.html",
        {"states": consents.consent_states(account=account), "next": _next(request), "tab": "me"},
    )


@patient_required
def privacy_page(request):
    account = access.account_of(request.user)
    return render(
        request,
        "patients/privacy.html",
        {"states": consents.consent_states(account=account), "tab": "me"},
    )


@patient_required
@require_POST
def consent_change(request, kind: str):
    account = access.account_of(request.user)
    try:
        if request.POST.get("give") == "yes":
            consents.consent_grant(
                actor=request.user, account=account, kind=kind, version=consents.current_version()
            )
            messages.success(request, _("Thank you, your consent is recorded."))
        else:
            deleted = consents.consent_withdraw(actor=request.user, account=account, kind=kind)
            text = _("Your consent is withdrawn.")
            if deleted:
                text += " " + _("%(count)s facial photos were deleted.") % {"count": deleted}
            messages.success(request, text)
    except DomainError as exc:
        messages.error(request, str(exc.message))
    return redirect("web:privacy")


@patient_required
def export_download(request):
    name, content = personal_data_export(user=request.user)
    response = HttpResponse(content, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response


@patient_required
def erase_page(request):
    if request.method == "POST" and request.POST.get("confirm") == "yes":
        result = personal_data_erase(user=request.user)
        logout(request)
        return render(request, "patients/erased.html", {"result": result})
    return render(request, "patients/erase.html", {"tab": "me"})
