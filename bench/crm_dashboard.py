"""The managers' dashboards (ADR 0053), measured on the demo chain.

    python bench/crm_dashboard.py            # embedded default: SQLite
    DATABASE_URL=postgres://… python bench/crm_dashboard.py

Builds the demo in a throw-away database, then times the whole dashboard (every read
through the facades and the figures) for one clinic and for the chain, over the last
month and the last year, with its SQL queries. Prints one line per figure.
"""

import sys
from pathlib import Path

_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]
sys.path.insert(0, str(_HERE.parent))

import time  # noqa: E402
from datetime import timedelta  # noqa: E402

from bench import _common  # noqa: E402

_common.configure()

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402


def main() -> None:
    from yachi.accounts.models import User
    from yachi.clinics.models import Clinic
    from yachi.compliance.facade import blind_index
    from yachi.crm.reports.access import report_scope
    from yachi.crm.reports.figures import compute, gather
    from yachi.demo.builder import build_demo

    print(f"{_common.describe_stores()}; load average {_common.load_average()}")
    _common.empty_stores()
    begin = time.perf_counter()
    summary = build_demo(log=lambda *_: None)
    print(f"demo build: {summary.appointments} appointments in {time.perf_counter() - begin:.1f} s")
    regional = User.objects.get(phone_index=blind_index("phone", "13700000006"))
    clinic = Clinic.objects.order_by("pk").first()
    today = timezone.localdate()
    for label, clinic_id in ((clinic.name, str(clinic.public_id)), ("全连锁", None)):
        for days in (30, 365):
            scope = report_scope(
                actor=regional,
                clinic_id=clinic_id,
                date_from=(today - timedelta(days=days - 1)).isoformat(),
                date_to=today.isoformat(),
            )
            runs = []
            for _ in range(3):
                with CaptureQueriesContext(connection) as queries:
                    start = time.perf_counter()
                    data = gather(scope)
                    read = time.perf_counter()
                    compute(data)
                    runs.append((time.perf_counter() - start, read - start))
            total, reading = sorted(runs)[1]
            print(
                f"dashboard {label}, {days} days: {total * 1000:.0f} ms median of 3 "
                f"({reading * 1000:.0f} ms reading), {len(queries)} queries, "
                f"{len(data.appointments)} appointments and {len(data.money)} payments read"
            )


if __name__ == "__main__":
    main()
