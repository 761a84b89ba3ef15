"""What every console page's sidebar needs: the member's clinics and the current one."""

from yachi.clinics import facade as clinics


def console_context(request, clinic=None, **extra) -> dict:
    mine = clinics.staff_clinics(request.user)
    return {"my_clinics": mine, "clinic": clinic or (mine[0] if mine else None), **extra}
