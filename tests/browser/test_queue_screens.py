"""The queue's screens as people see them: the patient's ticket on a phone, the front
desk's board and a doctor's queue on a desk and on a phone; every page checked for
accessibility as it opens."""

from datetime import timedelta

import time_machine
from django.conf import settings
from django.test import Client

from tests.browser.conftest import checked_page, screenshot
from yachi.patients.privacy.consents import Kind, consent_grant, current_version
from yachi.queueing import services
from yachi.queueing.tests.helpers import before, book


def _logged_in(page, live_server, user):
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )


def test_the_queue_on_a_phone_and_at_the_desk(live_server, world, browser):
    appointment = book(world, hour=10)
    desk = world.clinic_a_front_desk
    now = before(appointment, 40)
    with time_machine.travel(now, tick=True):
        walk_ins = [
            services.walk_in(
                actor=desk,
                clinic=world.clinic_a,
                phone=f"1393000000{i}",
                name=name,
                service=world.cleaning_a,
                doctor=world.clinic_a_doctor,
                now=now - timedelta(minutes=30 - i),
            )
            for i, name in enumerate(["周建国", "吴桂英", "郑小雨"])
        ]
        mine = services.check_in_at_desk(actor=desk, appointment=appointment)
        queue = mine.queue
        first = services.call_next(actor=desk, queue=queue, room="1号诊室")
        services.start(actor=desk, ticket=first)
        services.call_next(actor=desk, queue=queue, room="2号诊室")
        for user in (world.patient_parent,):
            consent_grant(
                actor=user,
                account=user.family_account,
                kind=Kind.PRIVACY_POLICY,
                version=current_version(),
            )
        base = live_server.url
        for width, height in ((390, 844), (1366, 900)):
            with checked_page(browser, width=width, height=height) as page:
                _logged_in(page, live_server, world.patient_parent)
                page.goto(f"{base}/queue/tickets/{mine.public_id}/")
                assert page.locator(".queue-number.big").inner_text() == mine.number
                screenshot(page, f"queue-ticket-{width}")
                page.goto(f"{base}/queue/")
                screenshot(page, f"queue-mine-{width}")
            with checked_page(browser, width=width, height=height) as page:
                _logged_in(page, live_server, desk)
                clinic = world.clinic_a.public_id
                page.goto(f"{base}/console/clinic/{clinic}/queues/")
                assert "周建国" in page.content()
                screenshot(page, f"queue-board-{width}")
                page.goto(f"{base}/console/clinic/{clinic}/queues/{queue.public_id}/")
                screenshot(page, f"queue-doctor-{width}")
                page.goto(f"{base}/console/clinic/{clinic}/queues/summary/")
                screenshot(page, f"queue-summary-{width}")
                page.goto(f"{base}/console/clinic/{clinic}/queues/poster/")
                screenshot(page, f"queue-poster-{width}")
                page.goto(f"{base}/console/queues/help/")
                screenshot(page, f"queue-help-{width}")
        # The doctor presses the big button: the page changes in place.
        with checked_page(browser, width=1366, height=900) as page:
            _logged_in(page, live_server, world.clinic_a_doctor.user)
            page.goto(f"{base}/console/clinic/{world.clinic_a.public_id}/queues/{queue.public_id}/")
            page.click("button:has-text('完成就诊')")
            # htmx swaps the queue in place: the chair is free, the called patient is next.
            page.wait_for_selector("button:has-text('开始治疗')")
            screenshot(page, "queue-doctor-after-finish-1366")
    assert walk_ins[0].number == "B001"
