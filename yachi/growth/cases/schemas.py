from datetime import date

from django.urls import reverse
from pydantic import Field

from yachi.core.schemas import LocalDatetime, PublicOut
from yachi.growth.cases.services import consent_text


class ContestOut(PublicOut):
    """A case contest as patients see it: its rules and prizes, never an entry."""

    title: str
    description: str
    starts_on: date
    ends_on: date
    status: str
    prize_pool_fen: int
    winners: int
    split_rule: str
    prize_kind: str
    consent_text: str = Field(description="the separate consent an entry agrees to")

    @staticmethod
    def resolve_consent_text(obj):
        return consent_text()


class CaseFileOut(PublicOut):
    stage: str = Field(description="`before` or `after` the treatment")
    content_type: str
    size: int
    url: str = Field(description="the file, for its entrant only")

    @staticmethod
    def resolve_url(obj):
        return reverse("api:case_file", args=[obj.public_id])


class EntryOut(PublicOut):
    contest_id: str
    contest_title: str
    status: str
    story: str
    consent_given_at: LocalDatetime
    consent_withdrawn_at: LocalDatetime | None
    files: list[CaseFileOut]

    @staticmethod
    def resolve_contest_id(obj):
        return str(obj.contest.public_id)

    @staticmethod
    def resolve_contest_title(obj):
        return obj.contest.title

    @staticmethod
    def resolve_files(obj):
        return list(obj.files.all())
