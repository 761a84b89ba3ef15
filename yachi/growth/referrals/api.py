from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router

from yachi.core.errors import patients_only
from yachi.core.schemas import errors
from yachi.growth.referrals import describe, selectors
from yachi.growth.referrals.schemas import MyReferralOut

router = Router(tags=["referrals"])


@router.get("/me/referral", response={200: MyReferralOut, **errors(401, 403)})
def my_referral(request):
    """The caller's invite code and share link (老带新), how long they last, and how many
    different people they brought: their invitees (`first_level`) and their invitees'
    invitees (`second_level`). A friend signs up with the code (`invite_code` at
    `POST /auth/login`); the rewards come after that friend's first completed paid visit."""
    patients_only(request.user, _("Invitations are for patients."))
    mine = selectors.my_referral(user=request.user, now=timezone.now())
    return MyReferralOut(
        code=mine.code,
        link=mine.link,
        first_level=mine.first_level,
        second_level=mine.second_level,
        expires_at=mine.expires_at,
        qr_url=request.build_absolute_uri(reverse("web:invite_qr")),
        rewards=describe.rewards_text(mine.campaign),
        held=mine.held,
    )
