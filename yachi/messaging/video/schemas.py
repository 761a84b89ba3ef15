from uuid import UUID

from ninja import Field, Schema

from yachi.core.schemas import LocalDatetime


class IceServerOut(Schema):
    urls: list[str] = Field(description="STUN or TURN addresses (`stun:…`, `turn:…`).")
    username: str | None = None
    credential: str | None = None


class VideoRoomOut(Schema):
    appointment_id: UUID
    party: str = Field(description="Who the caller is in the room: `patient` or `doctor`.")
    peer_name: str = Field(description="The other party: the doctor, or the patient.")
    clinic_name: str
    service_name: str
    start: LocalDatetime
    end: LocalDatetime
    opens_at: LocalDatetime = Field(description="From when the room can be joined.")
    closes_at: LocalDatetime = Field(description="Until when.")
    socket_path: str = Field(
        description="The signalling WebSocket, `/ws/video/{appointment_id}/?token=…`: "
        "offer, answer and ICE candidates relayed to the other party; `joined` and "
        "`left` events with `seq`."
    )
    ice_servers: list[IceServerOut] = Field(
        description="`RTCPeerConnection`'s `iceServers` (`YACHI_ICE_SERVERS`; often none)."
    )
