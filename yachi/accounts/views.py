import time
from urllib.parse import urlencode

import segno
from django.contrib import messages
from django.contrib.auth import login, logout, update_session_auth_hash
from django.contrib.auth.password_validation import password_validators_help_texts
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.crypto import constant_time_compare
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yachi.accounts import selectors, services, staff_auth
from yachi.accounts.devices import device_label
from yachi.accounts.forms import (
    DEVICE_SIGNALS,
    CodeForm,
    PasswordChangeForm,
    PhoneForm,
    StaffLoginForm,
    TotpForm,
    TotpReplaceForm,
)
from yachi.accounts.models import User
from yachi.accounts.registrations import SignIn, signed_in
from yachi.core.errors import DomainError
from yachi.core.models import as_public_id
from yachi.core.pages import patient_required, staff_required

PATIENT_BACKEND = "yachi.accounts.backends.PhoneBackend"


def _next_url(request, default: str) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(candidate, {request.get_host()}, request.is_secure()):
        return candidate
    return default


def _page(request, template: str, context: dict, *, status: int, error: DomainError | None):
    """A form page, with the status of the refusal shown on it; one that says when to
    come back (a slowed address, a locked number) carries ``Retry-After`` as well."""
    response = render(request, template, context, status=error.status if error else status)
    if error is not None and "retry_after" in error.details:
        response["Retry-After"] = str(error.details["retry_after"])
    return response


