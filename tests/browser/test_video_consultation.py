"""A video consultation in two real browsers: the doctor at the desk and the patient on a
phone, each with Chromium's fake camera and microphone, connect over WebRTC through the
platform's own signalling socket; a stranger is refused (ADR 0045).

The socket needs a server speaking WebSockets: the project's ASGI application runs here
under uvicorn, on a free port, with the channel layer of the settings (in memory on
SQLite, Redis under ``REDIS_URL``).
"""

import threading
import time
from datetime import timedelta

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from conftest import unused_port
from tests import factories as f
from tests.browser.axe import Accessibility
from tests.browser.conftest import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS
from yachi.booking.models import Appointment
from yachi.clinics.choices import ServiceKind
from yachi.messaging.video.models import VideoRoomEvent

pytestmark = pytest.mark.browser

FAKE_MEDIA = ["--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream"]

# Connected, and the other side's video is playing: frames decoded, not paused.
CONNECTED = """() => {
  const room = document.querySelector("[data-video-room]");
  const video = document.querySelector("[data-remote]");
  const stream = video && video.srcObject;
  return !!room && ["connected", "completed"].includes(room.dataset.ice)
    && !!stream && stream.getVideoTracks().some((t) => t.readyState === "live")
    && !video.paused && video.readyState >= 2 && video.videoWidth > 0;
}"""

# A socket opened by hand from the stranger's page, and how it was closed.
STRANGER_SOCKET = """(path) => new Promise((resolve) => {
  const socket = new WebSocket("ws://" + location.host + path);
  const got = [];
  socket.onmessage = (e) => got.push(e.data);
  socket.onclose = (e) => resolve({code: e.code, messages: got});
})"""


@pytest.fixture
def asgi_server(transactional_db):
    import uvicorn
    from django.contrib.staticfiles.handlers import ASGIStaticFilesHandler

    from config.asgi import application

    port = unused_port()
    # The static files beside it, as the live server of the other browser tests serves them.
    server = uvicorn.Server(
        uvicorn.Config(
            ASGIStaticFilesHandler(application),
            host="127.0.0.1",
            port=port,
            lifespan="off",
            log_level="warning",
        )
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("uvicorn did not start")
        time.sleep(0.02)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=5)


@pytest.fixture(scope="module")
def media_browser(playwright):
    chromium = playwright.chromium.launch(
        executable_path=CHROMIUM, args=[*CHROMIUM_ARGS, *FAKE_MEDIA]
    )
    yield chromium
    chromium.close()


def video_appointment(world, service, *, in_minutes: int, minutes: int, price_fen: int):
    """The parent's video consultation with clinic A's doctor, starting soon."""
    start = (timezone.now() + timedelta(minutes=in_minutes)).replace(microsecond=0)
    return Appointment.objects.create(
        clinic=world.clinic_a,
        doctor=world.clinic_a_doctor,
        service=service,
        patient=world.parent,
        channel="api",
        start=start,
        end=start + timedelta(minutes=minutes),
        price_fen=price_fen,
    )


def screenshot(page, name: str) -> None:
    """The window as the person sees it (a full-page capture of live video is slow)."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))


def signed_in(browser, base: str, user, *, width: int, height: int):
    """A browser context already signed in as ``user`` (its session cookie), checked for
    accessibility like every browser test's pages."""
    client = Client()
    client.force_login(user)
    context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN")
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": base,
            }
        ]
    )
    accessibility = Accessibility(context)
    page = context.new_page()
    page.set_default_timeout(30000)
    accessibility.watch(page)
    return context, page, accessibility


