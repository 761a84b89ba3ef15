"""Instalment plans of the demo (ADR 0066): some accepted implant and aligner plans are
being repaid through the partner (one with an instalment overdue, which CRM's arrears tag
shows), one waits for the partner's decision, one is a quote to agree to in the app."""

import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

from yachi.clinical.models import PlanItem, TreatmentPlan
from yachi.financing import amortisation, products, services
from yachi.financing.choices import InstalmentStatus, PlanStatus
from yachi.financing.models import Instalment, InstalmentPlan


@dataclass(frozen=True)
class FinancingSummary:
    plans: int
    repaying: int
    overdue: int


def build_financing(*, now) -> FinancingSummary:
    today = timezone.localdate(now)
    candidates = list(
        TreatmentPlan.objects.select_related("patient__account", "clinic")
        .filter(
            status__in=("accepted", "in_progress"),
            total_fen__gte=products.minimum_fen(),
        )
        .order_by("pk")[:8]
    )
    codes: dict[int, set[str]] = {}
    for plan_id, code in PlanItem.objects.filter(phase__plan__in=candidates).values_list(
        "phase__plan_id", "service_code"
    ):
        codes.setdefault(plan_id, set()).add(code)
    states = [PlanStatus.REPAYING, PlanStatus.REPAYING, PlanStatus.APPLIED, PlanStatus.QUOTED]
    made = repaying = overdue = 0
    for plan, status in zip(candidates, states, strict=False):
        product = products.product_for(codes.get(plan.pk, ()))
        term = product.terms[1] if len(product.terms) > 1 else product.terms[0]
        # Repaying plans started months ago, so that some instalments are behind them.
        start = today - timedelta(days=95) if status == PlanStatus.REPAYING else today
        schedule = amortisation.schedule(
            principal_fen=plan.total_fen,
            months=term.months,
            method=amortisation.EQUAL_PAYMENT,
            annual_rate=term.annual_rate,
            start=start,
        )
        fee = int(plan.total_fen * term.clinic_fee_rate)
        agreed = status != PlanStatus.QUOTED
        row = InstalmentPlan.objects.create(
            treatment_plan=plan,
            plan_revision=plan.revision,
            patient=plan.patient,
            clinic=plan.clinic,
            borrower_id=plan.patient.account.owner_id,
            product=product.code,
            partner="partner",
            months=term.months,
            method=amortisation.EQUAL_PAYMENT,
            principal_fen=plan.total_fen,
            annual_rate=term.annual_rate,
            apr=schedule.apr,
            total_interest_fen=schedule.total_interest_fen,
            clinic_fee_fen=fee,
            start_date=start,
            status=status,
            quote_expires_at=now + timedelta(days=7),
            terms_agreed_at=now if agreed else None,
            terms_words=str(services.TERMS_WORDS) if agreed else "",
            sharing_agreed_at=now if agreed else None,
            sharing_words=str(services.SHARING_WORDS) if agreed else "",
            application_no="IPDEMO" + secrets.token_hex(6).upper(),
            disbursed_fen=plan.total_fen - fee if status == PlanStatus.REPAYING else 0,
            disbursed_at=now if status == PlanStatus.REPAYING else None,
        )
        late = repaying == 1  # the second repaying plan missed its latest instalment
        rows = []
        for i in schedule.instalments:
            state, paid_at = InstalmentStatus.DUE, None
            if status == PlanStatus.REPAYING and i.due_date < today:
                if late and i.due_date >= today - timedelta(days=40):
                    state = InstalmentStatus.OVERDUE
                    overdue += 1
                else:
                    state, paid_at = InstalmentStatus.PAID, now
            rows.append(
                Instalment(
                    plan=row,
                    number=i.number,
                    due_date=i.due_date,
                    principal_fen=i.principal_fen,
                    interest_fen=i.interest_fen,
                    status=state,
                    paid_at=paid_at,
                )
            )
        Instalment.objects.bulk_create(rows)
        made += 1
        repaying += status == PlanStatus.REPAYING
    return FinancingSummary(plans=made, repaying=repaying, overdue=overdue)
