from ninja import Schema

from yachi.core.schemas import LocalDatetime


class MyReferralOut(Schema):
    """The caller's invite code and link (both expire; a new code comes after), and how
    many different people they brought: directly (`first_level`) and through those
    (`second_level`)."""

    code: str
    link: str
    first_level: int
    second_level: int
    expires_at: LocalDatetime
    qr_url: str
    # What the running campaign gives per level, in words; empty without one.
    rewards: str = ""
    # Rewards waiting for the clinic's review.
    held: int = 0
