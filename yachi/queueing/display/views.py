"""The waiting-room display: the board of a clinic's queues for a television, opened
with a display token (``/display/<clinic id>/?token=…``), and its fragment, which the
page fetches again after every event its socket receives."""

from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from yachi.queueing import selectors
from yachi.queueing.display.access import display_by_secret
from yachi.queueing.display.services import display_opened
from yachi.queueing.poster import local_day

# Who is next in each doctor's queue.
NEXT_COUNT = 3
# Calls shown below the latest one.
RECENT_CALLS = 6


def _refused(request):
    # A revoked, foreign or made-up token: one answer for all, nothing of the clinic.
    return render(request, "queueing/display/refused.html", status=404)


def room_label(room: str) -> str:
    """A bare number is a treatment room (3 → 3 号诊室); a chair's own name stays."""
    return _("room %(room)s") % {"room": room} if room.isdigit() else room


def _board(token) -> dict:
    clinic = token.clinic
    board = selectors.board(clinic=clinic, day=local_day(clinic), next_count=NEXT_COUNT)
    called = [{**call, "room_label": room_label(call["room"] or "")} for call in board["called"]]
    return {
        "clinic": clinic,
        "latest": called[0] if called else None,
        "recent": called[1 : 1 + RECENT_CALLS],
        "queues": board["queues"],
        "updated": timezone.localtime(),
    }


@never_cache
def display_page(request, clinic_id):
    token = display_by_secret(clinic_id=clinic_id, secret=request.GET.get("token"))
    if token is None:
        return _refused(request)
    display_opened(token)
    return render(
        request,
        "queueing/display/board.html",
        {**_board(token), "display_token": request.GET["token"], "display": token},
    )


@never_cache
def board_fragment(request, clinic_id):
    token = display_by_secret(clinic_id=clinic_id, secret=request.GET.get("token"))
    if token is None:
        return _refused(request)
    return render(request, "queueing/display/partials/board.html", _board(token))
