"""Daily reconciliation (对账) of a clinic's settlements against the platform's statement.

Each settlement, reversal and refund of the day is a line on both sides, keyed by the
platform's 结算 ID and the kind; what only one side has, or where the insurance amounts
(fund + personal account) differ, is a finding. Nothing is repaired automatically: a
settlement is money of the fund, and a finding is for the clinic to take up with the
platform's office.
"""

from datetime import date, datetime, time, timedelta

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yachi.compliance.facade import AuditAction, audit_record
from yachi.insurance.medical.choices import ReconciliationResult, SettlementStatus
from yachi.insurance.medical.models import Reconciliation, Settlement
from yachi.insurance.medical.services import platform_for

FINDINGS = {
    "not_ours": _("In the platform's statement, not in ours"),
    "not_at_platform": _("Ours, not in the platform's statement"),
    "amount": _("Amounts differ"),
}


def _day_bounds(day: date):
    zone = timezone.get_current_timezone()
    start = datetime.combine(day, time.min, tzinfo=zone)
    return start, start + timedelta(days=1)


def ours_of_day(*, clinic, day: date) -> dict[tuple[str, str], dict]:
    start, end = _day_bounds(day)
    rows = Settlement.objects.filter(clinic=clinic).filter(
        Q(settled_at__gte=start, settled_at__lt=end) | Q(undone_at__gte=start, undone_at__lt=end)
    )
    ours = {}
    for s in rows:
        if s.settled_at and start <= s.settled_at < end:
            ours[("settle", s.platform_settlement_id)] = {
                "visit_serial": s.visit_serial,
                "fen": s.insurance_fen,
                "settlement": str(s.public_id),
            }
        if s.undone_at and start <= s.undone_at < end:
            kind = "refund" if s.status == SettlementStatus.REFUNDED else "reverse"
            ours[(kind, s.platform_settlement_id)] = {
                "visit_serial": s.visit_serial,
                "fen": -s.insurance_fen,
                "settlement": str(s.public_id),
            }
    return ours


def reconcile(*, clinic, day: date, actor=None) -> Reconciliation:
    lines = platform_for(clinic).statement(day=day)
    theirs = {(line.kind, line.settlement_id): line for line in lines}
    ours = ours_of_day(clinic=clinic, day=day)
    findings = []
    for key, line in sorted(theirs.items()):
        mine = ours.get(key)
        if mine is None:
            findings.append(
                {
                    "kind": "not_ours",
                    "entry": key[0],
                    "settlement_id": key[1],
                    "visit_serial": line.visit_serial,
                    "statement_fen": line.insurance_fen,
                    "ours_fen": None,
                }
            )
        elif mine["fen"] != line.insurance_fen:
            findings.append(
                {
                    "kind": "amount",
                    "entry": key[0],
                    "settlement_id": key[1],
                    "visit_serial": line.visit_serial,
                    "statement_fen": line.insurance_fen,
                    "ours_fen": mine["fen"],
                    "settlement": mine["settlement"],
                }
            )
    for key, mine in sorted(ours.items()):
        if key not in theirs:
            findings.append(
                {
                    "kind": "not_at_platform",
                    "entry": key[0],
                    "settlement_id": key[1],
                    "visit_serial": mine["visit_serial"],
                    "statement_fen": None,
                    "ours_fen": mine["fen"],
                    "settlement": mine["settlement"],
                }
            )
    run = Reconciliation.objects.create(
        clinic=clinic,
        day=day,
        result=ReconciliationResult.DIFFERENCES if findings else ReconciliationResult.MATCHED,
        ran_by=actor,
        statement_count=len(theirs),
        ours_count=len(ours),
        statement_fen=sum(line.insurance_fen for line in theirs.values()),
        ours_fen=sum(mine["fen"] for mine in ours.values()),
        findings=findings,
    )
    audit_record(
        action=AuditAction.INSURANCE_RECONCILED,
        actor=actor,
        object_type="clinic",
        object_id=clinic.public_id,
        clinic=clinic,
        details={"day": day.isoformat(), "findings": len(findings)},
    )
    return run
