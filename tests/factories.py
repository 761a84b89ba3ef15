"""Factories for every context's models, used by tests across the project."""

from datetime import time

import factory
from django.contrib.auth.hashers import make_password

from yachi.accounts.models import User
from yachi.clinics.choices import DoctorTitle, Skill
from yachi.clinics.models import (
    Chain,
    ChainAssignment,
    Chair,
    Clinic,
    Doctor,
    DoctorSkill,
    Service,
    StaffMembership,
)
from yachi.core.roles import ClinicRole, Role
from yachi.patients.services import account_open
from yachi.rostering.models import WeeklyShift

STAFF_PASSWORD = "Clinic-Desk-2026!"
_STAFF_PASSWORD_HASH = None


def staff_password_hash() -> str:
    global _STAFF_PASSWORD_HASH
    if _STAFF_PASSWORD_HASH is None:
        _STAFF_PASSWORD_HASH = make_password(STAFF_PASSWORD)
    return _STAFF_PASSWORD_HASH


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    phone = factory.Sequence(lambda n: f"1860000{n:04d}")
    name = factory.Sequence(lambda n: f"用户{n}")
    role = Role.PATIENT
    password = factory.LazyFunction(lambda: "!unusable")


class StaffFactory(UserFactory):
    phone = factory.Sequence(lambda n: f"1870000{n:04d}")
    role = Role.STAFF
    password = factory.LazyFunction(staff_password_hash)


def patient_user(phone: str | None = None, name: str = "") -> User:
    user = UserFactory(**({"phone": phone} if phone else {}), name=name or "患者")
    account_open(user=user)
    return user


class ChainFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Chain

    name = "牙齿口腔"
    name_en = "Yachi Dental"


class ClinicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Clinic

    chain = factory.SubFactory(ChainFactory)
    name = factory.Sequence(lambda n: f"测试诊所{n}")
    name_en = factory.Sequence(lambda n: f"Test Clinic {n}")
    address = "上海市静安区南京西路 1 号"
    phone = "021-60000000"
    latitude = "31.228611"
    longitude = "121.454722"
    slot_step_minutes = 15
    booking_lead_minutes = 30
    cancel_cutoff_hours = 2
    max_reschedules = 2


class ChairFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Chair

    clinic = factory.SubFactory(ClinicFactory)
    name = factory.Sequence(lambda n: f"{n + 1}号椅")


class ServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Service

    clinic = factory.SubFactory(ClinicFactory)
    code = "cleaning"
    name = "洁牙"
    name_en = "Cleaning"
    duration_minutes = 30
    price_fen = 20000
    required_skill = Skill.GENERAL


class DoctorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Doctor
        skip_postgeneration_save = True

    user = factory.SubFactory(StaffFactory)
    name = factory.Sequence(lambda n: f"医生{n}")
    title = DoctorTitle.ATTENDING

    @factory.post_generation
    def clinics(self, create, extracted, **kwargs):
        for clinic in extracted or []:
            self.clinics.add(clinic)

    @factory.post_generation
    def skills(self, create, extracted, **kwargs):
        for skill in extracted or [Skill.GENERAL]:
            DoctorSkill.objects.create(doctor=self, skill=skill)


def weekly_hours(doctor: Doctor, clinic: Clinic, spans=((time(9), time(12)), (time(13), time(18)))):
    """Give a doctor the same hours at ``clinic`` on every day of the week."""
    for weekday in range(7):
        for start, end in spans:
            WeeklyShift.objects.create(
                doctor=doctor, clinic=clinic, weekday=weekday, start_time=start, end_time=end
            )


def staff_member(clinic: Clinic, role: str = ClinicRole.FRONT_DESK, **kwargs) -> User:
    """A staff member with ``role`` (front desk or manager) at ``clinic``."""
    user = StaffFactory(**kwargs)
    StaffMembership.objects.create(user=user, clinic=clinic, role=role)
    return user


def chain_role(user: User, chain: Chain, role: str, clinics=()) -> ChainAssignment:
    """A regional manager over ``clinics``, or chain operations over every clinic."""
    assignment = ChainAssignment.objects.create(user=user, chain=chain, role=role)
    assignment.clinics.set(clinics)
    return assignment


def occupy_chairs(clinic: Clinic, service: Service, start, count: int) -> list:
    """Take ``count`` chairs of ``clinic`` at ``start``, each by a new doctor and patient."""
    from yachi.booking.services import appointments_book

    booked = []
    for _ in range(count):
        doctor = DoctorFactory(clinics=[clinic])
        weekly_hours(doctor, clinic)
        user = patient_user(UserFactory.build().phone)
        booked += appointments_book(
            actor=user,
            doctor=doctor,
            service=service,
            start=start,
            patients=[user.family_account.members.get(seat=0)],
        ).appointments
    return booked


def png_upload(name: str = "face.png", size=(64, 48)):
    """A small real PNG, as an uploaded file."""
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 150, 120)).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def consent_all(user) -> None:
    from yachi.patients.privacy.consents import Kind, consent_grant, current_version

    for kind in Kind:
        consent_grant(actor=user, account=user.family_account, kind=kind, version=current_version())


def face_photo(user, patient):
    from yachi.patients.faces import face_photo_add

    consent_all(user)
    return face_photo_add(actor=user, patient=patient, upload=png_upload())
