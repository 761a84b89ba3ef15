from uuid import UUID

from ninja import Schema
from pydantic import Field

from yachi.core.schemas import InputSchema, Line, LocalDatetime, PublicOut
from yachi.imaging.caries.choices import NOTICE

# A box side an image can have (DICOM Rows and Columns are 16-bit).
PIXELS = 65535


class MarkOut(PublicOut):
    image_id: UUID
    status: str = Field(description="suggested (the model's, not reviewed), confirmed or rejected")
    source: str = Field(description="ai (the model) or doctor (added by a doctor)")
    tooth: str = Field(
        description="FDI tooth number when the image says which teeth it shows, else empty"
    )
    probability: float | None = Field(
        description="the model's probability (0–1); null for a doctor's mark"
    )
    model_version: str = Field(
        description="the model that made the mark, or whose marks a doctor reviewed"
    )
    box: list[int] = Field(
        description="[x0, y0, x1, y1] in the image's own pixels (x1, y1 exclusive)"
    )
    reviewed_at: LocalDatetime | None

    @staticmethod
    def resolve_image_id(obj):
        return obj.image.public_id

    @staticmethod
    def resolve_box(obj):
        return list(obj.box)


class FindingsOut(Schema):
    study_id: UUID
    notice: str = Field(
        description=f"always “{NOTICE}”: the marks come from a demonstration model, not a diagnosis"
    )
    marks: list[MarkOut] = Field(
        description="staff see every mark; patients only the marks a doctor confirmed"
    )


class MarkAddIn(InputSchema):
    box: list[int] = Field(min_length=4, max_length=4, description="[x0, y0, x1, y1] in pixels")
    tooth: Line = Field("", max_length=2, description="FDI tooth number, or empty")


def box_in_range(box: list[int]) -> bool:
    return all(0 <= value <= PIXELS for value in box)
