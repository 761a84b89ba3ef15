from django.conf import settings
from ninja import Router, Status

from yachi.accounts import services
from yachi.accounts.schemas import LoginIn, LoginOut, MeOut, SmsCodeIn, SmsCodeOut
from yachi.clinics import facade as clinics
from yachi.core.schemas import errors
from yachi.patients import facade as patients

router = Router(tags=["accounts"])


def me_of(user) -> MeOut:
    doctor = clinics.doctor_of_user(user)
    patient_id = None
    if user.is_patient:
        patient_id = patients.holder_of(patients.account_open(user=user)).public_id
    clinic_ids = []
    if user.is_clinic_staff:
        clinic_ids = [clinic.public_id for clinic in clinics.staff_clinics(user)]
    return MeOut(
        id=user.public_id,
        role=user.role,
        phone=user.phone,
        name=user.name,
        doctor_id=doctor.public_id if doctor else None,
        patient_id=patient_id,
        clinic_ids=clinic_ids,
    )


@router.post("/auth/sms-code", auth=None, response={202: SmsCodeOut, **errors(400, 422, 429)})
def request_sms_code(request, payload: SmsCodeIn):
    """Send a 6-digit login code by SMS (limited per number)."""
    sent = services.sms_code_request(phone=payload.phone, ip=request.META.get("REMOTE_ADDR"))
    return Status(
        202,
        SmsCodeOut(
            phone=sent.phone,
            expires_in=sent.expires_in,
            resend_after=sent.resend_after,
            code=sent.echo_code,
        ),
    )


@router.post("/auth/login", auth=None, response={200: LoginOut, **errors(400, 422)})
def login(request, payload: LoginIn):
    """Exchange a phone number and its SMS code for a bearer token."""
    user = services.sms_code_verify(phone=payload.phone, code=payload.code)
    token = services.token_issue(user=user, label="sms-login")
    return LoginOut(
        token=token,
        expires_in=settings.YACHI_TOKEN_TTL_DAYS * 86400,
        user=me_of(user),
    )


@router.post("/auth/logout", response={204: None, **errors(401)})
def logout(request):
    """Revoke the token this request was made with."""
    services.token_revoke(raw=request.auth_token)
    return Status(204, None)


@router.get("/me", response={200: MeOut, **errors(401)})
def me(request):
    return me_of(request.user)
