"""No-show risk in the console: the model and its backtest with the clinic's policy
(managers), and the confirmation calls to make (front desk)."""

from decimal import Decimal

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from yachi.clinics import facade as clinics
from yachi.compliance.facade import AuditAction, audit_record
from yachi.core.errors import DomainError, NotFound
from yachi.core.forms import Form
from yachi.core.money import yuan_to_fen
from yachi.core.pages import staff_required
from yachi.crm.noshow import selectors, services
from yachi.crm.noshow.models import CallOutcome


class PolicyForm(Form):
    threshold_percent = forms.IntegerField(
        label=gettext_lazy("Risk threshold (%)"), min_value=1, max_value=99
    )
    require_deposit = forms.BooleanField(
        label=gettext_lazy("Require a deposit when booking online"), required=False
    )
    deposit = forms.DecimalField(
        label=gettext_lazy("Deposit (yuan)"),
        min_value=Decimal("0.01"),
        max_value=Decimal(10000),
        decimal_places=2,
    )
    extra_reminder = forms.BooleanField(
        label=gettext_lazy("Send an extra reminder three days before"), required=False
    )
    confirmation_call = forms.BooleanField(
        label=gettext_lazy("Flag for a confirmation call by the front desk"), required=False
    )


class CallForm(Form):
    outcome = forms.ChoiceField(
        label=gettext_lazy("Outcome"),
        choices=[(v, label) for v, label in CallOutcome.choices if v != CallOutcome.OPEN],
    )
    note = forms.CharField(label=gettext_lazy("Note"), max_length=200, required=False)


def _pct(value) -> float | None:
    return None if value is None else round(value * 100, 1)


def backtest_chart(backtest: dict) -> dict:
    """The reliability diagram for web/partials/chart.html: in each band of predicted
    risk, the share that did not come, for the model and for the baseline."""
    bands = [f"{b * 10}–{(b + 1) * 10}%" for b in range(10)]

    def observed(scores):
        by_low = {round(b["low"] * 10): b for b in scores["bins"]}
        return [_pct(by_low[i]["observed"]) if i in by_low else None for i in range(10)]

    return {
        "categories": bands,
        "series": [
            {"name": "model", "label": _("Model: share that did not come"), "type": "bar",
             "data": observed(backtest["model"])},
            {"name": "baseline", "label": _("Baseline: share that did not come"),
             "type": "bar", "data": observed(backtest["baseline"])},
            {"name": "ideal", "label": _("Perfect calibration"), "type": "line",
             "data": [b * 10 + 5 for b in range(10)]},
        ],
        "axes": [{"name": _("Did not come (%)")}],
    }  # fmt: skip


def _bins_table(backtest: dict) -> list[dict]:
    rows = []
    for which, label in (("model", _("Model")), ("baseline", _("Baseline"))):
        for b in backtest[which]["bins"]:
            rows.append(
                {
                    "which": label,
                    "band": f"{round(b['low'] * 100)}–{round(b['high'] * 100)}%",
                    "count": b["count"],
                    "predicted": _pct(b["predicted"]),
                    "observed": _pct(b["observed"]),
                }
            )
    return rows


@staff_required
def risk_page(request, clinic_id):
    clinic = clinics.staff_clinic_by_id(actor=request.user, clinic_id=clinic_id)
    clinics.require(request.user, clinic, clinics.Duty.MANAGE)
    policy = services.policy_of(clinic.pk)
    form = PolicyForm(
        request.POST or None,
        initial={
            "threshold_percent": policy.threshold_percent,
            "require_deposit": policy.require_deposit,
            "deposit": Decimal(policy.deposit_fen) / 100,
            "extra_reminder": policy.extra_reminder,
            "confirmation_call": policy.confirmation_call,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.policy_save(
                actor=request.user,
                clinic=clinic,
                threshold_percent=data["threshold_percent"],
                require_deposit=data["require_deposit"],
                deposit_fen=yuan_to_fen(data["deposit"]),
                extra_reminder=data["extra_reminder"],
                confirmation_call=data["confirmation_call"],
            )
        except DomainError as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(request, _("No-show policy saved."))
            return redirect("console:noshow_risk", clinic_id=clinic.public_id)
    own, chain = selectors.models_of_clinic(clinic)
    model = own or chain
    backtest = model.backtest if model is not None else {}
    return render(
        request,
        "crm/console/noshow/risk.html",
        {
            "clinic": clinic,
            "section": "noshow_risk",
            "form": form,
            "model": model,
            "own": own,
            "backtest": backtest,
            "chart": backtest_chart(backtest) if backtest else None,
            "bins": _bins_table(backtest) if backtest else [],
            "weights": list(zip(model.features, model.weights, strict=True)) if model else [],
        },
    )


@require_POST
@staff_required
def train_now(request, clinic_id):
    clinic = clinics.staff_clinic_by_id(actor=request.user, clinic_id=clinic_id)
    clinics.require(request.user, clinic, clinics.Duty.MANAGE)
    written = services.models_train(clinic_ids={clinic.pk})
    scored = services.scores_refresh(clinic_ids={clinic.pk})
    messages.success(
        request,
        _("%(models)s model versions trained; %(scored)s upcoming appointments scored.")
        % {"models": len(written), "scored": scored},
    )
    return redirect("console:noshow_risk", clinic_id=clinic.public_id)


@staff_required
def calls_page(request, clinic_id):
    clinic = clinics.staff_clinic_by_id(actor=request.user, clinic_id=clinic_id)
    clinics.require(request.user, clinic, clinics.Duty.DESK)
    done = request.GET.get("done") == "1"
    calls = selectors.calls_of_clinic(clinic=clinic, now=timezone.now(), include_done=done)
    # The list shows patients' names, numbers and no-show history: a read of personal data.
    audit_record(
        action=AuditAction.NO_SHOW_RISK_READ,
        actor=request.user,
        clinic=clinic,
        object_type="confirmation_calls",
        details={"appointments": [str(c.appointment.public_id) for c in calls]},
    )
    return render(
        request,
        "crm/console/noshow/calls.html",
        {
            "clinic": clinic,
            "section": "noshow_calls",
            "calls": calls,
            "done": done,
            "form": CallForm(),
        },
    )


@require_POST
@staff_required
def call_record(request, clinic_id, call_id):
    clinic = clinics.staff_clinic_by_id(actor=request.user, clinic_id=clinic_id)
    clinics.require(request.user, clinic, clinics.Duty.DESK)
    call = selectors.call_by_id(clinic=clinic, call_id=call_id)
    if call is None:
        raise NotFound(_("Call not found."), code="call_not_found")
    form = CallForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose what came of the call."))
    else:
        try:
            services.call_record(actor=request.user, call=call, **form.cleaned_data)
        except DomainError as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(request, _("Call recorded."))
    return redirect("console:noshow_calls", clinic_id=clinic.public_id)


console_patterns = [
    path("clinic/<str:clinic_id>/no-show/", risk_page, name="noshow_risk"),
    path("clinic/<str:clinic_id>/no-show/train/", train_now, name="noshow_train"),
    path("clinic/<str:clinic_id>/no-show/calls/", calls_page, name="noshow_calls"),
    path(
        "clinic/<str:clinic_id>/no-show/calls/<str:call_id>/",
        call_record,
        name="noshow_call_record",
    ),
]
