"""Who may open a page (patients in the app, staff in the console) and which template answers.

The kernel knows no context: a context that must stop a patient before every page (the
privacy policy's consent) registers a *gate* here from its ``AppConfig.ready``.
"""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

PatientGate = Callable[[HttpRequest], HttpResponse | None]
"""Answers instead of the page (a redirect, say) or ``None`` to let the patient through."""

_patient_gates: list[PatientGate] = []


def register_patient_gate(gate: PatientGate) -> None:
    if gate not in _patient_gates:
        _patient_gates.append(gate)


def patient_required(view=None, *, gated: bool = True):
    """Patients only; with ``gated`` (the default), only past every registered gate.

    The page a gate sends the patient to is itself ungated (``gated=False``).
    """
    if view is None:
        return lambda actual: patient_required(actual, gated=gated)

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), reverse("web:login"))
        if not request.user.is_patient:
            return _refused(
                request,
                title=_("This is the patient app"),
                text=_("Staff accounts work in the clinic console."),
                link=reverse("console:home"),
                link_text=_("Open the clinic console"),
            )
        if gated:
            for gate in _patient_gates:
                if (answer := gate(request)) is not None:
                    return answer
        return view(request, *args, **kwargs)

    return wrapper


def staff_required(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), reverse("console:login"))
        if not request.user.is_clinic_staff:
            return _refused(
                request,
                title=_("Staff only"),
                text=_("The clinic console is for clinic staff."),
                link=reverse("web:home"),
                link_text=_("Back to the patient app"),
            )
        return view(request, *args, **kwargs)

    return wrapper


def _refused(request, **message) -> HttpResponse:
    return render(request, "web/message.html", message, status=403)


def htmx_partial(request, partial: str, page: str, *, target: str | None = None) -> str:
    """The template to answer with: the fragment htmx asked for, or the whole page.

    With ``target``, only a request that swaps that element gets the fragment.
    """
    htmx = getattr(request, "htmx", None)
    if not htmx or (target is not None and htmx.target != target):
        return page
    return partial
