from decimal import Decimal

from ninja import Field, Schema

from yachi.clinics.profiles import doctor_photo_url
from yachi.core.money import fen_to_yuan
from yachi.core.schemas import PublicOut


class ClinicOut(PublicOut):
    name: str
    address: str
    phone: str
    # Numbers, as a mini-program's wx.openLocation and the emergency request take them.
    latitude: float
    longitude: float
    timezone: str

    @staticmethod
    def resolve_name(obj):
        return obj.display_name


class SkillOut(Schema):
    code: str
    name: str


class DoctorOut(PublicOut):
    name: str
    title: str
    title_display: str
    bio: str = Field(description="The doctor's short introduction, plain text.")
    skills: list[SkillOut]
    practising_since: int | None = Field(description="The year the doctor began to practise.")
    years_in_practice: int | None = Field(
        description="Whole years since then (0 in the first year); null when unknown."
    )
    photo_url: str | None = Field(
        description="Where to load the photo (JPEG or PNG); null: show the initials."
    )
    photo_is_illustration: bool = Field(
        description="The picture is an illustration, not a photo of the doctor: say so."
    )
    initials: str = Field(description="What a placeholder without a photo shows.")

    @staticmethod
    def resolve_title_display(obj):
        return obj.get_title_display()

    @staticmethod
    def resolve_skills(obj):
        return [{"code": s.skill, "name": s.get_skill_display()} for s in obj.skills.all()]

    @staticmethod
    def resolve_photo_url(obj):
        return doctor_photo_url(obj)


class DoctorClinicOut(PublicOut):
    name: str
    address: str

    @staticmethod
    def resolve_name(obj):
        return obj.display_name


class DoctorDetailOut(DoctorOut):
    clinics: list[DoctorClinicOut] = Field(description="The open clinics the doctor works at.")

    @staticmethod
    def resolve_clinics(obj):
        return [c for c in obj.clinics.all() if c.is_active]


class ServiceOut(PublicOut):
    code: str
    name: str
    description: str
    duration_minutes: int
    price: Decimal
    price_fen: int
    required_skill: str
    kind: str = Field(description="`in_person` (at the clinic) or `video` (a video consultation).")

    @staticmethod
    def resolve_name(obj):
        return obj.display_name

    @staticmethod
    def resolve_price(obj):
        return fen_to_yuan(obj.price_fen)
