"""Channel attribution: tracked links record touches and land on their page; sign-ups,
bookings, completed visits and revenue count for the first or last touch in the window;
spend per channel and month gives cost per acquired patient and ROAS."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from conftest import tomorrow_at
from yachi.booking.services import appointments_book
from yachi.compliance.models import AuditEntry
from yachi.core.errors import DomainError
from yachi.growth import facade
from yachi.growth.attribution import report, services
from yachi.growth.attribution.models import Conversion, Touch
from yachi.growth.promotion import ContentRefused

pytestmark = pytest.mark.django_db

PHONE_UA = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0) AppleWebKit MicroMessenger/8.0"


@pytest.fixture
def channels(world):
    manager = world.clinic_a_manager
    douyin = services.channel_save(actor=manager, name="抖音", kind="douyin")
    flyers = services.channel_save(actor=manager, name="地推传单", kind="offline_flyer")
    return {
        "douyin": services.link_create(
            actor=manager, channel=douyin, campaign="699 元新人礼包", target="/articles/"
        ),
        "flyers": services.link_create(
            actor=manager, channel=flyers, campaign="社区传单", target="/"
        ),
    }


def test_a_link_records_the_touch_and_lands_on_its_page(client, channels):
    link = channels["douyin"]
    response = client.get(f"/t/{link.code}", headers={"user-agent": PHONE_UA})
    assert response.status_code == 302 and response["Location"] == "/articles/"
    visitor = response.cookies[services.VISITOR_COOKIE]
    assert visitor["httponly"] and len(visitor.value) == 32
    touch = Touch.objects.get()
    assert touch.link == link and touch.device == "wechat" and touch.visitor == visitor.value
    client.get(f"/t/{link.code}")
    assert Touch.objects.filter(visitor=visitor.value).count() == 2  # the same browser
    assert client.get("/t/NOSUCH")["Location"] == "/"
    assert Touch.objects.count() == 2


def test_links_land_only_on_this_sites_pages_and_campaigns_are_checked(world, channels):
    channel = channels["douyin"].channel
    for target in ("https://evil.example/", "//evil.example", "/console/", "javascript:x"):
        with pytest.raises(DomainError) as refused:
            services.link_create(
                actor=world.clinic_a_manager, channel=channel, campaign="x", target=target
            )
        assert refused.value.code == "invalid_target"
    with pytest.raises(ContentRefused):
        services.link_create(
            actor=world.clinic_a_manager, channel=channel, campaign="全城第一低价", target="/"
        )


def test_a_sign_up_after_a_touch_is_attributed_when_the_patient_opens_the_app(
    client, world, channels
):
    client.get(f"/t/{channels['flyers'].code}")
    client.get(f"/t/{channels['douyin'].code}")
    user = world.other_patient
    user.date_joined = timezone.now() + timedelta(seconds=1)
    user.save(update_fields=["date_joined"])
    client.force_login(user)
    client.get("/coupons/")  # any patient page
    assert Touch.objects.filter(user=user).count() == 2
    signup = Conversion.objects.get(kind="signup")
    assert signup.first_link == channels["flyers"] and signup.last_link == channels["douyin"]
    client.get("/coupons/")
    assert Conversion.objects.filter(kind="signup").count() == 1


def test_an_existing_patient_touching_a_link_is_no_sign_up(client, world, channels):
    client.force_login(world.patient_parent)
    client.get(f"/t/{channels['douyin'].code}")
    client.get("/coupons/")
    assert Touch.objects.get().user == world.patient_parent
    assert not Conversion.objects.filter(kind="signup").exists()


def test_bookings_visits_and_revenue_follow_the_touch_within_the_window(
    world, channels, django_capture_on_commit_callbacks
):
    user = world.patient_parent
    now = timezone.now()
    services.touch_record(
        link=channels["flyers"], visitor="a" * 32, user=user, at=now - timedelta(days=40)
    )
    services.touch_record(
        link=channels["douyin"], visitor="a" * 32, user=user, at=now - timedelta(days=3)
    )
    with django_capture_on_commit_callbacks(execute=True):
        appointments_book(
            actor=user,
            doctor=world.clinic_a_doctor,
            service=world.cleaning_a,
            start=tomorrow_at(10),
            patients=[world.parent],
        )
    booking = Conversion.objects.get(kind="booking")
    # The flyer's touch is older than the 30-day window: both ends are Douyin's.
    assert booking.first_link == booking.last_link == channels["douyin"]
    facade.attribution_conversion(
        user=user, kind="revenue", reference="payment:x", amount_fen=69900
    )
    facade.attribution_conversion(
        user=user, kind="revenue", reference="payment:x", amount_fen=69900
    )
    assert Conversion.objects.get(kind="revenue").amount_fen == 69900
    facade.attribution_conversion(user=world.other_patient, kind="visit", reference="v:1")
    assert not Conversion.objects.filter(kind="visit").exists()  # no touch, nothing to count


def test_the_report_by_first_and_last_touch_with_cost_and_roas(world, channels):
    user, manager = world.patient_parent, world.clinic_a_manager
    now = timezone.now()
    services.touch_record(
        link=channels["flyers"], visitor="b" * 32, user=user, at=now - timedelta(days=5)
    )
    services.touch_record(
        link=channels["douyin"], visitor="b" * 32, user=user, at=now - timedelta(days=1)
    )
    services.conversion_record(user=user, kind="signup", reference="signup:t", at=now)
    services.conversion_record(
        user=user, kind="revenue", reference="pay:t", at=now, amount_fen=300_000
    )
    month = now.astimezone(timezone.get_current_timezone()).date().replace(day=1)
    services.spend_set(
        actor=manager, channel=channels["douyin"].channel, month=month, amount_fen=100_000
    )
    services.spend_set(
        actor=manager, channel=channels["flyers"].channel, month=month, amount_fen=50_000
    )
    assert AuditEntry.objects.filter(action="ad_spend_recorded").count() == 2
    first = {
        r.channel.name: r
        for r in report.channel_report(model="first", first_month=month, last_month=month).rows
    }
    last = {
        r.channel.name: r
        for r in report.channel_report(model="last", first_month=month, last_month=month).rows
    }
    assert first["地推传单"].signups == 1 and first["抖音"].signups == 0
    assert (
        first["地推传单"].cost_per_patient_fen == 50_000 and str(first["地推传单"].roas) == "6.00"
    )
    assert last["抖音"].revenue_fen == 300_000 and str(last["抖音"].roas) == "3.00"
    assert last["地推传单"].roas == 0 and first["抖音"].cost_per_patient_fen is None
    with pytest.raises(DomainError) as refused:
        services.spend_set(
            actor=manager, channel=channels["douyin"].channel, month=date(2999, 1, 1), amount_fen=1
        )
    assert refused.value.code == "future_month"


def test_the_roi_page_shows_the_chart_data_and_takes_spend(client, world, channels):
    client.force_login(world.clinic_a_manager)
    month = timezone.localdate().strftime("%Y-%m")
    channel = channels["douyin"].channel
    response = client.post(
        "/console/channels/roi/",
        {"channel": str(channel.public_id), "month": month, "amount": "1234.50"},
    )
    assert response.status_code == 302
    page = client.get("/console/channels/roi/?model=last").content.decode()
    assert "vendor/echarts/echarts.min.js" in page and "data-chart" in page and "抖音" in page
    assert "¥1,234.50" in page
    link_page = client.get(
        f"/console/channels/links/{channels['douyin'].public_id}/"
    ).content.decode()
    assert f"/t/{channels['douyin'].code}" in link_page and "<svg" in link_page
    client.force_login(world.clinic_a_front_desk)
    assert client.get("/console/channels/roi/").status_code == 403
    assert client.post("/console/channels/", {"name": "x", "kind": "other"}).status_code == 403
