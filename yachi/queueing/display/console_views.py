"""候诊屏 in the clinic console: a manager creates a display token for each waiting-room
television (its link shown once) and revokes it when the screen goes or the link leaked."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from yachi.clinics import facade as clinics
from yachi.core.errors import DomainError
from yachi.core.models import as_public_id
from yachi.core.pages import staff_required
from yachi.queueing.display import services
from yachi.queueing.display.models import DisplayToken
from yachi.queueing.display.services import require_manager


@staff_required
def displays_page(request, clinic_id):
    clinic = clinics.staff_clinic_by_id(actor=request.user, clinic_id=clinic_id)
    require_manager(request.user, clinic)
    created = None
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "create":
                token, secret = services.display_token_create(
                    actor=request.user, clinic=clinic, name=request.POST.get("name", "")
                )
                link = request.build_absolute_uri(
                    reverse("web:display", kwargs={"clinic_id": clinic.public_id})
                )
                created = {"token": token, "link": f"{link}?token={secret}"}
            elif action == "revoke":
                token = DisplayToken.objects.filter(
                    clinic=clinic, public_id=as_public_id(request.POST.get("id"))
                ).first()
                if token is None:
                    messages.error(request, _("This screen is not in the list any more."))
                else:
                    services.display_token_revoke(actor=request.user, token=token)
                    messages.success(
                        request, _("%(name)s can no longer show the board.") % {"name": token.name}
                    )
                return redirect("console:displays", clinic_id=clinic.public_id)
        except DomainError as exc:
            messages.error(request, exc.message)
    tokens = DisplayToken.objects.filter(clinic=clinic).select_related("created_by")
    return render(
        request,
        "queueing/console/displays.html",
        {
            "clinic": clinic,
            "section": "displays",
            "active": [t for t in tokens if t.active],
            "revoked": [t for t in tokens if not t.active][:20],
            "created": created,
        },
    )
