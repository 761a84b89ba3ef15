"""The two pages of a video consultation: the patient's (from their appointment) and the
doctor's (from the console's calendar). Both show why a room cannot be entered yet or
any more; inside it, the browser joins over ``/ws/video/<id>/`` (``consumers.py``)."""

import json

from django.conf import settings
from django.shortcuts import render
from django.utils import timezone

from yachi.core.errors import DomainError, NotFound
from yachi.core.pages import patient_required, staff_required
from yachi.core.security import permissions_header
from yachi.messaging.video.access import check_open, room_of
from yachi.messaging.video.choices import Party
from yachi.messaging.video.selectors import room_info, room_log


def _with_camera(response):
    """The camera and microphone, off on every other page, are for this page itself."""
    response.headers["Permissions-Policy"] = permissions_header(
        {**settings.YACHI_PERMISSIONS_POLICY, "camera": ["self"], "microphone": ["self"]}
    )
    return response


def _config(room) -> str:
    info = room_info(room)
    return json.dumps(
        {
            "socket_path": info["socket_path"].lstrip("/"),
            "party": info["party"],
            "ice_servers": info["ice_servers"],
            "closes_at": info["closes_at"].isoformat(),
        }
    )


def _page(request, *, template: str, room, extra: dict):
    now = timezone.now()
    try:
        check_open(room, now=now)
    except DomainError as exc:
        closed = {"code": exc.code, "message": str(exc.message)}
    else:
        closed = None
    context = {
        "room": room,
        "appointment": room.appointment,
        "closed": closed,
        "config": None if closed else _config(room),
        **extra,
    }
    return _with_camera(render(request, template, context, status=200))


@patient_required
def patient_room(request, appointment_id):
    room = room_of(actor=request.user, appointment_id=appointment_id)
    return _page(
        request,
        template="messaging/video_room.html",
        room=room,
        extra={"tab": "appointments"},
    )


@staff_required
def doctor_room(request, appointment_id):
    room = room_of(actor=request.user, appointment_id=appointment_id)
    if room.party != Party.DOCTOR:  # a patient's account never reaches the console
        raise NotFound()
    return _page(
        request,
        template="messaging/console/video_room.html",
        room=room,
        extra={"section": "calendar", "log": room_log(appointment_id=room.appointment.id)},
    )
