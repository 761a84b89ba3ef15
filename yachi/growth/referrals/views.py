"""The patient's pages of referrals: the invite page (code, link, QR poster, counts), its
QR code as a picture to save, and the landing page an invite link opens."""

import segno
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.safestring import mark_safe

from yachi.core.pages import patient_required
from yachi.growth.referrals import codes, describe, selectors


@patient_required
def invite_page(request):
    mine = selectors.my_referral(user=request.user, now=timezone.now())
    qr = segno.make(mine.link, error="m")
    return render(
        request,
        "growth/invite.html",
        {
            "mine": mine,
            "rewards": describe.rewards_text(mine.campaign),
            # segno's own markup of a link we made.
            "qr": mark_safe(qr.svg_inline(scale=5, dark="#0f3d3e", title=mine.code, omitsize=True)),  # noqa: S308
            "tab": "me",
        },
    )


@patient_required
def invite_qr(request):
    """The invitation's QR code as a PNG, to save and send in a chat."""
    mine = selectors.my_referral(user=request.user, now=timezone.now())
    response = HttpResponse(content_type="image/png")
    segno.make(mine.link, error="m").save(response, kind="png", scale=10, border=3)
    response["Content-Disposition"] = f'inline; filename="invite-{mine.code}.png"'
    response["Cache-Control"] = "private, no-store"
    return response


def invite_landing(request, code: str):
    """An invite link: remember the code for the sign-up and open the login page with it."""
    code = codes.normalize(code)
    if request.user.is_authenticated:
        return redirect("web:invite")
    request.session["invite_code"] = code
    return redirect(reverse("web:login") + "?" + urlencode({"invite_code": code}))
