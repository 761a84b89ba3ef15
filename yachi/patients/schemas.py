from datetime import date
from uuid import UUID

from ninja import Schema
from pydantic import Field

from yachi.core.schemas import IsoDate
from yachi.patients.choices import Gender, Relationship


class FamilyMemberIn(Schema):
    name: str = Field(max_length=64)
    relationship: Relationship
    gender: Gender = Gender.UNKNOWN
    birth_date: IsoDate | None = None


class PatientOut(Schema):
    id: UUID
    name: str
    relationship: str
    relationship_display: str
    gender: str
    birth_date: date | None
    is_holder: bool

    @staticmethod
    def resolve_id(obj):
        return obj.public_id

    @staticmethod
    def resolve_relationship_display(obj):
        return obj.get_relationship_display()
