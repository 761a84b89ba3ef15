"""The group-buy API as the mini-program sees it: shapes, statuses and codes."""

import pytest

from tests import factories as f
from tests.apiclient import ApiClient
from yachi.growth.groupbuys.models import Group
from yachi.growth.tests.test_group_buys import campaign_of, opened
from yachi.shop.tests.conftest import pay

pytestmark = pytest.mark.django_db(transaction=True)


def test_campaigns_start_join_and_a_group_by_its_link(world):
    service = f.ServiceFactory(clinic=world.clinic_a, code="implant", name="种植牙")
    campaign = campaign_of(world, service, size=2)
    (row,) = ApiClient().get("/group-buys").json()
    assert row["id"] == str(campaign.public_id)
    assert row["size"] == 2 and row["price_fen"] == 500000 and row["leader_price_fen"] == 470000
    assert row["leader_benefit"] == "团长免麻醉费" and row["phase"] == "on_sale"
    assert row["service"]["name"] == "种植牙" and row["groups_left"] == 5

    leader = ApiClient().as_user(world.patient_parent)
    started = leader.post(f"/group-buys/{campaign.public_id}/groups")
    assert started.status_code == 201, started.content
    body = started.json()
    assert body["group"]["status"] == "pending" and body["group"]["size"] == 2
    assert body["payment"]["amount_fen"] == 470000 and body["payment"]["status"] == "created"
    assert leader.post(f"/group-buys/{campaign.public_id}/groups").json()["code"] == (
        "already_leading"
    )
    group = Group.objects.get(public_id=body["group"]["id"])
    pay(_intent(group))

    friend = ApiClient().as_user(world.other_patient)
    seen = friend.get(f"/groups/{group.public_id}").json()
    assert set(seen) >= {"id", "size", "members", "status", "expires_at"}
    assert seen["status"] == "open"
    assert seen["members"] == [
        {
            "name": "张**",
            "leader": True,
            "status": "paid",
            "joined_at": seen["members"][0]["joined_at"],
        }
    ]
    joined = friend.post(f"/groups/{group.public_id}/join")
    assert joined.status_code == 201, joined.content
    membership = joined.json()
    assert membership["membership"]["status"] == "pending"
    assert membership["payment"]["amount_fen"] == 500000
    again = friend.post(f"/groups/{group.public_id}/join")
    assert (again.status_code, again.json()["code"]) == (409, "already_member")
    third = ApiClient().as_user(f.patient_user("13600000001", name="第三人"))
    full = third.post(f"/groups/{group.public_id}/join")
    assert (full.status_code, full.json()["code"]) == (409, "group_full")


def _intent(group):
    from yachi.payments.models import PaymentIntent

    return PaymentIntent.objects.get(reference=group.members.get().reference)


def test_a_confirmed_group_is_closed_and_bad_ids_are_not_found(world):
    service = f.ServiceFactory(clinic=world.clinic_a, code="implant", name="种植牙")
    campaign = campaign_of(world, service, size=2)
    group = opened(world, campaign)
    joiner = f.patient_user("13600000002", name="李四")
    from yachi.growth.groupbuys import services

    _member, intent = services.group_join(user=joiner, group=group)
    pay(intent)
    api = ApiClient().as_user(world.other_patient)
    closed = api.post(f"/groups/{group.public_id}/join")
    assert (closed.status_code, closed.json()["code"]) == (409, "group_closed")
    assert api.get(f"/groups/{group.public_id}").json()["status"] == "full"
    for path in ("/groups/not-a-uuid", "/groups/00000000-0000-4000-8000-000000000000"):
        answer = api.get(path)
        assert (answer.status_code, answer.json()["code"]) == (404, "group_not_found")
    missing = api.post("/group-buys/nope/groups")
    assert (missing.status_code, missing.json()["code"]) == (404, "campaign_not_found")
    staff = ApiClient().as_user(world.clinic_a_front_desk)
    refused = staff.post(f"/group-buys/{campaign.public_id}/groups")
    assert (refused.status_code, refused.json()["code"]) == (403, "patients_only")
    anonymous = ApiClient().post(f"/group-buys/{campaign.public_id}/groups")
    assert anonymous.status_code == 401
