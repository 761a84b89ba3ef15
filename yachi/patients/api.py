from django.http import HttpResponse
from ninja import File, Router, Status, UploadedFile

from yachi.core.schemas import errors
from yachi.patients import access, faces, selectors, services
from yachi.patients.privacy import consents
from yachi.patients.schemas import (
    ConsentIn,
    ConsentOut,
    FacePhotoOut,
    FamilyMemberIn,
    PatientOut,
    WithdrawOut,
)

router = Router(tags=["family"])


@router.get("/family-members", response={200: list[PatientOut], **errors(401, 404)})
def list_family_members(request):
    """The caller's family members (the account holder is in `GET /me`)."""
    return selectors.family_members(access.account_of(request.user))


@router.post("/family-members", response={201: PatientOut, **errors(400, 401, 404, 409, 413, 422)})
def add_family_member(request, payload: FamilyMemberIn):
    """Add a family member; an account holds at most 5 (409 `family_limit`)."""
    member = services.family_member_add(
        account=access.account_of(request.user),
        name=payload.name,
        relationship=payload.relationship,
        gender=payload.gender,
        birth_date=payload.birth_date,
        id_number=payload.id_number or "",
    )
    return Status(201, member)


@router.get("/family-members/{patient_id}", response={200: PatientOut, **errors(401, 404)})
def get_family_member(request, patient_id: str):
    return access.access_family_member_by_id(actor=request.user, patient_id=patient_id)


@router.put(
    "/family-members/{patient_id}", response={200: PatientOut, **errors(400, 401, 404, 413, 422)}
)
def update_family_member(request, patient_id: str, payload: FamilyMemberIn):
    """Change a family member, or the holder's own details (with the holder's id)."""
    patient = access.access_family_member_by_id(actor=request.user, patient_id=patient_id)
    return services.family_member_update(
        patient=patient,
        name=payload.name,
        relationship=payload.relationship,
        gender=payload.gender,
        birth_date=payload.birth_date,
        id_number=payload.id_number,
    )


@router.delete(
    "/family-members/{patient_id}",
    response={204: None, **errors(401, 404, 409, 422)},
)
def remove_family_member(request, patient_id: str):
    patient = access.access_family_member_by_id(actor=request.user, patient_id=patient_id)
    services.family_member_remove(patient=patient)
    return Status(204, None)


# --- consent (PIPL) ----------------------------------------------------------------------


@router.get("/consents", response={200: list[ConsentOut], **errors(401, 404)}, tags=["privacy"])
def list_consents(request):
    """Which consents the account has given, for which version of the texts."""
    return consents.consent_states(account=access.account_of(request.user))


@router.post(
    "/consents",
    response={200: list[ConsentOut], **errors(400, 401, 404, 409, 413, 422)},
    tags=["privacy"],
)
def give_consent(request, payload: ConsentIn):
    """Give a consent (`privacy_policy`, `medical_data`, `facial_images`) for the current
    version of its text (409 `consent_version_outdated` for an older one)."""
    account = access.account_of(request.user)
    consents.consent_grant(
        actor=request.user, account=account, kind=payload.kind, version=payload.version
    )
    return consents.consent_states(account=account)


@router.post(
    "/consents/{kind}/withdraw",
    response={200: WithdrawOut, **errors(401, 404, 422)},
    tags=["privacy"],
)
def withdraw_consent(request, kind: str):
    """Withdraw a consent; withdrawing `facial_images` deletes the facial photos."""
    deleted = consents.consent_withdraw(
        actor=request.user, account=access.account_of(request.user), kind=kind
    )
    return {"kind": kind, "facial_photos_deleted": deleted}


# --- facial photos ---------------------------------------------------------------------


@router.get(
    "/family-members/{patient_id}/face-photos",
    response={200: list[FacePhotoOut], **errors(401, 404)},
    tags=["privacy"],
)
def list_face_photos(request, patient_id: str):
    patient = access.access_family_member_by_id(actor=request.user, patient_id=patient_id)
    return list(patient.face_photos.select_related("patient").order_by("-created_at"))


@router.post(
    "/family-members/{patient_id}/face-photos",
    response={201: FacePhotoOut, **errors(400, 401, 403, 404, 413, 422)},
    tags=["privacy"],
)
def upload_face_photo(request, patient_id: str, file: UploadedFile = File(...)):
    """A JPEG or PNG facial photo (needs the `facial_images` consent, 403
    `consent_required`). Stored encrypted on the clinic's own machine, without metadata."""
    patient = access.access_family_member_by_id(actor=request.user, patient_id=patient_id)
    return Status(201, faces.face_photo_add(actor=request.user, patient=patient, upload=file))


@router.get(
    "/face-photos/{photo_id}",
    response={200: None, **errors(401, 404)},
    tags=["privacy"],
    openapi_extra={
        "responses": {
            200: {"description": "the photo", "content": {"image/jpeg": {}, "image/png": {}}}
        }
    },
)
def download_face_photo(request, photo_id: str):
    photo = access.access_face_photo_by_id(actor=request.user, photo_id=photo_id)
    response = HttpResponse(faces.face_photo_content(photo), content_type=photo.content_type)
    response["Cache-Control"] = "private, no-store"
    return response


@router.delete(
    "/face-photos/{photo_id}", response={204: None, **errors(401, 404)}, tags=["privacy"]
)
def delete_face_photo(request, photo_id: str):
    photo = access.access_face_photo_by_id(actor=request.user, photo_id=photo_id)
    faces.face_photo_delete(photo=photo)
    return Status(204, None)
