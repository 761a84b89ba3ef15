from uuid import UUID

from ninja import Schema
from pydantic import Field

from yachi.core.schemas import LocalDatetime, PublicOut


class ImageOut(PublicOut):
    modality: str
    series_uid: str
    series_number: int | None
    instance_number: int | None
    rows: int
    columns: int
    frames: int
    size: int = Field(description="bytes of the DICOM file")
    dicom_url: str = Field(
        description="the DICOM Part 10 file, for the same bearer token (application/dicom)"
    )

    @staticmethod
    def resolve_dicom_url(obj):
        return f"/api/v1/images/{obj.public_id}/dicom"


class StudyOut(PublicOut):
    modality: str = Field(description="DICOM modality: IO, PX, DX, CR or CT (cone-beam CT)")
    modality_display: str
    taken_at: LocalDatetime
    description: str
    clinic_id: UUID
    images: list[ImageOut]

    @staticmethod
    def resolve_modality_display(obj):
        return obj.get_modality_display()

    @staticmethod
    def resolve_clinic_id(obj):
        return obj.clinic.public_id

    @staticmethod
    def resolve_images(obj):
        return list(obj.images.all())


class StudiesOut(Schema):
    patient_id: UUID
    chart_number: str
    studies: list[StudyOut]
