from ninja import Router, Status

from yachi.core.schemas import errors
from yachi.patients import access, selectors, services
from yachi.patients.schemas import FamilyMemberIn, PatientOut

router = Router(tags=["family"])


@router.get("/family-members", response={200: list[PatientOut], **errors(401, 404)})
def list_family_members(request):
    """The caller's family members (the account holder is in `GET /me`)."""
    return selectors.family_members(access.account_of(request.user))


@router.post("/family-members", response={201: PatientOut, **errors(400, 401, 404, 409, 422)})
def add_family_member(request, payload: FamilyMemberIn):
    """Add a family member; an account holds at most 5 (409 `family_limit`)."""
    member = services.family_member_add(
        account=access.account_of(request.user),
        name=payload.name,
        relationship=payload.relationship,
        gender=payload.gender,
        birth_date=payload.birth_date,
    )
    return Status(201, member)


@router.get("/family-members/{patient_id}", response={200: PatientOut, **errors(401, 404)})
def get_family_member(request, patient_id: str):
    return access.access_family_member_by_id(actor=request.user, patient_id=patient_id)


@router.put(
    "/family-members/{patient_id}", response={200: PatientOut, **errors(400, 401, 404, 422)}
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
    )


@router.delete(
    "/family-members/{patient_id}",
    response={204: None, **errors(401, 404, 409, 422)},
)
def remove_family_member(request, patient_id: str):
    patient = access.access_family_member_by_id(actor=request.user, patient_id=patient_id)
    services.family_member_remove(patient=patient)
    return Status(204, None)
