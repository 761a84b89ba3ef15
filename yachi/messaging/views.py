from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yachi.core.pages import patient_required
from yachi.messaging import links, selectors, services
from yachi.messaging.render import render_shown


@patient_required
def notifications_page(request):
    scope = request.GET.get("scope", "inbox")
    if scope not in ("inbox", "sent"):
        scope = "inbox"
    items = selectors.notifications_of(user=request.user, scope=scope)
    rows = [(n, render_shown(n.kind, n.params, request.LANGUAGE_CODE)) for n in items]
    for notification in items:
        if scope == "inbox" and notification.read_at is None:
            services.inbox_mark_read(notification=notification)
    return render(
        request,
        "messaging/notifications.html",
        {
            "rows": rows,
            "scope": scope,
            "preference": services.preference_of(request.user),
            "tab": "me",
        },
    )


@patient_required
@require_POST
def preferences_update(request):
    services.preference_update(
        user=request.user,
        sms=request.POST.get("sms") == "on",
        wechat=request.POST.get("wechat") == "on",
        marketing=request.POST.get("marketing") == "on",
    )
    messages.success(request, _("Saved."))
    return redirect("web:notifications")


def short_link(request, code: str):
    """``/s/<code>`` from an SMS: on to the page it stands for, while that matters."""
    target = links.follow(code)
    if target is None:
        return render(request, "messaging/link_expired.html", status=404)
    return redirect(target)
