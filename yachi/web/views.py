from django.shortcuts import redirect, render
from django.templatetags.static import static

from yachi.booking import selectors as booking
from yachi.core.pages import patient_required
from yachi.growth import facade as growth
from yachi.messaging import selectors as messaging_selectors
from yachi.messaging.chat.selectors import unread_of_owner as chat_unread_of
from yachi.patients import access as patient_access
from yachi.patients import selectors as patient_selectors


def home(request):
    context = {"tab": "home"}
    if request.user.is_authenticated and request.user.is_patient:
        account = patient_access.account_of(request.user)
        context["upcoming"] = booking.appointments_of_account(
            account_id=account.pk, scope="upcoming", limit=3
        )
        context["holder"] = patient_access.holder(account)
    return render(request, "web/home.html", context)


@patient_required
def me(request):
    account = patient_access.account_of(request.user)
    return render(
        request,
        "web/me.html",
        {
            "holder": patient_access.holder(account),
            "family_count": len(patient_selectors.family_members(account)),
            "unread": messaging_selectors.unread_count(user=request.user),
            "chat_unread": chat_unread_of(user=request.user),
            "coupon_count": growth.coupons_available_count(user=request.user),
            "points": growth.points_balance(user=request.user),
            "tab": "me",
        },
    )


def favicon(request):
    """Browsers that ask for /favicon.ico before reading the page get the PNG icon."""
    return redirect(static("web/favicon.png"), permanent=True)
