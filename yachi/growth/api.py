from django.http import HttpResponse
from django.utils.translation import gettext as _
from ninja import Header, Query, Router
from ninja import Status as HttpStatus

from yachi.core.errors import InvalidInput, patients_only
from yachi.core.schemas import errors
from yachi.growth import access, activities, expiry, ledger, rewards, selectors, services
from yachi.growth.schemas import (
    ActivityIn,
    ActivityOut,
    CouponIssueIn,
    CouponOut,
    CouponQuery,
    PointsOut,
    PointsQuery,
    RedeemIn,
    RewardOut,
)

router = Router(tags=["coupons and points"])

WRITE_ERRORS = errors(400, 401, 403, 404, 409, 413, 422)


def _patient(user):
    patients_only(user, _("Coupons and points are for patients."))
    return user


@router.get("/me/coupons", response={200: list[CouponOut], **errors(401, 403, 422)})
def my_coupons(request, query: Query[CouponQuery]):
    """The caller's coupons, soonest to expire first; `status` narrows them down."""
    user = _patient(request.user)
    return selectors.coupons_of(user=user, status=query.status, limit=query.limit)


@router.get("/me/points", response={200: PointsOut, **errors(401, 403, 422)})
def my_points(request, query: Query[PointsQuery]):
    """The caller's points balance, what it is worth, and the latest entries."""
    user = _patient(request.user)
    balance = ledger.points_balance(user=user)
    expiring = expiry.points_expiring(user=user)
    return {
        "balance": balance,
        "value_fen": ledger.points_value_fen(balance),
        "expiring_points": expiring[0] if expiring else 0,
        "expiring_on": expiring[1] if expiring else None,
        "entries": selectors.points_entries_of(user=user, limit=query.limit),
    }


@router.post(
    "/me/points/activities",
    response={201: ActivityOut, 200: ActivityOut, 202: ActivityOut, **WRITE_ERRORS},
)
def activity_points(request, payload: ActivityIn):
    """Points for an activity: `survey` (once per survey `reference`) or `share` (once a
    day). A repeat answers 200 with the first entry and `replayed: true`, never earning
    twice. 202 with `status: "held"` when anti-fraud holds the points for the clinic's
    review: they are added once approved."""
    user = _patient(request.user)
    earning = activities.points_for_activity(
        user=user, activity=payload.activity, reference=payload.reference
    )
    posting = earning.posting
    if posting is None:
        held = {"status": "held", "entry_id": None, "points": 0, "balance": None}
        return HttpStatus(202, {**held, "replayed": False})
    answer = {
        "status": "paid",
        "entry_id": posting.entry_id,
        "points": posting.delta,
        "balance": posting.balance_after,
        "replayed": posting.replayed,
    }
    return HttpStatus(200 if posting.replayed else 201, answer)


@router.get("/points/rewards", response={200: list[RewardOut], **errors(401)})
def points_rewards(request):
    """Coupons and gifts that can be taken for points."""
    return selectors.rewards()


@router.post("/points/rewards/{template_id}/redeem", response={201: CouponOut, **WRITE_ERRORS})
def redeem_reward(
    request,
    response: HttpResponse,
    template_id: str,
    payload: RedeemIn | None = None,
    idempotency_key: str | None = Header(None, alias="Idempotency-Key"),
):
    """Take a reward for its points: the points are spent and the coupon issued together.

    409 `points_insufficient` when the balance is too small, 409 `coupon_sold_out` when
    none are left. Send an `Idempotency-Key` header (or `idempotency_key` in the body)
    so that a retried request returns the first coupon instead of spending twice.
    """
    user = _patient(request.user)
    key = idempotency_key or (payload.idempotency_key if payload else None)
    redeemed = rewards.reward_redeem(user=user, template_id=template_id, idempotency_key=key)
    if redeemed.replayed:
        response["Idempotent-Replayed"] = "true"
    return HttpStatus(201, redeemed.coupon)


@router.post("/clinic/coupons/issue", response={201: CouponOut, **WRITE_ERRORS})
def issue_coupon(request, payload: CouponIssueIn):
    """Managers: give a patient (by `phone` or `user_id`) a coupon; `reason` is kept."""
    access.require_manager(request.user)
    if not payload.phone and not payload.user_id:
        raise InvalidInput(_("Give the patient's mobile number."), code="patient_required")
    template = access.access_template_by_id(actor=request.user, template_id=payload.template_id)
    user = access.patient_user_by_phone_or_id(phone=payload.phone, user_id=payload.user_id)
    coupon_id = services.coupon_issue(
        template_id=template, user=user, reason=payload.reason, actor=request.user
    )
    return HttpStatus(201, selectors.coupon_issued(coupon_id))
