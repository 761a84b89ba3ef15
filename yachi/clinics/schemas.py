from decimal import Decimal

from ninja import Schema

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
    bio: str
    skills: list[SkillOut]

    @staticmethod
    def resolve_title_display(obj):
        return obj.get_title_display()

    @staticmethod
    def resolve_skills(obj):
        return [{"code": s.skill, "name": s.get_skill_display()} for s in obj.skills.all()]


class ServiceOut(PublicOut):
    code: str
    name: str
    description: str
    duration_minutes: int
    price: Decimal
    price_fen: int
    required_skill: str

    @staticmethod
    def resolve_name(obj):
        return obj.display_name

    @staticmethod
    def resolve_price(obj):
        return fen_to_yuan(obj.price_fen)
