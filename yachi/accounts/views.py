from django.contrib import messages
from django.contrib.auth import authenticate, login, logout
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yachi.accounts import services
from yachi.accounts.forms import CodeForm, PhoneForm, StaffLoginForm
from yachi.core.errors import DomainError

PATIENT_BACKEND = "django.contrib.auth.backends.ModelBackend"


def _next_url(request, default: str) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(candidate, {request.get_host()}, request.is_secure()):
        return candidate
    return default


def patient_login(request):
    """Phone number, then the SMS code: two small steps on one page."""
    next_url = _next_url(request, reverse("web:home"))
    context = {"next": next_url, "step": "phone", "form": PhoneForm()}
    status = 200
    if request.method == "POST" and request.POST.get("step") == "phone":
        form = PhoneForm(request.POST)
        context["form"] = form
        if form.is_valid():
            try:
                sent = services.sms_code_request(
                    phone=form.cleaned_data["phone"], ip=request.META.get("REMOTE_ADDR")
                )
            except DomainError as exc:
                form.add_error("phone", str(exc.message))
                status = exc.status
            else:
                context.update(
                    step="code",
                    form=CodeForm(initial={"phone": sent.phone}),
                    phone=sent.phone,
                    echo_code=sent.echo_code,
                )
        else:
            status = 422
    elif request.method == "POST" and request.POST.get("step") == "code":
        form = CodeForm(request.POST)
        context.update(step="code", form=form, phone=request.POST.get("phone", ""))
        if form.is_valid():
            try:
                user = services.sms_code_verify(
                    phone=form.cleaned_data["phone"], code=form.cleaned_data["code"]
                )
            except DomainError as exc:
                form.add_error("code", str(exc.message))
                status = exc.status
            else:
                login(request, user, backend=PATIENT_BACKEND)
                return redirect(next_url)
        else:
            status = 422
    return render(request, "accounts/patient_login.html", context, status=status)


@require_POST
def patient_logout(request):
    logout(request)
    messages.success(request, _("You have logged out."))
    return redirect("web:home")


def staff_login(request):
    next_url = _next_url(request, reverse("console:home"))
    form = StaffLoginForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            user = authenticate(
                request,
                phone=form.cleaned_data["phone"],
                password=form.cleaned_data["password"],
            )
            if user is not None and user.is_clinic_staff:
                login(request, user)
                return redirect(next_url)
            form.add_error(None, _("The mobile number or password is wrong."))
            status = 401
    return render(
        request, "accounts/staff_login.html", {"form": form, "next": next_url}, status=status
    )


@require_POST
def staff_logout(request):
    logout(request)
    return redirect("console:login")
