"""Insurance claims (理赔): the desk opens and sends them, the patient follows them."""

from ninja import Router

from yachi.core.errors import NotFound
from yachi.core.schemas import errors
from yachi.insurance.claims import services
from yachi.insurance.claims.access import access_claim_by_id, claims_of_payer
from yachi.insurance.claims.schemas import ClaimIn, ClaimOut
from yachi.insurance.medical.access import access_bill_for_insurance

router = Router(tags=["insurance claims"])
FAILS = errors(400, 401, 403, 404, 409, 413, 422, 503)


@router.post("/payments/{payment_id}/claims", response={201: ClaimOut, **FAILS})
def claim_open(request, payment_id: str, payload: ClaimIn):
    """The front desk opens a claim for a paid treatment bill, one per insurer."""
    intent = access_bill_for_insurance(actor=request.auth, payment_id=payment_id)
    case = services.claim_open(
        actor=request.auth,
        payment=intent,
        insurer=payload.insurer,
        policy_number=payload.policy_number,
        accident_date=payload.accident_date,
        description=payload.description,
    )
    return 201, case


@router.post("/claims/{claim_id}/submit", response={200: ClaimOut, **FAILS})
def claim_submit(request, claim_id: str):
    """Send the claim with its documents (itemised bill, diagnosis certificate, X-ray)."""
    case = access_claim_by_id(actor=request.auth, claim_id=claim_id)
    if request.auth.is_patient:
        raise NotFound(code="claim_not_found")
    return services.claim_submit(actor=request.auth, case=case)


@router.get("/claims/{claim_id}", response={200: ClaimOut, **errors(401, 403, 404)})
def claim_detail(request, claim_id: str):
    return access_claim_by_id(actor=request.auth, claim_id=claim_id)


@router.get("/me/claims", response={200: list[ClaimOut], **errors(401)})
def my_claims(request):
    """The caller's family's claims and where each stands (patients; empty for staff)."""
    return claims_of_payer(request.auth) if request.auth.is_patient else []
