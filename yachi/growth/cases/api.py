"""Case contests in the JSON API, for the mini-program: the contests (never an entry),
entering with the separate consent (multipart: `before` and `after` files), the
patient's own entries, and withdrawing the consent, which deletes the files."""

from django.http import FileResponse
from django.utils.translation import gettext as _
from ninja import File, Form, Router, Status, UploadedFile

from yachi.core.errors import patients_only
from yachi.core.schemas import errors
from yachi.growth.cases import access, selectors, services
from yachi.growth.cases.schemas import ContestOut, EntryOut
from yachi.growth.cases.views import file_response

router = Router(tags=["case contests"])


def _patient(request):
    patients_only(request.user, _("Case contests are for patients."))
    return request.user


@router.get("/case-contests", response={200: list[ContestOut], **errors(401, 403)})
def contests(request):
    """Contests open now or judged (not drafts), newest first."""
    _patient(request)
    return selectors.contests_for_patients()


@router.get("/case-contests/{contest_id}", response={200: ContestOut, **errors(401, 403, 404)})
def contest(request, contest_id: str):
    _patient(request)
    return access.access_public_contest(contest_id=contest_id)


@router.post(
    "/case-contests/{contest_id}/entries",
    response={201: EntryOut, **errors(400, 401, 403, 404, 409, 413, 422)},
)
def enter(
    request,
    contest_id: str,
    consent: Form[bool],
    story: Form[str] = "",
    before: File[list[UploadedFile]] = None,
    after: File[list[UploadedFile]] = None,
):
    """Enter with at least one `before` and one `after` photo or video (JPEG, PNG, MP4;
    six at most) and `consent=true` for the separate consent. 409 `already_entered`,
    `contest_closed`."""
    user = _patient(request)
    found = access.access_public_contest(contest_id=contest_id)
    entry = services.entry_submit(
        user=user,
        contest=found,
        story=story,
        consent=consent,
        before=before or [],
        after=after or [],
    )
    return Status(201, entry)


@router.get("/me/case-entries", response={200: list[EntryOut], **errors(401, 403)})
def my_entries(request):
    user = _patient(request)
    return selectors.entries_of(user)


@router.post(
    "/case-entries/{case_entry_id}/withdraw",
    response={200: EntryOut, **errors(401, 403, 404, 409)},
)
def withdraw(request, case_entry_id: str):
    """Withdraw the consent: the entry is withdrawn and its files deleted. 409
    `already_withdrawn`."""
    user = _patient(request)
    entry = access.access_own_entry(user=user, entry_id=case_entry_id)
    return services.entry_withdraw(user=user, entry=entry)


@router.get(
    "/case-files/{case_file_id}",
    url_name="case_file",
    response={200: None, **errors(401, 403, 404)},
    openapi_extra={
        "responses": {
            200: {
                "description": "the file",
                "content": {"image/jpeg": {}, "image/png": {}, "video/mp4": {}},
            }
        }
    },
)
def entry_file(request, case_file_id: str) -> FileResponse:
    user = _patient(request)
    return file_response(access.access_own_file(user=user, file_id=case_file_id))