def test_doctor_and_patient_connect_and_a_stranger_is_refused(asgi_server, world, media_browser):
    base = asgi_server
    service = f.ServiceFactory(
        clinic=world.clinic_a,
        code="ortho_follow_up",
        name="正畸复诊咨询",
        name_en="Orthodontic follow-up",
        duration_minutes=20,
        price_fen=5000,
        kind=ServiceKind.VIDEO,
    )
    appointment = video_appointment(world, service, in_minutes=5, minutes=20, price_fen=5000)
    room = f"/appointments/{appointment.public_id}/video/"
    opened = []
    try:
        doctor_context, doctor, doctor_axe = signed_in(
            media_browser, base, world.clinic_a_doctor.user, width=1366, height=900
        )
        opened.append(doctor_context)
        patient_context, patient, patient_axe = signed_in(
            media_browser, base, world.patient_parent, width=390, height=844
        )
        opened.append(patient_context)

        # A stranger: no page, and a socket opened by hand is closed with 4403, empty.
        stranger_context, stranger, stranger_axe = signed_in(
            media_browser, base, world.other_patient, width=390, height=844
        )
        opened.append(stranger_context)
        response = stranger.goto(base + room)
        assert response.status == 404
        assert "未找到" in stranger.locator("main").inner_text()
        assert stranger.locator("[data-video-room]").count() == 0
        refused = stranger.evaluate(STRANGER_SOCKET, f"/ws/video/{appointment.public_id}/")
        assert refused == {"code": 4403, "messages": []}
        screenshot(stranger, "video-stranger-390")
        stranger_axe.assert_clean(stranger_context.pages)
        stranger_context.close()
        opened.remove(stranger_context)

        doctor.goto(f"{base}/console/video/{appointment.public_id}/")
        doctor.wait_for_function(
            "() => document.querySelector('[data-video-room]').dataset.state === 'waiting'"
        )
        assert "等待" in doctor.locator("[data-state-text]").inner_text()
        patient.goto(base + room)

        patient.wait_for_function(CONNECTED, timeout=30000)
        doctor.wait_for_function(CONNECTED, timeout=30000)
        for page in (patient, doctor):
            assert page.locator("[data-state-text]").inner_text() == "已连接"
            assert page.locator("[data-fallback]").is_hidden()
            assert page.evaluate("document.querySelector('[data-local]').srcObject !== null")
        screenshot(patient, "video-patient-390")
        screenshot(doctor, "video-doctor-1366")
        patient.set_viewport_size({"width": 1366, "height": 900})
        doctor.set_viewport_size({"width": 390, "height": 844})
        screenshot(patient, "video-patient-1366")
        screenshot(doctor, "video-doctor-390")

        # Mute: the microphone's track stops sending, the button says so.
        patient.get_by_role("button", name="静音").click()
        assert (
            patient.evaluate(
                "document.querySelector('[data-local]').srcObject.getAudioTracks()[0].enabled"
            )
            is False
        )
        assert patient.locator("[data-mute]").get_attribute("aria-pressed") == "true"

        # The doctor's page lists the patient's join as it happens.
        log = doctor.get_by_test_id("video-log")
        assert "患者 进入" in log.inner_text()
        # The room's log has both joins (a socket that dropped and came back joined again:
        # the call stays up meanwhile).
        parties = set(VideoRoomEvent.objects.filter(kind="joined").values_list("party", flat=True))
        assert parties == {"doctor", "patient"}

        # The patient hangs up: the doctor sees them leave.
        patient.get_by_role("button", name="挂断").click()
        assert patient.locator("[data-state-text]").inner_text() == "您已离开问诊。"
        doctor.wait_for_function(
            "() => document.querySelector('[data-video-room]').dataset.state === 'waiting'"
        )
        assert "离开" in doctor.locator("[data-state-text]").inner_text()

        for axe, context in (
            (doctor_axe, doctor_context),
            (patient_axe, patient_context),
        ):
            axe.assert_clean(context.pages)
    finally:
        for context in opened:
            context.close()


def test_without_a_camera_the_page_says_so_and_still_joins(asgi_server, world, media_browser):
    base = asgi_server
    service = f.ServiceFactory(
        clinic=world.clinic_a, code="video", name="复诊咨询", kind=ServiceKind.VIDEO
    )
    appointment = video_appointment(world, service, in_minutes=2, minutes=30, price_fen=0)
    context, page, axe = signed_in(media_browser, base, world.patient_parent, width=390, height=844)
    try:
        # The browser has no camera or microphone, or the person refused them.
        context.add_init_script(
            "navigator.mediaDevices.getUserMedia = () =>"
            " Promise.reject(new DOMException('Permission denied', 'NotAllowedError'));"
        )
        page.goto(f"{base}/appointments/{appointment.public_id}/video/")
        fallback = page.locator("[data-fallback]")
        fallback.wait_for(state="visible")
        assert "摄像头" in fallback.inner_text()
        page.wait_for_function(
            "() => document.querySelector('[data-video-room]').dataset.state === 'waiting'"
        )
        assert page.locator("[data-mute]").is_disabled()
        screenshot(page, "video-no-camera-390")
        axe.assert_clean(context.pages)
    finally:
        context.close()
