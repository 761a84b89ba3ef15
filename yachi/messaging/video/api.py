"""The mini-program's way into a video consultation: the room and its ICE servers."""

from ninja import Router

from yachi.core.schemas import errors
from yachi.messaging.video.access import access_video_room
from yachi.messaging.video.schemas import VideoRoomOut
from yachi.messaging.video.selectors import room_info

router = Router(tags=["video"])


@router.get(
    "/appointments/{appointment_id}/video", response={200: VideoRoomOut, **errors(401, 404, 409)}
)
def video_room(request, appointment_id: str):
    """The video consultation's room, for the patient's family account or the doctor of
    that appointment, from `YACHI_VIDEO_OPENS_MINUTES` (10) before its start to its end.

    409 `not_video` (the appointment is in a chair), `too_early` (the message says when it
    opens) or `ended` (over, cancelled or missed); 404 for anyone else's appointment."""
    return room_info(access_video_room(actor=request.user, appointment_id=appointment_id))
