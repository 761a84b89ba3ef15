from datetime import date
from uuid import UUID

from ninja import Schema
from pydantic import Field

from yachi.core.schemas import InputSchema, IsoDate, Line, LocalDatetime, PublicOut, Text
from yachi.patients.choices import Gender, Relationship
from yachi.patients.identity import masked


class FamilyMemberIn(InputSchema):
    name: Line = Field(max_length=64)
    relationship: Relationship
    gender: Gender = Gender.UNKNOWN
    birth_date: IsoDate | None = None
    id_number: Line | None = Field(
        None, max_length=20, description="resident ID number; omit to leave it unchanged"
    )


class PatientOut(PublicOut):
    name: str
    relationship: str
    relationship_display: str
    gender: str
    birth_date: date | None
    is_holder: bool
    id_number: str = Field(description="masked: region and last four only")
    chart_number: str = Field(
        description="the Patient ID to type into an X-ray unit, so its images reach this person"
    )

    @staticmethod
    def resolve_relationship_display(obj):
        return obj.get_relationship_display()

    @staticmethod
    def resolve_id_number(obj):
        return masked(obj.id_number)


class ConsentIn(InputSchema):
    kind: Line
    version: Line


class ConsentOut(Schema):
    kind: str
    label: str
    current_version: str
    granted: bool
    version: str | None
    granted_at: LocalDatetime | None


class WithdrawOut(Schema):
    kind: str
    facial_photos_deleted: int


class FacePhotoOut(PublicOut):
    patient_id: UUID
    content_type: str
    width: int
    height: int
    created_at: LocalDatetime

    @staticmethod
    def resolve_patient_id(obj):
        return obj.patient.public_id


class ClinicalNoteIn(InputSchema):
    diagnosis: Text = Field(max_length=5000)
    chief_complaint: Text = Field("", max_length=5000)
    findings: Text = Field("", max_length=5000)
    treatment: Text = Field("", max_length=5000)
    appointment_id: UUID | None = None
    # What the patient reads in their visit history, once ``shared``.
    patient_summary: Text = Field("", max_length=5000)
    advice: Text = Field("", max_length=5000)
    shared: bool = False


class NotePatientPartIn(InputSchema):
    patient_summary: Text = Field("", max_length=5000)
    advice: Text = Field("", max_length=5000)
    shared: bool = False


class NamedRef(Schema):
    id: UUID
    name: str


class ClinicalNoteOut(PublicOut):
    patient_id: UUID
    clinic: NamedRef
    author: NamedRef
    appointment_id: UUID | None
    chief_complaint: str
    findings: str
    diagnosis: str
    treatment: str
    patient_summary: str
    advice: str
    shared_at: LocalDatetime | None
    created_at: LocalDatetime

    @staticmethod
    def resolve_patient_id(obj):
        return obj.patient.public_id

    @staticmethod
    def resolve_clinic(obj):
        return {"id": obj.clinic.public_id, "name": obj.clinic.display_name}

    @staticmethod
    def resolve_author(obj):
        return {"id": obj.author.public_id, "name": obj.author.name}

    @staticmethod
    def resolve_appointment_id(obj):
        return obj.appointment.public_id if obj.appointment_id else None
