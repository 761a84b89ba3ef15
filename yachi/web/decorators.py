"""Who may open a page: patients in the app, staff in the console."""

from functools import wraps
from urllib.parse import urlencode

from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _


def patient_required(view=None, *, consent: bool = True):
    """Patients only; with ``consent`` (the default), only once they accepted the current
    privacy policy (PIPL), which the consent page asks for first."""
    if view is None:
        return lambda actual: patient_required(actual, consent=consent)

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), reverse("web:login"))
        if request.user.is_patient and consent and not _accepted_policy(request.user):
            return redirect(
                f"{reverse('web:consent')}?{urlencode({'next': request.get_full_path()})}"
            )
        if not request.user.is_patient:
            return render(
                request,
                "web/message.html",
                {
                    "title": _("This is the patient app"),
                    "text": _("Staff accounts work in the clinic console."),
                    "link": reverse("console:home"),
                    "link_text": _("Open the clinic console"),
                },
                status=403,
            )
        return view(request, *args, **kwargs)

    return wrapper


def _accepted_policy(user) -> bool:
    from yachi.patients import consents
    from yachi.patients.access import account_of

    return consents.has_consent(account=account_of(user), kind=consents.Kind.PRIVACY_POLICY)


def staff_required(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), reverse("console:login"))
        if not request.user.is_clinic_staff:
            return render(
                request,
                "web/message.html",
                {
                    "title": _("Staff only"),
                    "text": _("The clinic console is for clinic staff."),
                    "link": reverse("web:home"),
                    "link_text": _("Back to the patient app"),
                },
                status=403,
            )
        return view(request, *args, **kwargs)

    return wrapper
