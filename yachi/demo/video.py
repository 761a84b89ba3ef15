"""Video consultations in the demo (ADR 0045): every clinic offers 正畸复诊咨询 by video,
and the first patient has two of them booked with an orthodontist, the nearest at the
first free time from tomorrow, so that the room can be opened from both sides."""

from datetime import timedelta

from yachi.booking.selectors import doctor_availability
from yachi.booking.services import appointments_book
from yachi.clinics.choices import ServiceKind, Skill
from yachi.clinics.models import Doctor, Service
from yachi.core.errors import DomainError
from yachi.core.roles import ClinicRole

FOLLOW_UP = {
    "code": "ortho_follow_up",
    "name": "正畸复诊咨询（视频）",
    "name_en": "Orthodontic follow-up (video)",
    "description": "戴隐形矫正器或固定矫治器期间的线上复诊：医生通过视频查看牙齿移动、"
    "附件和佩戴情况，解答问题，决定是否需要到店。无需到店，手机即可。",
    "duration_minutes": 20,
    "price_fen": 5000,
    "required_skill": Skill.ORTHODONTICS,
    "kind": ServiceKind.VIDEO,
}


def build_video_consultations(*, clinics, first_patient_user) -> int:
    """The video service at every clinic, and the first patient's two consultations."""
    services = [Service.objects.create(clinic=clinic, **FOLLOW_UP) for clinic in clinics]
    service = services[0]
    doctor = (
        Doctor.objects.filter(clinics=service.clinic, skills__skill=Skill.ORTHODONTICS)
        .order_by("pk")
        .first()
    )
    if doctor is None or first_patient_user is None:
        return 0
    desk = (
        service.clinic.memberships.filter(role=ClinicRole.FRONT_DESK)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    actor = desk.user if desk else first_patient_user
    holder = first_patient_user.family_account.members.get(seat=0)
    starts = [
        slot[0]
        for day in doctor_availability(doctor=doctor, service=service, days=7)[1:]
        for slot in day.slots
    ]
    booked = []
    for start in starts:
        if booked and start - booked[-1] < timedelta(days=3):
            continue
        try:
            appointments_book(
                actor=actor,
                doctor=doctor,
                service=service,
                start=start,
                patients=[holder],
                channel="console",
            )
        except DomainError:
            continue  # the patient has another visit then: the next free time
        booked.append(start)
        if len(booked) == 2:
            break
    return len(booked)
