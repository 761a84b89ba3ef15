"""The clinic bench/realtime.py calls in: one doctor's queue of today full of waiting
walk-ins, a front-desk member with an API token, and display tokens for the screens."""

from dataclasses import dataclass
from itertools import cycle, islice

from bench import _common


@dataclass
class World:
    clinic_id: str
    queue_id: str
    staff_token: str
    display_secrets: list[str]

    def socket_tokens(self, count: int) -> list[str]:
        """Half the sockets are the front desk's boards, half the waiting room's displays."""
        displays = cycle(self.display_secrets)
        return [self.staff_token if n % 2 else next(displays) for n in range(count)]


def build(*, waiting: int, displays: int) -> World:
    from yachi.accounts.models import User
    from yachi.accounts.services import token_issue
    from yachi.clinics.models import Service, StaffMembership
    from yachi.core.roles import ClinicRole, Role
    from yachi.queueing import services as queue
    from yachi.queueing.display.services import display_token_create

    _common.empty_stores()
    clinic = _common.bench_clinic(name="静安店", chairs=3)
    doctor = _common.rostered_doctors(clinic=clinic, count=1)[0]
    service = Service.objects.get(clinic=clinic, code="cleaning")
    desk = User.objects.create(
        phone=f"{_common.BENCH_PHONES}70000001", name="前台", role=Role.STAFF
    )
    manager = User.objects.create(
        phone=f"{_common.BENCH_PHONES}70000002", name="店长", role=Role.STAFF
    )
    StaffMembership.objects.create(user=desk, clinic=clinic, role=ClinicRole.FRONT_DESK)
    StaffMembership.objects.create(user=manager, clinic=clinic, role=ClinicRole.MANAGER)
    tickets = [
        queue.walk_in(
            actor=desk,
            clinic=clinic,
            phone=f"{_common.BENCH_PHONES}6{n:07d}",
            name=f"患者{n}",
            service=service,
            doctor=doctor,
        )
        for n in range(waiting)
    ]
    secrets = [
        display_token_create(actor=manager, clinic=clinic, name=f"候诊区电视{n + 1}")[1]
        for n in range(min(displays, 20))
    ]
    return World(
        clinic_id=str(clinic.public_id),
        queue_id=str(tickets[0].queue.public_id),
        staff_token=token_issue(user=desk, label="bench"),
        display_secrets=list(islice(cycle(secrets), len(secrets))),
    )
