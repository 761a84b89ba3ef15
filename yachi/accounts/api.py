from uuid import UUID

from django.conf import settings
from ninja import Router, Status

from yachi.accounts import selectors, services, staff_auth, wechat
from yachi.accounts.devices import device_of
from yachi.accounts.registrations import SignIn, profile_parts, signed_in
from yachi.accounts.schemas import (
    LoginIn,
    LoginOut,
    MeOut,
    SmsCodeIn,
    SmsCodeOut,
    StaffLoginIn,
    TokenOut,
    WeChatCodeIn,
    WeChatLoginIn,
)
from yachi.core.schemas import errors

router = Router(tags=["accounts"])


def me_of(user) -> MeOut:
    """The account's own fields, and those the contexts above it add (``doctor_id``,
    ``patient_id``, ``clinic_ids``) through ``register_profile_part``."""
    return MeOut(
        id=user.public_id,
        role=user.role,
        phone=user.phone,
        name=user.name,
        **profile_parts(user),
    )


def _device(request) -> str:
    return device_of(request.headers.get("User-Agent", ""))


@router.post("/auth/sms-code", auth=None, response={202: SmsCodeOut, **errors(400, 413, 422, 429)})
def request_sms_code(request, payload: SmsCodeIn):
    """Send a 6-digit login code by SMS (limited per number)."""
    sent = services.sms_code_request(phone=payload.phone, ip=request.client_ip)
    return Status(
        202,
        SmsCodeOut(
            phone=sent.phone,
            expires_in=sent.expires_in,
            resend_after=sent.resend_after,
            code=sent.echo_code,
        ),
    )


@router.post("/auth/login", auth=None, response={200: LoginOut, **errors(400, 413, 422, 429)})
def login(request, payload: LoginIn):
    """Exchange a phone number and its SMS code for a bearer token. A new number is
    registered (sign-up); `invite_code` is then a friend's invitation, and `invite` in
    the answer says whether it was accepted. `device` is what the app knows of the
    device (kept only as a fingerprint, against many accounts on one device)."""
    user, created = services.sms_code_sign_in(
        phone=payload.phone, code=payload.code, ip=request.client_ip
    )
    return _patient_logged_in(request, payload, user=user, created=created, method="sms_code")


def _patient_logged_in(request, payload, *, user, created: bool, method: str) -> LoginOut:
    """A patient's token, after the steps other contexts take at a login (the device's
    fingerprint, the invitation the login came with)."""
    label = {"sms_code": "sms-login", "wechat": "wechat-login"}[method]
    token = services.token_issue(user=user, label=label, device=_device(request))
    fields = signed_in(
        SignIn(
            user=user,
            new_account=created,
            method=method,
            invite_code=payload.invite_code,
            device=payload.device.dict() if payload.device else {},
            ip=request.client_ip,
            user_agent=request.headers.get("User-Agent", ""),
            accept_language=request.headers.get("Accept-Language", ""),
        )
    )
    return LoginOut(
        token=token,
        expires_in=settings.YACHI_TOKEN_TTL_DAYS * 86400,
        user=me_of(user),
        invite=fields.get("invite"),
    )


@router.post(
    "/auth/staff-login", auth=None, response={200: LoginOut, **errors(400, 401, 403, 413, 422, 429)}
)
def staff_login(request, payload: StaffLoginIn):
    """Staff: mobile number, password and (for managers and administrators, or anyone who
    set one up) the authenticator code. Five failures lock the number for 15 minutes."""
    user = staff_auth.staff_token_login(
        phone=payload.phone,
        password=payload.password,
        otp=payload.otp,
        ip=request.client_ip,
    )
    hours = settings.YACHI_STAFF_TOKEN_TTL_HOURS
    token = services.token_issue(
        user=user, label="staff-login", ttl_hours=hours, device=_device(request)
    )
    return LoginOut(token=token, expires_in=hours * 3600, user=me_of(user))


@router.post(
    "/auth/wechat-login",
    auth=None,
    response={200: LoginOut, **errors(400, 404, 409, 413, 422, 503)},
)
def wechat_login(request, payload: WeChatLoginIn):
    """Mini-program: log in with the code from `wx.login` (the account must have bound
    its WeChat first; 404 `wechat_not_bound` otherwise). `invite_code` and `device` as
    for `/auth/login`: a WeChat login never registers a number, so an invitation it
    carries is answered in `invite` (refused: the account existed before)."""
    user = wechat.wechat_login(code=payload.code)
    return _patient_logged_in(request, payload, user=user, created=False, method="wechat")


@router.post("/me/wechat", response={204: None, **errors(400, 401, 409, 413, 422, 503)})
def bind_wechat(request, payload: WeChatCodeIn):
    """Bind the caller's account to their WeChat (the code from `wx.login`), so that
    subscribe messages reach them and the mini-program can log in by itself."""
    wechat.wechat_bind(user=request.user, code=payload.code)
    return Status(204, None)


@router.delete("/me/wechat", response={204: None, **errors(401)})
def unbind_wechat(request):
    wechat.wechat_unbind(user=request.user)
    return Status(204, None)


@router.post("/auth/logout", response={204: None, **errors(401)})
def logout(request):
    """Revoke the token this request was made with."""
    services.token_revoke(raw=request.auth_token)
    return Status(204, None)


@router.post("/auth/logout-all", response={204: None, **errors(401)})
def logout_everywhere(request):
    """Log out on every device: revoke every token and end every session."""
    staff_auth.sessions_end_everywhere(user=request.user)
    return Status(204, None)


@router.get("/me", response={200: MeOut, **errors(401)})
def me(request):
    return me_of(request.user)


@router.get("/me/tokens", response={200: list[TokenOut], **errors(401)})
def my_tokens(request):
    """Where the account is logged in: one entry per live token (device, when it was
    issued and last used, when it expires; `current` for the one of this request). Last
    use is up to a minute late."""
    current = services.token_digest(request.auth_token)
    tokens = selectors.tokens_of(request.user)
    for token in tokens:
        token.current = token.digest == current
    return tokens


@router.delete("/me/tokens/{token_id}", response={204: None, **errors(401, 404, 422)})
def revoke_my_token(request, token_id: UUID):
    """Log one device out (a lost phone): its token is refused from its next request on.
    404 `token_not_found` for a token that is not the caller's or no longer live."""
    services.token_revoke_by_owner(user=request.user, token_id=token_id)
    return Status(204, None)
