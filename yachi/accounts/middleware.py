import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from yachi.accounts.staff_auth import password_expired

# Refreshing the last-seen time on every request would write the session each time.
_TOUCH_SECONDS = 60


class StaffSessionMiddleware:
    """Console sessions end after a spell of inactivity, and an expired password must
    be changed before anything else (MLPS 2.0: session time-out, password change)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and user.is_clinic_staff and not request.path.startswith("/api/"):
            now = time.time()
            last_seen = request.session.get("last_seen", now)
            if now - last_seen > settings.YACHI_STAFF_IDLE_MINUTES * 60:
                logout(request)
                messages.info(request, _("You were logged out after a period of inactivity."))
                return redirect(f"{reverse('console:login')}?next={request.path}")
            if now - last_seen > _TOUCH_SECONDS or "last_seen" not in request.session:
                request.session["last_seen"] = now
            exempt = (reverse("console:password"), reverse("console:logout"))
            if request.path not in exempt and password_expired(user):
                return redirect("console:password")
        return self.get_response(request)
