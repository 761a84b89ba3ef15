"""What every console page's sidebar needs: the member's clinics with their role at each,
the current one (the first of them unless the view names another), and the roles they
hold (``console_standing``, which the ``console_rights`` tag reads for the sidebar).

A context processor, so that no context's views reach into web for it. Both values are
lazy: a page that never shows the sidebar never asks which clinics the member has.
"""

from django.utils.functional import SimpleLazyObject

from yachi.clinics import facade as clinics
from yachi.core import public_url
from yachi.operations import facade as operations


def console(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.is_clinic_staff:
        return {}
    # One read of the person's roles serves the clinic switch and the sidebar.
    standing = SimpleLazyObject(lambda: clinics.standing(user))
    mine = SimpleLazyObject(lambda: clinics.clinics_with_roles(user, known=standing))
    context = {
        "my_clinics": mine,
        "clinic": SimpleLazyObject(lambda: mine[0][0] if mine else None),
        "console_standing": standing,
    }
    if user.is_staff:
        # Administrators see on every console page that the last backup failed.
        context["backup_failed"] = SimpleLazyObject(operations.last_backup_failed)
    return context


def realtime(request) -> dict:
    """``realtime_url``: where web/realtime.js opens the page's sockets (the base
    templates put it in ``<meta name="yachi-realtime">``; empty: the page's origin)."""
    return {"realtime_url": public_url.realtime_url(request)}
