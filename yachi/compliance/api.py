from django.http import HttpResponse
from ninja import Router, Schema

from yachi.compliance import privacy
from yachi.core.schemas import errors

router = Router(tags=["privacy"])


class RetainedOut(Schema):
    what: str
    until: str | None
    reason: str


class ErasureOut(Schema):
    status: str
    message: str
    deleted: list[str]
    retained: list[RetainedOut]


@router.get(
    "/me/export",
    response={200: None, **errors(401, 403, 503)},
    openapi_extra={
        "responses": {
            200: {
                "description": "a zip of data.json, photos and X-rays",
                "content": {"application/zip": {}},
            }
        }
    },
)
def export_my_data(request):
    """Download everything Yachi holds about the caller's family account (zip); 503
    `archive_unavailable` while the PACS that keeps their X-rays cannot be reached."""
    name, content = privacy.personal_data_export(user=request.user)
    response = HttpResponse(content, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response


@router.post("/me/erasure", response={200: ErasureOut, **errors(401, 403)})
def erase_my_data(request):
    """Close the account and delete its personal information. Medical records are kept
    for their legal retention period; the answer says what was kept and until when."""
    result = privacy.personal_data_erase(user=request.user)
    return {
        "status": "erased",
        "message": result.message,
        "deleted": result.deleted,
        "retained": result.retained,
    }
