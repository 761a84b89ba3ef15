"""The patient app's read-only tooth chart and the treatment plans they accept."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yachi.clinical import plan_booking, services
from yachi.clinical.access import chart_access, plan_access
from yachi.clinical.choices import RISK_REASONS, RiskLevel
from yachi.clinical.drawing import HEIGHT, WIDTH, chart_shapes
from yachi.clinical.odontogram.teeth import is_tooth
from yachi.core.errors import DomainError
from yachi.core.pages import patient_required


@patient_required
def chart_page(request, patient_id):
    access = chart_access(actor=request.user, patient_id=patient_id)
    chart = services.chart_read(actor=request.user, access=access)
    wanted = request.GET.get("tooth", "")
    tooth = chart.tooth(wanted) if is_tooth(wanted) else None
    return render(
        request,
        "clinical/chart.html",
        {
            "patient": access.patient,
            "chart": chart,
            "shapes": chart_shapes(chart),
            "width": WIDTH,
            "height": HEIGHT,
            "heat": request.GET.get("view") == "risk",
            "editable": False,
            "selected": wanted,
            "tooth": tooth,
            "risk_label": RiskLevel(tooth.risk.level).label if tooth and tooth.risk else "",
            "risk_reasons": [RISK_REASONS[r] for r in tooth.risk.reasons]
            if tooth and tooth.risk
            else [],
            "treated": [t for t in chart.teeth if t.findings],
        },
    )


@patient_required
def plans_page(request, patient_id):
    access = chart_access(actor=request.user, patient_id=patient_id)
    return render(
        request,
        "clinical/plans.html",
        {
            "patient": access.patient,
            "plans": services.plans_read(actor=request.user, access=access),
            "accept_words": services.ACCEPT_WORDS,
        },
    )


@patient_required
@require_POST
def accept_action(request, plan_id):
    plan = plan_access(actor=request.user, plan_id=plan_id)
    try:
        revision = int(request.POST.get("revision", ""))
    except ValueError:
        revision = 0
    try:
        services.plan_accept(
            actor=request.user,
            plan=plan,
            revision=revision,
            signature=request.POST.get("signature", ""),
            agree=request.POST.get("agree") == "1",
        )
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(
            request, _("Thank you: the plan is accepted. The clinic will book its visits with you.")
        )
    return redirect("web:clinical_plans", patient_id=plan.patient.public_id)


@patient_required
def book_item_page(request, plan_id, item_id):
    """Book a procedure of the family's accepted plan: its times, then confirm."""
    back = request.get_full_path()
    if request.method == "POST":
        return plan_booking.book_from_request(
            request,
            plan_id=plan_id,
            item_id=item_id,
            back=back,
            done=lambda appointment: reverse("web:appointment", args=[appointment.public_id]),
        )
    context = plan_booking.booking_context(request, plan_id=plan_id, item_id=item_id)
    return render(request, "clinical/book_item.html", {**context, "tab": "book"})