def patient_login(request):
    """Phone number, then the SMS code: two small steps on one page."""
    next_url = _next_url(request, reverse("web:home"))
    # A friend's invitation: from the invite link (kept in the session) or typed in.
    invite = request.GET.get("invite_code") or request.session.get("invite_code") or ""
    context = {
        "next": next_url,
        "step": "phone",
        "form": PhoneForm(initial={"invite_code": invite[:16]}),
        "device_signals": DEVICE_SIGNALS,
    }
    status, error = 200, None
    if request.method == "POST" and request.POST.get("step") == "phone":
        form = PhoneForm(request.POST)
        context["form"] = form
        if form.is_valid():
            try:
                sent = services.sms_code_request(
                    phone=form.cleaned_data["phone"], ip=request.client_ip
                )
            except DomainError as exc:
                form.add_error("phone", str(exc.message))
                error = exc
            else:
                context.update(
                    step="code",
                    form=CodeForm(
                        initial={
                            "phone": sent.phone,
                            "invite_code": form.cleaned_data["invite_code"],
                        }
                    ),
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
                user, created = services.sms_code_sign_in(
                    phone=form.cleaned_data["phone"],
                    code=form.cleaned_data["code"],
                    ip=request.client_ip,
                )
            except DomainError as exc:
                form.add_error("code", str(exc.message))
                error = exc
            else:
                login(request, user, backend=PATIENT_BACKEND)
                fields = signed_in(
                    SignIn(
                        user=user,
                        new_account=created,
                        method="sms_code",
                        invite_code=form.cleaned_data["invite_code"],
                        device={name: request.POST.get(name, "")[:64] for name in DEVICE_SIGNALS},
                        ip=request.client_ip,
                        user_agent=request.headers.get("User-Agent", ""),
                        accept_language=request.headers.get("Accept-Language", ""),
                    )
                )
                request.session.pop("invite_code", None)
                invite = fields.get("invite")
                if invite and invite["status"] == "accepted":
                    messages.success(request, invite["message"])
                elif invite:
                    messages.warning(request, invite["message"])
                return redirect(next_url)
        else:
            status = 422
    return _page(request, "accounts/patient_login.html", context, status=status, error=error)


@require_POST
def patient_logout(request):
    logout(request)
    messages.success(request, _("You have logged out."))
    return redirect("web:home")


# The console login is a small state machine kept in the session:
#
#   anonymous --password--> pending --code (has a factor)------> logged in
#                                   --enrol (none, role needs one)-> logged in
#
# A pending login lives only in an anonymous session, for PENDING_SECONDS, and only as
# long as the account is unchanged (password, "log out everywhere", factor reset).
# Each pending login may reach only its own next step's page; every other page sees an
# anonymous visitor.
PENDING = "pending_staff_login"
PENDING_SECONDS = 300
# The key of the app being set up, kept until its first code proves it was scanned.
_NEW_AUTHENTICATOR = "totp_secret"
_STEP_PAGES = {staff_auth.TOTP: "console:totp", staff_auth.TOTP_ENROLL: "console:totp_enroll"}


def _pending_start(request, user, next_url: str) -> None:
    if request.user.is_authenticated:
        logout(request)  # one person per session: never pending on top of a login
    else:
        request.session.cycle_key()
        request.session.pop(_NEW_AUTHENTICATOR, None)
    request.session[PENDING] = {
        "user": user.pk,
        "at": time.time(),
        "next": next_url,
        "account": user.get_session_auth_hash(),
    }


def _pending_user(request):
    """The staff member who passed the password step and owes a second factor, or
    None (and the pending login forgotten) when it expired or the account changed."""
    pending = request.session.get(PENDING)
    if not pending:
        return None
    user = None
    if not request.user.is_authenticated and time.time() - pending["at"] <= PENDING_SECONDS:
        user = User.objects.filter(pk=pending["user"], is_active=True).first()
        if user is not None and not constant_time_compare(
            pending.get("account", ""), user.get_session_auth_hash()
        ):
            user = None
    if user is None:
        request.session.pop(PENDING, None)
    return user


def _complete_staff_login(request, user, method: str):
    next_url = request.session.get(PENDING, {}).get("next") or reverse("console:home")
    staff_auth.login_succeeded(user=user, method=method)
    request.session.pop(PENDING, None)
    request.session.pop(_NEW_AUTHENTICATOR, None)
    login(request, user, backend=PATIENT_BACKEND)
    request.session["last_seen"] = time.time()
    return redirect(next_url)


def _elsewhere(request, user):
    """Where a pending login that asked for the wrong step belongs."""
    page = _STEP_PAGES.get(staff_auth.next_step(user))
    if page is None:
        request.session.pop(PENDING, None)
        return redirect("console:login")
    return redirect(page)


def staff_login(request):
    next_url = _next_url(request, reverse("console:home"))
    form = StaffLoginForm(request.POST or None)
    status, error = 200, None
    if request.method == "POST":
        status = 422
        if form.is_valid():
            try:
                user = staff_auth.password_check(
                    phone=form.cleaned_data["phone"],
                    password=form.cleaned_data["password"],
                    ip=request.client_ip,
                )
            except DomainError as exc:
                form.add_error(None, str(exc.message))
                error = exc
            else:
                _pending_start(request, user, next_url)
                page = _STEP_PAGES.get(staff_auth.next_step(user))
                if page is not None:
                    return redirect(page)
                return _complete_staff_login(request, user, method="password")
    return _page(
        request,
        "accounts/console/login.html",
        {"form": form, "next": next_url},
        status=status,
        error=error,
    )


def staff_totp(request):
    """The code page: the only step a pending login with a second factor may reach."""
    user = _pending_user(request)
    if user is None:
        return redirect("console:login")
    if staff_auth.next_step(user) != staff_auth.TOTP:
        return _elsewhere(request, user)
    form = TotpForm(request.POST or None)
    status, error = 200, None
    if request.method == "POST":
        status = 422
        if form.is_valid():
            try:
                staff_auth.totp_verify(
                    user=user, code=form.cleaned_data["code"], ip=request.client_ip
                )
            except DomainError as exc:
                form.add_error("code", str(exc.message))
                error = exc
            else:
                return _complete_staff_login(request, user, method="password+totp")
    return _page(request, "accounts/console/totp.html", {"form": form}, status=status, error=error)


def staff_totp_enroll(request):
    """Set up the authenticator app.

    During login only for an account without a factor whose role requires one; later,
    from the console, by a member who wants one, or who moves theirs to a new phone
    with a code from the current app.
    """
    pending = _pending_user(request)
    if pending is not None:
        if staff_auth.next_step(pending) != staff_auth.TOTP_ENROLL:
            return _elsewhere(request, pending)
        user, replacing = pending, False
    elif request.user.is_authenticated and request.user.is_clinic_staff:
        user, replacing = request.user, request.user.has_totp
    else:
        return redirect("console:login")
    secret = request.session.get(_NEW_AUTHENTICATOR) or staff_auth.totp_new_secret()
    request.session[_NEW_AUTHENTICATOR] = secret
    form = (TotpReplaceForm if replacing else TotpForm)(request.POST or None)
    status, error = 200, None
    if request.method == "POST":
        status = 422
        if form.is_valid():
            try:
                if replacing:
                    staff_auth.totp_replace(
                        user=user,
                        current_code=form.cleaned_data["current"],
                        secret=secret,
                        code=form.cleaned_data["code"],
                        ip=request.client_ip,
                    )
                else:
                    staff_auth.totp_enroll(user=user, secret=secret, code=form.cleaned_data["code"])
            except DomainError as exc:
                form.add_error(None, str(exc.message))
                error = exc
            else:
                request.session.pop(_NEW_AUTHENTICATOR, None)
                if pending is not None:
                    return _complete_staff_login(request, user, method="password+totp")
                messages.success(
                    request,
                    _("Your authenticator app has been replaced.")
                    if replacing
                    else _("Two-step login is on."),
                )
                return redirect("console:home")
    uri = staff_auth.totp_uri(user=user, secret=secret)
    return _page(
        request,
        "accounts/console/totp_enroll.html",
        {
            "form": form,
            "secret": secret,
            "qr": segno.make(uri, error="m").svg_inline(scale=4),
            "during_login": pending is not None,
            "replacing": replacing,
        },
        status=status,
        error=error,
    )


@staff_required
def password_change(request):
    form = PasswordChangeForm(request.POST or None)
    status, error = 200, None
    if request.method == "POST":
        status = 422
        if form.is_valid():
            try:
                staff_auth.password_change(
                    user=request.user,
                    current=form.cleaned_data["current"],
                    new=form.cleaned_data["new"],
                )
            except DomainError as exc:
                form.add_error(None, str(exc.message))
                error = exc
            else:
                update_session_auth_hash(request, request.user)
                messages.success(request, _("Your password has been changed."))
                return redirect("console:home")
    return _page(
        request,
        "accounts/console/password_change.html",
        {
            "form": form,
            "expired": staff_auth.password_expired(request.user),
            "help": password_validators_help_texts(),
        },
        status=status,
        error=error,
    )


@require_POST
def logout_everywhere(request):
    """End every session and token of this user, this one included."""
    if request.user.is_authenticated:
        staff_auth.sessions_end_everywhere(user=request.user)
    logout(request)
    messages.success(request, _("You have logged out on every device."))
    return redirect("web:home")


@patient_required
def devices(request):
    """Me → logged-in devices: where the account is logged in with the app, each of which
    can be logged out."""
    tokens = selectors.tokens_of(request.user)
    for token in tokens:
        token.device_name = device_label(token.device, token.label)
    return render(request, "accounts/devices.html", {"tokens": tokens})


@require_POST
@patient_required
def device_logout(request, token_id):
    try:
        services.token_revoke_by_owner(user=request.user, token_id=as_public_id(token_id))
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("That device is logged out."))
    return redirect("web:devices")


@require_POST
def staff_logout(request):
    logout(request)
    return redirect("console:login")


def admin_login(request):
    """The admin signs in through the console, where lockout and two-step login apply."""
    target = _next_url(request, "/admin/")
    return redirect(f"{reverse('console:login')}?{urlencode({'next': target})}")
