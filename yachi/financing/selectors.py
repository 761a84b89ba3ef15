"""What the clinic's desk and managers read of the instalment plans agreed at their clinic:
each plan with what is repaid, what is overdue and what falls due next, and the clinic's
totals. Quotes nobody agreed to are left out."""

from dataclasses import dataclass
from datetime import date

from yachi.financing.choices import InstalmentStatus, PlanStatus
from yachi.financing.models import InstalmentPlan
from yachi.financing.products import PRODUCTS

AGREED = (
    PlanStatus.APPLIED,
    PlanStatus.APPROVED,
    PlanStatus.DECLINED,
    PlanStatus.REPAYING,
    PlanStatus.COMPLETED,
)
# What the page filters by: a plan status, or "overdue" (plans with an instalment overdue).
FILTERS = ("overdue", *AGREED)
# Plans whose instalments are owed: approved or disbursed (not waiting, declined or repaid).
OWED = (PlanStatus.APPROVED, PlanStatus.REPAYING)


@dataclass(frozen=True)
class PlanRow:
    plan: InstalmentPlan
    product: str
    paid: int
    count: int
    outstanding_fen: int
    overdue: int
    overdue_fen: int
    next_due: date | None
    next_fen: int


@dataclass(frozen=True)
class ClinicInstalments:
    rows: list[PlanRow]
    repaying: int
    outstanding_fen: int
    overdue_plans: int
    overdue_fen: int


def _row(plan: InstalmentPlan) -> PlanRow:
    instalments = sorted(plan.instalments.all(), key=lambda i: i.number)
    unpaid = [i for i in instalments if i.status != InstalmentStatus.PAID]
    overdue = [i for i in unpaid if i.status == InstalmentStatus.OVERDUE]
    owed = plan.status in OWED
    upcoming = next((i for i in unpaid if i.status == InstalmentStatus.DUE), None) if owed else None
    product = PRODUCTS.get(plan.product)
    return PlanRow(
        plan=plan,
        product=str(product.name) if product else plan.product,
        paid=len(instalments) - len(unpaid),
        count=len(instalments),
        outstanding_fen=sum(i.principal_fen for i in unpaid) if owed else 0,
        overdue=len(overdue),
        overdue_fen=sum(i.principal_fen + i.interest_fen for i in overdue),
        next_due=upcoming.due_date if upcoming else None,
        next_fen=upcoming.principal_fen + upcoming.interest_fen if upcoming else 0,
    )


def clinic_instalments(*, clinic, only: str = "", limit: int = 200) -> ClinicInstalments:
    """The clinic's agreed plans, those with overdue instalments first, then the newest;
    ``only``: one of ``FILTERS`` (anything else is every agreed plan)."""
    plans = (
        InstalmentPlan.objects.filter(clinic=clinic, status__in=AGREED)
        .select_related("patient")
        .prefetch_related("instalments")
        .order_by("-created_at")
    )
    if only in AGREED:
        plans = plans.filter(status=only)
    elif only == "overdue":
        plans = plans.filter(instalments__status=InstalmentStatus.OVERDUE).distinct()
    rows = [_row(plan) for plan in plans[:limit]]
    rows.sort(key=lambda row: row.overdue == 0)  # stable: the newest first within each
    return ClinicInstalments(
        rows=rows,
        repaying=sum(1 for r in rows if r.plan.status == PlanStatus.REPAYING),
        outstanding_fen=sum(r.outstanding_fen for r in rows),
        overdue_plans=sum(1 for r in rows if r.overdue),
        overdue_fen=sum(r.overdue_fen for r in rows),
    )
