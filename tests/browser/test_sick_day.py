"""A manager whose doctor calls in sick opens 医生临时病假 in the console, sees the smallest
change that covers the doctor's patients and applies it; the holiday calendar says plainly
that next year's make-up working days are missing until entered. Both pages pass the
accessibility check."""

import time as clock
from datetime import datetime, time

import pyotp
import pytest

from tests import factories as f
from tests.browser.conftest import checked_page, screenshot
from yachi.accounts import staff_auth
from yachi.booking.models import Appointment
from yachi.booking.services import appointments_book
from yachi.clinics.models import OpeningHours
from yachi.rostering.tests.helpers import SHANGHAI, TUESDAY, coming

pytestmark = pytest.mark.browser


def test_a_manager_hands_a_sick_doctors_patient_to_a_colleague(live_server, world, browser):
    for weekday in range(7):
        OpeningHours.objects.create(
            clinic=world.clinic_a, weekday=weekday, opens=time(9), closes=time(18)
        )
    tuesday = coming(TUESDAY)
    visit = appointments_book(
        actor=world.patient_parent,
        doctor=world.clinic_a_doctor,
        service=world.filling_a,
        start=datetime.combine(tuesday, time(10), tzinfo=SHANGHAI),
        patients=[world.parent],
    ).appointments[0]
    # Managers sign in with a second factor.
    secret = pyotp.random_base32()
    staff_auth.totp_enroll(
        user=world.clinic_a_manager, secret=secret, code=pyotp.TOTP(secret).now()
    )
    with checked_page(browser, width=1366, height=900) as page:
        page.goto(f"{live_server.url}/console/login/")
        page.fill("input[name=phone]", world.clinic_a_manager.phone)
        page.fill("input[name=password]", f.STAFF_PASSWORD)
        page.click("button[type=submit]")
        page.fill("input[name=code]", pyotp.TOTP(secret).at(clock.time() + 30))
        page.click("button[type=submit]")
        page.wait_for_url("**/console/**")
        page.goto(f"{live_server.url}/console/clinic/{world.clinic_a.public_id}/roster/sick/")
        page.select_option("select[name=doctor]", str(world.clinic_a_doctor.public_id))
        page.fill("input[name=day]", tuesday.isoformat())
        page.click("text=给出最小调整")
        page.wait_for_selector("table.week >> text=李医生")
        screenshot(page, "console-sick-day-proposed")
        page.click("text=确认调整并通知患者")
        page.wait_for_selector("text=病假已记录")
        assert Appointment.objects.get(pk=visit.pk).doctor_id == world.clinic_a_implant_doctor.pk
        page.goto(
            f"{live_server.url}/console/clinic/{world.clinic_a.public_id}/roster/calendar/?year=2027"
        )
        assert "2027 年的调休上班日在填写之前不在日历中" in page.content()
        screenshot(page, "console-holiday-calendar-2027")
