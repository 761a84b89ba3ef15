from typing import Literal

from django.utils.translation import get_language
from pydantic import Field, StrictBool

from yachi.core.schemas import InputSchema, LocalDatetime, PublicOut
from yachi.messaging.render import render_shown


class NotificationOut(PublicOut):
    kind: str
    channel: str
    category: str
    status: str
    status_display: str
    title: str
    text: str = Field(description="The message, without its link.")
    action: str = Field(description="What the link does, for its button; empty without one.")
    link: str = Field(description="Where the button leads (a path on this site), or empty.")
    scheduled_for: LocalDatetime
    sent_at: LocalDatetime | None
    read_at: LocalDatetime | None

    @staticmethod
    def resolve_status_display(obj):
        return obj.get_status_display()

    @staticmethod
    def resolve_title(obj):
        return render_shown(obj.kind, obj.params, get_language()).title

    @staticmethod
    def resolve_text(obj):
        return render_shown(obj.kind, obj.params, get_language()).text

    @staticmethod
    def resolve_action(obj):
        return render_shown(obj.kind, obj.params, get_language()).action

    @staticmethod
    def resolve_link(obj):
        return render_shown(obj.kind, obj.params, get_language()).link


class NotificationQuery(InputSchema):
    scope: Literal["all", "inbox", "sent"] = "all"
    limit: int = Field(100, ge=1, le=500)


class PreferenceIO(InputSchema):
    sms: StrictBool
    wechat: StrictBool
    marketing: StrictBool
