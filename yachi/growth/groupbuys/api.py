"""Group-buys for the mini-program: campaigns, starting a group, joining one by its link."""

from typing import Literal
from uuid import UUID

from django.urls import reverse
from ninja import Router, Schema
from ninja import Status as HttpStatus

from yachi.core.errors import patients_only
from yachi.core.schemas import LocalDatetime, PublicOut, errors
from yachi.growth.groupbuys import access, selectors, services

router = Router(tags=["group-buys"])


class ServiceRef(Schema):
    id: UUID
    name: str
    duration_minutes: int


class CampaignOut(PublicOut):
    title: str
    description: str
    clinic_id: UUID
    clinic: str
    service: ServiceRef
    size: int
    price_fen: int
    # What the leader pays: the price less the leader's benefit (e.g. the anaesthesia fee).
    leader_price_fen: int
    leader_benefit: str
    fill_hours: int
    starts_at: LocalDatetime
    ends_at: LocalDatetime
    stock: int
    groups_left: int
    voucher_valid_days: int
    phase: Literal["upcoming", "on_sale", "sold_out", "ended"]

    @staticmethod
    def resolve_clinic_id(obj):
        return obj.clinic.public_id

    @staticmethod
    def resolve_clinic(obj):
        return obj.clinic.display_name

    @staticmethod
    def resolve_service(obj):
        return {
            "id": obj.service.public_id,
            "name": obj.service.display_name,
            "duration_minutes": obj.service.duration_minutes,
        }

    @staticmethod
    def resolve_phase(obj):
        return selectors.campaign_phase(obj)


class MemberOut(Schema):
    # Masked: 张** or 138****1234.
    name: str
    leader: bool
    status: Literal["pending", "paid"]
    joined_at: LocalDatetime


class GroupOut(Schema):
    id: UUID
    size: int
    members: list[MemberOut]
    status: Literal["pending", "open", "full", "dissolved", "cancelled"]
    expires_at: LocalDatetime
    campaign_id: UUID
    title: str
    places_left: int
    share_link: str


class PaymentOut(Schema):
    id: UUID
    status: str
    amount_fen: int
    expires_at: LocalDatetime


class GroupStartedOut(Schema):
    group: GroupOut
    payment: PaymentOut


class MembershipOut(Schema):
    id: UUID
    group_id: UUID
    leader: bool
    amount_fen: int
    status: Literal["pending", "paid", "released", "refunded"]


class JoinedOut(Schema):
    membership: MembershipOut
    payment: PaymentOut


def group_answer(request, group) -> dict:
    group = selectors.group_with_members(group)
    return {
        "id": group.public_id,
        "size": group.size,
        "members": [
            {
                "name": selectors.masked_name(m.user),
                "leader": m.is_leader,
                "status": m.status,
                "joined_at": m.created_at,
            }
            for m in group.holding
        ],
        "status": group.status,
        "expires_at": group.expires_at,
        "campaign_id": group.campaign.public_id,
        "title": group.campaign.title,
        "places_left": group.size - group.seats_taken,
        "share_link": request.build_absolute_uri(reverse("web:group", args=[group.public_id])),
    }


def _payment(intent) -> dict:
    return {
        "id": intent.public_id,
        "status": intent.status,
        "amount_fen": intent.amount_fen,
        "expires_at": intent.expires_at,
    }


@router.get("/group-buys", auth=None, response={200: list[CampaignOut]})
def list_campaigns(request):
    """Group-buy campaigns running now or starting later (`phase`), with groups left."""
    return selectors.campaigns_on_offer()


@router.post(
    "/group-buys/{campaign_id}/groups",
    response={201: GroupStartedOut, **errors(401, 403, 404, 409, 503)},
)
def start_group(request, campaign_id: str):
    """Start a group as its leader: the answer is the group and the leader's payment.
    The group opens to others (its `share_link`) once the leader has paid, and has the
    campaign's `fill_hours` to fill.

    409 `campaign_not_running`, `campaign_sold_out` or `already_leading`.
    """
    patients_only(request.user)
    campaign = access.campaign_on_offer_by_id(campaign_id)
    group, _member, intent = services.group_start(user=request.user, campaign=campaign)
    return HttpStatus(201, {"group": group_answer(request, group), "payment": _payment(intent)})


@router.post(
    "/groups/{group_id}/join", response={201: JoinedOut, **errors(401, 403, 404, 409, 503)}
)
def join_group(request, group_id: str):
    """Take a place in the group: the answer is the membership and its payment. The
    group is confirmed, and each member gets a service voucher, when every place is paid.

    409 `group_full`, `group_closed` (not open yet, confirmed, dissolved, or out of time)
    or `already_member`.
    """
    patients_only(request.user)
    group = access.group_by_id(group_id)
    member, intent = services.group_join(user=request.user, group=group)
    return HttpStatus(
        201,
        {
            "membership": {
                "id": member.public_id,
                "group_id": group.public_id,
                "leader": member.is_leader,
                "amount_fen": member.amount_fen,
                "status": member.status,
            },
            "payment": _payment(intent),
        },
    )


@router.get("/groups/{group_id}", response={200: GroupOut, **errors(401, 404)})
def get_group(request, group_id: str):
    """A group by its share link: its size, members (names masked), status and the time
    it must fill by."""
    return group_answer(request, access.group_by_id(group_id))
