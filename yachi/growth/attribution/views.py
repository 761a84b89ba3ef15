"""``/t/<code>``: a tracked link opened (from a Douyin ad, a Baidu result, a Moments post,
a Xiaohongshu note, a flyer's QR code). The touch is recorded with the browser's visitor
key (a cookie, set here) and the device kind, and the visitor lands on the link's page.
A link that is unknown or switched off lands on the app's home page and records nothing."""

from django.shortcuts import redirect
from django.urls import path

from yachi.growth.attribution import services
from yachi.growth.attribution.models import TrackedLink

COOKIE_SECONDS = 400 * 24 * 3600


def touch(request, code: str):
    link = TrackedLink.objects.filter(code=code.upper()[:16], active=True).first()
    if link is None:
        return redirect("web:home")
    visitor = request.COOKIES.get(services.VISITOR_COOKIE, "")
    if len(visitor) != 32 or not visitor.isalnum():
        visitor = services.new_visitor()
    user = request.user if request.user.is_authenticated else None
    services.touch_record(
        link=link, visitor=visitor, user=user, user_agent=request.headers.get("User-Agent", "")
    )
    response = redirect(link.target)
    response.set_cookie(
        services.VISITOR_COOKIE,
        visitor,
        max_age=COOKIE_SECONDS,
        httponly=True,
        samesite="Lax",
        secure=request.is_secure(),
    )
    return response


def identify_visitor_gate(request):
    """Asked before every patient page: a signed-in patient whose browser touched a
    tracked link is that visitor (once per session; nothing else is read after)."""
    visitor = request.COOKIES.get(services.VISITOR_COOKIE)
    if visitor and request.session.get("attribution_visitor") != visitor:
        services.visitor_identify(visitor=visitor, user=request.user)
        request.session["attribution_visitor"] = visitor
    return None


patient_patterns = [path("t/<str:code>", touch, name="tracked_link")]
