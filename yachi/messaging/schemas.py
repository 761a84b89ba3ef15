from typing import Literal

from django.utils.translation import get_language
from pydantic import Field, StrictBool

from yachi.core.schemas import InputSchema, LocalDatetime, PublicOut
from yachi.messaging.render import render


class NotificationOut(PublicOut):
    kind: str
    channel: str
    category: str
    status: str
    status_display: str
    title: str
    text: str
    scheduled_for: LocalDatetime
    sent_at: LocalDatetime | None
    read_at: LocalDatetime | None

    @staticmethod
    def resolve_status_display(obj):
        return obj.get_status_display()

    @staticmethod
    def resolve_title(obj):
        return render(obj.kind, obj.params, get_language())[0]

    @staticmethod
    def resolve_text(obj):
        return render(obj.kind, obj.params, get_language())[1]


class NotificationQuery(InputSchema):
    scope: Literal["all", "inbox", "sent"] = "all"
    limit: int = Field(100, ge=1, le=500)


class PreferenceIO(InputSchema):
    sms: StrictBool
    wechat: StrictBool
    marketing: StrictBool
